import type { LoggedModel, ModelVersion } from "@tracklite/schemas";
import { css, html, LitElement, nothing, type PropertyValues } from "lit";
import { client } from "../api.js";
import "../components/copy.js";
import "../components/error.js";
import "../components/pill.js";
import "../components/skeleton.js";
import "../components/time.js";
import { formatNumber } from "../lib/format.js";
import { MODEL_VERSIONS_TAG } from "../registry/logged-model-tag.js";
import { loadLoggedModelVersions } from "../registry/logged-model-versions.js";
import { href, seg } from "../router.js";
import { shared } from "../styles.js";

type Slot<T> = { value?: T; error?: unknown };

/** Tags shown: the user's first, then MLflow's own (`mlflow.*`); the registrations tag is shown as versions instead. */
function shownTags(m: LoggedModel): { key: string; value: string }[] {
  const sys = (k: string) => (k.startsWith("mlflow.") ? 1 : 0);
  return (m.info.tags ?? [])
    .filter((t) => t.key !== MODEL_VERSIONS_TAG)
    .sort((a, b) => sys(a.key) - sys(b.key) || a.key.localeCompare(b.key));
}

/**
 * `#/experiments/:experimentId/models/:loggedModelId` (the path MLflow's UI uses): one logged model of MLflow 3 — its
 * status, type, source run, files, the registered versions made from it (with aliases), its metrics (with the dataset
 * each was computed on), params and tags.
 */
export class TlLoggedModelPage extends LitElement {
  static override properties = {
    params: { attribute: false },
    query: { attribute: false },
    model: { state: true },
    versions: { state: true },
    experimentName: { state: true },
    runName: { state: true },
  };
  declare params: Record<string, string>;
  declare query: URLSearchParams;
  declare model: Slot<LoggedModel>;
  declare versions: Slot<ModelVersion[]>;
  declare experimentName: string | undefined;
  /** The source run's name, once read. */
  declare runName: string | undefined;
  private seq = 0;

  static override styles = [
    shared,
    css`
      :host { display: block; }
      .crumbs { font-size: 12.5px; color: var(--tl-muted); margin-bottom: 4px; display: flex; gap: 6px; flex-wrap: wrap; }
      .crumbs a { color: var(--tl-muted); }
      .title { display: flex; align-items: center; gap: 10px; flex-wrap: wrap; margin-bottom: 10px; }
      .title h1 { margin: 0; overflow-wrap: anywhere; }
      .layout { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 24px; align-items: start; }
      @media (max-width: 1000px) { .layout { grid-template-columns: 1fr; } }
      dl { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 6px 16px; margin: 0 0 16px; }
      dt { color: var(--tl-muted); }
      dd { margin: 0; min-width: 0; overflow-wrap: anywhere; }
      section { margin-bottom: 20px; }
      section h2 { margin-top: 0; font-size: 15px; }
      .count { font-size: 12px; color: var(--tl-muted); font-weight: 400; }
      table { font-size: 12.5px; }
      td.v { font-family: var(--tl-mono); overflow-wrap: anywhere; }
      .chip {
        display: inline-block; border: 1px solid var(--tl-border); border-radius: 999px; padding: 0 6px; font-size: 11.5px;
        background: var(--tl-bg-alt); margin-right: 3px; font-family: var(--tl-mono);
      }
    `,
  ];

  constructor() {
    super();
    this.params = {};
    this.query = new URLSearchParams();
    this.model = {};
    this.versions = {};
    this.experimentName = undefined;
    this.runName = undefined;
  }

  private get modelId() {
    return this.params.loggedModelId ?? "";
  }
  private get experimentId() {
    return this.params.experimentId ?? "";
  }

  override willUpdate(changed: PropertyValues<this>) {
    const before = changed.get("params");
    if (changed.has("params") && before?.loggedModelId !== this.modelId) void this.load();
  }

  private load = async () => {
    const seq = ++this.seq;
    this.model = {};
    this.versions = {};
    this.runName = undefined;
    client.getExperiment(this.experimentId).then(
      (e) => {
        if (seq === this.seq) this.experimentName = e.name;
      },
      () => {},
    );
    try {
      const model = await client.getLoggedModel(this.modelId);
      if (seq !== this.seq) return;
      this.model = { value: model };
      const run = model.info.source_run_id;
      if (run) {
        client.getRun(run).then(
          (r) => {
            if (seq === this.seq) this.runName = r.info.run_name || undefined;
          },
          () => {},
        );
      }
      await this.loadVersions(seq);
    } catch (error) {
      if (seq === this.seq) this.model = { error };
    }
  };

  private async loadVersions(seq = this.seq) {
    const m = this.model.value;
    if (!m) return;
    this.versions = {};
    try {
      const value = await loadLoggedModelVersions(m);
      if (seq === this.seq) this.versions = { value };
    } catch (error) {
      if (seq === this.seq) this.versions = { error };
    }
  }

