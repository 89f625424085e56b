import type { Experiment } from "@tracklite/schemas";
import { css, html, LitElement, nothing, type PropertyValues } from "lit";
import "../components/copy.js";
import "../components/description.js";
import "../components/error.js";
import "../components/skeleton.js";
import "../components/tabs.js";
import "../components/tag-editor.js";
import "../runs/datasets-tab.js";
import "../runs/models-tab.js";
import "../runs/runs-charts.js";
import "../runs/runs-view.js";
import { client } from "../api.js";
import type { ChartRun } from "../charts/metric-chart.js";
import type { ChartSettings } from "../charts/settings.js";
import { describeError } from "../components/error.js";
import { toast } from "../components/toast.js";
import { GENAI_TABS, genaiTabPath } from "../genai/genai-tabs.js";
import { runColor, tagRecord, withTag } from "../lib/format.js";
import { runColors } from "../lib/run-colors.js";
import { href, navigate } from "../router.js";
import { chartRunIds, metricKeysOf } from "../runs/chart-runs.js";
import type { RunRow } from "../runs/run-fields.js";
import { buildRows, type DisplayRow } from "../runs/run-tree.js";
import { RunsData } from "../runs/runs-data.js";
import { orderByClause, parseViewState, serializeViewState, type Tab, type ViewState } from "../runs/view-state.js";
import { shared } from "../styles.js";

const NOTE_TAG = "mlflow.note.content";
const TABS: { id: Tab; label: string }[] = [
  { id: "runs", label: "Runs" },
  { id: "charts", label: "Charts" },
  { id: "traces", label: "Traces" },
  { id: "models", label: "Models" },
  { id: "datasets", label: "Datasets" },
];
/** GenAI tabs (issue 15, genai-ui): they open their own routes (MLflow's paths), see `genai/genai-tabs.ts`. */
const ALL_TABS = [...TABS, ...GENAI_TABS];

/**
 * `#/experiments/:experimentId`: the experiment's header (name, id, description, tags) and its tabs Runs | Charts |
 * Traces | Models | Datasets. The whole view (filter, sort, columns, selection, pins, chart settings, tab) is the URL query
 * (`runs/view-state.ts`); the runs are held by one {@link RunsData} shared by the tabs.
 */
export class TlExperimentPage extends LitElement {
  static override properties = {
    params: { attribute: false },
    query: { attribute: false },
    experiment: { state: true },
    expError: { state: true },
  };
  declare params: Record<string, string>;
  declare query: URLSearchParams;
  declare experiment: Experiment | undefined;
  declare expError: unknown;

  private data = new RunsData(this);
  private view: ViewState = parseViewState(new URLSearchParams());
  private rows: DisplayRow[] = [];
  private rowsKey = "";
  private chartRuns: ChartRun[] = [];
  private chartKeys: string[] = [];
  private chartNote = "";
  private chartKey = "";
  /** chart-scale: the chart runs and table rows the run colours were assigned for. */
  private colorKey = "";
  private loadedId = "";

  static override styles = [
    shared,
    css`
      :host { display: flex; flex-direction: column; height: calc(100vh - 76px); min-height: 480px; }
      header { margin-bottom: 8px; }
      .crumbs { font-size: 12.5px; color: var(--tl-muted); margin-bottom: 2px; }
      .title { display: flex; align-items: center; gap: 10px; flex-wrap: wrap; }
      .title h1 { margin: 0; }
      .badge { font-size: 12px; color: var(--tl-danger); border: 1px solid currentColor; border-radius: 999px; padding: 0 8px; }
      /* Tags (chips, then "+ Add tag") in a row of their own under the title, left-aligned like the description. */
      .meta { display: flex; flex-direction: column; gap: 4px; margin-top: 6px; align-items: stretch; }
      .meta .tags { display: flex; gap: 8px; align-items: baseline; min-width: 0; }
      .meta .tags .label { font-size: 12px; color: var(--tl-muted); flex: none; }
      .meta tl-tag-editor { flex: 1; min-width: 0; }
      .meta tl-description { max-height: 140px; overflow: auto; font-size: 13px; }
      tl-tabs { margin-bottom: 8px; }
      .panel { flex: 1; min-height: 0; display: flex; flex-direction: column; }
      .panel.scroll { overflow: auto; display: block; }
      tl-runs-view { flex: 1; min-height: 0; }
    `,
  ];

  constructor() {
    super();
    this.params = {};
    this.query = new URLSearchParams();
    this.experiment = undefined;
    this.expError = undefined;
  }

