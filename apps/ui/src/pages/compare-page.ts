import type { Run } from "@tracklite/schemas";
import { css, html, LitElement, nothing, type PropertyValues } from "lit";
import { client } from "../api.js";
import { chartRunOf, chartRunsOf } from "../charts/chart-run.js";
import { type Column, columnId, differs, makeScale } from "../charts/columns.js";
import {
  type ImageGridView,
  LOGGED_IMAGES_TAG,
  readImageGridView,
  writeImageGridView,
} from "../charts/image-grid-view.js";
import type { ChartRun } from "../charts/metric-chart.js";
import "../charts/metric-charts.js";
import "../charts/parallel-coords.js";
import { defaultParallelColumns } from "../charts/parallel-defaults.js";
import "../charts/scatter-plot.js";
import { type ChartSettings, readChartSettings, sameChartSettings, writeChartSettings } from "../charts/settings.js";
import "../components/error.js";
import { icons } from "../components/icons.js";
import "../components/pill.js";
import "../components/skeleton.js";
import "../components/time.js";
import { formatDuration, formatNumber, tagRecord } from "../lib/format.js";
import { href, navigate, seg } from "../router.js";
import { shared } from "../styles.js";

const collator = new Intl.Collator("en", { numeric: true });

/** A row of the side-by-side table. */
interface Row {
  key: string;
  values: (string | number | undefined)[];
  numeric: boolean;
}

/**
 * Compare runs, `#/compare?runs=<id>,<id>,…`: params and metrics side by side (a column per run; "Only differences"
 * hides rows where every run agrees), overlaid charts of the metrics the runs share, parallel coordinates and a
 * scatter of any two columns, and the runs' images (`log_image` over steps, or image artifacts) in an image grid. The
 * URL holds the view: `diff=1`, `q` (key filter), `pc` (parallel-coordinates columns, repeated), `sx`/`sy` (scatter
 * axes), the chart settings (`cx`, `clog`, `csmooth`) and the image grid's (see `image-grid-view.ts`).
 */
export class TlComparePage extends LitElement {
  static override properties = {
    params: { attribute: false },
    query: { attribute: false },
    runs: { state: true },
    error: { state: true },
  };
  declare params: Record<string, string>;
  declare query: URLSearchParams;
  declare runs: Run[] | undefined;
  declare error: unknown;

  /** Runs of the URL that could not be loaded (shown with their error; the others are compared). */
  private failed: { id: string; error: unknown }[] = [];
  private settings: ChartSettings = readChartSettings(new URLSearchParams());
  private chartRuns: ChartRun[] = [];
  private paramRows: Row[] = [];
  private metricRows: Row[] = [];
  private sharedMetrics: string[] = [];
  private loadSeq = 0;

  static override styles = [
    shared,
    css`
      :host { display: block; }
      h1 .muted { font-weight: 400; font-size: 14px; margin-left: 6px; }
      .wrap { overflow: auto; max-height: 60vh; border: 1px solid var(--tl-border); border-radius: var(--tl-radius); }
      table { font-size: 12px; width: max-content; min-width: 100%; }
      th, td { padding: 4px 10px; white-space: nowrap; max-width: 260px; overflow: hidden; text-overflow: ellipsis; }
      thead th { position: sticky; top: 0; z-index: 2; vertical-align: bottom; }
      tbody th { position: sticky; left: 0; z-index: 1; background: var(--tl-bg-alt); font-weight: 500; color: var(--tl-fg); }
      thead th:first-child { left: 0; z-index: 3; }
      .runhead { display: flex; align-items: center; gap: 6px; }
      .runhead a { color: var(--tl-fg); font-weight: 600; }
      .runhead button { border: none; padding: 0 2px; background: none; color: var(--tl-muted); }
      .sw { width: 10px; height: 10px; border-radius: 2px; flex: none; }
      tr.group th { background: var(--tl-bg); color: var(--tl-muted); text-transform: uppercase; font-size: 11px;
        letter-spacing: 0.04em; padding-top: 10px; }
      tr.diff td { background: color-mix(in srgb, var(--tl-warn) 10%, transparent); }
      tr.diff th::after { content: " ≠"; color: var(--tl-warn); }
      td.num { text-align: right; font-variant-numeric: tabular-nums; font-family: var(--tl-mono); }
      td.param { font-family: var(--tl-mono); }
      td.missing { color: var(--tl-muted); }
      section { margin-top: 24px; }
      .picker { position: relative; }
      .picker summary { cursor: pointer; list-style: none; }
      .picker summary::-webkit-details-marker { display: none; }
      .picker .menu {
        position: absolute; z-index: 5; background: var(--tl-bg); border: 1px solid var(--tl-border); box-shadow: var(--tl-shadow);
        border-radius: var(--tl-radius); padding: 6px 8px; max-height: 320px; overflow: auto; min-width: 260px;
      }
      .menu label { display: flex; gap: 6px; align-items: center; padding: 2px 0; font-size: 13px; white-space: nowrap; }
      .menu .grp { color: var(--tl-muted); font-size: 11px; text-transform: uppercase; margin-top: 6px; }
      .toolbar label { display: inline-flex; gap: 6px; align-items: center; font-size: 13px; }
    `,
  ];

