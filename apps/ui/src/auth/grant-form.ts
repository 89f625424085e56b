import { css, html, LitElement } from "lit";
import { shared } from "../styles.js";
import { PERMISSION_LEVELS, RESOURCE_TYPES } from "./permissions.js";

export interface Grant {
  resource_type: string;
  /** An id or name, or `*` for every resource of the type. */
  resource_id: string;
  permission: string;
}

/**
 * One line to grant a level on a resource: type, id or name (or `*`), level. Fires `grant` (detail: {@link Grant});
 * the parent calls the server and calls `done()` to clear the form.
 */
export class TlGrantForm extends LitElement {
  static override properties = { label: {}, type: { state: true } };
  /** The submit button's text. */
  declare label: string;
  declare type: string;

  static override styles = [
    shared,
    css`
      form { display: flex; gap: 6px; align-items: flex-end; flex-wrap: wrap; }
      label { display: flex; flex-direction: column; gap: 2px; font-size: 12px; color: var(--tl-muted); }
      input { width: 220px; }
    `,
  ];

  constructor() {
    super();
    this.label = "Grant";
    this.type = RESOURCE_TYPES[0].id;
  }

  /** Clears the id field after a successful grant. */
  done() {
    const input = this.renderRoot.querySelector<HTMLInputElement>("input[name=resource_id]");
    if (input) input.value = "";
  }

  private submit(e: Event) {
    e.preventDefault();
    const data = new FormData(e.target as HTMLFormElement);
    const detail: Grant = {
      resource_type: String(data.get("resource_type")),
      resource_id: String(data.get("resource_id") ?? "").trim(),
      permission: String(data.get("permission")),
    };
    if (!detail.resource_id) return;
    this.dispatchEvent(new CustomEvent<Grant>("grant", { detail, bubbles: true, composed: true }));
  }

  override render() {
    const hint = RESOURCE_TYPES.find((t) => t.id === this.type)?.hint ?? "";
    return html`<form @submit=${this.submit}>
      <label>Resource type
        <select name="resource_type" @change=${(e: Event) => {
          this.type = (e.target as HTMLSelectElement).value;
        }}>
          ${RESOURCE_TYPES.map((t) => html`<option value=${t.id} ?selected=${t.id === this.type}>${t.label}</option>`)}
        </select>
      </label>
      <label>Id or name<input name="resource_id" required placeholder=${hint} title=${hint} autocomplete="off" /></label>
      <label>Level
        <select name="permission">${PERMISSION_LEVELS.map((p) => html`<option value=${p}>${p}</option>`)}</select>
      </label>
      <button type="submit" class="primary">${this.label}</button>
    </form>`;
  }
}
customElements.define("tl-grant-form", TlGrantForm);

declare global {
  interface HTMLElementTagNameMap {
    "tl-grant-form": TlGrantForm;
  }
}
