import { css, html, LitElement, nothing } from "lit";
import { formatNumber } from "../lib/format.js";
import { shared } from "../styles.js";
import { type DiffRow, diffRows, formatDelta } from "./difference-rows.js";
import type { ChartRun } from "./metric-chart.js";
import type { RunValues } from "./run-values.js";

/** Changes of the difference view's own settings (baseline run, differences only). */
export interface DiffChange {
  baseline?: string;
  onlyDiffs?: boolean;
}

/**
 * MLflow's difference view: a table of every attribute, param, metric and tag of the runs against a baseline run, with the
 * numeric difference from the baseline (green up, red down) and a "differences only" switch. Fires `diff-change`
 * (detail: DiffChange) when the user picks another baseline or flips the switch; the board saves it.
 */
export class TlDifferenceView extends LitElement {
  static override properties = {
    runs: { attribute: false },
    values: { attribute: false },
    baseline: {},
    onlyDiffs: { type: Boolean },
  };
  declare runs: ChartRun[];
  declare values: RunValues[];
  /** The baseline's run id (default: the first run). */
  declare baseline: string;
  declare onlyDiffs: boolean;

  static override styles = [
    shared,
    css`
      :host { display: block; }
      .wrap { overflow: auto; max-height: var(--diff-max-height, 360px); }
      table { font-size: 12px; }
      th { position: sticky; top: 0; z-index: 1; white-space: nowrap; }
      th .swatch { display: inline-block; width: 8px; height: 8px; border-radius: 2px; margin-right: 4px; }
      td { white-space: nowrap; }
      td.key { font-family: var(--tl-mono); }
      td.group { font-weight: 600; background: var(--tl-bg-alt); }
      .up { color: var(--tl-success, #1a7f37); }
      .down { color: var(--tl-danger); }
      .delta { display: block; font-size: 11px; }
      tr.same td { color: var(--tl-muted); }
    `,
  ];

  constructor() {
    super();
    this.runs = [];
    this.values = [];
    this.baseline = "";
    this.onlyDiffs = false;
  }

  private change(c: DiffChange) {
    this.dispatchEvent(new CustomEvent<DiffChange>("diff-change", { detail: c, bubbles: true, composed: true }));
  }

  private cell(row: DiffRow, i: number, base: number) {
    const v = row.values[i];
    const d = row.deltas[i];
    const shown = v === undefined ? "–" : typeof v === "number" ? formatNumber(v) : v;
    const numeric = typeof v === "number" || (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v)));
    if (d === undefined || i === base) return html`<td class=${numeric ? "num" : ""}>${shown}</td>`;
    const b = row.values[base];
    return html`<td class="num">${shown}<span class="delta ${d > 0 ? "up" : d < 0 ? "down" : ""}">${formatDelta(
      d,
      typeof b === "number" ? b : Number(b),
    )}</span></td>`;
  }

  override render() {
    if (this.runs.length < 2) return html`<p class="muted">The difference view needs two runs or more.</p>`;
    const found = this.runs.findIndex((r) => r.runId === this.baseline);
    const base = Math.max(found, 0);
    const rows = diffRows(this.values, base, this.onlyDiffs);
    const order = [base, ...this.runs.map((_, i) => i).filter((i) => i !== base)];
    return html`<div class="toolbar">
        <label>Baseline
          <select aria-label="Baseline run" @change=${(e: Event) => this.change({ baseline: (e.target as HTMLSelectElement).value })}>
            ${this.runs.map((r, i) => html`<option value=${r.runId} ?selected=${i === base}>${r.name}</option>`)}
          </select>
        </label>
        <label><input type="checkbox" .checked=${this.onlyDiffs}
          @change=${(e: Event) => this.change({ onlyDiffs: (e.target as HTMLInputElement).checked })} />Differences only</label>
      </div>
      <div class="wrap"><table>
        <thead><tr><th></th>${order.map((i) => {
          const r = this.runs[i] as ChartRun;
          return html`<th class="num"><span class="swatch" style="background:${r.color}"></span>${r.name}${
            i === base ? html` <span class="muted">(baseline)</span>` : nothing
          }</th>`;
        })}</tr></thead>
        <tbody>${rows.map((row, n) => {
          const head =
            row.group !== rows[n - 1]?.group
              ? html`<tr><td class="group" colspan=${order.length + 1}>${row.group}</td></tr>`
              : nothing;
          return html`${head}<tr class=${row.differs ? "" : "same"}><td class="key">${row.key}</td>${order.map((i) =>
            this.cell(row, i, base),
          )}</tr>`;
        })}</tbody>
      </table></div>`;
  }
}
customElements.define("tl-difference-view", TlDifferenceView);

declare global {
  interface HTMLElementTagNameMap {
    "tl-difference-view": TlDifferenceView;
  }
}
