import { css, html, LitElement } from "lit";
import "../components/dialog.js";
import "../components/error.js";
import { toast } from "../components/toast.js";
import { shared } from "../styles.js";
import { authApi } from "./auth-api.js";
import { MIN_PASSWORD_LENGTH, passwordProblem } from "./permissions.js";
import { loadCredentials, saveCredentials } from "./session.js";

/**
 * Sets a user's password: "Change password" for yourself (the server wants the current one too) or an admin's
 * "Reset password" for someone else. After changing your own, the tab's stored credentials are updated so the next
 * call does not fail. Fires `changed`.
 */
export class TlPasswordDialog extends LitElement {
  static override properties = {
    username: {},
    self: { type: Boolean },
    isOpen: { state: true },
    busy: { state: true },
    problem: { state: true },
    error: { state: true },
  };
  declare username: string;
  /** Changing one's own password (asks for the current one). */
  declare self: boolean;
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
    this.username = "";
    this.self = false;
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

  private async save(e?: Event) {
    e?.preventDefault();
    const form = this.renderRoot.querySelector("form");
    if (!form || this.busy) return;
    const data = new FormData(form);
    const current = String(data.get("current") ?? "");
    const password = String(data.get("password") ?? "");
    this.problem = passwordProblem(password, String(data.get("confirm") ?? "")) ?? "";
    if (this.problem) return;
    this.busy = true;
    this.error = undefined;
    try {
      await authApi.updatePassword(this.username, password, this.self ? current : undefined);
      const creds = loadCredentials();
      if (this.self && creds?.kind === "basic" && creds.username === this.username) {
        saveCredentials({ ...creds, password });
      }
      this.isOpen = false;
      toast(this.self ? "Password changed" : `Password of ${this.username} reset`);
      this.dispatchEvent(new CustomEvent("changed", { bubbles: true, composed: true }));
    } catch (err) {
      this.error = err;
    } finally {
      this.busy = false;
    }
  }

  override render() {
    const heading = this.self ? "Change password" : `Reset password of ${this.username}`;
    return html`<tl-dialog heading=${heading} ?open=${this.isOpen} @close=${() => {
      this.isOpen = false;
    }}>
      <form @submit=${this.save}>
        <input type="text" name="username" autocomplete="username" .value=${this.username} hidden />
        ${
          this.self
            ? html`<label>Current password
                <input name="current" type="password" required autocomplete="current-password" /></label>`
            : ""
        }
        <label>New password <span class="hint muted">At least ${MIN_PASSWORD_LENGTH} characters.</span>
          <input name="password" type="password" required autocomplete="new-password" /></label>
        <label>Repeat the new password
          <input name="confirm" type="password" required autocomplete="new-password" /></label>
        ${this.problem ? html`<p class="error" role="alert">${this.problem}</p>` : ""}
        ${this.error ? html`<tl-error .error=${this.error} .retryable=${false}></tl-error>` : ""}
        <button type="submit" hidden></button>
      </form>
      <button slot="actions" type="button" @click=${() => {
        this.isOpen = false;
      }}>Cancel</button>
      <button slot="actions" class="primary" type="button" ?disabled=${this.busy} @click=${() => this.save()}>
        ${this.busy ? "Saving…" : this.self ? "Change password" : "Reset password"}
      </button>
    </tl-dialog>`;
  }
}
customElements.define("tl-password-dialog", TlPasswordDialog);

declare global {
  interface HTMLElementTagNameMap {
    "tl-password-dialog": TlPasswordDialog;
  }
}
