import { css, html, LitElement } from "lit";
import { shared } from "../styles.js";
import { icons } from "./icons.js";
import { toast } from "./toast.js";

/** Copies text to the clipboard; falls back to a hidden textarea where the async API is missing (plain http). */
export async function copyText(text: string): Promise<void> {
  if (navigator.clipboard && window.isSecureContext) {
    await navigator.clipboard.writeText(text);
    return;
  }
  const area = document.createElement("textarea");
  area.value = text;
  area.style.cssText = "position:fixed;opacity:0";
  document.body.append(area);
  area.select();
  const ok = document.execCommand("copy");
  area.remove();
  if (!ok) throw new Error("The browser refused to copy");
}

/** A shortened id (first `short` characters, 0 = all) with a copy button; the full value is the tooltip. */
export class TlCopy extends LitElement {
  static override properties = { value: {}, short: { type: Number }, copied: { state: true } };
  declare value: string;
  declare short: number;
  declare copied: boolean;

  static override styles = [
    shared,
    css`
      :host { display: inline-flex; align-items: center; gap: 2px; vertical-align: middle; max-width: 100%; }
      code { font-family: var(--tl-mono); font-size: 12px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
      button.icon-button { padding: 2px 3px; font-size: 12px; }
      .copied { color: var(--tl-ok); }
    `,
  ];

  constructor() {
    super();
    this.value = "";
    this.short = 8;
    this.copied = false;
  }

  private async copy(e: Event) {
    e.stopPropagation();
    e.preventDefault();
    try {
      await copyText(this.value);
      this.copied = true;
      setTimeout(() => {
        this.copied = false;
      }, 1200);
    } catch (err) {
      toast(`Could not copy: ${(err as Error).message}`, "error");
    }
  }

  override render() {
    const shown = this.short > 0 && this.value.length > this.short ? this.value.slice(0, this.short) : this.value;
    return html`<code title=${this.value}>${shown}</code><button
        class="icon-button ${this.copied ? "copied" : ""}"
        title=${this.copied ? "Copied" : `Copy ${this.value}`}
        aria-label=${this.copied ? "Copied" : `Copy ${this.value}`}
        @click=${this.copy}
      >${this.copied ? icons.check : icons.copy}</button>`;
  }
}
customElements.define("tl-copy", TlCopy);

declare global {
  interface HTMLElementTagNameMap {
    "tl-copy": TlCopy;
  }
}
