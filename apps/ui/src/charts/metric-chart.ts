import { css, html, LitElement, nothing, type PropertyValues } from "lit";
import "../components/error.js";
import { shared } from "../styles.js";
import { formatSeconds, formatStep } from "./axis-format.js";
import { ChartGroup, type GroupMember, type XWindow } from "./chart-group.js";
import { legendHeight } from "./chart-legend.js";
import { fetchBuckets } from "./metric-data.js";
import { Plot } from "./plot.js";
import { type ChartSettings, DEFAULT_CHART_SETTINGS } from "./settings.js";
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
  private member: GroupMember = { applyZoom: (w) => void this.applyZoom(w) };
  private io: IntersectionObserver | undefined;
  private ro: ResizeObserver | undefined;
  private abort: AbortController | undefined;

  static override styles = [
    shared,
    css`
      :host { display: block; min-width: 0; }
      .head { display: flex; align-items: center; gap: 8px; min-height: 24px; }
      .title { font-size: 13px; font-weight: 600; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
      .head button { padding: 0 8px; font-size: 12px; }
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
    this.phase = "waiting";
    this.error = undefined;
    this.cursor = null;
    this.zoomed = false;
  }

  private get grp(): ChartGroup {
    return this.group ?? this.ownGroup;
  }

  override connectedCallback() {
    super.connectedCallback();
    this.grp.join(this.member);
    window.addEventListener("tl-theme-change", this.onTheme);
    this.io = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting) && !this.visible) {
          this.visible = true;
          this.io?.disconnect();
          void this.load();
        }
      },
      { rootMargin: "300px 0px" },
    );
    this.io.observe(this);
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    this.grp.leave(this.member);
    window.removeEventListener("tl-theme-change", this.onTheme);
    this.io?.disconnect();
    this.ro?.disconnect();
    this.abort?.abort();
    this.plot?.destroy();
    this.plot = undefined;
    this.plotShape = "";
    // Fetch again if re-attached (a collapsed section opened again, say).
    this.visible = false;
  }

  private onTheme = () => this.plot?.repaint();

  protected override willUpdate(changed: PropertyValues<this>) {
    if (changed.has("group") && changed.get("group") !== undefined) {
      (changed.get("group") as ChartGroup).leave(this.member);
      this.grp.join(this.member);
    }
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
    if (changed.has("settings") && this.phase === "ready") this.draw();
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
      return xValues(p, this.settings.x, full ? firstTime(full) : undefined);
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
    const points = this.points(this.zoomData ?? this.full);
    const xs = this.xsFor(points);
    this.xsOfRuns = this.xsFor(this.points(this.full));
    this.aligned = alignRuns(points, xs, cellsForWidth(this.plotWidth()));
    const { smoothing, log, x } = this.settings;
    const model = plotModel(this.aligned, smoothing, log);
    const shape = `${x}|${log}|${this.runs.map((r) => `${r.runId}:${r.color}:${r.name}`).join(",")}`;
    const win = this.grp.window;
    if (this.plot && shape === this.plotShape) {
      this.plot.setModel(model, win);
      this.requestUpdate();
      return;
    }
    const { uPlot, sheet } = await loadUplot();
    adoptSheet(this.shadowRoot, sheet);
    this.plot?.destroy();
    this.plotShape = shape;
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
    this.ro ??= new ResizeObserver(() => this.plot?.setSize(this.plotWidth(), this.height));
    this.ro.observe(target);
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
    if (this.settings.x === "step") return `Step ${formatStep(x)}`;
    if (this.settings.x === "relative") return `Time ${formatSeconds(x)}`;
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
              <span class="title" title=${this.metricKey}>${this.metricKey}</span><span class="spacer"></span>
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