  constructor() {
    super();
    this.params = {};
    this.query = new URLSearchParams();
    this.runs = undefined;
    this.error = undefined;
  }

  private get runIds(): string[] {
    return [...new Set((this.query.get("runs") ?? "").split(",").filter(Boolean))];
  }

  protected override willUpdate(changed: PropertyValues<this>) {
    if (changed.has("query")) {
      const next = readChartSettings(this.query);
      if (!sameChartSettings(next, this.settings)) this.settings = next;
      const before = (changed.get("query") as URLSearchParams | undefined)?.get("runs");
      if (before !== this.query.get("runs") || this.runs === undefined) void this.load();
    }
  }

  private async load() {
    const seq = ++this.loadSeq;
    const ids = this.runIds;
    this.error = undefined;
    this.runs = undefined;
    const results = await Promise.allSettled(ids.map((id) => client.getRun(id)));
    if (seq !== this.loadSeq) return;
    const runs = results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
    this.failed = results.flatMap((r, i) =>
      r.status === "rejected" ? [{ id: ids[i] as string, error: r.reason }] : [],
    );
    if (!runs.length && this.failed.length) {
      this.error = this.failed[0]?.error;
      return;
    }
    this.index(runs);
    this.runs = runs;
  }

  /** Builds the table rows, chart runs and shared metric keys once per load. */
  private index(runs: Run[]) {
    this.chartRuns = chartRunsOf(runs, (r) => r.info.run_id, chartRunOf);
    const rows = (pick: (r: Run) => { key: string; value?: string | number }[] | undefined, numeric: boolean) => {
      const maps = runs.map((r) => new Map((pick(r) ?? []).map((kv) => [kv.key, kv.value])));
      const keys = [...new Set(maps.flatMap((m) => [...m.keys()]))].sort(collator.compare);
      return keys.map((key) => ({ key, values: maps.map((m) => m.get(key)), numeric }));
    };
    this.paramRows = rows((r) => r.data.params, false);
    this.metricRows = rows((r) => r.data.metrics, true);
    const need = Math.min(2, runs.length);
    this.sharedMetrics = this.metricRows
      .filter((r) => r.values.filter((v) => v !== undefined).length >= need)
      .map((r) => r.key);
  }

  /** Writes view changes into the URL (the page re-renders from the new query). */
  private setQuery(edit: (q: URLSearchParams) => void) {
    const q = new URLSearchParams(this.query);
    edit(q);
    navigate("/compare", q, true);
  }

  private get columns(): Column[] {
    return [
      ...this.paramRows.map((r) => ({
        id: columnId("param", r.key),
        kind: "param" as const,
        key: r.key,
        values: r.values,
      })),
      ...this.metricRows.map((r) => ({
        id: columnId("metric", r.key),
        kind: "metric" as const,
        key: r.key,
        values: r.values,
      })),
    ];
  }

  /** Parallel-coordinates columns: from the URL, else the params that vary and the main metrics (at most 8). */
  private pcColumns(all: Column[]): Column[] {
    const chosen = this.query.getAll("pc");
    if (this.query.has("pc")) return chosen.flatMap((id) => all.filter((c) => c.id === id));
    return defaultParallelColumns(all);
  }

