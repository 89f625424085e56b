import type { ModelVersion, RegisteredModel } from "@tracklite/schemas";
import { css, html, LitElement, nothing, type PropertyValues } from "lit";
import { client } from "../api.js";
import "../components/error.js";
import "../components/skeleton.js";
import "../components/time.js";
import { aliasesByVersion, isPrompt, userTags, versionSearchFilter } from "../registry/model-filters.js";
import { href, navigate, seg } from "../router.js";
import { shared } from "../styles.js";
import { chipStyles } from "./chips.js";
import { experimentNames } from "./experiment-names.js";
import "./prompt-compare.js";
import type { VersionsChange } from "./prompt-compare.js";
import {
  defaultComparedVersion,
  type PromptVersionView,
  promptExperimentIds,
  readPromptVersion,
} from "./prompt-version.js";
import "./prompt-version-view.js";

/** Versions fetched per page, and the most pages read (a prompt with more versions shows its newest). */
const PAGE = 100;
const MAX_PAGES = 20;

interface Loaded {
  name: string;
  prompt: RegisteredModel;
  /** Newest first. */
  versions: PromptVersionView[];
}

/**
 * `#/prompts/:promptName` (also under `#/experiments/:experimentId/`): one prompt, its versions on the left and, on
 * the right, the selected version (template, variables, aliases, tags, commit message, model settings) or a diff of
 * two versions. The URL holds the selected version (`promptVersion`, MLflow's name), the mode (`mode=compare`) and
 * the version compared with (`comparedVersion`).
 */
export class TlPromptPage extends LitElement {
  static override properties = {
    params: { attribute: false },
    query: { attribute: false },
    data: { state: true },
    error: { state: true },
    names: { state: true },
  };
  declare params: Record<string, string>;
  declare query: URLSearchParams;
  declare data: Loaded | undefined;
  declare error: unknown;
  /** Names of the experiments linked to (shown instead of ids once known). */
  declare names: Record<string, string>;
  private seq = 0;
  /** The prompt the last load was for (query changes while it runs do not start another). */
  private loading = "";

  static override styles = [
    shared,
    chipStyles,
    css`
      .crumbs { font-size: 13px; margin-bottom: 4px; }
      .head { display: flex; align-items: center; gap: 8px; flex-wrap: wrap; }
      .head h1 { margin: 0; word-break: break-all; }
      .meta { font-size: 12.5px; margin: 4px 0 12px; display: flex; gap: 12px; flex-wrap: wrap; align-items: center; }
      .layout { display: grid; grid-template-columns: minmax(300px, 440px) minmax(0, 1fr); gap: 20px; align-items: start; }
      @media (max-width: 900px) { .layout { grid-template-columns: 1fr; } }
      .versions table { font-size: 12.5px; table-layout: fixed; }
      .versions th, .versions td { padding: 5px 8px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
      .versions tr[aria-selected="true"] { background: var(--tl-bg-selected); }
      .versions tr.compared { background: var(--tl-bg-hover); }
      .versions tbody tr:hover { background: var(--tl-bg-hover); }
      .versions td.chips, .versions td.message { white-space: normal; overflow-wrap: anywhere; }
      .mark { font-size: 11px; color: var(--tl-muted); margin-left: 4px; }
      .modes { display: inline-flex; border: 1px solid var(--tl-border); border-radius: var(--tl-radius); overflow: hidden; }
      .modes button { border: 0; border-radius: 0; }
      .modes button[aria-pressed="true"] { background: var(--tl-bg-selected); font-weight: 600; }
      .panel-head { display: flex; align-items: center; gap: 8px; flex-wrap: wrap; margin-bottom: 10px; }
      .panel-head h2 { margin: 0; }
    `,
  ];

  constructor() {
    super();
    this.params = {};
    this.query = new URLSearchParams();
    this.data = undefined;
    this.error = undefined;
    this.names = {};
  }

