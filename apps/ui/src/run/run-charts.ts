import { css, html, LitElement, type PropertyValues } from "lit";
import { MetricChartsLoader, refreshMetricCharts } from "../charts/charts-loader.js";
import type { ChartSettings } from "../charts/settings.js";
import "../components/error.js";
import "../components/skeleton.js";
import { runColor } from "../lib/format.js";
import { shared } from "../styles.js";

/**
 * The run page's Metrics and System tabs: one chart per metric key of this run, drawn by the shared chart grid
 * (loaded on first use, with uPlot). The chart settings come from and go to the URL through `settings-change`.
 */
export class TlRunCharts extends LitElement {
  static override properties = {
    runId: {},
    runName: {},
    keys: { attribute: false },
    settings: { attribute: false },
    emptyText: {},
    tick: { type: Number },
  };
  declare runId: string;
  declare runName: string;
  declare keys: string[];
  declare settings: ChartSettings;
  /** What to say when the run has no such metrics. */
  declare emptyText: string;
  /** Bumped on each live refresh: the charts read their data again. */
  declare tick: number;
  private charts = new MetricChartsLoader(this);
  private runsCache: { key: string; runs: { runId: string; name: string; color: string }[] } | undefined;

  static override styles = [
    shared,
    css`
      :host { display: block; }
      .empty { padding: 16px 0; }
    `,
  ];

  constructor() {
    super();
    this.runId = "";
    this.runName = "";
    this.keys = [];
    this.emptyText = "No metrics logged.";
    this.tick = 0;
  }

  override updated(changed: PropertyValues<this>) {
    // Live refresh: the drawn charts read their data again (charts still waiting to scroll into view fetch anyway).
    if (changed.has("tick") && changed.get("tick") !== undefined) refreshMetricCharts(this.renderRoot);
  }

  /** The same array while the run stays, so the charts do not re-read data on unrelated renders. */
  private runs() {
    const key = `${this.runId}\u0000${this.runName}`;
    if (this.runsCache?.key !== key) {
      this.runsCache = { key, runs: [{ runId: this.runId, name: this.runName, color: runColor(this.runId) }] };
    }
    return this.runsCache.runs;
  }

  override render() {
    if (this.keys.length === 0) return html`<p class="muted empty">${this.emptyText}</p>`;
    if (this.charts.error)
      return html`<tl-error .error=${this.charts.error} @retry=${() => this.charts.load()}></tl-error>`;
    if (!this.charts.ready) return html`<tl-skeleton .rows=${6} label="Loading charts"></tl-skeleton>`;
    return html`<tl-metric-charts
      .runs=${this.runs()}
      .metricKeys=${this.keys}
      .settings=${this.settings}
      @settings-change=${(e: CustomEvent<ChartSettings>) => {
        e.stopPropagation();
        this.dispatchEvent(new CustomEvent("settings-change", { detail: e.detail, bubbles: true, composed: true }));
      }}
    ></tl-metric-charts>`;
  }
}
customElements.define("tl-run-charts", TlRunCharts);
