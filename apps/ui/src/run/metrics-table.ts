import type { Metric, MetricSummary } from "@tracklite/schemas";
import { css, html, LitElement } from "lit";
import { formatNumber } from "../lib/format.js";
import { shared } from "../styles.js";
import { filterEntries } from "./run-info.js";

/**
 * A run's metrics: the last value, and min and max over all steps from the metric summaries (blank until they load).
 * Each key links to its chart in the Metrics or System tab (`chartHref`).
 */
export class TlMetricsTable extends LitElement {
  static override properties = {
    metrics: { attribute: false },
    summaries: { attribute: false },
    chartHref: { attribute: false },
    filter: { state: true },
  };
  /** The latest value per key (the run's `data.metrics`). */
  declare metrics: Metric[];
  declare summaries: Map<string, MetricSummary> | undefined;
  declare chartHref: ((key: string) => string) | undefined;
  declare filter: string;

  static override styles = [
    shared,
    css`
      :host { display: block; min-width: 0; }
      .head { display: flex; align-items: center; gap: 8px; margin: 0 0 6px; }
      h2 { margin: 0; }
      input { font-size: 12px; padding: 2px 6px; width: 14em; }
      .scroll { max-height: 480px; overflow: auto; border: 1px solid var(--tl-border); border-radius: var(--tl-radius); }
      table { font-size: 12px; }
      thead th { position: sticky; top: 0; z-index: 1; }
      td.k { overflow-wrap: anywhere; }
      .num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
      tr:last-child td { border-bottom: 0; }
      .empty { padding: 8px; font-size: 12px; }
    `,
  ];

  constructor() {
    super();
    this.metrics = [];
    this.summaries = undefined;
    this.chartHref = undefined;
    this.filter = "";
  }

  private cell(v: number | string | undefined) {
    const text = formatNumber(v);
    return html`<td class="num mono" title=${v === undefined ? "" : String(v)}>${text}</td>`;
  }

  override render() {
    const rows = [...this.metrics]
      .sort((a, b) => a.key.localeCompare(b.key))
      .map((m) => ({ key: m.key, value: m.value, metric: m }));
    const shown = filterEntries(rows, this.filter);
    return html`<div class="head">
        <h2>Metrics <span class="muted">(${this.metrics.length})</span></h2>
        <span class="spacer"></span>
        <input
          type="search"
          placeholder="Filter metrics"
          aria-label="Filter metrics"
          .value=${this.filter}
          @input=${(e: Event) => {
            this.filter = (e.target as HTMLInputElement).value;
          }}
        />
      </div>
      <div class="scroll">
        ${
          shown.length === 0
            ? html`<div class="muted empty">${this.metrics.length ? "No metric matches the filter." : "No metrics logged."}</div>`
            : html`<table>
              <thead>
                <tr>
                  <th scope="col">Metric</th>
                  <th scope="col" class="num">Last</th>
                  <th scope="col" class="num">Min</th>
                  <th scope="col" class="num">Max</th>
                  <th scope="col" class="num">Step</th>
                </tr>
              </thead>
              <tbody>
                ${shown.map(({ key, metric }) => {
                  const s = this.summaries?.get(key);
                  return html`<tr>
                    <td class="k mono">${this.chartHref ? html`<a href=${this.chartHref(key)}>${key}</a>` : key}</td>
                    ${this.cell(s?.last ?? metric.value)} ${this.cell(s?.min)} ${this.cell(s?.max)}
                    <td class="num mono">${s?.last_step ?? metric.step}</td>
                  </tr>`;
                })}
              </tbody>
            </table>`
        }
      </div>`;
  }
}
customElements.define("tl-metrics-table", TlMetricsTable);
