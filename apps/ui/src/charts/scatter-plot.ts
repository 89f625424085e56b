import { css, html, LitElement, svg } from "lit";
import { shared } from "../styles.js";
import { type Column, makeScale, position, type Scale, scaleTicks } from "./columns.js";
import { HostWidth } from "./host-width.js";
import type { ChartRun } from "./metric-chart.js";
import { tickLabel } from "./parallel-coords.js";

const H = 340;

const logNote = (s: Scale) => (s.kind === "linear" && s.log ? " (log scale)" : "");
const M = { top: 12, bottom: 40, left: 64, right: 24 };

/** A scatter of two columns (params or metrics): a point per run in its colour, named on hover (or always, for few). */
export class TlScatterPlot extends LitElement {
  static override properties = {
    runs: { attribute: false },
    x: { attribute: false },
    y: { attribute: false },
  };
  declare runs: ChartRun[];
  declare x: Column | undefined;
  declare y: Column | undefined;
  private size = new HostWidth(this, 640);

  static override styles = [
    shared,
    css`
      :host { display: block; }
      svg { display: block; font-size: 11px; }
      .grid line { stroke: var(--tl-grid); }
      .grid text { fill: var(--tl-muted); }
      .axis-label { fill: var(--tl-fg); font-weight: 600; font-size: 12px; }
      circle { stroke: var(--tl-bg); stroke-width: 1.5; }
      circle:hover { stroke: var(--tl-fg); }
      .name { fill: var(--tl-fg); font-size: 11px; }
    `,
  ];

  constructor() {
    super();
    this.runs = [];
    this.x = undefined;
    this.y = undefined;
  }

  override render() {
    const { x, y } = this;
    if (!x || !y) return html`<p class="muted">Choose two columns.</p>`;
    const sx = makeScale(x.values);
    const sy = makeScale(y.values);
    if (!sx || !sy) return html`<p class="muted">No run has both values.</p>`;
    const w = this.size.width;
    const px = (p: number) => M.left + 8 + p * (w - M.left - M.right - 16);
    const py = (p: number) => M.top + 8 + (1 - p) * (H - M.top - M.bottom - 16);
    const xt = scaleTicks(sx, 6, 12);
    const yt = scaleTicks(sy, 5, 10);
    const points = this.runs.flatMap((run, i) => {
      const a = position(sx, x.values[i]);
      const b = position(sy, y.values[i]);
      return a === undefined || b === undefined ? [] : [{ run, i, cx: px(a), cy: py(b) }];
    });
    const missing = this.runs.length - points.length;
    const named = points.length <= 12;
    return html`
      <svg width=${w} height=${H} role="img" aria-label="Scatter plot of ${y.key} against ${x.key}">
        <g class="grid">
          ${xt.map(
            ([p, v]) => svg`<line x1=${px(p)} x2=${px(p)} y1=${M.top} y2=${H - M.bottom}></line>
              <text x=${px(p)} y=${H - M.bottom + 14} text-anchor="middle">${tickLabel(v, xt)}</text>`,
          )}
          ${yt.map(
            ([p, v]) => svg`<line x1=${M.left} x2=${w - M.right} y1=${py(p)} y2=${py(p)}></line>
              <text x=${M.left - 6} y=${py(p) + 3.5} text-anchor="end">${tickLabel(v, yt)}</text>`,
          )}
        </g>
        <text class="axis-label" x=${(M.left + w - M.right) / 2} y=${H - 6} text-anchor="middle">${x.key}${logNote(sx)}</text>
        <text class="axis-label" transform="translate(14 ${(M.top + H - M.bottom) / 2}) rotate(-90)"
          text-anchor="middle">${y.key}${logNote(sy)}</text>
        ${points.map(
          (p) => svg`<circle cx=${p.cx} cy=${p.cy} r="5.5" fill=${p.run.color}><title>${p.run.name}
${x.key}: ${x.values[p.i]}
${y.key}: ${y.values[p.i]}</title></circle>
            ${
              named
                ? p.cx > w - 160
                  ? svg`<text class="name" x=${p.cx - 8} y=${p.cy + 4} text-anchor="end">${p.run.name}</text>`
                  : svg`<text class="name" x=${p.cx + 8} y=${p.cy + 4}>${p.run.name}</text>`
                : ""
            }`,
        )}
      </svg>
      ${missing ? html`<p class="muted">${missing} of ${this.runs.length} runs lack one of the two values.</p>` : ""}
    `;
  }
}
customElements.define("tl-scatter-plot", TlScatterPlot);

declare global {
  interface HTMLElementTagNameMap {
    "tl-scatter-plot": TlScatterPlot;
  }
}
