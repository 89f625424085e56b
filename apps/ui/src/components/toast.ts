import { css, html, LitElement } from "lit";
import { shared } from "../styles.js";
import { icons } from "./icons.js";

export type ToastKind = "info" | "error";

interface Item {
  id: number;
  message: string;
  kind: ToastKind;
}

let nextId = 1;

/** The stack of toasts at the bottom right; one per document, created by {@link toast}. */
export class TlToaster extends LitElement {
  static override properties = { items: { state: true } };
  declare items: Item[];

  static override styles = [
    shared,
    css`
      :host { position: fixed; right: 16px; bottom: 16px; z-index: 1000; display: flex; flex-direction: column; gap: 8px; }
      .toast {
        display: flex; gap: 8px; align-items: flex-start; min-width: 220px; max-width: 420px; padding: 8px 8px 8px 12px;
        border: 1px solid var(--tl-border); border-left: 4px solid var(--tl-accent); border-radius: var(--tl-radius);
        background: var(--tl-bg); box-shadow: var(--tl-shadow); font-size: 13px;
      }
      .toast.error { border-left-color: var(--tl-danger); }
      .message { flex: 1; white-space: pre-wrap; word-break: break-word; padding-top: 2px; }
    `,
  ];

  constructor() {
    super();
    this.items = [];
  }

  add(message: string, kind: ToastKind) {
    const item = { id: nextId++, message, kind };
    this.items = [...this.items.slice(-4), item];
    setTimeout(() => this.dismiss(item.id), kind === "error" ? 10_000 : 4_000);
  }

  dismiss(id: number) {
    this.items = this.items.filter((i) => i.id !== id);
  }

  override render() {
    return html`${this.items.map(
      (i) => html`<div class="toast ${i.kind}" role=${i.kind === "error" ? "alert" : "status"}>
        <span class="message">${i.message}</span>
        <button class="icon-button" aria-label="Dismiss" title="Dismiss" @click=${() => this.dismiss(i.id)}>
          ${icons.close}
        </button>
      </div>`,
    )}`;
  }
}
customElements.define("tl-toaster", TlToaster);

/** Shows a short message at the bottom right ("Copied", "Experiment deleted", or an error that has no other place). */
export function toast(message: string, kind: ToastKind = "info"): void {
  let host = document.querySelector("tl-toaster");
  if (!host) {
    host = document.createElement("tl-toaster");
    document.body.append(host);
  }
  host.add(message, kind);
}

declare global {
  interface HTMLElementTagNameMap {
    "tl-toaster": TlToaster;
  }
}
