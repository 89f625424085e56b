import type { Run } from "@tracklite/schemas";
import { css, html, LitElement, type PropertyValues } from "lit";
import { client } from "../api.js";
import { legendHeight } from "../charts/chart-legend.js";
import { chartRunOf } from "../charts/chart-run.js";
import "../charts/metric-chart.js";
import type { ChartRun } from "../charts/metric-chart.js";
import { type ChartSettings, readChartSettings, sameChartSettings } from "../charts/settings.js";
import "../components/error.js";
import { href } from "../router.js";
import { shared } from "../styles.js";

/**
 * One chart without the app's frame, sized to the window, for notebooks and docs:
 * `#/embed/chart?runs=<id>,<id>&key=<metric>` plus the chart settings (`cx`, `clog`, `csmooth`) and `theme=light|dark`.
 * With `bench=1` it also installs `window.__tlChartBench` (the chart draw benchmark).
 */
export class TlEmbedChart extends LitElement {
  static override styles = [
    shared,
    css`
      :host { display: block; }
      .foot { display: flex; justify-content: flex-end; font-size: 12px; margin-top: 2px; }
    `,
  ];
  static override properties = {
    params: { attribute: false },
    query: { attribute: false },
    runs: { state: true },
    error: { state: true },
    height: { state: true },
  };
  declare params: Record<string, string>;
  declare query: URLSearchParams;
  declare runs: ChartRun[] | undefined;
  declare error: unknown;
  declare height: number;
  private settings: ChartSettings = readChartSettings(new URLSearchParams());

  constructor() {
    super();
    this.params = {};
    this.query = new URLSearchParams();
    this.runs = undefined;
    this.error = undefined;
    this.height = 300;
  }

  override connectedCallback() {
    super.connectedCallback();
    window.addEventListener("resize", this.onResize);
    this.onResize();
  }

  override disconnectedCallback() {
    window.removeEventListener("resize", this.onResize);
    super.disconnectedCallback();
  }

  private get runIds(): string[] {
    return (this.query.get("runs") ?? "").split(",").filter(Boolean);
  }

  private onResize = () => {
    const legend = legendHeight(this.runIds.length);
    // The embed frame pads 8px; the heading and the footer link take about 44px.
    this.height = Math.max(120, window.innerHeight - 16 - 44 - legend);
  };

  protected override willUpdate(changed: PropertyValues<this>) {
    if (!changed.has("query")) return;
    const next = readChartSettings(this.query);
    if (!sameChartSettings(next, this.settings)) this.settings = next;
    const before = (changed.get("query") as URLSearchParams | undefined)?.get("runs");
    if (before !== this.query.get("runs") || this.runs === undefined) void this.load();
    this.onResize();
    const theme = this.query.get("theme");
    if (theme === "light" || theme === "dark") {
      document.documentElement.dataset.theme = theme;
      window.dispatchEvent(new CustomEvent("tl-theme-change", { detail: theme }));
    }
    if (this.query.get("bench") === "1") {
      void import("../charts/bench.js").then((m) => {
        (window as unknown as { __tlChartBench: typeof m.benchChart }).__tlChartBench = m.benchChart;
      });
    }
  }

  private async load() {
    const ids = this.runIds;
    this.error = undefined;
    try {
      const runs: Run[] = await Promise.all(ids.map((id) => client.getRun(id)));
      this.runs = runs.map(chartRunOf);
    } catch (e) {
      this.error = e;
    }
  }

  override render() {
    const key = this.query.get("key") ?? "";
    if (!key || !this.runIds.length)
      return html`<p class="muted">
        Give the runs and the metric: <code class="mono">#/embed/chart?runs=&lt;run id&gt;,&lt;run id&gt;&amp;key=&lt;metric&gt;</code>
      </p>`;
    if (this.error) return html`<tl-error .error=${this.error} @retry=${() => this.load()}></tl-error>`;
    if (!this.runs) return html`<p class="muted">Loading ${key}…</p>`;
    const open = href("/compare", { runs: this.runIds.join(",") });
    return html`
      <tl-metric-chart .runs=${this.runs} .metricKey=${key} .settings=${this.settings} .height=${this.height}></tl-metric-chart>
      <div class="foot"><a href=${open} target="_blank" rel="noopener">Open in tracklite</a></div>
    `;
  }
}
customElements.define("tl-embed-chart", TlEmbedChart);
