import type { Run } from "@tracklite/schemas";
import { css, html, LitElement, nothing, type PropertyValues } from "lit";
import { client } from "../api.js";
import { DEFAULT_CHART_SETTINGS } from "../charts/settings.js";
import "../components/error.js";
import "../components/pill.js";
import "../components/skeleton.js";
import { formatDuration, formatNumber, runColor } from "../lib/format.js";
import { href, seg } from "../router.js";
import { LiveRefresh } from "../run/live-refresh.js";
import { runSummary, splitMetricKeys } from "../run/run-info.js";
import { shared } from "../styles.js";

/** How many params and metrics the card lists. */
const SHOWN = 8;

/**
 * Embed mode `#/embed/run/:runId[?metric=key]`: one run as a card for notebooks and docs — name, status, duration,
 * key params, last metrics and a small chart of one metric (the first model metric unless `metric` names one).
 * No app frame; a running run refreshes itself.
 */
export class TlEmbedRun extends LitElement {
  static override properties = {
    params: { attribute: false },
    query: { attribute: false },
    run: { state: true },
    error: { state: true },
    chartReady: { state: true },
  };
  declare params: Record<string, string>;
  declare query: URLSearchParams;
  declare run: Run | undefined;
  declare error: unknown;
  declare chartReady: boolean;
  private seq = 0;
  private chartRuns: { runId: string; name: string; color: string }[] = [];

  static override styles = [
    shared,
    css`
      :host { display: block; max-width: 760px; }
      .card { display: flex; flex-direction: column; gap: 10px; }
      .head { display: flex; align-items: center; gap: 8px; flex-wrap: wrap; }
      .head h1 { margin: 0; font-size: 17px; }
      .head .muted { font-size: 13px; }
      .cols { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 16px; }
      h2 { font-size: 13px; margin: 0 0 4px; }
      table { font-size: 12px; table-layout: fixed; }
      td.k { width: 45%; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
      td.v {
        font-family: var(--tl-mono); text-align: right; font-variant-numeric: tabular-nums; overflow: hidden;
        text-overflow: ellipsis; white-space: nowrap;
      }
      .more { font-size: 12px; }
      .note { font-size: 12px; }
    `,
  ];

  constructor() {
    super();
    this.params = {};
    this.query = new URLSearchParams();
    this.run = undefined;
    this.error = undefined;
    this.chartReady = false;
    new LiveRefresh(
      this,
      () => this.run?.info.status === "RUNNING",
      () => this.load(true),
      4000,
    );
  }

  override willUpdate(changed: PropertyValues<this>) {
    if (
      changed.has("params") &&
      (changed.get("params") as Record<string, string> | undefined)?.runId !== this.params.runId
    ) {
      this.run = undefined;
      void this.load();
    }
  }

  private async load(live = false) {
    const seq = ++this.seq;
    if (!live) this.error = undefined;
    try {
      const run = await client.getRun(this.params.runId ?? "");
      if (seq !== this.seq) return;
      this.run = run;
      this.error = undefined;
      this.chartRuns = [{ runId: run.info.run_id, name: runSummary(run).name, color: runColor(run.info.run_id) }];
      if (live) this.reloadChart();
      if ((run.data.metrics ?? []).length > 0 && !this.chartReady) {
        await import("../charts/metric-chart.js");
        this.chartReady = true;
      }
    } catch (error) {
      if (seq === this.seq) this.error = error;
    }
  }

  private reloadChart() {
    const chart = this.renderRoot.querySelector("tl-metric-chart") as (HTMLElement & { load?: () => void }) | null;
    chart?.load?.();
  }

  override render() {
    const run = this.run;
    if (!run) {
      return this.error
        ? html`<tl-error .error=${this.error} @retry=${() => this.load()}></tl-error>`
        : html`<tl-skeleton .rows=${6} label="Loading the run"></tl-skeleton>`;
    }
    const s = runSummary(run);
    const params = [...(run.data.params ?? [])].sort((a, b) => a.key.localeCompare(b.key));
    const keys = splitMetricKeys((run.data.metrics ?? []).map((m) => m.key)).model;
    const metrics = [...(run.data.metrics ?? [])]
      .filter((m) => !m.key.startsWith("system/"))
      .sort((a, b) => a.key.localeCompare(b.key));
    const wanted = this.query.get("metric");
    const chartKey = wanted && keys.includes(wanted) ? wanted : keys[0];
    const link = `${location.origin}${location.pathname}${href(`/experiments/${seg(s.experimentId)}/runs/${seg(s.id)}`)}`;
    return html`<article class="card" aria-label="Run ${s.name}">
      <div class="head">
        <h1><a href=${link} target="_blank" rel="noopener">${s.name}</a></h1>
        <tl-pill .status=${s.status}></tl-pill>
        ${s.duration !== undefined ? html`<span class="muted">Duration ${formatDuration(s.duration)}</span>` : nothing}
        <span class="spacer"></span>
        <span class="muted mono" title=${s.id}>${s.id.slice(0, 8)}</span>
      </div>
      ${this.error ? html`<tl-error .error=${this.error} @retry=${() => this.load()}></tl-error>` : nothing}
      <div class="cols">
        <section>
          <h2>Parameters</h2>
          ${
            params.length
              ? html`<table><tbody>
                ${params.slice(0, SHOWN).map((p) => html`<tr><td class="k" title=${p.key}>${p.key}</td><td class="v" title=${p.value}>${p.value}</td></tr>`)}
              </tbody></table>
              ${params.length > SHOWN ? html`<span class="muted more">and ${params.length - SHOWN} more</span>` : nothing}`
              : html`<p class="muted note">No parameters.</p>`
          }
        </section>
        <section>
          <h2>Metrics</h2>
          ${
            metrics.length
              ? html`<table><tbody>
                ${metrics.slice(0, SHOWN).map((m) => html`<tr><td class="k" title=${m.key}>${m.key}</td><td class="v" title=${String(m.value)}>${formatNumber(m.value)}</td></tr>`)}
              </tbody></table>
              ${metrics.length > SHOWN ? html`<span class="muted more">and ${metrics.length - SHOWN} more</span>` : nothing}`
              : html`<p class="muted note">No metrics.</p>`
          }
        </section>
      </div>
      ${
        chartKey && this.chartReady
          ? html`<tl-metric-chart
              .runs=${this.chartRuns}
              .metricKey=${chartKey}
              .settings=${DEFAULT_CHART_SETTINGS}
              .height=${160}
            ></tl-metric-chart>`
          : nothing
      }
    </article>`;
  }
}
customElements.define("tl-embed-run", TlEmbedRun);
