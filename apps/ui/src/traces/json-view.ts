import { css, html, LitElement, nothing, type TemplateResult } from "lit";
import { shared } from "../styles.js";

/** Items of an array or object drawn before a "show all" button: a huge payload does not block the page. */
const FIRST_ITEMS = 100;

/**
 * A JSON value folded into collapsible levels (native `<details>`): open to `open` levels deep, long arrays and
 * objects cut at 100 entries until asked, strings with their line breaks kept.
 */
export class TlJsonView extends LitElement {
  static override properties = { value: { attribute: false }, open: { type: Number } };
  declare value: unknown;
  /** Levels open at first. */
  declare open: number;
  private expanded = new WeakSet<object>();

  static override styles = [
    shared,
    css`
      :host { display: block; font: 12px/1.5 var(--tl-mono); overflow-wrap: anywhere; }
      details > :not(summary) { margin-left: 14px; }
      summary { cursor: pointer; list-style: none; color: var(--tl-muted); }
      summary::-webkit-details-marker { display: none; }
      summary::before { content: "▸"; display: inline-block; width: 12px; font-size: 10px; transition: transform 0.1s; }
      details[open] > summary::before { transform: rotate(90deg); }
      .row { padding-left: 12px; }
      .k { color: var(--tl-fg); }
      .s { color: var(--tl-ok); white-space: pre-wrap; }
      .n { color: var(--tl-accent); }
      .b, .z { color: var(--tl-warn); }
      button { font-size: 11px; padding: 0 6px; margin: 2px 0 2px 14px; }
    `,
  ];

  constructor() {
    super();
    this.value = undefined;
    this.open = 2;
  }

  private scalar(v: unknown): TemplateResult {
    if (typeof v === "string") return html`<span class="s">"${v}"</span>`;
    if (typeof v === "number") return html`<span class="n">${String(v)}</span>`;
    if (typeof v === "boolean") return html`<span class="b">${String(v)}</span>`;
    return html`<span class="z">null</span>`;
  }

  private node(key: string | undefined, v: unknown, depth: number): TemplateResult {
    const label = key === undefined ? nothing : html`<span class="k">${key}</span>: `;
    if (v === null || typeof v !== "object") return html`<div class="row">${label}${this.scalar(v)}</div>`;
    const isArray = Array.isArray(v);
    const entries: [string, unknown][] = isArray ? v.map((x, i) => [String(i), x]) : Object.entries(v);
    if (entries.length === 0) return html`<div class="row">${label}${isArray ? "[]" : "{}"}</div>`;
    const all = this.expanded.has(v);
    const shown = all ? entries : entries.slice(0, FIRST_ITEMS);
    const size = isArray ? `[${entries.length}]` : `{${entries.length}}`;
    return html`<details ?open=${depth < this.open}>
      <summary>${label}${size}</summary>
      ${shown.map(([k, x]) => this.node(k, x, depth + 1))}
      ${
        shown.length < entries.length
          ? html`<button @click=${() => {
              this.expanded.add(v);
              this.requestUpdate();
            }}>Show all ${entries.length}</button>`
          : nothing
      }
    </details>`;
  }

  override render() {
    const v = this.value;
    if (v === null || typeof v !== "object") return html`<div>${this.scalar(v)}</div>`;
    return this.node(undefined, v, 0);
  }
}
customElements.define("tl-json-view", TlJsonView);

declare global {
  interface HTMLElementTagNameMap {
    "tl-json-view": TlJsonView;
  }
}
