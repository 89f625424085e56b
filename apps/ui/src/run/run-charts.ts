import { css, html, LitElement, type PropertyValues } from "lit";
import type { ChartSettings } from "../charts/settings.js";
import "../components/error.js";
import "../components/skeleton.js";
import { runColor } from "../lib/format.js";
import { shared } from "../styles.js";

let chartsModule: Promise<unknown> | undefined;

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
    ready: { state: true },
    error: { state: true },
  };
  declare runId: string;
  declare runName: string;
  declare keys: string[];
  declare settings: ChartSettings;
  /** What to say when the run has no such metrics. */
  declare emptyText: string;
  /** Bumped on each live refresh: the charts read their data again. */
  declare tick: number;
  declare ready: boolean;
  declare error: unknown;
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
    } catch (error) {
      chartsModule = undefined;
      this.error = error;
    }
  }

  override updated(changed: PropertyValues<this>) {
    if (changed.has("tick") && changed.get("tick") !== undefined) this.refreshCharts();
  }

  /**
   * Re-reads the drawn charts' data (live runs). Uses the grid's `refresh()` when it has one; otherwise reloads each
   * chart that has already drawn (charts still waiting to scroll into view fetch fresh data anyway).
   */
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
    if (this.error) return html`<tl-error .error=${this.error} @retry=${() => this.load()}></tl-error>`;
    if (!this.ready) return html`<tl-skeleton .rows=${6} label="Loading charts"></tl-skeleton>`;
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
