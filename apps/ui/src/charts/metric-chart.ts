import { css, html, LitElement, nothing, type PropertyValues } from "lit";
import "../components/error.js";
import { shared } from "../styles.js";
import { formatSeconds, formatStep } from "./axis-format.js";
import { ChartGroup, type GroupMember, type XWindow } from "./chart-group.js";
import { legendHeight } from "./chart-legend.js";
import { fetchBuckets } from "./metric-data.js";
import { Plot } from "./plot.js";
import { type ChartSettings, DEFAULT_CHART_SETTINGS } from "./settings.js";
import { chartX } from "./system-metrics.js";
import {
  type Aligned,
  alignRuns,
  cellsForWidth,
  firstTime,
  plotModel,
  type RunPoints,
  stepWindow,
  xValues,
} from "./transform.js";
import { adoptSheet, loadUplot } from "./uplot-loader.js";

/** A run as charts show it. */
export interface ChartRun {
  runId: string;
  name: string;
  color: string;
}

/** What `tl-chart-drawn` reports: the points handed to the chart, the x cells drawn, and the milliseconds spent. */
export interface ChartDrawn {
  key: string;
  runs: number;
  points: number;
  cells: number;
  /** Alignment, decimation and smoothing. */
  prepareMs: number;
  /** uPlot's draw (its canvas commands; the browser rasterises them at the next frame). */
  drawMs: number;
}

const EMPTY: RunPoints = { step: [], time: [], value: [], min: [], max: [] };

/**
 * One metric of several runs as a uPlot line chart: a line per run with a translucent min/max band, the smoothed line
 * solid over a faint raw one, a compact legend (value at the cursor; hover a row to highlight its run). Fetches its
 * data only once it scrolls into view. Drag to zoom (re-fetched at full resolution for that step window),
 * double-click to reset; both apply to every chart of its `group`.
 */
export class TlMetricChart extends LitElement {
  static override properties = {
    runs: { attribute: false },
    metricKey: { attribute: false },
    settings: { attribute: false },
    group: { attribute: false },
    height: { type: Number },
    buckets: { type: Number },
    heading: { type: Boolean },
    exactX: { type: Boolean },
    phase: { state: true },
    error: { state: true },
    cursor: { state: true },
    zoomed: { state: true },
  };
  declare runs: ChartRun[];
  declare metricKey: string;
  declare settings: ChartSettings;
  /** Charts that share cursor and zoom; a chart without one is on its own. */
  declare group: ChartGroup | undefined;
  /** Plot height in px (the legend comes below it). */
  declare height: number;
  /** Points per run for the full view. */
  declare buckets: number;
  /** Show the metric key above the chart. */
  declare heading: boolean;
  /**
   * Draw `settings.x` as given, also for system metrics (which otherwise go on wall time where it says step): for a
   * chart whose x axis the user chose himself.
   */
  declare exactX: boolean;
  declare phase: "waiting" | "loading" | "ready" | "error";
  declare error: unknown;
  declare cursor: number | null;
  declare zoomed: boolean;

  private full = new Map<string, RunPoints>();
  private zoomData: Map<string, RunPoints> | null = null;
  private aligned: Aligned | undefined;
  private xsOfRuns: number[][] = [];
  private plot: Plot | undefined;
  private plotShape = "";
  private visible = false;
  /** Latest full load and latest zoom fetch: answers to older requests are dropped. */
  private seq = 0;
  private zoomSeq = 0;
  private ownGroup = new ChartGroup();
  private joined: ChartGroup | undefined;
  private member: GroupMember = { applyZoom: (w) => void this.applyZoom(w) };
  private ro: ResizeObserver | undefined;
  private abort: AbortController | undefined;

  // content-visibility: off-screen charts are skipped by style, layout and paint (a section can hold thousands:
  // mlflow/mlflow#22489); the intrinsic size (set per chart in willUpdate) keeps the scrollbar right before a chart
  // is laid out. (Comments inside css`` ship in the bundle: they live out here.)
  static override styles = [
    shared,
    css`
      :host { display: block; min-width: 0; content-visibility: auto; contain-intrinsic-size: auto 260px; }
      .head { display: flex; align-items: center; gap: 8px; min-height: 24px; }
      .title { font-size: 13px; font-weight: 600; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
      .head button { padding: 0 8px; font-size: 12px; }
      .x-note { font-size: 11px; white-space: nowrap; }
      .plot { position: relative; }
      .placeholder {
        display: flex; align-items: center; justify-content: center; color: var(--tl-muted); font-size: 13px;
        border: 1px dashed var(--tl-border); border-radius: var(--tl-radius);
      }
    `,
  ];