  private get experimentId(): string {
    return this.params.experimentId ?? "";
  }

  override willUpdate(changed: PropertyValues<this>) {
    if (changed.has("query") || changed.has("params")) this.view = parseViewState(this.query);
    if (this.experimentId && this.experimentId !== this.loadedId) {
      this.loadedId = this.experimentId;
      this.experiment = undefined;
      void this.loadExperiment();
    }
    if (this.experimentId) {
      this.data.setQuery({
        experimentId: this.experimentId,
        filter: this.view.filter,
        orderBy: orderByClause(this.view.sort),
        lifecycle: this.view.lifecycle,
        pageSize: this.view.pageSize,
      });
      this.data.setPinned(this.view.pinned);
    }
    this.derive();
  }

  /** Table rows and chart runs, recomputed only when what they depend on changed. */
  private derive() {
    const v = this.view;
    const d = this.data;
    const rowsKey = `${d.version}|${v.pinned}|${v.expanded}`;
    if (rowsKey !== this.rowsKey) {
      this.rowsKey = rowsKey;
      const pinnedExtra = d.extra.filter((r) => v.pinned.includes(r.id));
      const have = new Set(d.rows.map((r) => r.id));
      this.rows = buildRows([...d.rows, ...pinnedExtra.filter((r) => !have.has(r.id))], {
        pinned: v.pinned,
        expanded: new Set(v.expanded),
      });
    }
    const ids = chartRunIds(
      this.rows.map((r) => r.row.id),
      v.selected,
      new Set(v.hidden),
    );
    const byId = new Map(this.rows.map((r) => [r.row.id, r.row]));
    const chartRows = ids.map((id) => byId.get(id)).filter((r): r is RunRow => !!r);
    const keys = metricKeysOf(chartRows);
    const chartKey = `${chartRows.map((r) => `${r.id}:${r.name}`).join(",")}|${keys.join(",")}`;
    // chart-scale: the charted runs get distinct colours, the rest of the table keeps theirs (see lib/run-colors.ts).
    const colorKey = `${chartKey}|${this.rowsKey}`;
    if (colorKey !== this.colorKey) {
      this.colorKey = colorKey;
      runColors.assign(
        chartRows.map((r) => r.id),
        this.rows.map((r) => r.row.id),
      );
    }
    if (chartKey !== this.chartKey) {
      this.chartKey = chartKey;
      this.chartRuns = chartRows.map((r) => ({ runId: r.id, name: r.name, color: runColor(r.id) }));
      this.chartKeys = keys;
    }
    const hidden = v.hidden.length ? ` · ${v.hidden.length} hidden with the eye icon` : "";
    this.chartNote = v.selected.length
      ? `Charting the ${this.chartRuns.length} selected run${this.chartRuns.length === 1 ? "" : "s"}${hidden}.`
      : `Charting the first ${this.chartRuns.length} runs of the table; select runs to chart others${hidden}.`;
  }

  private async loadExperiment() {
    const id = this.experimentId;
    this.expError = undefined;
    try {
      const exp = await client.getExperiment(id);
      if (id !== this.experimentId) return;
      this.experiment = exp;
      document.title = `${exp.name} · tracklite`;
    } catch (e) {
      if (id === this.experimentId) this.expError = e;
    }
  }

  /** Writes a view change into the URL (replacing the history entry); the page re-reads it from there. */
  private setView(patch: Partial<ViewState>) {
    const next = { ...this.view, ...patch };
    navigate(`/experiments/${encodeURIComponent(this.experimentId)}`, serializeViewState(next), true);
  }

  private async setTag(key: string, value: string | undefined) {
    const id = this.experimentId;
    try {
      if (value === undefined) await client.deleteExperimentTag(id, key);
      else await client.setExperimentTag(id, key, value);
      const tags = withTag(this.experiment?.tags, key, value);
      if (this.experiment) this.experiment = { ...this.experiment, tags };
    } catch (e) {
      const { code, message } = describeError(e);
      toast(`Could not save ${key === NOTE_TAG ? "the description" : `tag ${key}`}: ${code}: ${message}`, "error");
    }
  }