  private get name() {
    return this.params.promptName ?? "";
  }
  private get base() {
    const exp = this.params.experimentId;
    return `${exp ? `/experiments/${seg(exp)}` : ""}/prompts/${seg(this.name)}`;
  }
  private get mode(): "preview" | "compare" {
    return this.query.get("mode") === "compare" && (this.data?.versions.length ?? 0) > 1 ? "compare" : "preview";
  }
  /** The selected version: the URL's, or the newest. */
  private get selected(): PromptVersionView | undefined {
    const versions = this.data?.versions ?? [];
    const wanted = this.query.get("promptVersion");
    return versions.find((v) => v.version === wanted) ?? versions[0];
  }
  /** The version the selected one is compared with: the URL's, or the one before it. */
  private get compared(): PromptVersionView | undefined {
    const versions = this.data?.versions ?? [];
    const selected = this.selected;
    if (!selected) return undefined;
    const wanted = this.query.get("comparedVersion");
    const found = versions.find((v) => v.version === wanted && v.version !== selected.version);
    const fallback = defaultComparedVersion(
      versions.map((v) => v.version),
      selected.version,
    );
    return found ?? versions.find((v) => v.version === fallback);
  }

  override willUpdate(changed: PropertyValues<this>) {
    if (changed.has("params") && this.loading !== this.name) void this.load();
  }

  private async load() {
    const seq = ++this.seq;
    const name = this.name;
    this.loading = name;
    this.data = undefined;
    this.error = undefined;
    try {
      const prompt = await client.getRegisteredModel(name);
      const byVersion = aliasesByVersion(prompt.aliases);
      const all: ModelVersion[] = [];
      let token: string | undefined;
      for (let i = 0; i < MAX_PAGES; i++) {
        const page = await client.searchModelVersions({
          filterString: versionSearchFilter(name, isPrompt(prompt)),
          orderBy: ["version_number DESC"],
          maxResults: PAGE,
          pageToken: token,
        });
        all.push(...page.items);
        token = page.nextPageToken || undefined;
        if (!token) break;
      }
      if (seq !== this.seq) return;
      const versions = all.map((mv) => readPromptVersion(mv, byVersion[String(mv.version)] ?? []));
      this.data = { name, prompt, versions };
      const ids = [
        ...new Set([...promptExperimentIds(prompt), ...(this.params.experimentId ? [this.params.experimentId] : [])]),
      ];
      void experimentNames(ids).then((names) => {
        if (seq === this.seq) this.names = names;
      });
    } catch (e) {
      if (seq === this.seq) this.error = e;
    }
  }

  /** Writes the view into the URL (replacing the entry: choosing versions is not navigation). */
  private setView(changes: Record<string, string | undefined>) {
    const next = {
      promptVersion: this.query.get("promptVersion") ?? undefined,
      mode: this.query.get("mode") ?? undefined,
      comparedVersion: this.query.get("comparedVersion") ?? undefined,
      ...changes,
    };
    navigate(this.base, next, true);
  }

  private selectVersion(version: string) {
    // Picking the version being compared with swaps the two, so the pair stays a pair.
    const compared = this.compared?.version;
    const changes: Record<string, string | undefined> = { promptVersion: version };
    if (this.mode === "compare" && version === compared) changes.comparedVersion = this.selected?.version;
    this.setView(changes);
  }

  /** ↑/↓ on a version's link selects the version above or below (and keeps the focus on its link). */
  private onVersionsKey = async (e: KeyboardEvent) => {
    if (e.key !== "ArrowDown" && e.key !== "ArrowUp") return;
    const versions = this.data?.versions ?? [];
    const at = versions.findIndex((v) => v.version === this.selected?.version);
    const next = versions[at + (e.key === "ArrowDown" ? 1 : -1)];
    if (!next) return;
    e.preventDefault();
    this.selectVersion(next.version);
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(`.versions a[data-version="${next.version}"]`)?.focus();
  };

  private onVersionsChange = (e: CustomEvent<VersionsChange>) => {
    const { selected, compared } = e.detail;
    this.setView({
      ...(selected ? { promptVersion: selected } : {}),
      ...(compared ? { comparedVersion: compared } : {}),
    });
  };

