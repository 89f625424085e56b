import { css, html, LitElement, nothing, type PropertyValues } from "lit";
import { icons } from "../components/icons.js";
import { shared } from "../styles.js";
import { applyCompletion, type CompletionResult, complete, type FilterKeys } from "./filter-complete.js";

/**
 * The MLflow filter box: key autocomplete (↑/↓ pick, Tab or Enter takes, Esc closes), Enter applies the filter
 * (`filter-submit`, detail: the text), and the server's message for a bad filter under the box.
 */
export class TlFilterBox extends LitElement {
  static override properties = {
    value: {},
    keys: { attribute: false },
    completer: { attribute: false },
    placeholder: {},
    label: {},
    error: {},
    text: { state: true },
    result: { state: true },
    active: { state: true },
  };
  /** The applied filter. */
  declare value: string;
  declare keys: FilterKeys;
  /** Another grammar's completions (the trace filter's, say); default: the run filter's, from `keys`. */
  declare completer: ((text: string, cursor: number) => CompletionResult) | undefined;
  declare placeholder: string;
  /** The input's accessible name. */
  declare label: string;
  /** Why the server rejected the applied filter. */
  declare error: string | undefined;
  declare text: string;
  declare result: CompletionResult | undefined;
  declare active: number;

  static override styles = [
    shared,
    css`
      :host { display: block; position: relative; min-width: 260px; flex: 1; max-width: 720px; }
      .box { display: flex; align-items: center; gap: 4px; }
      .field { position: relative; flex: 1; display: flex; align-items: center; }
      .field .lead { position: absolute; left: 8px; top: 50%; transform: translateY(-50%); display: flex; color: var(--tl-muted); pointer-events: none; }
      input { flex: 1; width: 100%; padding-left: 28px; padding-right: 28px; font-family: var(--tl-mono); font-size: 12.5px; }
      input.bad { border-color: var(--tl-danger); }
      .clear { position: absolute; right: 2px; }
      .hint { position: absolute; right: 30px; pointer-events: none; }
      ul {
        position: absolute; z-index: 20; left: 0; right: 0; top: 100%; margin: 2px 0 0; padding: 4px 0; list-style: none;
        background: var(--tl-bg); border: 1px solid var(--tl-border); border-radius: var(--tl-radius);
        box-shadow: var(--tl-shadow); max-height: 280px; overflow: auto; font-family: var(--tl-mono); font-size: 12.5px;
      }
      li { padding: 3px 10px; cursor: pointer; display: flex; gap: 8px; }
      li[aria-selected="true"] { background: var(--tl-bg-selected); }
      li .d { margin-left: auto; color: var(--tl-muted); font-family: var(--tl-font); font-size: 11px; }
      .msg { margin-top: 4px; font-size: 12px; color: var(--tl-danger); white-space: pre-wrap; word-break: break-word; }
    `,
  ];

  constructor() {
    super();
    this.value = "";
    this.keys = { metrics: [], params: [], tags: [] };
    this.completer = undefined;
    this.placeholder = "metrics.loss < 0.5 and params.lr = '0.01'";
    this.label = "Filter runs";
    this.error = undefined;
    this.text = "";
    this.result = undefined;
    this.active = 0;
  }

  override willUpdate(changed: PropertyValues<this>) {
    if (changed.has("value")) this.text = this.value;
  }

  private get input() {
    return this.renderRoot.querySelector("input");
  }

  override focus() {
    this.input?.focus();
    this.input?.select();
  }

  private suggest() {
    const input = this.input;
    if (!input) return;
    const cursor = input.selectionStart ?? input.value.length;
    const r = this.completer ? this.completer(input.value, cursor) : complete(input.value, cursor, this.keys);
    this.result = r.items.length ? r : undefined;
    this.active = -1;
  }

  private take(i: number) {
    const input = this.input;
    const r = this.result;
    const item = r?.items[i];
    if (!input || !r || !item) return;
    const next = applyCompletion(input.value, r, item);
    this.text = next.text;
    input.value = next.text;
    input.setSelectionRange(next.cursor, next.cursor);
    input.focus();
    this.suggest();
  }

  private submit() {
    this.result = undefined;
    this.dispatchEvent(
      new CustomEvent<string>("filter-submit", { detail: this.text.trim(), bubbles: true, composed: true }),
    );
  }

  private onKey(e: KeyboardEvent) {
    const open = this.result !== undefined;
    const n = this.result?.items.length ?? 0;
    if (e.key === "ArrowDown" && open) this.active = (this.active + 1) % n;
    else if (e.key === "ArrowUp" && open) this.active = this.active <= 0 ? n - 1 : this.active - 1;
    else if (e.key === "Tab" && open && !e.shiftKey) this.take(Math.max(0, this.active));
    else if (e.key === "Enter") {
      // Enter takes a suggestion picked with the arrows; otherwise it applies the filter.
      if (open && this.active >= 0) this.take(this.active);
      else this.submit();
    } else if (e.key === "Escape") {
      if (!open) return;
      this.result = undefined;
    } else return;
    e.preventDefault();
    e.stopPropagation();
  }

  override render() {
    const r = this.result;
    const dirty = this.text.trim() !== this.value;
    return html`<div class="box">
        <div class="field">
          <span class="lead">${icons.search}</span>
          <input
            class=${this.error ? "bad" : ""}
            type="text"
            role="combobox"
            aria-label=${this.label}
            aria-expanded=${r ? "true" : "false"}
            aria-controls="suggestions"
            aria-autocomplete="list"
            aria-activedescendant=${r && this.active >= 0 ? `s${this.active}` : ""}
            aria-invalid=${this.error ? "true" : "false"}
            aria-describedby="msg"
            spellcheck="false"
            autocomplete="off"
            placeholder=${this.placeholder}
            .value=${this.text}
            @input=${(e: Event) => {
              this.text = (e.target as HTMLInputElement).value;
              this.suggest();
            }}
            @click=${() => this.suggest()}
            @focus=${() => this.suggest()}
            @blur=${() => setTimeout(() => (this.result = undefined), 150)}
            @keydown=${this.onKey}
          />
          ${!this.text && !this.value ? html`<kbd class="hint">/</kbd>` : nothing}
          ${
            this.text || this.value
              ? html`<button class="icon-button clear" aria-label="Clear filter" title="Clear filter"
                  @click=${() => {
                    this.text = "";
                    this.submit();
                  }}>${icons.close}</button>`
              : nothing
          }
        </div>
        ${dirty ? html`<button class="primary" @click=${this.submit}>Apply</button>` : nothing}
      </div>
      ${
        r
          ? html`<ul id="suggestions" role="listbox" aria-label="Filter suggestions">
            ${r.items.map(
              (it, i) => html`<li
                id="s${i}"
                role="option"
                aria-selected=${i === this.active ? "true" : "false"}
                @mousedown=${(e: Event) => {
                  e.preventDefault();
                  this.take(i);
                }}
              ><span class="l">${it.label}</span>${it.detail ? html`<span class="d">${it.detail}</span>` : nothing}</li>`,
            )}
          </ul>`
          : nothing
      }
      <div id="msg" class="msg" role=${this.error ? "alert" : nothing} ?hidden=${!this.error}>${this.error ?? ""}</div>`;
  }
}
customElements.define("tl-filter-box", TlFilterBox);

declare global {
  interface HTMLElementTagNameMap {
    "tl-filter-box": TlFilterBox;
  }
}
