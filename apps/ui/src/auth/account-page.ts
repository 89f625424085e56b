import { css, html, LitElement } from "lit";
import "../components/error.js";
import "../components/skeleton.js";
import { shared } from "../styles.js";
import { authApi, type PermissionList } from "./auth-api.js";
import { fetchCurrentUser } from "./current-user.js";
import "./permission-table.js";
import type { CurrentUser } from "./session.js";

/** `#/account`: who you are signed in as and what you may do (`users/current/permissions`). */
export class TlAccountPage extends LitElement {
  static override properties = {
    current: { state: true },
    perms: { state: true },
    error: { state: true },
    loaded: { state: true },
  };
  declare current: CurrentUser | undefined;
  declare perms: PermissionList | undefined;
  declare error: unknown;
  declare loaded: boolean;

  static override styles = [shared, css`:host { max-width: 960px; }`];

  constructor() {
    super();
    this.current = undefined;
    this.perms = undefined;
    this.error = undefined;
    this.loaded = false;
  }

  override connectedCallback() {
    super.connectedCallback();
    void this.load();
  }

  private async load() {
    this.error = undefined;
    try {
      this.current = await fetchCurrentUser();
      this.perms = this.current ? await authApi.myPermissions() : undefined;
    } catch (e) {
      this.error = e;
    }
    this.loaded = true;
  }

  override render() {
    if (this.error)
      return html`<h1>Your permissions</h1><tl-error .error=${this.error} @retry=${this.load}></tl-error>`;
    if (!this.loaded) return html`<h1>Your permissions</h1><tl-skeleton rows="4"></tl-skeleton>`;
    const user = this.current?.user;
    if (!user) return html`<h1>Your permissions</h1><p>This server has no sign-in: everyone may do everything.</p>`;
    return html`<h1>Your permissions</h1>
      <p>Signed in as <b>${user.username}</b>.
        ${user.is_admin ? html`You are an <b>admin</b>: you may read and change everything.` : ""}</p>
      <tl-permission-table .rows=${this.perms?.permissions ?? []}></tl-permission-table>`;
  }
}
customElements.define("tl-account-page", TlAccountPage);

declare global {
  interface HTMLElementTagNameMap {
    "tl-account-page": TlAccountPage;
  }
}