  private renderDetails(m: LoggedModel) {
    const i = m.info;
    const run = i.source_run_id;
    const files = run
      ? href(`/experiments/${seg(i.experiment_id)}/runs/${seg(run)}`, { tab: "artifacts", src: i.model_id })
      : undefined;
    return html`<dl>
      <dt>Model ID</dt><dd><tl-copy .value=${i.model_id} .short=${0}></tl-copy></dd>
      <dt>Status</dt><dd><tl-pill .status=${i.status}></tl-pill>${i.status_message ? html` <span class="muted">${i.status_message}</span>` : nothing}</dd>
      <dt>Type</dt><dd>${i.model_type || html`<span class="muted">—</span>`}</dd>
      <dt>Source run</dt><dd>${
        run
          ? html`<a href=${href(`/experiments/${seg(i.experiment_id)}/runs/${seg(run)}`)} title=${`Run ${run}`}>${this.runName ?? run.slice(0, 8)}</a>`
          : html`<span class="muted">—</span>`
      }</dd>
      <dt>Created</dt><dd><tl-time .ms=${i.creation_timestamp_ms}></tl-time></dd>
      <dt>Last modified</dt><dd><tl-time .ms=${i.last_updated_timestamp_ms}></tl-time></dd>
      <dt>Artifact location</dt><dd class="mono">${i.artifact_uri}</dd>
      <dt>Files</dt><dd>${files ? html`<a href=${files}>Browse the model's files</a>` : html`<span class="muted">—</span>`}</dd>
    </dl>`;
  }

  private renderVersions() {
    const v = this.versions;
    if (v.error !== undefined) return html`<tl-error .error=${v.error} @retry=${() => this.loadVersions()}></tl-error>`;
    if (!v.value) return html`<tl-skeleton .rows=${2} label="Loading registered versions"></tl-skeleton>`;
    if (v.value.length === 0) return html`<p class="muted">Not registered.</p>`;
    return html`<table aria-label="Registered versions">
      <thead><tr><th>Registered model</th><th>Version</th><th>Aliases</th><th>Stage</th><th>Created</th></tr></thead>
      <tbody>
        ${v.value.map(
          (mv) => html`<tr>
            <td><a href=${href(`/models/${seg(mv.name)}`)}>${mv.name}</a></td>
            <td><a href=${href(`/models/${seg(mv.name)}/versions/${seg(mv.version)}`)}>Version ${mv.version}</a></td>
            <td>${(mv.aliases ?? []).map((a) => html`<span class="chip">@${a}</span>`)}</td>
            <td>${mv.current_stage && mv.current_stage !== "None" ? mv.current_stage : html`<span class="muted">None</span>`}</td>
            <td><tl-time .ms=${mv.creation_timestamp}></tl-time></td>
          </tr>`,
        )}
      </tbody>
    </table>`;
  }

  private renderMetrics(m: LoggedModel) {
    const metrics = [...(m.data.metrics ?? [])].sort((a, b) => a.key.localeCompare(b.key) || a.step - b.step);
    if (metrics.length === 0) return html`<p class="muted">No metrics.</p>`;
    return html`<table aria-label="Metrics">
      <thead><tr><th>Metric</th><th class="num">Value</th><th class="num">Step</th><th>Dataset</th></tr></thead>
      <tbody>
        ${metrics.map(
          (x) => html`<tr>
            <td>${x.key}</td>
            <td class="num" title=${String(x.value)}>${formatNumber(x.value)}</td>
            <td class="num">${x.step}</td>
            <td>${x.dataset_name ? html`${x.dataset_name} <span class="muted mono">${(x.dataset_digest ?? "").slice(0, 8)}</span>` : html`<span class="muted">—</span>`}</td>
          </tr>`,
        )}
      </tbody>
    </table>`;
  }

  private renderPairs(label: string, pairs: { key: string; value: string }[]) {
    if (pairs.length === 0) return html`<p class="muted">No ${label.toLowerCase()}.</p>`;
    return html`<table aria-label=${label}>
      <thead><tr><th>Key</th><th>Value</th></tr></thead>
      <tbody>${pairs.map((p) => html`<tr><td>${p.key}</td><td class="v">${p.value}</td></tr>`)}</tbody>
    </table>`;
  }

  override render() {
    const exp = `/experiments/${seg(this.experimentId)}`;
    const crumbs = html`<nav class="crumbs" aria-label="Breadcrumb">
      <a href=${href(exp)}>${this.experimentName ?? `Experiment ${this.experimentId}`}</a> /
      <a href=${href(exp, { tab: "models" })}>Models</a> /
    </nav>`;
    const m = this.model;
    if (m.error !== undefined) {
      return html`${crumbs}<h1>${this.modelId}</h1><tl-error .error=${m.error} @retry=${this.load}></tl-error>`;
    }
    if (!m.value)
      return html`${crumbs}<h1>${this.modelId}</h1><tl-skeleton .rows=${6} label="Loading logged model"></tl-skeleton>`;
    const lm = m.value;
    const params = [...(lm.data.params ?? [])].sort((a, b) => a.key.localeCompare(b.key));
    const tags = shownTags(lm);
    return html`${crumbs}
      <div class="title"><h1>${lm.info.name}</h1><tl-pill .status=${lm.info.status}></tl-pill></div>
      <div class="layout">
        <div>
          <section><h2>Details</h2>${this.renderDetails(lm)}</section>
          <section>
            <h2>Registered versions ${this.versions.value ? html`<span class="count">${this.versions.value.length}</span>` : nothing}</h2>
            ${this.renderVersions()}
          </section>
          <section><h2>Tags <span class="count">${tags.length}</span></h2>${this.renderPairs("Tags", tags)}</section>
        </div>
        <div>
          <section><h2>Metrics <span class="count">${lm.data.metrics?.length ?? 0}</span></h2>${this.renderMetrics(lm)}</section>
          <section><h2>Parameters <span class="count">${params.length}</span></h2>${this.renderPairs("Parameters", params)}</section>
        </div>
      </div>`;
  }
}
customElements.define("tl-logged-model-page", TlLoggedModelPage);

declare global {
  interface HTMLElementTagNameMap {
    "tl-logged-model-page": TlLoggedModelPage;
  }
}
