import { css, html, LitElement, nothing, type PropertyValues } from "lit";
import { describeError } from "../components/error.js";
import { shared } from "../styles.js";
import "./image-grid-lightbox.js";
import type { LightboxImage, LightboxMove } from "./image-grid-lightbox.js";
import {
  type GridImage,
  type GridModel,
  gridModel,
  type ImageGridAcross,
  type ImageGridMode,
  type RunImageData,
} from "./image-grid-model.js";
import { ImageSources } from "./image-grid-sources.js";
import { loadImageArtifacts, loadLoggedImages } from "./logged-images-load.js";
import type { ChartRun } from "./metric-chart.js";

export type { ImageGridAcross, ImageGridMode } from "./image-grid-model.js";

/** What a grid found, for the owner's pickers (the `images-load` event's detail). */
export interface ImageGridLoad {
  keys: string[];
  files: string[];
  steps: number[];
}

type Loaded = { state: "loading" } | { state: "error"; error: unknown } | { state: "done"; data: RunImageData };

/** How a run's images are read, per mode (a property so a test can hand in data without a server). */
export type ImageGridLoader = (runId: string, mode: ImageGridMode) => Promise<RunImageData>;

/** The server's answer: the `images/` listing, or the walk for image files. */
export const serverLoader: ImageGridLoader = async (runId, mode) =>
  mode === "artifacts"
    ? { logged: new Map(), files: await loadImageArtifacts(runId) }
    : { logged: await loadLoggedImages(runId), files: [] };

/**
 * `<tl-image-grid>`: images of several runs side by side, a row per run (or a column, `transpose`).
 *
 * Logged images (`mlflow.log_image(image, key=…, step=…)`, mode `"logged"`): a column per key at one step, chosen with
 * the step slider (each run shows its image at that step, else its last one before it, captioned with its own step);
 * or, with `across = "steps"`, a column per step of the first key. Image artifacts (mode `"artifacts"`): a column per
 * image file found in the runs' artifacts. A click enlarges an image; in the enlarged view ← → go through the steps
 * (or columns) and ↑ ↓ through the runs. Thumbnails are the small WebP files `log_image` writes beside each PNG.
 * The element reads the runs' images itself (one `artifacts/list` of `images/` per run, as MLflow's UI does).
 *
 * Properties (all set as JS properties; the element is also a chart kind of the chart builder):
 * - `runs: ChartRun[]` — the runs, in display order (`{ runId, name, color }`, see `chartRunOf`).
 * - `mode: "logged" | "artifacts"` — default `"logged"`.
 * - `keys: string[] | undefined` — logged mode: the image keys to show, in this order; undefined = every key.
 * - `files: string[] | undefined` — artifacts mode: the run-relative paths to show; undefined = every image found.
 * - `across: "keys" | "steps"` — logged mode: columns are keys (with the step slider, default) or steps of `keys[0]`.
 * - `step: number | undefined` — the slider's step; undefined = the last step logged. The owner keeps it (in the URL)
 *   by listening to `step-change`.
 * - `transpose: boolean` — runs as columns instead of rows (default false).
 * - `size: number` — the edge of a cell's image box in px (default 160).
 * - `maxSteps: number` — across steps: at most this many step columns, evenly spread (default 10).
 * - `tick: number` — bump to read the images again (a live run).
 * - `loader: ImageGridLoader` — how images are read; the server by default.
 * - `eager: boolean` — read at once; by default the grid reads nothing until it is scrolled near the viewport.
 *
 * Events (bubbling, composed): `step-change` (`CustomEvent<number>`, the slider moved) and `images-load`
 * (`CustomEvent<ImageGridLoad>`: the keys, files and steps found once every run's images are read).
 */
