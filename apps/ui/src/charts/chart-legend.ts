import { css, html, LitElement } from "lit";
import { shared } from "../styles.js";
import { formatValue } from "./axis-format.js";

/** Legend row height in px, and how many rows show before the list scrolls. */
export const LEGEND_ROW = 20;
export const LEGEND_ROWS = 6;

/** Height of a legend for `runs` runs: a caption row plus up to LEGEND_ROWS rows. */
export const legendHeight = (runs: number) => (Math.min(Math.max(runs, 1), LEGEND_ROWS) + 1) * LEGEND_ROW;

/**
 * A chart's compact legend: a caption (the x value at the cursor) and one row per run — colour, name, value. Only
 * the rows in view are rendered, so a hundred runs cost as little as six. Hovering or focusing a row fires
 * `focus-run` (detail: the run's index, or null when the pointer leaves).
 */
export class TlChartLegend extends LitElement {
  static override properties = {
    names: { attribute: false },
    colors: { attribute: false },
    values: { attribute: false },
    caption: {},
    top: { state: true },
  };
  declare names: string[];
  declare colors: string[];
  declare values: (number | null)[];
  declare caption: string;
  declare top: number;

  static override styles = [
    shared,
    css`
      :host { display: block; font-size: 12px; font-variant-numeric: tabular-nums; }
      .scroll { overflow-y: auto; }
      .caption {
        color: var(--tl-muted); height: ${LEGEND_ROW}px; line-height: ${LEGEND_ROW}px; position: sticky; top: 0;
        z-index: 1; background: var(--tl-bg);
      }
      .row {
        display: flex; align-items: center; gap: 6px; height: ${LEGEND_ROW}px; padding: 0 2px; border-radius: 4px;
        position: absolute; left: 0; right: 0;
      }
      .row:hover, .row:focus-visible { background: var(--tl-bg-hover); outline: none; }
      .sw { width: 10px; height: 3px; border-radius: 2px; flex: none; }
      .name { flex: 1; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
      .val { font-family: var(--tl-mono); }
    `,
  ];

  constructor() {
    super();
    this.names = [];
    this.colors = [];
    this.values = [];
    this.caption = "";
    this.top = 0;
  }

  private focusRun(i: number | null) {
    this.dispatchEvent(new CustomEvent<number | null>("focus-run", { detail: i }));
  }

  override render() {
    const n = this.names.length;
    const rows = Math.min(n, LEGEND_ROWS);
    const start = Math.max(0, Math.min(this.top, n - rows));
    const end = Math.min(n, start + rows + 1);
    const shown = [];
    for (let i = start; i < end; i++) shown.push(i);
    return html`<div class="scroll" style="max-height:${legendHeight(n)}px"
      @scroll=${(e: Event) => {
        this.top = Math.floor((e.target as HTMLElement).scrollTop / LEGEND_ROW);
      }}
      @mouseleave=${() => this.focusRun(null)}>
      <div class="caption">${this.caption}</div>
      <div style="height:${n * LEGEND_ROW}px; position:relative" role="list">
        ${shown.map((i) => {
          const v = this.values[i] ?? null;
          return html`<div class="row" role="listitem" style="top:${i * LEGEND_ROW}px" tabindex="0"
            @mouseenter=${() => this.focusRun(i)} @focus=${() => this.focusRun(i)} @blur=${() => this.focusRun(null)}>
            <span class="sw" style="background:${this.colors[i]}"></span>
            <span class="name" title=${this.names[i] ?? ""}>${this.names[i]}</span>
            <span class="val" title=${v === null ? "" : String(v)}>${formatValue(v)}</span>
          </div>`;
        })}
      </div>
    </div>`;
  }
}
customElements.define("tl-chart-legend", TlChartLegend);

declare global {
  interface HTMLElementTagNameMap {
    "tl-chart-legend": TlChartLegend;
  }
}
