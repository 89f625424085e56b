import type { LoggedModel, Run } from "@tracklite/schemas";
import { css, html, LitElement, nothing, type PropertyValues } from "lit";
import { keyed } from "lit/directives/keyed.js";
import { client } from "../api.js";
import "../artifacts/artifact-browser.js";
import { type ArtifactRoot, modelRoot, runRoot } from "../artifacts/sources.js";
import {
  type ImageGridView,
  LOGGED_IMAGES_TAG,
  readImageGridView,
  writeImageGridView,
} from "../charts/image-grid-view.js";
import { type ChartSettings, readChartSettings, writeChartSettings } from "../charts/settings.js";
import "../components/copy.js";
import "../components/error.js";
import "../components/pill.js";
import "../components/skeleton.js";
import "../components/tabs.js";
import { formatDuration, runColor, tagRecord } from "../lib/format.js";
import { href, navigate, seg } from "../router.js";
import { LiveRefresh } from "../run/live-refresh.js";
import "../run/run-charts.js";
import { loadLoggedModels } from "../run/run-data.js";
import { runSummary, splitMetricKeys } from "../run/run-info.js";
import "../run/run-models.js";
import "../run/run-overview.js";
import { shared } from "../styles.js";
import { readTracesView, type TracesViewState, writeTracesView } from "../traces/traces-view-state.js";

const TAB_IDS = ["overview", "metrics", "system", "images", "traces", "artifacts", "models"] as const;
type TabId = (typeof TAB_IDS)[number];

/** How often a running run is read again (only while the browser tab is visible). */
const LIVE_MS = 4000;

/**
 * The run page `#/experiments/:experimentId/runs/:runId?tab=…`: a header (name, status, duration, breadcrumb to the
 * experiment and parent run) and the tabs Overview | Metrics | System | Images (when the run logged images with
 * `log_image(key=…)`) | Traces | Artifacts | Models. A running run refreshes
 * itself every few seconds.
 */
export class TlRunPage extends LitElement {
  static override properties = {
    params: { attribute: false },
    query: { attribute: false },
    run: { state: true },
    error: { state: true },
    experimentName: { state: true },
    parentName: { state: true },
    tick: { state: true },
    models: { state: true },
  };
  declare params: Record<string, string>;
  declare query: URLSearchParams;
  declare run: Run | undefined;
  declare error: unknown;
  declare experimentName: string | undefined;
  declare parentName: string | undefined;
  /** Bumped after each live refresh (and after writes), so tabs read their data again. */
  declare tick: number;
  /** The run's logged models, for the artifact tree's extra roots (read when Artifacts opens). */
  declare models: { runId: string; list?: LoggedModel[]; error?: unknown } | undefined;
  private rootsCache: { key: string; roots: ArtifactRoot[] } | undefined;
  private seq = 0;

  static override styles = [
    shared,
    css`
      :host { display: block; }
      .crumbs { font-size: 12.5px; color: var(--tl-muted); margin-bottom: 4px; display: flex; gap: 6px; flex-wrap: wrap; }
      .crumbs a { color: var(--tl-muted); }
      .crumbs a:hover { color: var(--tl-accent); }
      .title { display: flex; align-items: center; gap: 10px; flex-wrap: wrap; margin-bottom: 10px; }
      .title h1 { margin: 0; overflow-wrap: anywhere; }
      .facts { display: flex; align-items: center; gap: 12px; color: var(--tl-muted); font-size: 13px; flex-wrap: wrap; }
      .live { color: var(--tl-accent); font-size: 12px; display: inline-flex; align-items: center; gap: 4px; }
      .live::before {
        content: ""; width: 7px; height: 7px; border-radius: 50%; background: currentColor;
        animation: pulse 1.6s ease-in-out infinite;
      }
      @keyframes pulse { 50% { opacity: 0.3; } }
      @media (prefers-reduced-motion: reduce) { .live::before { animation: none; } }
      .deleted { color: var(--tl-danger); border-color: var(--tl-danger); }
      tl-tabs { margin-bottom: 12px; }
      .traces { display: flex; flex-direction: column; height: calc(100vh - 200px); min-height: 360px; }
    `,
  ];

  constructor() {
    super();
    this.params = {};
    this.query = new URLSearchParams();
    this.run = undefined;
    this.error = undefined;
    this.experimentName = undefined;
    this.parentName = undefined;
    this.tick = 0;
    this.models = undefined;
    new LiveRefresh(
      this,
      () => this.run?.info.status === "RUNNING",
      () => this.refresh(),
      LIVE_MS,
    );
  }

  private get runId() {
    return this.params.runId ?? "";
  }

  private get tab(): TabId {
    const t = this.query.get("tab");
    return TAB_IDS.find((id) => id === t) ?? "overview";
  }

