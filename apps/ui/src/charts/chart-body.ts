import { css, html, LitElement, type PropertyValues } from "lit";
import "../components/error.js";
import { shared } from "../styles.js";
import type { ChartSpec } from "./chart-board.js";
import "./contour-plot.js";
import "./difference-view.js";
import type { DiffChange } from "./difference-view.js";
import type { ChartRun } from "./metric-chart.js";
import "./parallel-coords.js";
import { columnOf, type RunValues, runValues } from "./run-values.js";
import "./scatter-plot.js";

/**
 * The body of an added chart that plots one value per run (scatter, contour, parallel coordinates, difference view)
 * or images: reads the runs' params and latest metrics, then draws the kind. Fires `spec-change` (detail: the changed
 * fields) when the chart's own controls change it (the difference view's baseline).
 */
export class TlChartBody extends LitElement {
  static override properties = {
    spec: { attribute: false },
    runs: { attribute: false },
    full: { type: Boolean },
    values: { state: true },
    error: { state: true },
  };
  declare spec: ChartSpec | undefined;
  declare runs: ChartRun[];
  declare full: boolean;
  declare values: RunValues[] | undefined;
  declare error: unknown;
  private seq = 0;

  static override styles = [
    shared,
    css`
      :host { display: block; min-width: 0; }
      :host([full]) tl-difference-view { --diff-max-height: calc(100vh - 200px); }
    `,
  ];

  constructor() {
    super();
    this.spec = undefined;
    this.runs = [];
    this.full = false;
    this.values = undefined;
    this.error = undefined;
  }

  protected override willUpdate(changed: PropertyValues<this>) {
    if (changed.has("runs")) void this.load();
  }

  async load() {
    const seq = ++this.seq;
    this.error = undefined;
    try {
      const values = await runValues(this.runs.map((r) => r.runId));
      if (seq === this.seq) this.values = values;
    } catch (e) {
      if (seq === this.seq) this.error = e;
    }
  }

  private col(i: number) {
    const id = this.spec?.c?.[i];
    return id && this.values ? columnOf(id, this.values) : undefined;
  }

  override render() {
    const spec = this.spec;
    if (!spec) return html``;
    if (this.error) return html`<tl-error .error=${this.error} @retry=${() => this.load()}></tl-error>`;
    if (spec.k === "images") return this.renderImages(spec);
    const values = this.values;
    if (!values) return html`<p class="muted">Loading runs…</p>`;
    switch (spec.k) {
      case "scatter":
        return html`<tl-scatter-plot .runs=${this.runs} .x=${this.col(0)} .y=${this.col(1)}></tl-scatter-plot>`;
      case "contour":
        return html`<tl-contour-plot .runs=${this.runs} .x=${this.col(0)} .y=${this.col(1)}
          .z=${this.col(2)}></tl-contour-plot>`;
      case "parallel":
        return html`<tl-parallel-coords .runs=${this.runs}
          .columns=${(spec.c ?? []).flatMap((id) => columnOf(id, values) ?? [])}></tl-parallel-coords>`;
      case "difference":
        return html`<tl-difference-view .runs=${this.runs} .values=${values} .baseline=${spec.b ?? ""}
          .onlyDiffs=${spec.d ?? false} @diff-change=${(e: CustomEvent<DiffChange>) => {
            e.stopPropagation();
            const patch: Partial<ChartSpec> = {};
            if (e.detail.baseline !== undefined) patch.b = e.detail.baseline;
            if (e.detail.onlyDiffs !== undefined) patch.d = e.detail.onlyDiffs;
            this.dispatchEvent(new CustomEvent("spec-change", { detail: patch, bubbles: true, composed: true }));
          }}></tl-difference-view>`;
      default:
        return html``;
    }
  }

  /**
   * The image grid comes from the `image-grid` area (`<tl-image-grid>`); until that element is part of the build,
   * the card says so instead of failing.
   */
  private renderImages(spec: ChartSpec) {
    if (!customElements.get("tl-image-grid"))
      return html`<p class="muted">The image grid is not available in this build.</p>`;
    const el = document.createElement("tl-image-grid") as HTMLElement & Record<string, unknown>;
    el.runs = this.runs;
    el.runIds = this.runs.map((r) => r.runId);
    if (spec.t) el.imageKey = spec.t;
    return html`${el}`;
  }
}
customElements.define("tl-chart-body", TlChartBody);

declare global {
  interface HTMLElementTagNameMap {
    "tl-chart-body": TlChartBody;
  }
  interface HTMLElementEventMap {
    "spec-change": CustomEvent<Partial<ChartSpec>>;
  }
}
