import { css, html, LitElement } from "lit";
import "../components/error.js";
import "../components/skeleton.js";
import "../components/tabs.js";
import { navigate } from "../router.js";
import { shared } from "../styles.js";
import "./account-page.js";
import { fetchCurrentUser } from "./current-user.js";
import "./roles-panel.js";
import type { CurrentUser } from "./session.js";
import "./users-panel.js";

const TABS = [
  { id: "users", label: "Users" },
  { id: "roles", label: "Roles" },
];

/**
 * `#/admin/users` and `#/admin/roles`: user and role management for admins. Anyone else sees their own
 * permissions (the account page) instead: the server would refuse them the admin calls anyway.
 */
export class TlAdminPage extends LitElement {
  static override properties = {
    params: { attribute: false },
    query: { attribute: false },
    current: { state: true },
    error: { state: true },
  };
  declare params: Record<string, string>;
  declare query: URLSearchParams;
  declare current: CurrentUser | null | undefined;
  declare error: unknown;

  static override styles = [
    shared,
    css`
      :host { max-width: 1100px; }
      tl-tabs { margin: 8px 0 12px; }
    `,
  ];

  constructor() {
    super();
    this.params = {};
    this.query = new URLSearchParams();
    this.current = undefined;
    this.error = undefined;
  }

  override connectedCallback() {
    super.connectedCallback();
    void this.load();
  }

  private async load() {
    this.error = undefined;
    try {
      this.current = (await fetchCurrentUser()) ?? null;
    } catch (e) {
      this.error = e;
    }
  }

  override render() {
    if (this.error) return html`<tl-error .error=${this.error} @retry=${this.load}></tl-error>`;
    if (this.current === undefined) return html`<tl-skeleton rows="4" label="Loading"></tl-skeleton>`;
    if (!this.current?.user.is_admin) {
      return html`${this.current ? html`<p class="muted">Only admins manage users and roles.</p>` : ""}
        <tl-account-page></tl-account-page>`;
    }
    const tab = this.params.tab === "roles" ? "roles" : "users";
    return html`<h1>Users and roles</h1>
      <tl-tabs .tabs=${TABS} .active=${tab} @tab-change=${(e: CustomEvent<string>) => navigate(`/admin/${e.detail}`)}></tl-tabs>
      ${
        tab === "users"
          ? html`<tl-users-panel .query=${this.query} .me=${this.current.user.username}></tl-users-panel>`
          : html`<tl-roles-panel .query=${this.query}></tl-roles-panel>`
      }`;
  }
}
customElements.define("tl-admin-page", TlAdminPage);

declare global {
  interface HTMLElementTagNameMap {
    "tl-admin-page": TlAdminPage;
  }
}
