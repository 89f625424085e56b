import type { ScorerWire } from "@tracklite/schemas";
import { css, html, LitElement, nothing, type PropertyValues } from "lit";
import "../components/error.js";
import "../components/skeleton.js";
import "../components/time.js";
import "./genai-frame.js";
import "./scorer-detail.js";
import { client } from "../api.js";
import { navigate } from "../router.js";
import { shared } from "../styles.js";
import { latestScorers, SCORER_KINDS, summarizeScorer } from "./scorer-summary.js";

/**
 * `#/experiments/:experimentId/judges` (MLflow's path): the experiment's registered scorers and LLM judges (latest
 * version of each), and beside them the chosen one's versions and the chosen version read out. The choice is the
 * URL's `scorer` and `version`.
 */
export class TlGenaiJudgesPage extends LitElement {
  static override properties = {
    params: { attribute: false },
    query: { attribute: false },
    scorers: { state: true },
    versions: { state: true },
    error: { state: true },
  };
  declare params: Record<string, string>;
  declare query: URLSearchParams;
  declare scorers: ScorerWire[] | undefined;
  /** The versions of the chosen scorer, newest first. */
  declare versions: ScorerWire[] | undefined;
  declare error: unknown;
  private loadedFor = "";
  private versionsFor = "";

  static override styles = [
    shared,
    css`
      .layout { display: grid; grid-template-columns: minmax(360px, 1fr) minmax(360px, 1.2fr); gap: 16px; align-items: start; }
      table { font-size: 12.5px; }
      tr.selected td { background: var(--tl-bg-hover); }
      td button.link { border: 0; background: none; padding: 0; color: var(--tl-accent); font-weight: 600; }
      .versions { display: flex; gap: 4px; flex-wrap: wrap; margin-bottom: 8px; }
      .versions button[aria-pressed="true"] { border-color: var(--tl-accent); color: var(--tl-accent); font-weight: 600; }
      .detail h2 { margin-top: 0; }
      td.num { text-align: right; font-variant-numeric: tabular-nums; }
    `,
  ];

  constructor() {
    super();
    this.params = {};
    this.query = new URLSearchParams();
    this.scorers = undefined;
    this.versions = undefined;
    this.error = undefined;
  }

  private get experimentId() {
    return this.params.experimentId ?? "";
  }
  private get chosen(): string | undefined {
    return this.query.get("scorer") ?? this.scorers?.[0]?.scorer_name;
  }

  override willUpdate(_changed: PropertyValues<this>) {
    if (this.experimentId !== this.loadedFor) {
      this.loadedFor = this.experimentId;
      this.scorers = undefined;
      void this.load();
    }
    const name = this.chosen;
    const key = `${this.experimentId}|${name ?? ""}`;
    if (name && key !== this.versionsFor) {
      this.versionsFor = key;
      this.versions = undefined;
      void this.loadVersions(name, key);
    }
  }

  private async load() {
    const id = this.experimentId;
    this.error = undefined;
    try {
      const list = latestScorers(await client.listScorers(id));
      if (id === this.experimentId) this.scorers = list;
    } catch (e) {
      if (id === this.experimentId) this.error = e;
    }
  }

  private async loadVersions(name: string, key: string) {
    try {
      const list = await client.listScorerVersions(this.experimentId, name);
      if (key === this.versionsFor) this.versions = [...list].sort((a, b) => b.scorer_version - a.scorer_version);
    } catch (e) {
      if (key === this.versionsFor) this.error = e;
    }
  }

  private choose(scorer: string, version?: number) {
    navigate(
      `/experiments/${encodeURIComponent(this.experimentId)}/judges`,
      {
        scorer,
        version: version === undefined ? undefined : String(version),
      },
      true,
    );
  }

  private renderList(list: ScorerWire[]) {
    const chosen = this.chosen;
    return html`<table aria-label="Judges">
      <thead><tr><th>Name</th><th>Kind</th><th>Model</th><th class="num">Latest version</th><th>Registered</th></tr></thead>
      <tbody>${list.map((s) => {
        const sum = summarizeScorer(s.serialized_scorer);
        return html`<tr data-name=${s.scorer_name} class=${s.scorer_name === chosen ? "selected" : ""}>
          <td><button class="link" @click=${() => this.choose(s.scorer_name)}>${s.scorer_name}</button></td>
          <td>${SCORER_KINDS[sum.kind]}${sum.className ? html` <span class="muted mono">${sum.className}</span>` : nothing}</td>
          <td class="mono">${sum.model ?? ""}</td>
          <td class="num">${s.scorer_version}</td>
          <td><tl-time .ms=${s.creation_time}></tl-time></td>
        </tr>`;
      })}</tbody>
    </table>`;
  }

  private renderDetail() {
    const versions = this.versions;
    const name = this.chosen;
    if (!name) return nothing;
    if (!versions) return html`<tl-skeleton rows="4" label="Loading versions"></tl-skeleton>`;
    const wanted = Number(this.query.get("version"));
    const shown = versions.find((v) => v.scorer_version === wanted) ?? versions[0];
    return html`<section class="detail card" aria-label="Judge ${name}">
      <h2>${name}</h2>
      <div class="versions" role="group" aria-label="Versions">
        ${versions.map(
          (v) =>
            html`<button aria-pressed=${v === shown ? "true" : "false"} @click=${() => this.choose(name, v.scorer_version)}>v${v.scorer_version}</button>`,
        )}
      </div>
      <tl-scorer-detail .scorer=${shown}></tl-scorer-detail>
    </section>`;
  }

  private renderBody() {
    if (this.error) return html`<tl-error .error=${this.error} @retry=${() => this.load()}></tl-error>`;
    const list = this.scorers;
    if (!list) return html`<tl-skeleton rows="4" label="Loading judges"></tl-skeleton>`;
    if (list.length === 0) {
      return html`<div class="muted"><p>No judges registered in this experiment. Register one with the Python client:</p>
        <pre class="mono">from mlflow.genai.judges import make_judge
make_judge(name="polite", instructions="Is {{ outputs }} polite?", model="openai:/gpt-4o-mini").register(experiment_id="${this.experimentId}")</pre></div>`;
    }
    return html`<div class="layout">${this.renderList(list)}${this.renderDetail()}</div>`;
  }

  override render() {
    return html`<tl-genai-frame .experimentId=${this.experimentId} active="judges">${this.renderBody()}</tl-genai-frame>`;
  }
}
customElements.define("tl-genai-judges-page", TlGenaiJudgesPage);

declare global {
  interface HTMLElementTagNameMap {
    "tl-genai-judges-page": TlGenaiJudgesPage;
  }
}