  constructor() {
    super();
    this.runs = [];
    this.metricKey = "";
    this.settings = DEFAULT_CHART_SETTINGS;
    this.group = undefined;
    this.height = 200;
    this.buckets = 500;
    this.heading = true;
    this.exactX = false;
    this.phase = "waiting";
    this.error = undefined;
    this.cursor = null;
    this.zoomed = false;
  }

  /** The x axis drawn: the page's, except wall time for system metrics where the page says step. */
  private get xMode(): ChartSettings["x"] {
    return this.exactX ? this.settings.x : chartX(this.metricKey, this.settings.x);
  }

  /**
   * The group whose cursor and zoom this chart follows: the page's, or, while this chart draws another x axis than
   * the page (system metrics on wall time), a sibling group of the charts on that axis (a step window means nothing
   * on a time axis).
   */
  private get grp(): ChartGroup {
    if (!this.group) return this.ownGroup;
    return this.xMode === this.settings.x ? this.group : siblingGroup(this.group, this.xMode);
  }

  /** Leaves the group joined before and joins the current one (the page's group or x axis changed). */
  private syncGroup() {
    const g = this.isConnected ? this.grp : undefined;
    if (g === this.joined) return;
    this.joined?.leave(this.member);
    g?.join(this.member);
    this.joined = g;
  }

  override connectedCallback() {
    super.connectedCallback();
    this.syncGroup();
    mounted.add(this);
    watchTheme();
    nearView().observe(this);
  }

  /** The shared observer saw the chart come within 300 px of the viewport: fetch and draw (once). */
  reached() {
    nearView().unobserve(this);
    if (this.visible) return;
    this.visible = true;
    void this.load();
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    this.syncGroup();
    mounted.delete(this);
    nearView().unobserve(this);
    this.ro?.disconnect();
    this.abort?.abort();
    this.plot?.destroy();
    this.plot = undefined;
    this.plotShape = "";
    // Fetch again if re-attached (a collapsed section opened again, say).
    this.visible = false;
  }

  /** Repaints the plot in the new theme's colours. */
  repaint() {
    this.plot?.repaint();
  }

  protected override willUpdate(changed: PropertyValues<this>) {
    // The size an off-screen chart is laid out at (content-visibility): its heading, plot and legend.
    if (changed.has("height") || changed.has("runs") || changed.has("heading"))
      this.style.containIntrinsicSize = `auto ${(this.heading ? 24 : 0) + this.height + legendHeight(this.runs.length)}px`;
    if (changed.has("group") || changed.has("settings") || changed.has("metricKey") || changed.has("exactX"))
      this.syncGroup();
    const refetch =
      (changed.has("runs") && !sameRuns(changed.get("runs"), this.runs)) ||
      (changed.has("metricKey") && changed.get("metricKey") !== undefined) ||
      (changed.has("buckets") && changed.get("buckets") !== undefined);
    if (refetch && this.visible) void this.load();
    // A zoom window is in x-axis units: a new x axis starts unzoomed (a shared group is reset by its owner).
    const before = changed.get("settings") as ChartSettings | undefined;
    if (before && before.x !== this.settings.x && !this.group) this.ownGroup.window = null;
  }

  protected override updated(changed: PropertyValues<this>) {
    if ((changed.has("settings") || changed.has("exactX")) && this.phase === "ready") this.draw();
    if (changed.has("height") && this.plot) this.plot.setSize(this.plotWidth(), this.height);
  }

  /**
   * Fetches the full view (and the group's zoom window, if any), then draws. Public for live refresh: a chart already
   * drawn keeps showing its data until the new answer replaces it.
   */
  async load() {
    const seq = ++this.seq;
    this.zoomSeq++;
    this.abort?.abort();
    this.abort = new AbortController();
    const ids = this.runs.map((r) => r.runId);
    if (!ids.length || !this.metricKey) {
      this.full = new Map();
      this.phase = "ready";
      await this.updateComplete;
      this.draw();
      return;
    }
    if (this.phase !== "ready") this.phase = "loading";
    this.error = undefined;
    try {
      const full = await fetchBuckets(ids, this.metricKey, { buckets: this.buckets, signal: this.abort.signal });
      if (seq !== this.seq) return;
      this.full = full;
      this.zoomData = null;
      this.zoomed = false;
      this.phase = "ready";
      await this.updateComplete;
      this.draw();
      if (this.grp.window) await this.applyZoom(this.grp.window);
    } catch (e) {
      if (seq !== this.seq || (e as Error).name === "AbortError") return;
      this.error = e;
      this.phase = "error";
    }
  }

  /** Per-run points in `runs` order (the zoomed window while zoomed). */
  private points(source: Map<string, RunPoints>): RunPoints[] {
    return this.runs.map((r) => source.get(r.runId) ?? EMPTY);
  }

