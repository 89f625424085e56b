import { css, html, LitElement, svg } from "lit";
import { formatNumber } from "../lib/format.js";
import { shared } from "../styles.js";
import { type Column, makeScale, position, scaleTicks } from "./columns.js";
import { idwGrid, rampColor, type Sample } from "./contour-grid.js";
import { HostWidth } from "./host-width.js";
import type { ChartRun } from "./metric-chart.js";
import { tickLabel } from "./parallel-coords.js";

const H = 320;
const M = { top: 10, bottom: 40, left: 64, right: 70 };
const COLS = 48;
const ROWS = 32;

/**
 * A contour chart as MLflow offers it: a metric (z) shaded over two params or metrics (x, y), interpolated between the
 * runs (each run a dot in its colour), with a colour bar for z. Needs three runs with all three values.
 */
export class TlContourPlot extends LitElement {
  static override properties = {
    runs: { attribute: false },
    x: { attribute: false },
    y: { attribute: false },
    z: { attribute: false },
  };
  declare runs: ChartRun[];
  declare x: Column | undefined;
  declare y: Column | undefined;
  declare z: Column | undefined;
  private size = new HostWidth(this, 640);

  static override styles = [
    shared,
    css`
      :host { display: block; }
      svg { display: block; font-size: 11px; }
      .grid text { fill: var(--tl-muted); }
      .axis-label { fill: var(--tl-fg); font-weight: 600; font-size: 12px; }
      circle { stroke: #fff; stroke-width: 1.5; }
    `,
  ];

  constructor() {
    super();
    this.runs = [];
    this.x = undefined;
    this.y = undefined;
    this.z = undefined;
  }

  override render() {
    const { x, y, z } = this;
    if (!x || !y || !z) return html`<p class="muted">Choose x, y and z.</p>`;
    const sx = makeScale(x.values);
    const sy = makeScale(y.values);
    const zs = z.values.map((v) => (v === undefined ? Number.NaN : Number(v)));
    const samples: (Sample & { i: number })[] = [];
    if (sx && sy)
      this.runs.forEach((_, i) => {
        const a = position(sx, x.values[i]);
        const b = position(sy, y.values[i]);
        const v = zs[i] as number;
        if (a !== undefined && b !== undefined && Number.isFinite(v)) samples.push({ px: a, py: b, z: v, i });
      });
    if (!sx || !sy || samples.length < 3)
      return html`<p class="muted">A contour needs at least three runs with ${x.key}, ${y.key} and ${z.key}
        (${samples.length} have all three).</p>`;
    const zmin = Math.min(...samples.map((s) => s.z));
    const zmax = Math.max(...samples.map((s) => s.z));
    // The shaded area reaches PAD beyond the outermost runs, so their dots sit inside it.
    const PAD = 0.04;
    const grid = idwGrid(samples, COLS, ROWS, -PAD, 1 + PAD);
    const w = this.size.width;
    const pw = w - M.left - M.right;
    const ph = H - M.top - M.bottom;
    const px = (p: number) => M.left + ((p + PAD) / (1 + 2 * PAD)) * pw;
    const py = (p: number) => M.top + (1 - (p + PAD) / (1 + 2 * PAD)) * ph;
    const cw = pw / COLS;
    const ch = ph / ROWS;
    const t = (v: number) => (zmax > zmin ? (v - zmin) / (zmax - zmin) : 0.5);
    const xt = scaleTicks(sx, 6, 10);
    const yt = scaleTicks(sy, 5, 8);
    const barX = w - M.right + 14;
    const stops = [0, 0.25, 0.5, 0.75, 1];
    return html`<svg width=${w} height=${H} role="img"
      aria-label="Contour of ${z.key} over ${x.key} and ${y.key}">
      <defs><linearGradient id="ramp" x1="0" y1="1" x2="0" y2="0">
        ${stops.map((s) => svg`<stop offset=${s} stop-color=${rampColor(s)}></stop>`)}
      </linearGradient></defs>
      <g shape-rendering="crispEdges">
        ${grid.map((row, r) =>
          row.map(
            (v, c) =>
              svg`<rect x=${M.left + c * cw} y=${M.top + (ROWS - 1 - r) * ch} width=${cw + 0.5} height=${ch + 0.5}
                fill=${rampColor(t(v))}></rect>`,
          ),
        )}
      </g>
      <g class="grid">
        ${xt.map(([p, v]) => svg`<text x=${px(p)} y=${H - M.bottom + 14} text-anchor="middle">${tickLabel(v, xt)}</text>`)}
        ${yt.map(([p, v]) => svg`<text x=${M.left - 6} y=${py(p) + 3.5} text-anchor="end">${tickLabel(v, yt)}</text>`)}
      </g>
      <text class="axis-label" x=${M.left + pw / 2} y=${H - 6} text-anchor="middle">${x.key}</text>
      <text class="axis-label" transform="translate(14 ${M.top + ph / 2}) rotate(-90)" text-anchor="middle">${y.key}</text>
      <rect x=${barX} y=${M.top} width="12" height=${ph} fill="url(#ramp)"></rect>
      <g class="grid">
        <text x=${barX + 16} y=${M.top + 8}>${formatNumber(zmax)}</text>
        <text x=${barX + 16} y=${M.top + ph}>${formatNumber(zmin)}</text>
      </g>
      <text class="axis-label" transform="translate(${barX + 22} ${M.top + ph / 2}) rotate(90)"
        text-anchor="middle">${z.key}</text>
      ${samples.map((s) => {
        const run = this.runs[s.i] as ChartRun;
        return svg`<circle cx=${px(s.px)} cy=${py(s.py)} r="5" fill=${run.color}><title>${run.name}
${x.key}: ${x.values[s.i]}
${y.key}: ${y.values[s.i]}
${z.key}: ${formatNumber(s.z)}</title></circle>`;
      })}
    </svg>`;
  }
}
customElements.define("tl-contour-plot", TlContourPlot);

declare global {
  interface HTMLElementTagNameMap {
    "tl-contour-plot": TlContourPlot;
  }
}
