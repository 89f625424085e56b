import { css, html, LitElement, type PropertyValues } from "lit";
import "../components/error.js";
import "../components/skeleton.js";
import type { ChartSettings } from "../charts/settings.js";
import { shared } from "../styles.js";

/** The runs a chart draws: id, legend name and line colour. */
export interface ChartRun {
  runId: string;
  name: string;
  color: string;
}

let chartsModule: Promise<unknown> | undefined;

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
    ready: { state: true },
    error: { state: true },
  };
  declare runs: ChartRun[];
  declare metricKeys: string[];
  declare settings: ChartSettings;
  /** Which runs are drawn and why ("the first 10 runs", "3 selected runs"). */
  declare note: string;
  declare tick: number;
  declare ready: boolean;
  declare error: unknown;

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
    this.ready = false;
    this.error = undefined;
  }

  override connectedCallback() {
    super.connectedCallback();
    void this.load();
  }

  private async load() {
    this.error = undefined;
    try {
      chartsModule ??= import("../charts/metric-charts.js");
      await chartsModule;
      this.ready = true;
    } catch (e) {
      chartsModule = undefined;
      this.error = e;
    }
  }

  override updated(changed: PropertyValues<this>) {
    if (changed.has("tick") && changed.get("tick") !== undefined) this.refreshCharts();
  }

  /** Re-reads the data of charts already drawn (the grid's `refresh()` when it has one). */
  private refreshCharts() {
    const grid = this.renderRoot.querySelector("tl-metric-charts") as (HTMLElement & { refresh?: () => void }) | null;
    if (!grid) return;
    if (typeof grid.refresh === "function") {
      grid.refresh();
      return;
    }
    for (const chart of grid.shadowRoot?.querySelectorAll("tl-metric-chart") ?? []) {
      const c = chart as HTMLElement & { phase?: string; load?: () => Promise<void> };
      if (c.phase === "ready" && typeof c.load === "function") void c.load();
    }
  }

  override render() {
    if (this.error) return html`<tl-error .error=${this.error} @retry=${() => this.load()}></tl-error>`;
    const note = this.note ? html`<p class="note muted">${this.note}</p>` : "";
    if (this.runs.length === 0) return html`${note}<p class="muted">No runs to chart.</p>`;
    if (!this.ready) return html`${note}<tl-skeleton .rows=${6} label="Loading charts"></tl-skeleton>`;
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