  /** x of each run's points for the current x mode; relative time counts from the first point of the full history. */
  private xsFor(points: RunPoints[]): number[][] {
    return points.map((p, i) => {
      const full = this.full.get(this.runs[i]?.runId ?? "");
      return xValues(p, this.xMode, full ? firstTime(full) : undefined);
    });
  }

  private plotWidth(): number {
    const el = this.renderRoot.querySelector<HTMLElement>(".plot");
    return Math.max(200, Math.floor(el?.clientWidth || this.clientWidth || 400));
  }

  /** Builds (or updates) the plot from the current data and settings. */
  private async draw() {
    const target = this.renderRoot.querySelector<HTMLElement>(".plot");
    if (!target) return;
    if (![...this.full.values()].some((p) => p.step.length)) {
      this.plot?.destroy();
      this.plot = undefined;
      this.plotShape = "";
      return;
    }
    if (!this.grp.window) this.zoomData = null;
    this.zoomed = this.grp.window !== null;
    const t0 = performance.now();
    const points = this.points(this.zoomData ?? this.full);
    const xs = this.xsFor(points);
    this.xsOfRuns = this.xsFor(this.points(this.full));
    this.aligned = alignRuns(points, xs, cellsForWidth(this.plotWidth(), window.devicePixelRatio));
    const { smoothing, log } = this.settings;
    const x = this.xMode;
    const model = plotModel(this.aligned, smoothing, log);
    const prepareMs = performance.now() - t0;
    const shape = `${x}|${log}|${this.runs.map((r) => `${r.runId}:${r.color}:${r.name}`).join(",")}`;
    const win = this.grp.window;
    if (this.plot && shape === this.plotShape) {
      const t1 = performance.now();
      this.plot.setModel(model, win);
      this.requestUpdate();
      this.drawn(points, model.x.length, prepareMs, t1);
      return;
    }
    const { uPlot, sheet } = await loadUplot();
    adoptSheet(this.shadowRoot, sheet);
    this.plot?.destroy();
    this.plotShape = shape;
    const t1 = performance.now();
    this.plot = new Plot(uPlot, target, model, {
      width: this.plotWidth(),
      height: this.height,
      x,
      log,
      colors: this.runs.map((r) => r.color),
      names: this.runs.map((r) => r.name),
      syncKey: this.grp.key,
      onCursor: (idx) => {
        if (idx !== this.cursor) this.cursor = idx;
      },
      onSelect: (min, max) => this.grp.zoom(min, max),
      onReset: () => this.grp.reset(),
    });
    if (this.grp.window) this.plot.setX(this.grp.window);
    this.requestUpdate();
    this.drawn(points, model.x.length, prepareMs, t1);
    this.ro ??= new ResizeObserver(() => this.plot?.setSize(this.plotWidth(), this.height));
    this.ro.observe(target);
  }

  /**
   * Fires `tl-chart-drawn` once uPlot has drawn (it commits in a microtask): what the UI bench times on a real page
   * (bench/ui.mjs). Nothing in the app listens.
   */
  private drawn(points: RunPoints[], cells: number, prepareMs: number, t1: number) {
    queueMicrotask(() => {
      const detail: ChartDrawn = {
        key: this.metricKey,
        runs: points.length,
        points: points.reduce((n, p) => n + p.step.length, 0),
        cells,
        prepareMs,
        drawMs: performance.now() - t1,
      };
      this.dispatchEvent(new CustomEvent<ChartDrawn>("tl-chart-drawn", { detail, bubbles: true, composed: true }));
    });
  }

  /** Follows the group's window: shows it at once on the data at hand, then re-fetches it at full resolution. */
  private async applyZoom(win: XWindow | null) {
    this.zoomed = win !== null;
    if (this.phase !== "ready" || !this.plot) return;
    if (!win) {
      this.zoomData = null;
      this.zoomSeq++;
      await this.draw();
      return;
    }
    this.plot.setX(win);
    const steps = stepWindow(this.points(this.full), this.xsOfRuns, win.min, win.max);
    if (!steps) return;
    const seq = ++this.zoomSeq;
    try {
      const data = await fetchBuckets(
        this.runs.map((r) => r.runId),
        this.metricKey,
        // Every step of a window up to the server's 2,500 buckets: full resolution; wider windows stay bucketed.
        {
          buckets: Math.max(this.buckets, Math.min(2500, steps.end - steps.start + 1)),
          start: steps.start,
          end: steps.end,
        },
      );
      if (seq !== this.zoomSeq || this.grp.window !== win) return;
      this.zoomData = data;
      await this.draw();
    } catch (e) {
      if (seq === this.zoomSeq) {
        this.error = e;
        this.phase = "error";
      }
    }
  }

