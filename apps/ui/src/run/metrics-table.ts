import type { Metric, MetricSummary } from "@tracklite/schemas";
import { css, html, LitElement } from "lit";
import { formatNumber } from "../lib/format.js";
import { shared } from "../styles.js";
import { filterTable, filterTableStyles } from "./filter-table.js";
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
    filterTableStyles,
    css`
      td.k { overflow-wrap: anywhere; }
      .num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
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
    return filterTable({
      title: "Metrics",
      count: this.metrics.length,
      filterLabel: "Filter metrics",
      filter: this.filter,
      onFilter: (text) => {
        this.filter = text;
      },
      shown: shown.length,
      noMatch: "No metric matches the filter.",
      none: "No metrics logged.",
      table: () => html`<table>
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
            </table>`,
    });
  }
}
customElements.define("tl-metrics-table", TlMetricsTable);
