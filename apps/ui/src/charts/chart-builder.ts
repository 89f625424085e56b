import { css, html, LitElement, nothing, type PropertyValues } from "lit";
import { shared } from "../styles.js";
import { CHART_KINDS, type ChartKind, type ChartSpec, KIND_LABELS, type XAxis } from "./chart-board.js";
import { differs, parseColumnId } from "./columns.js";
import type { ChartRun } from "./metric-chart.js";
import "./bar-chart.js";
import "./chart-body.js";
import "./metric-chart.js";
import { columnIds, columnOf, type RunValues, runValues } from "./run-values.js";
import { type ChartSettings, clampSmoothing, DEFAULT_CHART_SETTINGS } from "./settings.js";

/** Columns each kind needs: names of the pickers, in order. */
const AXES: Partial<Record<ChartKind, string[]>> = {
  scatter: ["X axis", "Y axis"],
  contour: ["X axis", "Y axis", "Z (colour)"],
};

/** A label for a column id: `lr (param)`, `accuracy (metric)`. */
function columnLabel(id: string): string {
  const c = parseColumnId(id);
  return c ? `${c.key} (${c.kind})` : id;
}

/**
 * A first choice of columns for a kind, as MLflow's builder pre-fills its form: scatter and contour take params that
 * vary for their axes and a metric for z; parallel coordinates take the varying params and then the metrics. Pure.
 */
export function defaultColumns(kind: ChartKind, ids: readonly string[], values: readonly RunValues[]): string[] {
  const varies = (id: string) => differs(columnOf(id, values)?.values ?? []);
  const params = ids.filter((id) => id.startsWith("p:") && varies(id));
  const metrics = ids.filter((id) => id.startsWith("m:") && !id.startsWith("m:system/"));
  const pool = [...params, ...metrics];
  if (kind === "scatter") return pool.slice(0, 2);
  if (kind === "contour") return [...params.slice(0, 2), ...metrics.slice(0, 1)].slice(0, 3);
  if (kind === "parallel") return [...params.slice(0, 6), ...metrics.slice(0, 3)];
  return [];
}

/**
 * The "Add chart" dialog (and a chart's settings): pick a kind, then what it shows — a metric (line, bar), columns
 * (scatter, contour, parallel coordinates), the x axis, log scale and smoothing of a line chart. `locked` limits the
 * kinds to line and bar (a default metric chart's settings). Fires `builder-save` (detail: the ChartSpec) or
 * `builder-close`.
 */
export class TlChartBuilder extends LitElement {
  static override properties = {
    spec: { attribute: false },
    metricKeys: { attribute: false },
    runs: { attribute: false },
    locked: { type: Boolean },
    settings: { attribute: false },
    draft: { state: true },
    values: { state: true },
    colFilter: { state: true },
  };
  /** The chart being edited; undefined for a new one. */
  declare spec: ChartSpec | undefined;
  declare metricKeys: string[];
  declare runs: ChartRun[];
  declare locked: boolean;
  /** The page's chart settings (what a line chart follows unless it sets its own), for the preview. */
  declare settings: ChartSettings;
  declare draft: ChartSpec;
  declare values: RunValues[] | undefined;
  declare colFilter: string;

  static override styles = [
    shared,
    css`
      dialog {
        border: 1px solid var(--tl-border); border-radius: var(--tl-radius); background: var(--tl-bg);
        color: var(--tl-fg); width: min(760px, 94vw); padding: 16px 20px;
      }
      dialog::backdrop { background: rgb(0 0 0 / 0.35); }
      h2 { margin-top: 0; }
      .kinds { display: flex; flex-wrap: wrap; gap: 6px; margin-bottom: 12px; }
      .kinds button[aria-pressed="true"] { border-color: var(--tl-accent); color: var(--tl-accent); font-weight: 600; }
      .field { display: grid; grid-template-columns: 120px 1fr; align-items: center; gap: 8px; margin: 8px 0; }
      .field > span { color: var(--tl-muted); font-size: 13px; }
      .cols { max-height: 220px; overflow: auto; border: 1px solid var(--tl-border); border-radius: var(--tl-radius);
        padding: 4px 8px; }
      .cols label { display: block; font-size: 13px; white-space: nowrap; }
      .preview { border-top: 1px solid var(--tl-border); margin-top: 12px; padding-top: 8px; max-height: 46vh;
        overflow: auto; }
      .preview > .muted { font-size: 12px; margin: 0 0 4px; }
      .actions { display: flex; justify-content: flex-end; gap: 8px; margin-top: 16px; }
    `,
  ];

