import { css, html, LitElement } from "lit";
import { icons } from "../components/icons.js";
import { shared } from "../styles.js";
import { type Credentials, type CurrentUser, saveCredentials } from "./session.js";
import { type SignInResult, throttledMessage, verifyCredentials } from "./sign-in.js";

/**
 * The sign-in page the app shows when a call answers 401: a username and password (sent as HTTP Basic), or an API
 * token (Bearer). The credentials are checked on `users/current` before they are kept (sessionStorage). A wrong
 * password says so; a 429 says how long to wait and counts down. Fires `signed-in` (detail: the current user, or
 * undefined when the server turned out to have no auth).
 */
export class TlSignInPage extends LitElement {
  static override properties = {
    useToken: { state: true },
    busy: { state: true },
    error: { state: true },
    wait: { state: true },
  };
  declare useToken: boolean;
  declare busy: boolean;
  declare error: string;
  /** Seconds left before another attempt (after a 429). */
  declare wait: number;
  private timer: ReturnType<typeof setInterval> | undefined;
  /** How credentials are checked (the server's `users/current`; replaceable to render each outcome in tests). */
  verify: (creds: Credentials) => Promise<SignInResult> = (creds) => verifyCredentials(creds);

  static override styles = [
    shared,
    css`
      :host { display: flex; justify-content: center; padding-top: 10vh; }
      form { width: min(360px, 100%); display: flex; flex-direction: column; gap: 12px; }
      h1 { margin: 0; }
      label { display: flex; flex-direction: column; gap: 4px; font-weight: 600; font-size: 13px; }
      input { font-weight: 400; }
      .row { display: flex; align-items: center; gap: 8px; }
      button.link { border: 0; background: none; color: var(--tl-accent); padding: 0; }
      .alert {
        display: flex; gap: 8px; padding: 8px 10px; border: 1px solid var(--tl-danger); border-radius: var(--tl-radius);
        background: color-mix(in srgb, var(--tl-danger) 8%, var(--tl-bg)); color: var(--tl-fg);
      }
      .alert svg { color: var(--tl-danger); margin-top: 3px; }
    `,
  ];

  constructor() {
    super();
    this.useToken = false;
    this.busy = false;
    this.error = "";
    this.wait = 0;
  }

  override disconnectedCallback() {
    clearInterval(this.timer);
    super.disconnectedCallback();
  }

  override firstUpdated() {
    this.renderRoot.querySelector("input")?.focus();
  }

  private countDown(seconds: number) {
    clearInterval(this.timer);
    this.wait = seconds;
    this.timer = setInterval(() => {
      this.wait = Math.max(0, this.wait - 1);
      this.error = this.wait > 0 ? throttledMessage(this.wait) : "";
      if (this.wait === 0) clearInterval(this.timer);
    }, 1000);
  }

  private async submit(e: Event) {
    e.preventDefault();
    if (this.busy || this.wait > 0) return;
    const data = new FormData(e.target as HTMLFormElement);
    const field = (name: string) => String(data.get(name) ?? "");
    const creds: Credentials = this.useToken
      ? { kind: "token", token: field("token").trim() }
      : { kind: "basic", username: field("username"), password: field("password") };
    this.busy = true;
    this.error = "";
    const result = await this.verify(creds);
    this.busy = false;
    if (!result.ok) {
      this.error = result.message;
      if (result.reason === "throttled" && result.retryAfter) this.countDown(result.retryAfter);
      const password = this.renderRoot.querySelector<HTMLInputElement>("input[type=password]");
      password?.select();
      return;
    }
    if (result.current) saveCredentials(creds);
    this.dispatchEvent(
      new CustomEvent<CurrentUser | undefined>("signed-in", { detail: result.current, bubbles: true, composed: true }),
    );
  }

  private toggle() {
    this.useToken = !this.useToken;
    this.error = "";
    void this.updateComplete.then(() => this.renderRoot.querySelector("input")?.focus());
  }

  override render() {
    const fields = this.useToken
      ? html`<label>API token<input name="token" type="password" required autocomplete="off" /></label>`
      : html`<label>Username<input name="username" required autocomplete="username" /></label>
          <label>Password<input name="password" type="password" required autocomplete="current-password" /></label>`;
    return html`<form @submit=${this.submit} aria-label="Sign in">
      <h1>Sign in to tracklite</h1>
      <p class="muted">This server asks who you are.</p>
      ${fields}
      ${this.error ? html`<div class="alert" role="alert">${icons.warning}<span>${this.error}</span></div>` : ""}
      <div class="row">
        <button class="primary" type="submit" ?disabled=${this.busy || this.wait > 0}>
          ${this.busy ? "Signing in…" : "Sign in"}
        </button>
        <span class="spacer"></span>
        <button class="link" type="button" @click=${this.toggle}>
          ${this.useToken ? "Use a username and password" : "Use a token"}
        </button>
      </div>
    </form>`;
  }
}
customElements.define("tl-sign-in-page", TlSignInPage);

declare global {
  interface HTMLElementTagNameMap {
    "tl-sign-in-page": TlSignInPage;
  }
}
