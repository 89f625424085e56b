import type { LoggedModel, MetricSummary, ModelVersion, Run } from "@tracklite/schemas";
import { css, html, LitElement, nothing, type PropertyValues } from "lit";
import { client } from "../api.js";
import "../components/copy.js";
import "../components/description.js";
import "../components/error.js";
import "../components/pill.js";
import "../components/tag-editor.js";
import "../components/time.js";
import { formatDuration, formatTime } from "../lib/format.js";
import { href, seg } from "../router.js";
import { shared } from "../styles.js";
import "./metrics-table.js";
import "./params-table.js";
import { loadChildRuns, loadLoggedModels, loadRegisteredVersions, loadSummaries } from "./run-data.js";
import { datasetRows, runSummary, TAG } from "./run-info.js";

/** One async read of the overview: its value, or its error (shown in place, with a retry). */
type Slot<T> = { value?: T; error?: unknown };

/**
 * The run page's Overview tab: details (ids, times, user, source, git, parent and children, models), the editable
 * description and tags, datasets, and the params and metrics tables. Writes go straight to the server; `run-changed`
 * asks the page to re-read the run.
 */
export class TlRunOverview extends LitElement {
  static override properties = {
    run: { attribute: false },
    tick: { type: Number },
    experimentName: { attribute: false },
    parentName: { attribute: false },
    childRuns: { state: true },
    summaries: { state: true },
    models: { state: true },
    versions: { state: true },
    writeError: { state: true },
  };
  declare run: Run;
  /** Bumped by the page on each live refresh: summaries and children are read again. */
  declare tick: number;
  declare experimentName: string | undefined;
  declare parentName: string | undefined;
  declare childRuns: Slot<{ runs: Run[]; more: boolean }>;
  declare summaries: Slot<Map<string, MetricSummary>>;
  declare models: Slot<LoggedModel[]>;
  declare versions: Slot<ModelVersion[]>;
  declare writeError: { where: "description" | "tags"; error: unknown; retry: () => void } | undefined;

  static override styles = [
    shared,
    css`
      :host { display: block; }
      .top { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 16px 24px; }
      .pair { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 24px; margin-top: 16px; }
      @media (max-width: 1000px) { .top, .pair { grid-template-columns: minmax(0, 1fr); } }
      h2 { margin: 0 0 6px; }
      section + section { margin-top: 16px; }
      table.details { font-size: 13px; }
      table.details th { width: 9.5em; background: none; font-weight: 500; white-space: nowrap; }
      table.details td { overflow-wrap: anywhere; }
      table.details tr:last-child > * { border-bottom: 0; }
      .list { display: flex; flex-direction: column; gap: 2px; }
      .list .item { display: flex; gap: 6px; align-items: center; }
      table.data { font-size: 12px; }
      .note { font-size: 12px; }
      tl-error { margin: 4px 0; }
    `,
  ];

  constructor() {
    super();
    this.tick = 0;
    this.experimentName = undefined;
    this.parentName = undefined;
    this.childRuns = {};
    this.summaries = {};
    this.models = {};
    this.versions = {};
    this.writeError = undefined;
  }

  override willUpdate(changed: PropertyValues<this>) {
    const prev = changed.get("run") as Run | undefined;
    const newRun = changed.has("run") && prev?.info.run_id !== this.run?.info.run_id;
    if (!this.run) return;
    if (newRun) {
      this.childRuns = {};
      this.summaries = {};
      this.models = {};
      this.versions = {};
      this.writeError = undefined;
      void this.loadModels();
      void this.loadVersions();
    }
    if (newRun || changed.has("tick")) {
      void this.loadChildren();
      void this.loadSummaries();
    }
  }

  private async fill<K extends "childRuns" | "summaries" | "models" | "versions">(
    key: K,
    read: () => Promise<NonNullable<this[K]["value"]>>,
  ) {
    const runId = this.run.info.run_id;
    try {
      const value = await read();
      if (this.run.info.run_id === runId) (this as Record<K, Slot<unknown>>)[key] = { value };
    } catch (error) {
      if (this.run.info.run_id === runId) (this as Record<K, Slot<unknown>>)[key] = { error };
    }
  }