  private scatterAxes(all: Column[]): [Column | undefined, Column | undefined] {
    const byId = (id: string | null) => (id ? all.find((c) => c.id === id) : undefined);
    const numeric = (c: Column) => makeScale(c.values)?.kind === "linear";
    const x =
      byId(this.query.get("sx")) ??
      all.find((c) => c.kind === "param" && differs(c.values) && numeric(c)) ??
      all.find((c) => c.kind === "param") ??
      all[0];
    const y =
      byId(this.query.get("sy")) ??
      all.find((c) => c.kind === "metric" && differs(c.values)) ??
      all.find((c) => c.kind === "metric" && c !== x) ??
      all.find((c) => c !== x);
    return [x, y];
  }

  private removeRun(id: string) {
    this.setQuery((q) => q.set("runs", this.runIds.filter((r) => r !== id).join(",")));
  }

  private renderTable(runs: Run[]) {
    const onlyDiff = this.query.get("diff") === "1";
    const filter = (this.query.get("q") ?? "").toLowerCase();
    const keep = (r: Row) => (!onlyDiff || differs(r.values)) && (!filter || r.key.toLowerCase().includes(filter));
    const params = this.paramRows.filter(keep);
    const metrics = this.metricRows.filter(keep);
    const cell = (r: Row, v: string | number | undefined) => {
      if (v === undefined) return html`<td class="missing ${r.numeric ? "num" : ""}">–</td>`;
      return r.numeric
        ? html`<td class="num" title=${String(v)}>${formatNumber(v)}</td>`
        : html`<td class="param" title=${String(v)}>${String(v)}</td>`;
    };
    const group = (label: string, rows: Row[], total: number) => html`
      <tr class="group"><th colspan=${runs.length + 1}>${label} <span class="muted">(${rows.length}${
        rows.length !== total ? ` of ${total}` : ""
      })</span></th></tr>
      ${rows.map(
        (r) => html`<tr class=${differs(r.values) ? "diff" : ""}>
          <th title=${r.key}>${r.key}</th>${r.values.map((v) => cell(r, v))}
        </tr>`,
      )}
    `;
    return html`
      <div class="toolbar">
        <label><input type="checkbox" .checked=${onlyDiff}
          @change=${(e: Event) => this.setQuery((q) => ((e.target as HTMLInputElement).checked ? q.set("diff", "1") : q.delete("diff")))} />
          Only differences</label>
        <input type="search" placeholder="Filter keys" aria-label="Filter keys" .value=${this.query.get("q") ?? ""}
          @input=${(e: Event) => {
            const v = (e.target as HTMLInputElement).value;
            this.setQuery((q) => (v ? q.set("q", v) : q.delete("q")));
          }} />
      </div>
      <div class="wrap">
        <table>
          <thead>
            <tr>
              <th>Run</th>
              ${runs.map((r, i) => {
                const c = this.chartRuns[i] as ChartRun;
                return html`<th><div class="runhead">
                  <span class="sw" style="background:${c.color}"></span>
                  <a href=${href(`/experiments/${seg(r.info.experiment_id)}/runs/${seg(r.info.run_id)}`)} title=${r.info.run_id}>${c.name}</a>
                  <button aria-label="Remove ${c.name} from the comparison" title="Remove from the comparison"
                    @click=${() => this.removeRun(r.info.run_id)}>${icons.close}</button>
                </div></th>`;
              })}
            </tr>
          </thead>
          <tbody>
            <tr><th>Status</th>${runs.map((r) => html`<td><tl-pill .status=${r.info.status}></tl-pill></td>`)}</tr>
            <tr><th>Started</th>${runs.map((r) => html`<td><tl-time .ms=${r.info.start_time}></tl-time></td>`)}</tr>
            <tr><th>Duration</th>${runs.map(
              (r) =>
                html`<td class="num">${
                  r.info.start_time ? formatDuration((r.info.end_time || Date.now()) - r.info.start_time) : "–"
                }</td>`,
            )}</tr>
            <tr><th>User</th>${runs.map((r) => html`<td>${r.info.user_id || tagRecord(r.data.tags)["mlflow.user"] || "–"}</td>`)}</tr>
            ${group("Parameters", params, this.paramRows.length)}
            ${group("Metrics", metrics, this.metricRows.length)}
          </tbody>
        </table>
      </div>
    `;
  }

