import { css, html, LitElement, type PropertyValues } from "lit";
import "../components/error.js";
import { shared } from "../styles.js";
import type { ChartSpec, ImageView } from "./chart-board.js";
import { loadImagePanel } from "./chart-images.js";
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
    imagePanel: { state: true },
  };
  declare spec: ChartSpec | undefined;
  declare runs: ChartRun[];
  declare full: boolean;
  declare values: RunValues[] | undefined;
  declare error: unknown;
  /** Whether the image grid's panel is loaded (null while it loads, undefined before). */
  declare imagePanel: boolean | null | undefined;
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
    if (changed.has("runs") && this.spec?.k !== "images") void this.load();
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
    if (this.error)
      return html`<tl-error .error=${this.error} @retry=${() => {
        this.error = undefined;
        void this.load();
      }}></tl-error>`;
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

  /** The `image-grid` area's panel (grid and toolbar) with the view this chart keeps. */
  private renderImages(spec: ChartSpec) {
    if (this.imagePanel === undefined) {
      this.imagePanel = null;
      void loadImagePanel().then(
        (ok) => {
          this.imagePanel = ok;
        },
        (e) => {
          this.imagePanel = undefined;
          this.error = e;
        },
      );
    }
    if (this.imagePanel === null) return html`<p class="muted">Loading the image grid…</p>`;
    if (!this.imagePanel) return html`<p class="muted">The image grid did not load.</p>`;
    const v = spec.v ?? {};
    const view = {
      mode: v.mode,
      across: v.across ?? "keys",
      keys: v.keys,
      step: v.step,
      transpose: v.transpose ?? false,
    };
    return html`<tl-image-grid-panel .runs=${this.runs} .view=${view}
      @image-view-change=${(e: CustomEvent<ImageView>) => {
        e.stopPropagation();
        const next: ImageView = JSON.parse(JSON.stringify(e.detail));
        if (!next.transpose) delete next.transpose;
        if (next.across === "keys") delete next.across;
        this.dispatchEvent(new CustomEvent("spec-change", { detail: { v: next }, bubbles: true, composed: true }));
      }}></tl-image-grid-panel>`;
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