export class TlImageGrid extends LitElement {
  static override properties = {
    runs: { attribute: false },
    mode: {},
    keys: { attribute: false },
    files: { attribute: false },
    across: {},
    step: { type: Number },
    transpose: { type: Boolean },
    size: { type: Number },
    maxSteps: { type: Number },
    tick: { type: Number },
    loader: { attribute: false },
    eager: { type: Boolean },
    visible: { state: true },
    loaded: { state: true },
    enlarged: { state: true },
  };
  declare runs: ChartRun[];
  declare mode: ImageGridMode;
  declare keys: string[] | undefined;
  declare files: string[] | undefined;
  declare across: ImageGridAcross;
  declare step: number | undefined;
  declare transpose: boolean;
  declare size: number;
  declare maxSteps: number;
  declare tick: number;
  declare loader: ImageGridLoader;
  declare eager: boolean;
  /** Scrolled near the viewport once (or `eager`): only then are images read. */
  declare visible: boolean;
  /** Per `mode:runId`, the run's images or their loading state. */
  declare loaded: Map<string, Loaded>;
  /** The enlarged cell (run index, column index), if any. */
  declare enlarged: { run: number; column: number } | undefined;
  private sources = new ImageSources(this);
  private model: GridModel | undefined;
  private io: IntersectionObserver | undefined;
  /** Per `mode:runId`, the number of its read under way (an older answer landing late is dropped). */
  private seqs = new Map<string, number>();

  static override styles = [
    shared,
    css`
      :host { display: block; }
      .bar { display: flex; align-items: center; gap: 10px; margin-bottom: 8px; font-size: 13px; flex-wrap: wrap; }
      .bar input[type="range"] { flex: 1; min-width: 160px; max-width: 480px; }
      .bar output { font-variant-numeric: tabular-nums; min-width: 7ch; }
      .scroll { overflow: auto; max-height: 70vh; }
      .grid { display: grid; gap: 6px; align-items: start; width: max-content; }
      .head { font-size: 12px; font-weight: 600; overflow: hidden; text-overflow: ellipsis; white-space: nowrap;
        position: sticky; top: 0; background: var(--tl-bg); z-index: 1; padding: 2px 0; }
      .head.col { font-family: var(--tl-mono); font-weight: 500; }
      .runname { display: flex; align-items: center; gap: 6px; font-size: 12px; font-weight: 600; max-width: 180px;
        overflow: hidden; white-space: nowrap; position: sticky; left: 0; background: var(--tl-bg); z-index: 1;
        align-self: stretch; }
      .runname span:last-child { overflow: hidden; text-overflow: ellipsis; }
      .sw { width: 10px; height: 10px; border-radius: 2px; flex: none; }
      figure { margin: 0; }
      .box {
        display: flex; align-items: center; justify-content: center; border: 1px solid var(--tl-border);
        border-radius: var(--tl-radius); background: repeating-conic-gradient(var(--tl-bg-alt) 0 25%, var(--tl-bg) 0 50%) 0 0 / 12px 12px;
        padding: 0; overflow: hidden; cursor: zoom-in; width: 100%;
      }
      .box:focus-visible { outline: 2px solid var(--tl-accent); outline-offset: 1px; }
      .box img { max-width: 100%; max-height: 100%; display: block; }
      .empty { color: var(--tl-muted); font-size: 12px; cursor: default; }
      figcaption { font-size: 11px; color: var(--tl-muted); margin-top: 2px; font-variant-numeric: tabular-nums; }
      figcaption.other { color: var(--tl-fg); }
      .err { color: var(--tl-danger); font-size: 12px; white-space: normal; }
    `,
  ];

  constructor() {
    super();
    this.runs = [];
    this.mode = "logged";
    this.keys = undefined;
    this.files = undefined;
    this.across = "keys";
    this.step = undefined;
    this.transpose = false;
    this.size = 160;
    this.maxSteps = 10;
    this.tick = 0;
    this.loader = serverLoader;
    this.eager = false;
    this.visible = false;
    this.loaded = new Map();
    this.enlarged = undefined;
  }