  private loadChildren = () => this.fill("childRuns", () => loadChildRuns(this.run));
  private loadSummaries = () => this.fill("summaries", () => loadSummaries(this.run.info.run_id));
  private loadModels = () => this.fill("models", () => loadLoggedModels(this.run));
  private loadVersions = () => this.fill("versions", () => loadRegisteredVersions(this.run.info.run_id));

  /** Runs a write; on failure shows the error under the tags with a retry, on success asks for a fresh run. */
  private async write(where: "description" | "tags", action: () => Promise<void>) {
    this.writeError = undefined;
    try {
      await action();
      this.dispatchEvent(new CustomEvent("run-changed", { bubbles: true, composed: true }));
    } catch (error) {
      this.writeError = { where, error, retry: () => void this.write(where, action) };
    }
  }

  private renderWriteError(where: "description" | "tags") {
    const w = this.writeError;
    return w?.where === where ? html`<tl-error .error=${w.error} @retry=${w.retry}></tl-error>` : nothing;
  }

  private runHref(runId: string, tab?: string) {
    return href(`/experiments/${seg(this.run.info.experiment_id)}/runs/${seg(runId)}`, { tab });
  }

  private slotError(slot: Slot<unknown>, retry: () => void) {
    return slot.error === undefined ? nothing : html`<tl-error .error=${slot.error} @retry=${retry}></tl-error>`;
  }

  /** A slot's items as a list: its error with Retry, "…" while loading, "None" when empty; `after` ends the list. */
  private slotList<T>(
    slot: Slot<unknown>,
    items: readonly T[] | undefined,
    retry: () => void,
    item: (x: T) => unknown,
    after: unknown = nothing,
  ) {
    if (slot.error !== undefined) return this.slotError(slot, retry);
    if (!items) return html`<span class="muted">…</span>`;
    if (items.length === 0) return html`<span class="muted">None</span>`;
    return html`<div class="list">
      ${items.map((x) => html`<span class="item">${item(x)}</span>`)}
      ${after}
    </div>`;
  }

  private renderChildren() {
    const c = this.childRuns;
    const filter = `tags.\`${TAG.parent}\` = '${this.run.info.run_id}'`;
    return this.slotList(
      c,
      c.value?.runs,
      this.loadChildren,
      (r) => html`<tl-pill .status=${r.info.status}></tl-pill>
        <a href=${this.runHref(r.info.run_id)}>${r.info.run_name || r.info.run_id}</a>`,
      c.value?.more
        ? html`<a href=${href(`/experiments/${seg(this.run.info.experiment_id)}`, { filter })}>All child runs…</a>`
        : nothing,
    );
  }

  private renderModels() {
    return this.slotList(
      this.models,
      this.models.value,
      this.loadModels,
      (lm) => html`<a href=${this.runHref(this.run.info.run_id, "models")}>${lm.info.name}</a>
        <tl-copy .value=${lm.info.model_id} .short=${10}></tl-copy>`,
    );
  }

  private renderVersions() {
    return this.slotList(
      this.versions,
      this.versions.value,
      this.loadVersions,
      (mv) =>
        html`<a href=${href(`/models/${seg(mv.name)}/versions/${seg(mv.version)}`)}>${mv.name} v${mv.version}</a>`,
    );
  }

