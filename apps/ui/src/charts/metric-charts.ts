import { css, html, LitElement, type PropertyValues } from "lit";
import "../components/error.js";
import { icons } from "../components/icons.js";
import "../components/skeleton.js";
import { shared } from "../styles.js";
import { ChartGroup } from "./chart-group.js";
import type { ChartRun } from "./metric-chart.js";
import { type ChartSettings, clampSmoothing, DEFAULT_CHART_SETTINGS } from "./settings.js";

export type { ChartRun } from "./metric-chart.js";

let kinds: Promise<unknown> | undefined;

/**
 * Loads the chart board and the chart kinds (their own chunk, FEATURES entry `chart-builder`); a failed import is
 * forgotten so Retry imports again.
 */
export function loadChartKinds(): Promise<unknown> {
  kinds ??= import("./chart-kinds.js").catch((e) => {
    kinds = undefined;
    throw e;
  });
  return kinds;
}

/**
 * The charts of a set of runs: a toolbar (x axis, log scale, smoothing, chart search, "Add chart") over the chart
 * board `<tl-chart-grid>` (a card per metric in sections by key prefix, bars for metrics logged once, the charts the
 * user added), which is loaded with the chart kinds on first use. Cursor and zoom are synced across the line charts.
 * Nothing here changes `settings` itself: it fires `settings-change` (detail: the new ChartSettings) and the page
 * writes them into the URL and passes them back.
 */
export class TlMetricCharts extends LitElement {
  static override properties = {
    runs: { attribute: false },
    metricKeys: { attribute: false },
    settings: { attribute: false },
    toolbar: { type: Boolean },
    draftSmoothing: { state: true },
    ready: { state: true },
    error: { state: true },
  };
  declare runs: ChartRun[];
  declare metricKeys: string[];
  declare settings: ChartSettings;
  /** Show the toolbar (default true). */
  declare toolbar: boolean;
  /** The slider's value while it is dragged, before `change` commits it. */
  declare draftSmoothing: number | undefined;
  declare ready: boolean;
  declare error: unknown;

  private group = new ChartGroup();

  static override styles = [
    shared,
    css`
      :host { display: block; }
      .toolbar label { display: inline-flex; align-items: center; gap: 6px; font-size: 13px; }
      .toolbar input[type="range"] { width: 120px; padding: 0; }
      .smooth-val { font-variant-numeric: tabular-nums; min-width: 2.5em; color: var(--tl-muted); }
      .toolbar input[type="search"] { width: 180px; }
      .hint { font-size: 12px; }
    `,
  ];

  constructor() {
    super();
    this.runs = [];
    this.metricKeys = [];
    this.settings = DEFAULT_CHART_SETTINGS;
    this.toolbar = true;
    this.ready = false;
    this.error = undefined;
  }

  override connectedCallback() {
    super.connectedCallback();
    if (!this.ready) void this.loadKinds();
  }

  private async loadKinds() {
    this.error = undefined;
    try {
      await loadChartKinds();
      this.ready = true;
    } catch (e) {
      this.error = e;
    }
  }

  private get grid() {
    return this.renderRoot.querySelector("tl-chart-grid");
  }

  protected override willUpdate(changed: PropertyValues<this>) {
    // Zoom windows are in x-axis units: a new x axis starts unzoomed.
    const old = changed.get("settings") as ChartSettings | undefined;
    if (old && old.x !== this.settings.x) this.group.window = null;
  }

  /** Re-reads the data of every chart already drawn (live runs); charts not yet in view fetch when they get there. */
  refresh() {
    this.grid?.refresh();
  }

  private change(patch: Partial<ChartSettings>) {
    const next = { ...this.settings, ...patch };
    this.dispatchEvent(
      new CustomEvent<ChartSettings>("settings-change", { detail: next, bubbles: true, composed: true }),
    );
  }

  private renderToolbar() {
    const s = this.settings;
    return html`<div class="toolbar" role="toolbar" aria-label="Chart settings">
      <label>X axis
        <select @change=${(e: Event) => this.change({ x: (e.target as HTMLSelectElement).value as ChartSettings["x"] })}>
          <option value="step" ?selected=${s.x === "step"}>Step</option>
          <option value="time" ?selected=${s.x === "time"}>Wall time</option>
          <option value="relative" ?selected=${s.x === "relative"}>Relative time</option>
        </select>
      </label>
      <label><input type="checkbox" .checked=${s.log}
        @change=${(e: Event) => this.change({ log: (e.target as HTMLInputElement).checked })} />Log scale</label>
      <label>Smoothing
        <input type="range" min="0" max="0.99" step="0.01" .value=${String(s.smoothing)} aria-label="Smoothing"
          @change=${(e: Event) => {
            this.draftSmoothing = undefined;
            this.change({ smoothing: clampSmoothing(Number((e.target as HTMLInputElement).value)) });
          }}
          @input=${(e: Event) => {
            this.draftSmoothing = Number((e.target as HTMLInputElement).value);
          }} />
        <span class="smooth-val">${(this.draftSmoothing ?? s.smoothing).toFixed(2)}</span>
      </label>
      <input type="search" aria-label="Search charts" placeholder="Search charts" .value=${s.search ?? ""}
        @input=${(e: Event) => this.change({ search: (e.target as HTMLInputElement).value })} />
      <button ?disabled=${!this.ready} @click=${() => this.grid?.addChart()}>${icons.plus} Add chart</button>
      <span class="spacer"></span>
      <span class="muted hint">Drag to zoom · double-click to reset</span>
    </div>`;
  }

  override render() {
    let body: unknown;
    if (this.error) body = html`<tl-error .error=${this.error} @retry=${() => this.loadKinds()}></tl-error>`;
    else if (!this.ready) body = html`<tl-skeleton .rows=${6} label="Loading charts"></tl-skeleton>`;
    else
      body = html`<tl-chart-grid .runs=${this.runs} .metricKeys=${this.metricKeys} .settings=${this.settings}
        .group=${this.group}></tl-chart-grid>`;
    return html`${this.toolbar ? this.renderToolbar() : ""}${body}`;
  }
}
customElements.define("tl-metric-charts", TlMetricCharts);

declare global {
  interface HTMLElementTagNameMap {
    "tl-metric-charts": TlMetricCharts;
  }
  interface HTMLElementEventMap {
    "settings-change": CustomEvent<ChartSettings>;
  }
}
