import { css, html, LitElement, type PropertyValues } from "lit";
import { unsafeHTML } from "lit/directives/unsafe-html.js";
import { shared } from "../styles.js";
import { icons } from "./icons.js";

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c);

/** Links and images may point to the web, mail or relative places only: no `javascript:`, `data:` and the like. */
const isSafeUrl = (url: string) => {
  // Browsers ignore tabs, newlines and leading control characters in URLs ("java\tscript:").
  // biome-ignore lint/suspicious/noControlCharactersInRegex: those are the characters to drop
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url.replace(/[\u0000-\u0020]/g, ""))?.[1]?.toLowerCase();
  return scheme === undefined || scheme === "http" || scheme === "https" || scheme === "mailto";
};

let parser: Promise<(text: string) => string> | undefined;

/**
 * Markdown → HTML with raw HTML in the source shown as text, and unsafe link/image URLs dropped. `marked` is loaded
 * on first use, so pages without a description never download it.
 */
export function renderMarkdown(text: string): Promise<string> {
  parser ??= import("marked").then(({ Marked }) => {
    const md = new Marked({ gfm: true, breaks: false, renderer: { html: ({ text: raw }) => escapeHtml(raw) } });
    return (src: string) => {
      const tpl = document.createElement("template");
      tpl.innerHTML = md.parse(src, { async: false });
      for (const el of tpl.content.querySelectorAll<HTMLElement>("a[href], img[src]")) {
        const attr = el.localName === "a" ? "href" : "src";
        const url = el.getAttribute(attr) ?? "";
        if (!isSafeUrl(url)) el.removeAttribute(attr);
        else if (attr === "href" && /^https?:/i.test(url)) {
          el.setAttribute("target", "_blank");
          el.setAttribute("rel", "noopener noreferrer");
        }
      }
      return tpl.innerHTML;
    };
  });
  return parser.then((render) => render(text));
}

/** A markdown description; with `editable`, an Edit button turns it into a textarea. Saving fires `save` (the text). */
export class TlDescription extends LitElement {
  static override properties = {
    value: {},
    editable: { type: Boolean },
    placeholder: {},
    editing: { state: true },
    rendered: { state: true },
  };
  declare value: string;
  declare editable: boolean;
  /** Shown when there is no description. */
  declare placeholder: string;
  declare editing: boolean;
  declare rendered: string | undefined;
  private seq = 0;

  static override styles = [
    shared,
    css`
      :host { display: block; }
      .md { overflow-wrap: anywhere; }
      .md > :first-child { margin-top: 0; }
      .md > :last-child { margin-bottom: 0; }
      .md p, .md ul, .md ol, .md pre, .md table, .md blockquote { margin: 0 0 8px; }
      .md h1, .md h2, .md h3 { font-size: 15px; margin: 12px 0 6px; }
      .md code { font-family: var(--tl-mono); font-size: 12.5px; background: var(--tl-bg-alt); padding: 0 3px; border-radius: 3px; }
      .md pre { background: var(--tl-bg-alt); padding: 8px; border-radius: var(--tl-radius); overflow: auto; }
      .md pre code { padding: 0; background: none; }
      .md blockquote { border-left: 3px solid var(--tl-border); padding-left: 10px; color: var(--tl-muted); }
      .md img { max-width: 100%; }
      .md table { width: auto; }
      .plain { white-space: pre-wrap; }
      .row { display: flex; gap: 8px; align-items: flex-start; }
      .row .md, .row .plain { flex: 1; min-width: 0; }
      textarea { width: 100%; box-sizing: border-box; min-height: 120px; font-family: var(--tl-mono); font-size: 12.5px; }
      .actions { display: flex; gap: 8px; margin-top: 6px; align-items: center; }
      .hint { font-size: 12px; }
    `,
  ];

  constructor() {
    super();
    this.value = "";
    this.editable = false;
    this.placeholder = "No description";
    this.editing = false;
    this.rendered = undefined;
  }

  override willUpdate(changed: PropertyValues<this>) {
    if (changed.has("value")) {
      const seq = ++this.seq;
      this.rendered = undefined;
      if (this.value) {
        void renderMarkdown(this.value).then(
          (out) => {
            if (seq === this.seq) this.rendered = out;
          },
          () => {
            // marked failed to load: the plain text stays
          },
        );
      }
    }
  }

  private edit() {
    this.editing = true;
    void this.updateComplete.then(() => this.renderRoot.querySelector("textarea")?.focus());
  }

  private save() {
    const text = this.renderRoot.querySelector("textarea")?.value ?? "";
    this.editing = false;
    if (text !== this.value) {
      this.dispatchEvent(new CustomEvent<string>("save", { detail: text, bubbles: true, composed: true }));
    }
  }

  private onKey(e: KeyboardEvent) {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      this.save();
    } else if (e.key === "Escape") {
      e.stopPropagation();
      this.editing = false;
    }
  }

  override render() {
    if (this.editing) {
      return html`<textarea aria-label="Description (markdown)" .value=${this.value} @keydown=${this.onKey}></textarea>
        <div class="actions">
          <button class="primary" @click=${this.save}>Save description</button>
          <button @click=${() => {
            this.editing = false;
          }}>Cancel</button>
          <span class="muted hint">Markdown · Ctrl+Enter saves · Esc cancels</span>
        </div>`;
    }
    const body = !this.value
      ? html`<span class="muted">${this.placeholder}</span>`
      : this.rendered === undefined
        ? html`<div class="plain">${this.value}</div>`
        : html`<div class="md">${unsafeHTML(this.rendered)}</div>`;
    if (!this.editable) return body;
    return html`<div class="row">
      ${body}
      <button class="icon-button" @click=${this.edit} aria-label=${this.value ? "Edit description" : "Add description"}>
        ${icons.edit} ${this.value ? "Edit" : "Add description"}
      </button>
    </div>`;
  }
}
customElements.define("tl-description", TlDescription);

declare global {
  interface HTMLElementTagNameMap {
    "tl-description": TlDescription;
  }
}
