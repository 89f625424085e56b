import { css, html, LitElement, type PropertyValues } from "lit";
import "../components/error.js";
import "../components/skeleton.js";
import { MetricChartsLoader, refreshMetricCharts } from "../charts/charts-loader.js";
import type { ChartRun } from "../charts/metric-chart.js";
import type { ChartSettings } from "../charts/settings.js";
import { shared } from "../styles.js";

/**
 * The experiment's metric charts (the Charts tab, or beside the table): loads the charts code on first use and draws
 * `<tl-metric-charts>` for the given runs. `tick` changes when running runs got new data: the drawn charts re-fetch.
 * Re-fires `settings-change` (detail: ChartSettings) for the page to write into the URL.
 */
export class TlRunsCharts extends LitElement {
  static override properties = {
    runs: { attribute: false },
    metricKeys: { attribute: false },
    settings: { attribute: false },
    note: {},
    tick: { type: Number },
  };
  declare runs: ChartRun[];
  declare metricKeys: string[];
  declare settings: ChartSettings;
  /** Which runs are drawn and why ("the first 10 runs", "3 selected runs"). */
  declare note: string;
  declare tick: number;
  private charts = new MetricChartsLoader(this);

  static override styles = [
    shared,
    css`
      :host { display: block; min-width: 0; }
      .note { font-size: 12px; margin: 0 0 8px; }
    `,
  ];

  constructor() {
    super();
    this.runs = [];
    this.metricKeys = [];
    this.settings = { x: "step", log: false, smoothing: 0 };
    this.note = "";
    this.tick = 0;
  }

  override updated(changed: PropertyValues<this>) {
    if (changed.has("tick") && changed.get("tick") !== undefined) refreshMetricCharts(this.renderRoot);
  }

  override render() {
    if (this.charts.error)
      return html`<tl-error .error=${this.charts.error} @retry=${() => this.charts.load()}></tl-error>`;
    const note = this.note ? html`<p class="note muted">${this.note}</p>` : "";
    if (this.runs.length === 0) return html`${note}<p class="muted">No runs to chart.</p>`;
    if (!this.charts.ready) return html`${note}<tl-skeleton .rows=${6} label="Loading charts"></tl-skeleton>`;
    return html`${note}<tl-metric-charts
      .runs=${this.runs}
      .metricKeys=${this.metricKeys}
      .settings=${this.settings}
      @settings-change=${(e: CustomEvent<ChartSettings>) => {
        e.stopPropagation();
        this.dispatchEvent(new CustomEvent("chart-settings", { detail: e.detail, bubbles: true, composed: true }));
      }}
    ></tl-metric-charts>`;
  }
}
customElements.define("tl-runs-charts", TlRunsCharts);

declare global {
  interface HTMLElementTagNameMap {
    "tl-runs-charts": TlRunsCharts;
  }
}
