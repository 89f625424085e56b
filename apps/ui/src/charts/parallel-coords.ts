import { css, html, LitElement, nothing, svg } from "lit";
import { shared } from "../styles.js";
import { formatTick } from "./axis-format.js";
import { type Column, makeScale, position, type Scale, scaleTicks } from "./columns.js";
import { canvasMeasure, fitLabel, type Measure } from "./fit-label.js";
import { HostWidth } from "./host-width.js";
import type { ChartRun } from "./metric-chart.js";

const H = 340;
const M = { top: 50, bottom: 28, left: 56, right: 56 };

const TITLE_PX = 12;
/** Space kept between two titles on the same row. */
const TITLE_GAP = 8;

/**
 * The width an axis title may take. Titles alternate between two rows, so a middle one (centred on its axis) may be
 * two axis gaps wide; the first and last are anchored at their axis and run inwards, up to the next title of their row.
 */
export function titleRoom(k: number, n: number, gap: number): number {
  if (n <= 2) return Math.max(0, gap - TITLE_GAP);
  return Math.max(0, (k === 0 || k === n - 1 ? gap : 2 * gap) - TITLE_GAP);
}

/** Tick labels: numbers with SI suffixes at the ticks' precision, categories shortened. */
export function tickLabel(v: string | number, ticks: readonly [number, string | number][]): string {
  if (typeof v === "number") {
    const a = ticks[0]?.[1];
    const b = ticks[1]?.[1];
    return formatTick(v, typeof a === "number" && typeof b === "number" ? b - a : 0);
  }
  return v.length > 14 ? `${v.slice(0, 13)}…` : v || "(empty)";
}

/**
 * Parallel coordinates over chosen param and metric columns: an axis per column, a polyline per run in its colour.
 * Drag along an axis to brush a range (runs outside it fade); click the axis to clear its brush.
 */
export class TlParallelCoords extends LitElement {
  static override properties = {
    runs: { attribute: false },
    columns: { attribute: false },
    hover: { state: true },
    brushes: { state: true },
  };
  declare runs: ChartRun[];
  declare columns: Column[];
  declare hover: number | null;
  /** Column id → brushed range in scale positions (0 bottom … 1 top). */
  declare brushes: Map<string, [number, number]>;
  private size = new HostWidth(this, 800);
  private drag: { id: string; y0: number; y1: number } | undefined;
  private measurer: Measure | undefined;

  static override styles = [
    shared,
    css`
      :host { display: block; }
      svg { display: block; font-size: 11px; user-select: none; }
      .axis line { stroke: var(--tl-muted); }
      .axis text { fill: var(--tl-muted); paint-order: stroke; stroke: var(--tl-bg); stroke-width: 3px; }
      .axis .label { fill: var(--tl-fg); font-weight: 600; font-size: ${TITLE_PX}px; }
      .hit { fill: transparent; cursor: crosshair; }
      .brush { fill: color-mix(in srgb, var(--tl-accent) 22%, transparent); stroke: var(--tl-accent); }
      path.run { fill: none; stroke-width: 1.5; }
      path.run.faded { opacity: 0.12; }
      path.run.hover { stroke-width: 3.5; }
      .caption { min-height: 20px; font-size: 12px; }
    `,
  ];

  constructor() {
    super();
    this.runs = [];
    this.columns = [];
    this.hover = null;
    this.brushes = new Map();
  }

  /** Measures axis titles in their own font (the host's family, 600 12px). */
  private measure(): Measure {
    if (!this.measurer) {
      const family = getComputedStyle(this).fontFamily || "system-ui, sans-serif";
      this.measurer = canvasMeasure(`600 ${TITLE_PX}px ${family}`, TITLE_PX);
    }
    return this.measurer;
  }

  private yOf(p: number): number {
    return M.top + (1 - p) * (H - M.top - M.bottom);
  }

  private pOf(y: number): number {
    return Math.min(1, Math.max(0, 1 - (y - M.top) / (H - M.top - M.bottom)));
  }

  /** Whether run i passes every brush. */
  private passes(i: number, scales: (Scale | undefined)[]): boolean {
    return this.columns.every((c, k) => {
      const b = this.brushes.get(c.id);
      if (!b) return true;
      const s = scales[k];
      const p = s ? position(s, c.values[i]) : undefined;
      return p !== undefined && p >= b[0] - 1e-9 && p <= b[1] + 1e-9;
    });
  }

  private svgY(e: PointerEvent): number {
    const box = this.renderRoot.querySelector("svg")?.getBoundingClientRect();
    return e.clientY - (box?.top ?? 0);
  }