  override willUpdate(changed: PropertyValues<this>) {
    if (changed.has("params") && (changed.get("params") as Record<string, string> | undefined)?.runId !== this.runId) {
      this.run = undefined;
      this.error = undefined;
      this.experimentName = undefined;
      this.parentName = undefined;
      this.models = undefined;
      void this.load();
    }
    if (this.tab === "artifacts" && this.run && this.models?.runId !== this.runId) void this.loadModels();
  }

  /** Reads the run, then the names the breadcrumb shows. */
  private async load() {
    const seq = ++this.seq;
    this.error = undefined;
    try {
      const run = await client.getRun(this.runId);
      if (seq !== this.seq) return;
      this.run = run;
      document.title = `${runSummary(run).name} · tracklite`;
      void this.loadNames(run, seq);
    } catch (error) {
      if (seq === this.seq) this.error = error;
    }
  }

  /** The experiment's and the parent run's names; the ids stand in when they cannot be read. */
  private async loadNames(run: Run, seq: number) {
    const parentId = runSummary(run).parentId;
    const [exp, parent] = await Promise.allSettled([
      client.getExperiment(run.info.experiment_id),
      parentId ? client.getRun(parentId) : Promise.resolve(undefined),
    ]);
    if (seq !== this.seq) return;
    if (exp.status === "fulfilled") this.experimentName = exp.value.name;
    if (parent.status === "fulfilled" && parent.value) this.parentName = runSummary(parent.value).name;
  }

  private async loadModels() {
    const run = this.run;
    if (!run) return;
    this.models = { runId: run.info.run_id };
    try {
      const list = await loadLoggedModels(run);
      if (this.run?.info.run_id === run.info.run_id) this.models = { runId: run.info.run_id, list };
    } catch (error) {
      if (this.run?.info.run_id === run.info.run_id) this.models = { runId: run.info.run_id, error };
    }
  }

  /** The live refresh and the answer to writes: the run again, and a new tick for the tabs. */
  private async refresh() {
    const seq = this.seq;
    try {
      const run = await client.getRun(this.runId);
      if (seq !== this.seq) return;
      this.run = run;
      this.error = undefined;
      this.tick++;
    } catch (error) {
      if (seq === this.seq) this.error = error;
    }
  }

  private setQuery(changes: Record<string, string | undefined>, replace = true) {
    const q = new URLSearchParams(this.query);
    for (const [k, v] of Object.entries(changes)) {
      if (v === undefined || v === "") q.delete(k);
      else q.set(k, v);
    }
    navigate(this.path(), q, replace);
  }

  private path() {
    return `/experiments/${seg(this.params.experimentId ?? "")}/runs/${seg(this.runId)}`;
  }

  private onTab(e: CustomEvent<string>) {
    // A tab is a view worth going back to: push a history entry.
    this.setQuery({ tab: e.detail === "overview" ? undefined : e.detail }, false);
  }

  private onSettings(e: CustomEvent<ChartSettings>) {
    navigate(this.path(), writeChartSettings(new URLSearchParams(this.query), e.detail), true);
  }

  private roots(run: Run): ArtifactRoot[] {
    const list = this.models?.runId === run.info.run_id ? (this.models.list ?? []) : [];
    const key = [run.info.run_id, ...list.map((m) => m.info.model_id)].join(",");
    if (this.rootsCache?.key !== key) {
      this.rootsCache = { key, roots: [runRoot(run), ...list.map((m) => modelRoot(m, run.info.run_id))] };
    }
    return this.rootsCache.roots;
  }

  private renderHeader(run: Run) {
    const s = runSummary(run);
    const expHref = href(`/experiments/${seg(s.experimentId)}`);
    return html`<nav class="crumbs" aria-label="Breadcrumb">
        <a href="#/experiments">Experiments</a><span aria-hidden="true">/</span>
        <a href=${expHref}>${this.experimentName ?? `Experiment ${s.experimentId}`}</a>
        ${
          s.parentId
            ? html`<span aria-hidden="true">/</span>
              <a href=${href(`/experiments/${seg(s.experimentId)}/runs/${seg(s.parentId)}`)} title="Parent run">
                ${this.parentName ?? s.parentId.slice(0, 8)}
              </a>`
            : nothing
        }
      </nav>
      <div class="title">
        <h1>${s.name}</h1>
        <tl-pill .status=${s.status}></tl-pill>
        ${run.info.lifecycle_stage === "deleted" ? html`<span class="tag deleted">Deleted</span>` : nothing}
        <span class="facts">
          ${s.duration !== undefined ? html`<span title="Duration">Duration ${formatDuration(s.duration)}</span>` : nothing}
          <tl-copy .value=${s.id}></tl-copy>
          ${s.status === "RUNNING" ? html`<span class="live" title="Refreshing every ${LIVE_MS / 1000} s">Live</span>` : nothing}
        </span>
      </div>`;
  }

