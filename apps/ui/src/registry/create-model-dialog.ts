import { css, html, LitElement } from "lit";
import { client } from "../api.js";
import "../components/dialog.js";
import "../components/error.js";
import { shared } from "../styles.js";

/** "Create model": a new, empty registered model (name and markdown description). Fires `created` ({name}). */
export class TlCreateModelDialog extends LitElement {
  static override properties = {
    isOpen: { state: true },
    busy: { state: true },
    error: { state: true },
  };
  declare isOpen: boolean;
  declare busy: boolean;
  declare error: unknown;

  static override styles = [
    shared,
    css`
      label { display: block; font-weight: 600; margin-bottom: 4px; }
      input, textarea { width: 100%; box-sizing: border-box; }
      textarea { min-height: 90px; font-family: var(--tl-mono); font-size: 12.5px; }
      .field { margin-bottom: 12px; }
    `,
  ];

  constructor() {
    super();
    this.isOpen = false;
    this.busy = false;
    this.error = undefined;
  }

  open() {
    this.error = undefined;
    this.busy = false;
    this.renderRoot.querySelector("form")?.reset();
    this.isOpen = true;
  }

  private close() {
    this.isOpen = false;
  }

  private async create(e?: Event) {
    e?.preventDefault();
    const form = this.renderRoot.querySelector("form");
    if (!form || this.busy) return;
    const data = new FormData(form);
    const name = String(data.get("name") ?? "").trim();
    const description = String(data.get("description") ?? "");
    if (!name) return;
    this.busy = true;
    this.error = undefined;
    try {
      await client.createRegisteredModel(name, { description: description || undefined });
      this.isOpen = false;
      this.dispatchEvent(new CustomEvent("created", { detail: { name }, bubbles: true, composed: true }));
    } catch (err) {
      this.error = err;
    } finally {
      this.busy = false;
    }
  }

  override render() {
    return html`<tl-dialog heading="Create model" ?open=${this.isOpen} @close=${this.close}>
      <form @submit=${this.create}>
        <div class="field">
          <label for="new-model-name">Name</label>
          <input id="new-model-name" name="name" required autocomplete="off" />
        </div>
        <div class="field">
          <label for="new-model-description">Description <span class="muted">(markdown, optional)</span></label>
          <textarea id="new-model-description" name="description"></textarea>
        </div>
        ${this.error ? html`<tl-error .error=${this.error} @retry=${() => this.create()}></tl-error>` : ""}
      </form>
      <button slot="actions" type="button" @click=${this.close}>Cancel</button>
      <button slot="actions" class="primary" type="button" ?disabled=${this.busy} @click=${() => this.create()}>
        ${this.busy ? "Creating…" : "Create"}
      </button>
    </tl-dialog>`;
  }
}
customElements.define("tl-create-model-dialog", TlCreateModelDialog);

declare global {
  interface HTMLElementTagNameMap {
    "tl-create-model-dialog": TlCreateModelDialog;
  }
}