  constructor() {
    super();
    this.spec = undefined;
    this.metricKeys = [];
    this.runs = [];
    this.locked = false;
    this.settings = DEFAULT_CHART_SETTINGS;
    this.draft = { i: "", k: "line" };
    this.values = undefined;
    this.colFilter = "";
  }

  protected override willUpdate(changed: PropertyValues<this>) {
    if (changed.has("spec"))
      this.draft = this.spec ? { ...this.spec } : { i: "", k: "line", m: this.metricKeys.slice(0, 1) };
  }

  override firstUpdated() {
    this.renderRoot.querySelector("dialog")?.showModal();
    if (!this.locked)
      void runValues(this.runs.map((r) => r.runId)).then(
        (v) => {
          this.values = v;
        },
        () => {
          this.values = [];
        },
      );
  }

  private get ids(): string[] {
    return this.values ? columnIds(this.values) : this.metricKeys.map((k) => `m:${k}`);
  }

  private setKind(k: ChartKind) {
    const d: ChartSpec = { i: this.draft.i, k };
    if (k === "line" || k === "bar") d.m = this.draft.m?.length ? this.draft.m : this.metricKeys.slice(0, 1);
    if (k === "line") Object.assign(d, { x: this.draft.x, log: this.draft.log, smooth: this.draft.smooth });
    if (k === "scatter" || k === "contour" || k === "parallel") d.c = defaultColumns(k, this.ids, this.values ?? []);
    this.draft = JSON.parse(JSON.stringify(d));
  }

  private patch(p: Partial<ChartSpec>) {
    this.draft = { ...this.draft, ...p };
  }

  /** What keeps the draft from being saved, or "" when it is complete. */
  problem(): string {
    const d = this.draft;
    if (d.k === "line" || d.k === "bar")
      return d.m?.[0] && this.metricKeys.includes(d.m[0]) ? "" : "Choose a metric of these runs.";
    const need = { scatter: 2, contour: 3, parallel: 2 }[d.k as "scatter"];
    if (need && (d.c?.filter(Boolean).length ?? 0) < need) return `Choose ${need} columns or more.`;
    return "";
  }

  private save() {
    if (this.problem()) return;
    const d = { ...this.draft };
    if (d.c) d.c = d.c.filter(Boolean);
    this.dispatchEvent(new CustomEvent<ChartSpec>("builder-save", { detail: d, bubbles: true, composed: true }));
  }

  private close() {
    this.dispatchEvent(new CustomEvent("builder-close", { bubbles: true, composed: true }));
  }

  private renderColumnSelect(label: string, i: number) {
    const c = this.draft.c ?? [];
    return html`<label class="field"><span>${label}</span>
      <select aria-label=${label} @change=${(e: Event) => {
        const next = [...c];
        next[i] = (e.target as HTMLSelectElement).value;
        this.patch({ c: next });
      }}>
        <option value="" ?selected=${!c[i]}>Choose…</option>
        ${this.ids.map((id) => html`<option value=${id} ?selected=${c[i] === id}>${columnLabel(id)}</option>`)}
      </select></label>`;
  }

