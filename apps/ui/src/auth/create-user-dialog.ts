import { css, html, LitElement } from "lit";
import "../components/dialog.js";
import "../components/error.js";
import { shared } from "../styles.js";
import { authApi } from "./auth-api.js";
import { MIN_PASSWORD_LENGTH, passwordProblem } from "./permissions.js";

/** "Create user": a username and a password of at least 12 characters (the server's rule). Fires `created`. */
export class TlCreateUserDialog extends LitElement {
  static override properties = {
    isOpen: { state: true },
    busy: { state: true },
    problem: { state: true },
    error: { state: true },
  };
  declare isOpen: boolean;
  declare busy: boolean;
  declare problem: string;
  declare error: unknown;

  static override styles = [
    shared,
    css`
      label { display: flex; flex-direction: column; gap: 4px; font-weight: 600; margin-bottom: 10px; }
      input { font-weight: 400; }
      .hint { font-weight: 400; font-size: 12px; }
    `,
  ];

  constructor() {
    super();
    this.isOpen = false;
    this.busy = false;
    this.problem = "";
    this.error = undefined;
  }

  open() {
    this.renderRoot.querySelector("form")?.reset();
    this.problem = "";
    this.error = undefined;
    this.isOpen = true;
  }

  private async create(e?: Event) {
    e?.preventDefault();
    const form = this.renderRoot.querySelector("form");
    if (!form || this.busy) return;
    const data = new FormData(form);
    const username = String(data.get("username") ?? "").trim();
    const password = String(data.get("password") ?? "");
    this.problem = username ? (passwordProblem(password) ?? "") : "Enter a username.";
    if (this.problem) return;
    this.busy = true;
    this.error = undefined;
    try {
      await authApi.createUser(username, password);
      this.isOpen = false;
      this.dispatchEvent(new CustomEvent("created", { detail: { username }, bubbles: true, composed: true }));
    } catch (err) {
      this.error = err;
    } finally {
      this.busy = false;
    }
  }

  override render() {
    return html`<tl-dialog heading="Create user" ?open=${this.isOpen} @close=${() => {
      this.isOpen = false;
    }}>
      <form @submit=${this.create}>
        <label>Username<input name="username" required autocomplete="off" /></label>
        <label>Password <span class="hint muted">At least ${MIN_PASSWORD_LENGTH} characters.</span>
          <input name="password" type="password" required autocomplete="new-password" /></label>
        ${this.problem ? html`<p class="error" role="alert">${this.problem}</p>` : ""}
        ${this.error ? html`<tl-error .error=${this.error} .retryable=${false}></tl-error>` : ""}
        <button type="submit" hidden></button>
      </form>
      <button slot="actions" type="button" @click=${() => {
        this.isOpen = false;
      }}>Cancel</button>
      <button slot="actions" class="primary" type="button" ?disabled=${this.busy} @click=${() => this.create()}>
        ${this.busy ? "Creating…" : "Create user"}
      </button>
    </tl-dialog>`;
  }
}
customElements.define("tl-create-user-dialog", TlCreateUserDialog);

declare global {
  interface HTMLElementTagNameMap {
    "tl-create-user-dialog": TlCreateUserDialog;
  }
}