  private renderHeader() {
    const exp = this.experiment;
    if (this.expError) {
      return html`<header><p class="crumbs"><a href="#/experiments">Experiments</a></p>
        <tl-error .error=${this.expError} @retry=${() => this.loadExperiment()}></tl-error></header>`;
    }
    const tags = tagRecord(exp?.tags);
    const folder = exp?.name.includes("/") ? exp.name.slice(0, exp.name.lastIndexOf("/") + 1) : "";
    return html`<header>
      <div class="crumbs"><a href="#/experiments">Experiments</a>${
        folder
          ? html` / <a href=${href("/experiments", { q: folder })} title="Experiments in ${folder}">${folder}</a>`
          : nothing
      }</div>
      <div class="title">
        <h1>${exp ? exp.name : html`<span class="muted">Experiment ${this.experimentId}</span>`}</h1>
        <span class="muted">ID</span><tl-copy .value=${this.experimentId} .short=${0}></tl-copy>
      ${exp?.lifecycle_stage === "deleted" ? html`<span class="badge">Deleted</span>` : nothing}
      </div>
      ${
        exp
          ? html`<div class="meta">
              <div class="tags"><span class="label">Tags</span>
                <tl-tag-editor .tags=${tags} editable
                  @tag-set=${(e: CustomEvent<{ key: string; value: string }>) => this.setTag(e.detail.key, e.detail.value)}
                  @tag-delete=${(e: CustomEvent<{ key: string }>) => this.setTag(e.detail.key, undefined)}></tl-tag-editor>
              </div>
              <tl-description .value=${tags[NOTE_TAG] ?? ""} editable placeholder="No description"
                @save=${(e: CustomEvent<string>) => this.setTag(NOTE_TAG, e.detail)}></tl-description>
            </div>`
          : nothing
      }
    </header>`;
  }

  private renderCharts() {
    return html`<div class="panel scroll" role="tabpanel" aria-label="Charts">
      <tl-runs-charts .runs=${this.chartRuns} .metricKeys=${this.chartKeys} .settings=${this.view.chart}
        .note=${this.chartNote} .tick=${this.data.liveTick}></tl-runs-charts>
    </div>`;
  }

  private renderTab() {
    const d = this.data;
    switch (this.view.tab) {
      case "charts":
        return this.renderCharts();
      case "traces":
        // The traces UI is its own chunk, loaded when the tab first opens.
        void import("../traces/traces-view.js");
        return html`<div class="panel" role="tabpanel" aria-label="Traces">
          <tl-traces-view .experimentId=${this.experimentId} .view=${this.view.traces}
            .linkQuery=${{ from: "traces" }}
            @traces-view-change=${(e: CustomEvent<ViewState["traces"]>) => this.setView({ traces: e.detail })}
          ></tl-traces-view>
        </div>`;
      case "models":
        return html`<div class="panel scroll" role="tabpanel" aria-label="Models">
          <tl-experiment-models .experimentId=${this.experimentId}
            .runNames=${new Map(d.rows.map((r) => [r.id, r.name]))}></tl-experiment-models>
        </div>`;
      case "datasets":
        return html`<div class="panel scroll" role="tabpanel" aria-label="Datasets">
          <tl-experiment-datasets .rows=${d.rows} .experimentId=${this.experimentId} ?more=${!!d.nextToken}></tl-experiment-datasets>
        </div>`;
      default:
        return html`<div class="panel" role="tabpanel" aria-label="Runs">
          <tl-runs-view
            .data=${d}
            .version=${d.version}
            .view=${this.view}
            .rows=${this.rows}
            .experimentId=${this.experimentId}
            .experimentName=${this.experiment?.name ?? ""}
            .chartRuns=${this.chartRuns}
            .chartKeys=${this.chartKeys}
            .chartNote=${this.chartNote}
            @view-change=${(e: CustomEvent<Partial<ViewState>>) => this.setView(e.detail)}
          ></tl-runs-view>
        </div>`;
    }
  }

  override render() {
    return html`${this.renderHeader()}
      <tl-tabs .tabs=${ALL_TABS} .active=${this.view.tab} @tab-change=${(e: CustomEvent<string>) => {
        const genai = genaiTabPath(this.experimentId, e.detail);
        if (genai) navigate(genai);
        else this.setView({ tab: e.detail as Tab });
      }}></tl-tabs>
      <div style="display:contents" @chart-settings=${(e: CustomEvent<ChartSettings>) => this.setView({ chart: e.detail })}>
        ${this.renderTab()}
      </div>`;
  }
}
customElements.define("tl-experiment-page", TlExperimentPage);

declare global {
  interface HTMLElementTagNameMap {
    "tl-experiment-page": TlExperimentPage;
  }
}