  /** Value shown for run r: at the cursor (nearest point at or before it), else the last one. */
  private valueAt(r: number): number | null {
    const a = this.aligned;
    if (!a) return null;
    const line = plotLine(this.plot, r) ?? a.value[r] ?? [];
    let i = this.cursor ?? line.length - 1;
    if (i >= line.length) i = line.length - 1;
    for (; i >= 0; i--) {
      const v = line[i];
      if (v !== null && v !== undefined) return v;
    }
    return null;
  }

  private xLabel(): string {
    const a = this.aligned;
    if (this.cursor === null || !a) return this.zoomed ? "Zoomed · double-click to reset" : "Latest values";
    const x = a.x[this.cursor];
    if (x === undefined) return "";
    if (this.xMode === "step") return `Step ${formatStep(x)}`;
    if (this.xMode === "relative") return `Time ${formatSeconds(x)}`;
    return new Date(x * 1000).toLocaleString();
  }

  private renderLegend() {
    return html`<tl-chart-legend .names=${this.runs.map((r) => r.name)} .colors=${this.runs.map((r) => r.color)}
      .values=${this.runs.map((_, r) => this.valueAt(r))} .caption=${this.xLabel()}
      @focus-run=${(e: CustomEvent<number | null>) => this.plot?.setFocus(e.detail)}></tl-chart-legend>`;
  }

  override render() {
    const legendH = legendHeight(this.runs.length);
    const box = `height:${this.height}px`;
    let body: unknown;
    if (this.phase === "error") body = html`<tl-error .error=${this.error} @retry=${() => this.load()}></tl-error>`;
    else if (this.phase !== "ready")
      body = html`<div class="placeholder" style="height:${this.height + legendH}px">
        ${this.phase === "loading" ? `Loading ${this.metricKey}…` : this.metricKey}
      </div>`;
    else if (!this.runs.length || [...this.full.values()].every((p) => !p.step.length))
      body = html`<div class="placeholder" style="height:${this.height + legendH}px">
        No data for ${this.metricKey} in these runs
      </div>`;
    return html`
      ${
        this.heading
          ? html`<div class="head">
              <span class="title" title=${this.metricKey}>${this.metricKey}</span>
              ${this.xMode !== this.settings.x ? html`<span class="muted x-note" title="System metrics are sampled on a clock: drawn over wall time">wall time</span>` : nothing}
              <span class="spacer"></span>
              ${this.zoomed ? html`<button @click=${() => this.grp.reset()}>Reset zoom</button>` : nothing}
            </div>`
          : nothing
      }
      ${body ?? nothing}
      <div class="plot" style=${body ? "display:none" : box}></div>
      ${body ? nothing : this.renderLegend()}
    `;
  }
}

/** The series uPlot draws for run r (smoothed when smoothing is on). */
function plotLine(plot: Plot | undefined, r: number): (number | null)[] | undefined {
  return plot?.u.data[r + 1] as (number | null)[] | undefined;
}

/**
 * One IntersectionObserver and one theme listener for all charts: a page can mount thousands of charts, and an
 * observer and a window listener each per chart cost more than the charts that are never scrolled to.
 */
const mounted = new Set<TlMetricChart>();
let observer: IntersectionObserver | undefined;
let themeWatched = false;

function nearView(): IntersectionObserver {
  observer ??= new IntersectionObserver(
    (entries) => {
      for (const e of entries) if (e.isIntersecting) (e.target as TlMetricChart).reached();
    },
    { rootMargin: "300px 0px" },
  );
  return observer;
}

function watchTheme() {
  if (themeWatched) return;
  themeWatched = true;
  window.addEventListener("tl-theme-change", () => {
    for (const chart of mounted) chart.repaint();
  });
}

/** Per page group and x axis, the group of its charts drawn on another x axis than the page's. */
const siblings = new WeakMap<ChartGroup, Map<string, ChartGroup>>();

function siblingGroup(group: ChartGroup, x: string): ChartGroup {
  let byX = siblings.get(group);
  if (!byX) {
    byX = new Map();
    siblings.set(group, byX);
  }
  let g = byX.get(x);
  if (!g) {
    g = new ChartGroup();
    byX.set(x, g);
  }
  return g;
}

function sameRuns(a: ChartRun[] | undefined, b: ChartRun[]): boolean {
  return (
    !!a &&
    a.length === b.length &&
    a.every((r, i) => r.runId === b[i]?.runId && r.name === b[i]?.name && r.color === b[i]?.color)
  );
}

customElements.define("tl-metric-chart", TlMetricChart);

declare global {
  interface HTMLElementTagNameMap {
    "tl-metric-chart": TlMetricChart;
  }
}