  private renderTab(run: Run) {
    const keys = splitMetricKeys((run.data.metrics ?? []).map((m) => m.key));
    const name = runSummary(run).name;
    switch (this.tab) {
      case "metrics":
      case "system": {
        const system = this.tab === "system";
        return html`<tl-run-charts
          .runId=${run.info.run_id}
          .runName=${name}
          .keys=${system ? keys.system : keys.model}
          .settings=${readChartSettings(this.query)}
          .tick=${this.tick}
          .emptyText=${
            system
              ? "No system metrics. Log them with mlflow.enable_system_metrics_logging() or log_system_metrics=True."
              : "No model metrics logged."
          }
          @settings-change=${this.onSettings}
        ></tl-run-charts>`;
      }
      case "artifacts":
        return html`${
          this.models?.error
            ? html`<tl-error .error=${this.models.error} @retry=${() => this.loadModels()}></tl-error>`
            : nothing
        }
        ${
          this.query.get("src") && !this.models?.list && !this.models?.error
            ? html`<tl-skeleton .rows=${6} label="Loading logged models"></tl-skeleton>`
            : keyed(
                run.info.run_id,
                html`<tl-artifact-browser
                  .roots=${this.roots(run)}
                  .src=${this.query.get("src") ?? ""}
                  .path=${this.query.get("path") ?? ""}
                  .basePath=${this.path()}
                  .query=${this.query}
                  @model-registered=${() => this.tick++}
                ></tl-artifact-browser>`,
              )
        }`;
      case "traces":
        // The traces UI is its own chunk, loaded when the tab first opens.
        void import("../traces/traces-view.js");
        return html`<div class="traces">
          <tl-traces-view .experimentId=${run.info.experiment_id} .runId=${run.info.run_id}
            .view=${readTracesView(this.query)} .linkQuery=${{ from: `run:${run.info.run_id}` }}
            @traces-view-change=${(e: CustomEvent<TracesViewState>) =>
              navigate(this.path(), writeTracesView(new URLSearchParams(this.query), e.detail), true)}
          ></tl-traces-view>
        </div>`;
      case "images":
        // The image grid is its own chunk, loaded when the tab first opens.
        void import("../charts/image-grid-panel.js");
        return html`<tl-image-grid-panel .runs=${[{ runId: run.info.run_id, name, color: runColor(run.info.run_id) }]}
          .view=${readImageGridView(this.query)} .tick=${this.tick}
          .defaultMode=${tagRecord(run.data.tags)[LOGGED_IMAGES_TAG] ? "logged" : "artifacts"}
          @image-view-change=${(e: CustomEvent<ImageGridView>) =>
            navigate(this.path(), writeImageGridView(new URLSearchParams(this.query), e.detail), true)}
        ></tl-image-grid-panel>`;
      case "models":
        return html`<tl-run-models .run=${run} .tick=${this.tick}></tl-run-models>`;
      default:
        return html`<tl-run-overview
          .run=${run}
          .tick=${this.tick}
          .experimentName=${this.experimentName}
          .parentName=${this.parentName}
          @run-changed=${() => this.refresh()}
        ></tl-run-overview>`;
    }
  }

  override render() {
    const run = this.run;
    if (!run) {
      return this.error
        ? html`<h1>Run</h1><tl-error .error=${this.error} @retry=${() => this.load()}></tl-error>`
        : html`<tl-skeleton .rows=${8} label="Loading the run"></tl-skeleton>`;
    }
    const keys = splitMetricKeys((run.data.metrics ?? []).map((m) => m.key));
    const tabs = [
      { id: "overview", label: "Overview" },
      { id: "metrics", label: "Metrics", count: keys.model.length },
      { id: "system", label: "System", count: keys.system.length },
      // Images logged with log_image(key=…) (the run has MLflow's tag), or asked for by the URL.
      ...(tagRecord(run.data.tags)[LOGGED_IMAGES_TAG] || this.tab === "images"
        ? [{ id: "images", label: "Images" }]
        : []),
      { id: "traces", label: "Traces" },
      { id: "artifacts", label: "Artifacts" },
      { id: "models", label: "Models" },
    ];
    return html`${this.renderHeader(run)}
      ${this.error ? html`<tl-error .error=${this.error} @retry=${() => this.refresh()}></tl-error>` : nothing}
      <tl-tabs .tabs=${tabs} .active=${this.tab} @tab-change=${this.onTab}></tl-tabs>
      <div role="tabpanel" aria-label=${tabs.find((t) => t.id === this.tab)?.label ?? ""}>${this.renderTab(run)}</div>`;
  }
}
customElements.define("tl-run-page", TlRunPage);