  override connectedCallback() {
    super.connectedCallback();
    if (this.visible || typeof IntersectionObserver === "undefined") {
      this.visible = true;
      return;
    }
    this.io = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting)) {
          this.visible = true;
          this.io?.disconnect();
        }
      },
      { rootMargin: "300px 0px" },
    );
    this.io.observe(this);
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    this.io?.disconnect();
  }

  private cacheKey(runId: string) {
    return `${this.mode}:${runId}`;
  }

  override willUpdate(changed: PropertyValues<this>) {
    if (changed.has("loader") && changed.get("loader") !== undefined) this.loaded = new Map();
    const ready = this.visible || this.eager;
    // A new tick reads every run again, showing what it has until the new listing lands (no flicker on a live run).
    const again = changed.has("tick") && changed.get("tick") !== undefined;
    const start = (["runs", "mode", "loader", "visible", "eager"] as const).some((p) => changed.has(p));
    if (ready && (start || again)) {
      for (const run of this.runs) if (again || !this.loaded.has(this.cacheKey(run.runId))) void this.load(run.runId);
    }
    this.model = gridModel(
      this.runs.map((r) => {
        const l = this.loaded.get(this.cacheKey(r.runId));
        return l?.state === "done" ? l.data : undefined;
      }),
      {
        mode: this.mode,
        across: this.across,
        keys: this.keys,
        files: this.files,
        step: this.step,
        maxSteps: this.maxSteps,
      },
    );
  }

  private async load(runId: string) {
    const at = this.cacheKey(runId);
    const mode = this.mode;
    const loader = this.loader;
    const seq = (this.seqs.get(at) ?? 0) + 1;
    this.seqs.set(at, seq);
    if (this.loaded.get(at)?.state !== "done") this.loaded = new Map(this.loaded).set(at, { state: "loading" });
    let next: Loaded;
    try {
      next = { state: "done", data: await loader(runId, mode) };
    } catch (error) {
      next = { state: "error", error };
    }
    if (this.seqs.get(at) !== seq || this.loader !== loader) return;
    this.seqs.delete(at);
    this.loaded = new Map(this.loaded).set(at, next);
    if (this.runs.every((r) => !this.seqs.has(this.cacheKey(r.runId)))) {
      await this.updateComplete;
      const m = this.model;
      if (!m) return;
      const detail: ImageGridLoad = { keys: m.allKeys, files: m.allFiles, steps: m.steps };
      this.dispatchEvent(new CustomEvent("images-load", { detail, bubbles: true, composed: true }));
    }
  }

  private setStep(step: number) {
    this.step = step;
    this.dispatchEvent(new CustomEvent<number>("step-change", { detail: step, bubbles: true, composed: true }));
  }

  private onSlider(e: Event) {
    const steps = this.model?.steps ?? [];
    const s = steps[Number((e.target as HTMLInputElement).value)];
    if (s !== undefined) this.setStep(s);
  }

  /** ← → in the lightbox: the next step (keys view) or column; ↑ ↓: the next run that has an image there. */
  private onMove(e: CustomEvent<LightboxMove>) {
    const m = this.model;
    const at = this.enlarged;
    if (!m || !at) return;
    const { step, run } = e.detail;
    if (step && m.steps.length && m.step !== undefined) {
      const i = m.steps.indexOf(m.step) + step;
      const s = m.steps[i];
      if (s !== undefined) this.setStep(s);
    } else if (step) {
      const column = at.column + step;
      if (column >= 0 && column < m.columns.length) this.enlarged = { ...at, column };
    } else if (run) {
      for (let r = at.run + run; r >= 0 && r < this.runs.length; r += run) {
        if (m.cells[r]?.[at.column]) {
          this.enlarged = { ...at, run: r };
          break;
        }
      }
    }
  }

  private lightboxImage(): LightboxImage | undefined {
    const at = this.enlarged;
    const run = at && this.runs[at.run];
    const image = at && this.model?.cells[at.run]?.[at.column];
    if (!run || !image) return undefined;
    return {
      src: this.sources.src(run.runId, image.path),
      runName: run.name,
      color: run.color,
      label: image.key ?? image.path,
      step: image.step,
      timestamp: image.timestamp,
    };
  }

  private renderCell(run: ChartRun, r: number, c: number, image: GridImage | undefined) {
    const m = this.model as GridModel;
    const box = `height:${this.size}px`;
    const state = this.loaded.get(this.cacheKey(run.runId));
    if (state?.state === "error")
      return html`<div class="box empty err" style=${box} title=${describeError(state.error).message}>
        Could not read the images
      </div>`;
    if (!image) {
      const text = state?.state === "done" ? "–" : "Loading…";
      return html`<figure><div class="box empty" style=${box}>${text}</div></figure>`;
    }
    const label = image.key ?? image.path;
    const name = `${label} of ${run.name}${image.step !== undefined ? ` at step ${image.step}` : ""}`;
    // Across keys a run may show an earlier step than the slider's: say so in its caption.
    const other = m.step !== undefined && image.step !== m.step;
    return html`<figure>
      <button class="box" style=${box} aria-label="Enlarge ${name}" title=${name}
        @click=${() => (this.enlarged = { run: r, column: c })}>
        <img src=${this.sources.src(run.runId, image.thumbnail)} alt=${name} loading="lazy" />
      </button>
      ${
        image.step !== undefined && this.across === "keys"
          ? html`<figcaption class=${other ? "other" : ""}>step ${image.step}</figcaption>`
          : nothing
      }
    </figure>`;
  }

  private renderGrid(m: GridModel) {
    const cols = m.columns;
    const runHead = (run: ChartRun) =>
      html`<div class="runname" title=${run.name}><span class="sw" style="background:${run.color}"></span><span>${run.name}</span></div>`;
    const colHead = (label: string) => html`<div class="head col" title=${label}>${label}</div>`;
    const cell = `${this.size}px`;
    if (!this.transpose) {
      return html`<div class="grid" role="group" aria-label="Images by run"
        style="grid-template-columns: max-content repeat(${cols.length}, ${cell})">
        <div class="head"></div>${cols.map((c) => colHead(c.label))}
        ${this.runs.map(
          (run, r) => html`${runHead(run)}${cols.map((_, c) => this.renderCell(run, r, c, m.cells[r]?.[c]))}`,
        )}
      </div>`;
    }
    return html`<div class="grid" role="group" aria-label="Images by run"
      style="grid-template-columns: max-content repeat(${this.runs.length}, ${cell})">
      <div class="head"></div>${this.runs.map((run) => runHead(run))}
      ${cols.map(
        (col, c) =>
          html`${colHead(col.label)}${this.runs.map((run, r) => this.renderCell(run, r, c, m.cells[r]?.[c]))}`,
      )}
    </div>`;
  }

  override render() {
    const m = this.model;
    if (!m || !this.runs.length) return html`<p class="muted">No runs.</p>`;
    const loading = this.runs.some((r) => this.loaded.get(this.cacheKey(r.runId))?.state !== "done");
    if (!m.columns.length) {
      if (loading && !this.runs.some((r) => this.loaded.get(this.cacheKey(r.runId))?.state === "error"))
        return html`<p class="muted">Loading images…</p>`;
      return html`<p class="muted">${
        this.mode === "artifacts"
          ? "No image files among these runs' artifacts."
          : "No images logged with mlflow.log_image(image, key=…, step=…) in these runs."
      }</p>`;
    }
    const index = m.step === undefined ? -1 : m.steps.indexOf(m.step);
    return html`
      ${
        m.steps.length > 1
          ? html`<div class="bar">
              <label for="step">Step</label>
              <input id="step" type="range" min="0" max=${m.steps.length - 1} .value=${String(index)}
                aria-valuetext="Step ${m.step}" @input=${this.onSlider} />
              <output for="step" aria-live="polite">Step ${m.step}</output>
              <span class="muted">${index + 1} of ${m.steps.length} steps (${m.steps[0]}–${m.steps.at(-1)})</span>
            </div>`
          : m.step !== undefined
            ? html`<div class="bar"><span>Step ${m.step}</span></div>`
            : nothing
      }
      <div class="scroll">${this.renderGrid(m)}</div>
      <tl-image-lightbox .image=${this.lightboxImage()} @close=${() => (this.enlarged = undefined)}
        @lightbox-move=${this.onMove}></tl-image-lightbox>
    `;
  }
}
customElements.define("tl-image-grid", TlImageGrid);

declare global {
  interface HTMLElementTagNameMap {
    "tl-image-grid": TlImageGrid;
  }
}
