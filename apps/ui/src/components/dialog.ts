import { css, html, LitElement, type PropertyValues } from "lit";
import { shared } from "../styles.js";
import { icons } from "./icons.js";

/**
 * A modal dialog on the native `<dialog>` (focus trap, Esc, top layer). The parent owns `open`; Esc, the close
 * button and a click on the backdrop fire `close`. Default slot = body, `slot="actions"` = the buttons.
 */
export class TlDialog extends LitElement {
  static override properties = { heading: {}, open: { type: Boolean, reflect: true } };
  declare heading: string;
  declare open: boolean;

  static override styles = [
    shared,
    css`
      dialog {
        border: 1px solid var(--tl-border); border-radius: 8px; padding: 0; background: var(--tl-bg);
        color: var(--tl-fg); box-shadow: var(--tl-shadow); width: min(520px, calc(100vw - 32px));
        max-height: calc(100vh - 64px);
      }
      dialog::backdrop { background: rgb(0 0 0 / 0.35); }
      header { display: flex; align-items: center; padding: 12px 12px 0 16px; }
      h2 { margin: 0; flex: 1; font-size: 16px; }
      .body { padding: 12px 16px; overflow: auto; }
      .actions { display: flex; justify-content: flex-end; gap: 8px; padding: 0 16px 16px; }
      .actions:not(:has(*)) { display: none; }
    `,
  ];

  constructor() {
    super();
    this.heading = "";
    this.open = false;
  }

  private get dialog() {
    return this.renderRoot.querySelector("dialog");
  }

  override updated(changed: PropertyValues<this>) {
    const d = this.dialog;
    if (!d || !changed.has("open")) return;
    if (this.open && !d.open) {
      if (typeof d.showModal === "function") d.showModal();
      else d.setAttribute("open", "");
      // Focus the first field of the body rather than the close button.
      const first = this.querySelector<HTMLElement>("input, textarea, select, [autofocus]");
      first?.focus();
    } else if (!this.open && d.open) {
      d.close();
    }
  }

  /** Closes and tells the parent (which should set `open` to false). */
  requestClose() {
    this.open = false;
    this.dispatchEvent(new CustomEvent("close", { bubbles: true, composed: true }));
  }

  private onCancel(e: Event) {
    e.preventDefault();
    this.requestClose();
  }

  private onClick(e: MouseEvent) {
    // A click on the dialog element itself (not its content) is a click on the backdrop.
    if (e.target === this.dialog) this.requestClose();
  }

  override render() {
    return html`<dialog aria-label=${this.heading} @cancel=${this.onCancel} @click=${this.onClick}>
      <header>
        <h2>${this.heading}</h2>
        <button class="icon-button" aria-label="Close" title="Close" @click=${() => this.requestClose()}>
          ${icons.close}
        </button>
      </header>
      <div class="body"><slot></slot></div>
      <div class="actions"><slot name="actions"></slot></div>
    </dialog>`;
  }
}
customElements.define("tl-dialog", TlDialog);

declare global {
  interface HTMLElementTagNameMap {
    "tl-dialog": TlDialog;
  }
}
