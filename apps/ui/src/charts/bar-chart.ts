import { css, html, LitElement, nothing, type PropertyValues, svg } from "lit";
import "../components/error.js";
import { formatNumber } from "../lib/format.js";
import { shared } from "../styles.js";
import { niceTicks } from "./columns.js";
import { HostWidth } from "./host-width.js";
import type { ChartRun } from "./metric-chart.js";
import { tickLabel } from "./parallel-coords.js";
import { probeMetric } from "./single-value.js";

/** Bar geometry: one horizontal bar per run, the value written at its end. Pure: tested in Node. */
export interface BarLayout {
  /** Value axis: x of value 0 and of each tick. */
  x: (v: number) => number;
  ticks: number[];
  rowHeight: number;
  height: number;
}

const LABEL_W = 130;
const PAD = { top: 4, bottom: 22, right: 64 };

/** Lays out bars for `values` (NaN/missing left out of the range) in `width` px. */
export function barLayout(values: readonly (number | undefined)[], width: number): BarLayout {
  const finite = values.filter((v): v is number => v !== undefined && Number.isFinite(v));
  let lo = Math.min(0, ...finite);
  let hi = Math.max(0, ...finite);
  if (lo === hi) hi = lo + 1;
  const ticks = niceTicks(lo, hi, 5);
  lo = Math.min(lo, ticks[0] ?? lo);
  hi = Math.max(hi, ticks[ticks.length - 1] ?? hi);
  const left = LABEL_W + 8;
  const span = Math.max(40, width - left - PAD.right);
  const rowHeight = Math.max(16, Math.min(30, 180 / Math.max(1, values.length)));
  return {
    x: (v: number) => left + ((v - lo) / (hi - lo)) * span,
    ticks,
    rowHeight,
    height: PAD.top + values.length * rowHeight + PAD.bottom,
  };
}

/**
 * One metric of several runs as bars: each run's latest value as a horizontal bar in the run's colour, the value
 * written on the bar, as MLflow draws metrics logged once (accuracy, f1). Reads its data when it scrolls into view.
 */
export class TlBarChart extends LitElement {
  static override properties = {
    runs: { attribute: false },
    metricKey: { attribute: false },
    heading: { type: Boolean },
    values: { state: true },
    error: { state: true },
  };
  declare runs: ChartRun[];
  declare metricKey: string;
  /** Show the metric key above the bars. */
  declare heading: boolean;
  declare values: Map<string, number> | undefined;
  declare error: unknown;
  private size = new HostWidth(this, 400, 240);
  private io: IntersectionObserver | undefined;
  private visible = false;
  private seq = 0;

  static override styles = [
    shared,
    css`
      :host { display: block; min-width: 0; }
      .head { display: flex; align-items: center; gap: 8px; min-height: 24px; }
      .title { font-size: 13px; font-weight: 600; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
      svg { display: block; font-size: 11px; }
      .tick line { stroke: var(--tl-grid); }
      .tick text, .name { fill: var(--tl-muted); }
      .name { fill: var(--tl-fg); }
      .value { fill: var(--tl-fg); font-variant-numeric: tabular-nums; font-weight: 600; }
      .value.inside { fill: #fff; paint-order: stroke; stroke: rgb(0 0 0 / 0.35); stroke-width: 2px; }
      .placeholder {
        display: flex; align-items: center; justify-content: center; color: var(--tl-muted); font-size: 13px;
        border: 1px dashed var(--tl-border); border-radius: var(--tl-radius); height: 200px;
      }
    `,
  ];

  constructor() {
    super();
    this.runs = [];
    this.metricKey = "";
    this.heading = true;
    this.values = undefined;
    this.error = undefined;
  }

  override connectedCallback() {
    super.connectedCallback();
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
    this.io?.disconnect();
    this.visible = false;
  }

  protected override willUpdate(changed: PropertyValues<this>) {
    const again =
      (changed.has("runs") && changed.get("runs") !== undefined) ||
      (changed.has("metricKey") && changed.get("metricKey") !== undefined);
    if (again && this.visible) void this.load();
  }

  /** Reads the latest values (public for live refresh). */
  async load() {
    const seq = ++this.seq;
    this.error = undefined;
    try {
      const probe = await probeMetric(
        this.runs.map((r) => r.runId),
        this.metricKey,
      );
      if (seq === this.seq) this.values = probe.last;
    } catch (e) {
      if (seq === this.seq) this.error = e;
    }
  }

  private renderBars(values: Map<string, number>) {
    // Runs without the metric are left out, as MLflow's bar chart does.
    const runs = this.runs.filter((r) => values.has(r.runId));
    const vals = runs.map((r) => values.get(r.runId));
    const w = this.size.width;
    const L = barLayout(vals, w);
    const x0 = L.x(0);
    const bottom = L.height - PAD.bottom;
    return html`<svg width=${w} height=${L.height} role="img" aria-label="Bar chart of ${this.metricKey}">
      ${L.ticks.map(
        (t) => svg`<g class="tick"><line x1=${L.x(t)} x2=${L.x(t)} y1=${PAD.top} y2=${bottom}></line>
          <text x=${L.x(t)} y=${bottom + 14} text-anchor="middle">${tickLabel(
            t,
            L.ticks.map((v) => [0, v]),
          )}</text></g>`,
      )}
      ${runs.map((run, i) => {
        const v = vals[i];
        const y = PAD.top + i * L.rowHeight;
        const mid = y + L.rowHeight / 2 + 4;
        const name = run.name.length > 20 ? `${run.name.slice(0, 19)}…` : run.name;
        const label = svg`<text class="name" x=${LABEL_W} y=${mid} text-anchor="end">${name}<title>${run.name}</title></text>`;
        if (v === undefined || !Number.isFinite(v))
          return svg`${label}<text class="value" x=${x0 + 4} y=${mid}>${v === undefined ? "–" : formatNumber(v)}</text>`;
        const xv = L.x(v);
        const left = Math.min(x0, xv);
        const width = Math.max(1, Math.abs(xv - x0));
        const text = formatNumber(v);
        // The value sits inside the bar's end when it fits, else just past it.
        const inside = width > text.length * 7 + 12;
        const tx = v >= 0 ? (inside ? xv - 6 : xv + 4) : inside ? xv + 6 : xv - 4;
        const anchor = v >= 0 === inside ? "end" : "start";
        return svg`${label}<rect x=${left} y=${y + 2} width=${width} height=${L.rowHeight - 4} rx="2"
            fill=${run.color}><title>${run.name}: ${text}</title></rect>
          <text class="value ${inside ? "inside" : ""}" x=${tx} y=${mid} text-anchor=${anchor}>${text}</text>`;
      })}
    </svg>`;
  }

  override render() {
    let body: unknown;
    if (this.error) body = html`<tl-error .error=${this.error} @retry=${() => this.load()}></tl-error>`;
    else if (!this.values) body = html`<div class="placeholder">Loading ${this.metricKey}…</div>`;
    else if (!this.runs.some((r) => this.values?.has(r.runId)))
      body = html`<div class="placeholder">No data for ${this.metricKey} in these runs</div>`;
    else body = this.renderBars(this.values);
    return html`${
      this.heading
        ? html`<div class="head"><span class="title" title=${this.metricKey}>${this.metricKey}</span></div>`
        : nothing
    }${body}`;
  }
}
customElements.define("tl-bar-chart", TlBarChart);

declare global {
  interface HTMLElementTagNameMap {
    "tl-bar-chart": TlBarChart;
  }
}