  private renderPicker(all: Column[], chosen: Column[]) {
    const ids = new Set(chosen.map((c) => c.id));
    const toggle = (id: string, on: boolean) => {
      const next = all.filter((c) => (c.id === id ? on : ids.has(c.id))).map((c) => c.id);
      this.setQuery((q) => {
        q.delete("pc");
        for (const v of next) q.append("pc", v);
        if (!next.length) q.append("pc", "");
      });
    };
    const item = (c: Column) => html`<label><input type="checkbox" .checked=${ids.has(c.id)}
      @change=${(e: Event) => toggle(c.id, (e.target as HTMLInputElement).checked)} />${c.key}</label>`;
    return html`<details class="picker">
      <summary class="button">Columns (${chosen.length})</summary>
      <div class="menu">
        <div class="grp">Parameters</div>${all.filter((c) => c.kind === "param").map(item)}
        <div class="grp">Metrics</div>${all.filter((c) => c.kind === "metric").map(item)}
      </div>
    </details>`;
  }

  private renderScatterSelect(label: string, param: "sx" | "sy", all: Column[], value: Column | undefined) {
    return html`<label>${label}
      <select @change=${(e: Event) => this.setQuery((q) => q.set(param, (e.target as HTMLSelectElement).value))}>
        <optgroup label="Parameters">
          ${all.filter((c) => c.kind === "param").map((c) => html`<option value=${c.id} ?selected=${c.id === value?.id}>${c.key}</option>`)}
        </optgroup>
        <optgroup label="Metrics">
          ${all.filter((c) => c.kind === "metric").map((c) => html`<option value=${c.id} ?selected=${c.id === value?.id}>${c.key}</option>`)}
        </optgroup>
      </select>
    </label>`;
  }

  /** The image grid (its own chunk, loaded when the section first renders). */
  private renderImages(runs: Run[]) {
    void import("../charts/image-grid-panel.js");
    const logged = runs.some((r) => tagRecord(r.data.tags)[LOGGED_IMAGES_TAG]);
    return html`<section>
      <h2>Images</h2>
      <tl-image-grid-panel .runs=${this.chartRuns} .view=${readImageGridView(this.query)}
        .defaultMode=${logged ? "logged" : "artifacts"}
        @image-view-change=${(e: CustomEvent<ImageGridView>) => this.setQuery((q) => writeImageGridView(q, e.detail))}>
      </tl-image-grid-panel>
    </section>`;
  }

  override render() {
    const ids = this.runIds;
    if (!ids.length)
      return html`<h1>Compare runs</h1>
        <p class="muted">No runs chosen. Select runs in an experiment's runs table and press Compare.</p>`;
    const head = html`<h1>Compare runs <span class="muted">${ids.length} ${ids.length === 1 ? "run" : "runs"}</span></h1>`;
    if (this.error) return html`${head}<tl-error .error=${this.error} @retry=${() => this.load()}></tl-error>`;
    if (!this.runs) return html`${head}<tl-skeleton .rows=${8} label="Loading runs"></tl-skeleton>`;
    const all = this.columns;
    const pc = this.pcColumns(all);
    const [sx, sy] = this.scatterAxes(all);
    return html`
      ${head}
      ${this.failed.map(
        (f) => html`<tl-error .error=${f.error} @retry=${() => this.load()}></tl-error>
          <p class="muted">Run <code class="mono">${f.id}</code> is left out.
            <button @click=${() => this.removeRun(f.id)}>Remove it from the comparison</button></p>`,
      )}
      ${this.renderTable(this.runs)}
      <section>
        <h2>Charts</h2>
        <tl-metric-charts .runs=${this.chartRuns} .metricKeys=${this.sharedMetrics} .settings=${this.settings}
          @settings-change=${(e: CustomEvent<ChartSettings>) => this.setQuery((q) => writeChartSettings(q, e.detail))}>
        </tl-metric-charts>
      </section>
      <section>
        <h2>Parallel coordinates</h2>
        ${
          all.length
            ? html`<div class="toolbar">${this.renderPicker(all, pc)}</div>
                <tl-parallel-coords .runs=${this.chartRuns} .columns=${pc}></tl-parallel-coords>`
            : html`<p class="muted">These runs have no params or metrics.</p>`
        }
      </section>
      <section>
        <h2>Scatter plot</h2>
        ${
          all.length
            ? html`<div class="toolbar">
                ${this.renderScatterSelect("X", "sx", all, sx)} ${this.renderScatterSelect("Y", "sy", all, sy)}
              </div>
              <tl-scatter-plot .runs=${this.chartRuns} .x=${sx} .y=${sy}></tl-scatter-plot>`
            : nothing
        }
      </section>
      ${this.renderImages(this.runs)}
    `;
  }
}
customElements.define("tl-compare-page", TlComparePage);