  private onDown(e: PointerEvent, id: string) {
    (e.currentTarget as Element).setPointerCapture(e.pointerId);
    const y = this.svgY(e);
    this.drag = { id, y0: y, y1: y };
  }

  private onMove(e: PointerEvent) {
    if (!this.drag) return;
    this.drag.y1 = this.svgY(e);
    const { id, y0, y1 } = this.drag;
    if (Math.abs(y1 - y0) < 3) return;
    const next = new Map(this.brushes);
    next.set(id, [this.pOf(Math.max(y0, y1)), this.pOf(Math.min(y0, y1))]);
    this.brushes = next;
  }

  private onUp() {
    if (!this.drag) return;
    const { id, y0, y1 } = this.drag;
    this.drag = undefined;
    if (Math.abs(y1 - y0) < 3) {
      const next = new Map(this.brushes);
      next.delete(id);
      this.brushes = next;
    }
  }

  override render() {
    const cols = this.columns;
    if (cols.length < 2) return html`<p class="muted">Choose at least two columns.</p>`;
    const w = this.size.width;
    const gap = (w - M.left - M.right) / (cols.length - 1);
    const scales = cols.map((c) => makeScale(c.values));
    const xOf = (k: number) => M.left + k * gap;
    const lines = this.runs.map((run, i) => {
      let d = "";
      let pen = false;
      cols.forEach((c, k) => {
        const s = scales[k];
        const p = s ? position(s, c.values[i]) : undefined;
        if (p === undefined) {
          pen = false;
          return;
        }
        d += `${pen ? "L" : "M"}${xOf(k).toFixed(1)},${this.yOf(p).toFixed(1)}`;
        pen = true;
      });
      return { run, d, i, ok: this.passes(i, scales) };
    });
    const matching = lines.filter((l) => l.ok).length;
    const hovered = this.hover === null ? undefined : this.runs[this.hover];
    return html`
      <div class="caption muted">
        ${
          hovered
            ? html`<strong style="color:${hovered.color}">${hovered.name}</strong>
                ${cols.map((c) => ` · ${c.key} = ${c.values[this.hover ?? 0] ?? "–"}`)}`
            : this.brushes.size
              ? `${matching} of ${this.runs.length} runs in the brushed ranges · click an axis to clear its brush`
              : "Drag along an axis to filter runs"
        }
      </div>
      <svg width=${w} height=${H} role="img" aria-label="Parallel coordinates of ${cols.length} columns"
        @pointermove=${(e: PointerEvent) => this.onMove(e)} @pointerup=${() => this.onUp()}>
        ${lines.map(
          (l) =>
            svg`<path class="run ${l.ok ? "" : "faded"} ${this.hover === l.i ? "hover" : ""}" d=${l.d}
              stroke=${l.run.color} @pointerenter=${() => {
                this.hover = l.i;
              }} @pointerleave=${() => {
                this.hover = null;
              }}><title>${l.run.name}</title></path>`,
        )}
        ${cols.map((c, k) => {
          const s = scales[k];
          const x = xOf(k);
          const ticks = s ? scaleTicks(s, 5, 10) : [];
          const b = this.brushes.get(c.id);
          const anchor = k === cols.length - 1 ? "end" : k === 0 ? "start" : "middle";
          const label = fitLabel(c.key, titleRoom(k, cols.length, gap), this.measure());
          return svg`<g class="axis">
            <line x1=${x} x2=${x} y1=${M.top} y2=${H - M.bottom}></line>
            <text class="label" x=${x} y=${M.top - (k % 2 ? 14 : 30)} text-anchor=${anchor}>${label}<title>${c.kind === "param" ? "Parameter" : "Metric"} ${c.key}</title></text>
            ${ticks.map(
              ([p, v]) => svg`<line x1=${x - 3} x2=${x} y1=${this.yOf(p)} y2=${this.yOf(p)}></line>
                <text x=${x - 6} y=${this.yOf(p) + 3.5} text-anchor="end">${tickLabel(v, ticks)}</text>`,
            )}
            ${b ? svg`<rect class="brush" x=${x - 7} width="14" y=${this.yOf(b[1])} height=${Math.max(2, this.yOf(b[0]) - this.yOf(b[1]))}></rect>` : nothing}
            <rect class="hit" x=${x - 12} width="24" y=${M.top - 4} height=${H - M.top - M.bottom + 8}
              @pointerdown=${(e: PointerEvent) => this.onDown(e, c.id)}></rect>
          </g>`;
        })}
      </svg>
    `;
  }
}
customElements.define("tl-parallel-coords", TlParallelCoords);

declare global {
  interface HTMLElementTagNameMap {
    "tl-parallel-coords": TlParallelCoords;
  }
}