  private renderVersions(versions: PromptVersionView[]) {
    const selected = this.selected?.version;
    const compared = this.mode === "compare" ? this.compared?.version : undefined;
    return html`<section class="versions">
      <h2>Versions <span class="muted">(${versions.length})</span></h2>
      <table aria-label="Versions" @keydown=${this.onVersionsKey}>
        <colgroup><col style="width:110px" /><col style="width:28%" /><col /><col style="width:84px" /></colgroup>
        <thead><tr><th>Version</th><th>Aliases</th><th title="Commit message">Message</th><th>Created</th></tr></thead>
        <tbody>
          ${versions.map(
            (v) => html`<tr
              aria-selected=${v.version === selected ? "true" : "false"}
              class=${v.version === compared ? "compared" : ""}
            >
              <td>
                <a
                  data-version=${v.version}
                  href=${href(this.base, { ...Object.fromEntries(this.query), promptVersion: v.version })}
                  @click=${(e: Event) => {
                    e.preventDefault();
                    this.selectVersion(v.version);
                  }}
                >Version ${v.version}</a>
                ${v.version === compared ? html`<span class="mark" title="Compared with">base</span>` : nothing}
              </td>
              <td class="chips">${v.aliases.map((a) => html`<span class="chip alias">@${a}</span>`)}</td>
              <td class="message">${v.commitMessage || html`<span class="muted">—</span>`}</td>
              <td><tl-time .ms=${v.created}></tl-time></td>
            </tr>`,
          )}
        </tbody>
      </table>
    </section>`;
  }

  private renderPanel() {
    const selected = this.selected;
    if (!selected) return html`<p class="muted">This prompt has no versions.</p>`;
    const compared = this.compared;
    const mode = this.mode;
    const canCompare = (this.data?.versions.length ?? 0) > 1;
    return html`<section class="panel">
      <div class="panel-head">
        <h2>Version ${selected.version}</h2>
        ${selected.aliases.map((a) => html`<span class="chip alias">@${a}</span>`)}
        <span class="spacer"></span>
        <div class="modes" role="group" aria-label="View">
          <button aria-pressed=${mode === "preview" ? "true" : "false"} @click=${() => this.setView({ mode: undefined })}>
            Preview
          </button>
          <button
            aria-pressed=${mode === "compare" ? "true" : "false"}
            ?disabled=${!canCompare}
            title=${canCompare ? "Compare two versions" : "Only one version: nothing to compare"}
            @click=${() => this.setView({ mode: "compare", comparedVersion: compared?.version })}
          >
            Compare
          </button>
        </div>
      </div>
      ${
        mode === "compare" && compared
          ? html`<tl-prompt-compare
              .versions=${this.data?.versions ?? []}
              .selected=${selected}
              .compared=${compared}
              @versions-change=${this.onVersionsChange}
            ></tl-prompt-compare>`
          : html`<tl-prompt-version .version=${selected} .uri=${`prompts:/${this.name}/${selected.version}`}></tl-prompt-version>`
      }
    </section>`;
  }

  override render() {
    const exp = this.params.experimentId;
    const list = exp ? `/experiments/${seg(exp)}/prompts` : "/prompts";
    const crumbs = html`<div class="crumbs">
      ${exp ? html`<a href=${href(`/experiments/${seg(exp)}`)}>${this.names[exp] ?? `Experiment ${exp}`}</a> › ` : nothing}
      <a href=${href(list)}>Prompts</a> ›
    </div>`;
    if (this.error) {
      return html`${crumbs}<h1>${this.name}</h1><tl-error .error=${this.error} @retry=${() => this.load()}></tl-error>`;
    }
    if (!this.data)
      return html`${crumbs}<h1>${this.name}</h1><tl-skeleton .rows=${6} label="Loading prompt"></tl-skeleton>`;
    const { prompt, versions } = this.data;
    const tags = userTags(prompt);
    const experiments = promptExperimentIds(prompt);
    return html`
      ${crumbs}
      <div class="head"><h1>${prompt.name}</h1></div>
      <div class="meta">
        <span class="muted">Created <tl-time .ms=${prompt.creation_timestamp}></tl-time></span>
        <span class="muted">Updated <tl-time .ms=${prompt.last_updated_timestamp}></tl-time></span>
        ${
          experiments.length
            ? html`<span class="experiments"><span class="muted">Experiments:</span>
              ${experiments.map((id) => html`<a href=${href(`/experiments/${seg(id)}`)}>${this.names[id] ?? id}</a> `)}</span>`
            : nothing
        }
        <span class="prompt-tags">${tags.map((t) => html`<span class="chip">${t.key}: ${t.value}</span>`)}</span>
        ${isPrompt(prompt) ? nothing : html`<span class="muted">(a registered model, not a prompt)</span>`}
      </div>
      <div class="layout">
        ${this.renderVersions(versions)}
        ${this.renderPanel()}
      </div>
    `;
  }
}
customElements.define("tl-prompt-page", TlPromptPage);