  private renderFields() {
    const d = this.draft;
    if (d.k === "line" || d.k === "bar") {
      return html`<label class="field"><span>Metric</span>
          <input list="metric-keys" aria-label="Metric" .value=${d.m?.[0] ?? ""} placeholder="Type to search metrics"
            @change=${(e: Event) => this.patch({ m: [(e.target as HTMLInputElement).value.trim()] })} />
          <datalist id="metric-keys">${this.metricKeys.map((k) => html`<option value=${k}></option>`)}</datalist>
        </label>
        ${
          d.k === "line"
            ? html`<label class="field"><span>X axis</span>
                <select aria-label="Chart x axis" @change=${(e: Event) => {
                  const v = (e.target as HTMLSelectElement).value;
                  this.patch({ x: v ? (v as XAxis) : undefined });
                }}>
                  <option value="" ?selected=${!d.x}>As the page</option>
                  <option value="step" ?selected=${d.x === "step"}>Step</option>
                  <option value="time" ?selected=${d.x === "time"}>Wall time</option>
                  <option value="relative" ?selected=${d.x === "relative"}>Relative time</option>
                </select></label>
              <label class="field"><span>Y axis</span>
                <select aria-label="Chart y axis" @change=${(e: Event) => {
                  const v = (e.target as HTMLSelectElement).value;
                  this.patch({ log: v === "" ? undefined : v === "log" });
                }}>
                  <option value="" ?selected=${d.log === undefined}>As the page</option>
                  <option value="linear" ?selected=${d.log === false}>Linear</option>
                  <option value="log" ?selected=${d.log === true}>Log</option>
                </select></label>
              <label class="field"><span>Smoothing</span>
                <input type="range" min="0" max="0.99" step="0.01" aria-label="Chart smoothing"
                  .value=${String(d.smooth ?? 0)}
                  @change=${(e: Event) => this.patch({ smooth: clampSmoothing(Number((e.target as HTMLInputElement).value)) || undefined })} />
              </label>`
            : nothing
        }`;
    }
    const axes = AXES[d.k];
    if (axes) return axes.map((label, i) => this.renderColumnSelect(label, i));
    if (d.k === "parallel") {
      const chosen = new Set(d.c ?? []);
      const f = this.colFilter.toLowerCase();
      const shown = this.ids.filter((id) => chosen.has(id) || id.toLowerCase().includes(f)).slice(0, 300);
      return html`<label class="field"><span>Columns</span>
          <input type="search" aria-label="Filter columns" placeholder="Filter columns" .value=${this.colFilter}
            @input=${(e: Event) => {
              this.colFilter = (e.target as HTMLInputElement).value;
            }} /></label>
        <div class="cols">${shown.map(
          (id) =>
            html`<label><input type="checkbox" .checked=${chosen.has(id)} @change=${(e: Event) => {
              const on = (e.target as HTMLInputElement).checked;
              this.patch({ c: on ? [...(d.c ?? []), id] : (d.c ?? []).filter((x) => x !== id) });
            }} /> ${columnLabel(id)}</label>`,
        )}</div>`;
    }
    if (d.k === "difference")
      return html`<p class="muted">Every attribute, param, metric and tag of the runs side by side, with the difference
        from a baseline run; pick the baseline and "differences only" below or later on the chart.</p>`;
    if (d.k === "images")
      return html`<p class="muted">Images the runs logged with <code>mlflow.log_image</code> (a step slider for images
        logged over steps) or their image files; the grid's own toolbar picks which.</p>`;
    return nothing;
  }

  /** The chart as it will look, drawn from the draft (once the draft is complete). */
  private renderPreview() {
    const d = this.draft;
    const key = d.m?.[0] ?? "";
    let chart: unknown;
    if (d.k === "line") {
      const s = this.settings;
      const settings = { x: d.x ?? s.x, log: d.log ?? s.log, smoothing: d.smooth ?? s.smoothing };
      chart = html`<tl-metric-chart .metricKey=${key} .runs=${this.runs} .settings=${settings} .height=${180}></tl-metric-chart>`;
    } else if (d.k === "bar") {
      chart = html`<tl-bar-chart .metricKey=${key} .runs=${this.runs}></tl-bar-chart>`;
    } else {
      chart = html`<tl-chart-body .spec=${d} .runs=${this.runs}
        @spec-change=${(e: CustomEvent<Partial<ChartSpec>>) => {
          e.stopPropagation();
          this.patch(e.detail);
        }}></tl-chart-body>`;
    }
    return html`<div class="preview" aria-label="Preview"><p class="muted">Preview</p>${chart}</div>`;
  }

  override render() {
    const kinds = this.locked ? (["line", "bar"] as const) : CHART_KINDS;
    const problem = this.problem();
    const loading = !this.locked && !this.values && this.draft.k !== "line" && this.draft.k !== "bar";
    return html`<dialog aria-label=${this.spec ? "Chart settings" : "Add chart"} @close=${() => this.close()}>
      <h2>${this.spec ? "Chart settings" : "Add chart"}</h2>
      <div class="kinds" role="group" aria-label="Chart kind">
        ${kinds.map(
          (k) =>
            html`<button aria-pressed=${this.draft.k === k} @click=${() => this.setKind(k)}>${KIND_LABELS[k]}</button>`,
        )}
      </div>
      ${loading ? html`<p class="muted">Reading the runs' params and metrics…</p>` : this.renderFields()}
      ${loading || problem ? nothing : this.renderPreview()}
      <div class="actions">
        <span class="muted">${problem}</span><span class="spacer"></span>
        <button @click=${() => this.close()}>Cancel</button>
        <button class="primary" ?disabled=${!!problem || loading} @click=${() => this.save()}>
          ${this.spec ? "Save" : "Add chart"}</button>
      </div>
    </dialog>`;
  }
}
customElements.define("tl-chart-builder", TlChartBuilder);

declare global {
  interface HTMLElementTagNameMap {
    "tl-chart-builder": TlChartBuilder;
  }
  interface HTMLElementEventMap {
    "builder-save": CustomEvent<ChartSpec>;
    "builder-close": CustomEvent<void>;
  }
}
