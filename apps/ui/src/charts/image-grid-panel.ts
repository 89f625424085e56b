import { css, html, LitElement, nothing } from "lit";
import { shared } from "../styles.js";
import "./image-grid.js";
import type { ImageGridLoad } from "./image-grid.js";
import type { ImageGridView } from "./image-grid-view.js";
import type { ChartRun } from "./metric-chart.js";

/**
 * `<tl-image-grid-panel>`: `<tl-image-grid>` with its toolbar, as the compare page and the run page show it: logged
 * images or image artifacts, a key (or file) to show, columns by key or by step, runs as rows or columns. The page
 * owns the view (`view`, kept in its URL) and gets every change as an `image-view-change` event.
 */
export class TlImageGridPanel extends LitElement {
  static override properties = {
    runs: { attribute: false },
    view: { attribute: false },
    defaultMode: {},
    tick: { type: Number },
    found: { state: true },
  };
  declare runs: ChartRun[];
  declare view: ImageGridView;
  /** The mode when the view names none. */
  declare defaultMode: "logged" | "artifacts";
  declare tick: number;
  /** The keys (or files) the grid found, for the picker. */
  declare found: ImageGridLoad | undefined;

  static override styles = [
    shared,
    css`
      :host { display: block; }
      .toolbar { display: flex; gap: 12px; align-items: center; flex-wrap: wrap; margin-bottom: 8px; font-size: 13px; }
      .toolbar label { display: inline-flex; gap: 6px; align-items: center; }
      .seg { display: inline-flex; border: 1px solid var(--tl-border); border-radius: var(--tl-radius); overflow: hidden; }
      .seg button { border: none; border-radius: 0; padding: 3px 10px; background: var(--tl-bg); color: var(--tl-fg); }
      .seg button[aria-pressed="true"] { background: var(--tl-accent); color: var(--tl-accent-fg); }
      select { max-width: 280px; }
    `,
  ];

  constructor() {
    super();
    this.runs = [];
    this.view = { mode: undefined, across: "keys", keys: undefined, step: undefined, transpose: false };
    this.defaultMode = "logged";
    this.tick = 0;
    this.found = undefined;
  }

  private get mode() {
    return this.view.mode ?? this.defaultMode;
  }

  private change(edit: Partial<ImageGridView>) {
    const detail = { ...this.view, ...edit };
    this.dispatchEvent(new CustomEvent<ImageGridView>("image-view-change", { detail, bubbles: true, composed: true }));
  }

  private renderToolbar() {
    const mode = this.mode;
    const options = mode === "artifacts" ? (this.found?.files ?? []) : (this.found?.keys ?? []);
    const chosen = this.view.keys?.[0] ?? "";
    const modeButton = (m: "logged" | "artifacts", label: string) =>
      html`<button aria-pressed=${String(mode === m)}
        @click=${() => mode !== m && this.change({ mode: m, keys: undefined, step: undefined })}>${label}</button>`;
    return html`<div class="toolbar">
      <span class="seg" role="group" aria-label="Images to show">
        ${modeButton("logged", "Logged images")}${modeButton("artifacts", "Image artifacts")}
      </span>
      <label>${mode === "artifacts" ? "File" : "Key"}
        <select @change=${(e: Event) => {
          const v = (e.target as HTMLSelectElement).value;
          this.change({ keys: v ? [v] : undefined });
        }}>
          <option value="" ?selected=${!chosen}>${mode === "artifacts" ? "All files" : "All keys"}</option>
          ${options.map((k) => html`<option value=${k} ?selected=${k === chosen}>${k}</option>`)}
        </select>
      </label>
      ${
        mode === "logged"
          ? html`<label>Columns
              <select @change=${(e: Event) =>
                this.change({ across: (e.target as HTMLSelectElement).value === "steps" ? "steps" : "keys" })}>
                <option value="keys" ?selected=${this.view.across === "keys"}>Keys, at one step</option>
                <option value="steps" ?selected=${this.view.across === "steps"}>Steps of one key</option>
              </select>
            </label>`
          : nothing
      }
      <label><input type="checkbox" .checked=${this.view.transpose}
        @change=${(e: Event) => this.change({ transpose: (e.target as HTMLInputElement).checked })} />Runs as columns</label>
    </div>`;
  }

  override render() {
    return html`${this.renderToolbar()}
      <tl-image-grid .runs=${this.runs} .mode=${this.mode} .keys=${this.view.keys} .files=${this.view.keys}
        .across=${this.view.across} .step=${this.view.step} .transpose=${this.view.transpose} .tick=${this.tick}
        @images-load=${(e: CustomEvent<ImageGridLoad>) => (this.found = e.detail)}
        @step-change=${(e: CustomEvent<number>) => {
          e.stopPropagation();
          this.change({ step: e.detail });
        }}></tl-image-grid>`;
  }
}
customElements.define("tl-image-grid-panel", TlImageGridPanel);