  private renderDetails() {
    const s = runSummary(this.run);
    const row = (label: string, value: unknown) => html`<tr><th scope="row">${label}</th><td>${value}</td></tr>`;
    const time = (ms: number | undefined) =>
      ms
        ? html`${formatTime(ms)} <span class="muted">(<tl-time .ms=${ms}></tl-time>)</span>`
        : html`<span class="muted">—</span>`;
    const repo = /^https?:\/\//.test(s.gitRepo) ? s.gitRepo : "";
    return html`<section>
      <h2>Details</h2>
      <table class="details">
        ${row("Run ID", html`<tl-copy .value=${s.id} .short=${0}></tl-copy>`)}
        ${row("Status", html`<tl-pill .status=${s.status}></tl-pill>`)}
        ${row(
          "Experiment",
          html`<a href=${href(`/experiments/${seg(s.experimentId)}`)}>${this.experimentName ?? s.experimentId}</a>`,
        )}
        ${row("Started", time(s.start))} ${row("Ended", time(s.end))}
        ${row("Duration", formatDuration(s.duration) || html`<span class="muted">—</span>`)}
        ${row("User", s.user || html`<span class="muted">—</span>`)}
        ${row(
          "Source",
          s.source
            ? html`<span class="mono">${s.source}</span> ${s.sourceType ? html`<span class="muted">(${s.sourceType})</span>` : nothing}`
            : html`<span class="muted">—</span>`,
        )}
        ${s.gitBranch ? row("Git branch", html`<span class="mono">${s.gitBranch}</span>`) : nothing}
        ${row(
          "Git commit",
          s.gitCommit
            ? html`<tl-copy .value=${s.gitCommit} .short=${10}></tl-copy>
                ${repo ? html`<a href=${repo} target="_blank" rel="noopener noreferrer">${repo}</a>` : nothing}`
            : html`<span class="muted">—</span>`,
        )}
        ${row(
          "Parent run",
          s.parentId
            ? html`<a href=${this.runHref(s.parentId)}>${this.parentName ?? s.parentId}</a>`
            : html`<span class="muted">None</span>`,
        )}
        ${row("Child runs", this.renderChildren())} ${row("Logged models", this.renderModels())}
        ${row("Registered models", this.renderVersions())}
      </table>
    </section>`;
  }

  private renderDatasets() {
    const rows = datasetRows(this.run);
    return html`<section>
      <h2>Datasets <span class="muted">(${rows.length})</span></h2>
      ${
        rows.length === 0
          ? html`<p class="muted note">No datasets logged (mlflow.log_input).</p>`
          : html`<table class="data">
            <thead>
              <tr><th scope="col">Dataset</th><th scope="col">Digest</th><th scope="col">Source type</th><th scope="col">Context</th></tr>
            </thead>
            <tbody>
              ${rows.map(
                (d) => html`<tr>
                  <td>${d.name}</td>
                  <td class="mono">${d.digest}</td>
                  <td>${d.sourceType}</td>
                  <td>${d.context ? html`<span class="tag">${d.context}</span>` : nothing}</td>
                </tr>`,
              )}
            </tbody>
          </table>`
      }
    </section>`;
  }

  override render() {
    if (!this.run) return nothing;
    const s = runSummary(this.run);
    const runId = s.id;
    const chartHref = (key: string) => this.runHref(runId, key.startsWith("system/") ? "system" : "metrics");
    return html`<div class="top">
        ${this.renderDetails()}
        <div>
          <section>
            <h2>Description</h2>
            <tl-description
              .value=${s.note}
              editable
              placeholder="No description. Add notes in markdown."
              @save=${(e: CustomEvent<string>) => this.write("description", () => client.setTag(runId, TAG.note, e.detail))}
            ></tl-description>
            ${this.renderWriteError("description")}
          </section>
          <section>
            <h2>Tags</h2>
            <tl-tag-editor
              .tags=${s.tags}
              editable
              @tag-set=${(e: CustomEvent<{ key: string; value: string }>) =>
                this.write("tags", () => client.setTag(runId, e.detail.key, e.detail.value))}
              @tag-delete=${(e: CustomEvent<{ key: string }>) => this.write("tags", () => client.deleteTag(runId, e.detail.key))}
            ></tl-tag-editor>
            ${this.renderWriteError("tags")}
          </section>
          ${this.renderDatasets()}
        </div>
      </div>
      <div class="pair">
        <tl-params-table .params=${this.run.data.params ?? []}></tl-params-table>
        <div>
          <tl-metrics-table
            .metrics=${this.run.data.metrics ?? []}
            .summaries=${this.summaries.value}
            .chartHref=${chartHref}
          ></tl-metrics-table>
          ${this.slotError(this.summaries, this.loadSummaries)}
        </div>
      </div>`;
  }
}
customElements.define("tl-run-overview", TlRunOverview);
