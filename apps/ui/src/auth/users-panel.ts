import { css, html, LitElement, type PropertyValues } from "lit";
import { client } from "../api.js";
import "../components/dialog.js";
import "../components/error.js";
import { icons } from "../components/icons.js";
import "../components/skeleton.js";
import { toast } from "../components/toast.js";
import { navigate } from "../router.js";
import { shared } from "../styles.js";
import { type AuthUser, authApi, type UserPermission } from "./auth-api.js";
import "./create-user-dialog.js";
import type { TlCreateUserDialog } from "./create-user-dialog.js";
import "./grant-form.js";
import type { Grant, TlGrantForm } from "./grant-form.js";
import "./password-dialog.js";
import type { TlPasswordDialog } from "./password-dialog.js";
import "./permission-table.js";
import { isUserRole } from "./permissions.js";

/**
 * The Users tab of `#/admin/users`: every user with their admin flag and roles; create, delete, make or unmake
 * admin, reset a password. The selected user (`?user=` in the URL) shows their grants, with grant and revoke.
 */
export class TlUsersPanel extends LitElement {
  static override properties = {
    query: { attribute: false },
    me: {},
    users: { state: true },
    perms: { state: true },
    error: { state: true },
    permError: { state: true },
    deleting: { state: true },
    resetting: { state: true },
  };
  declare query: URLSearchParams;
  /** The signed-in admin (who cannot delete or demote themselves here). */
  declare me: string;
  declare users: AuthUser[] | undefined;
  declare perms: UserPermission[] | undefined;
  declare error: unknown;
  declare permError: unknown;
  declare deleting: string | undefined;
  declare resetting: string;

  static override styles = [
    shared,
    css`
      table { font-size: 12.5px; }
      th, td { padding: 5px 8px; vertical-align: middle; }
      tr[aria-selected="true"] { background: var(--tl-bg-selected); }
      td.actions { white-space: nowrap; text-align: right; }
      button.name { border: 0; background: none; color: var(--tl-accent); padding: 0; font-weight: 600; }
      .admin { font-size: 11.5px; border: 1px solid var(--tl-accent); color: var(--tl-accent); border-radius: 999px; padding: 0 6px; }
      section { margin-top: 20px; }
      tl-grant-form { margin: 8px 0 12px; }
    `,
  ];

  constructor() {
    super();
    this.query = new URLSearchParams();
    this.me = "";
    this.users = undefined;
    this.perms = undefined;
    this.error = undefined;
    this.permError = undefined;
    this.deleting = undefined;
    this.resetting = "";
  }

  private get selected() {
    return this.query.get("user") ?? "";
  }

  override connectedCallback() {
    super.connectedCallback();
    void this.load();
  }

  override updated(changed: PropertyValues<this>) {
    if (changed.has("query") && changed.get("query")?.get("user") !== this.selected) void this.loadPerms();
  }

  private async load() {
    this.error = undefined;
    try {
      this.users = (await authApi.listUsers()).sort((a, b) => a.username.localeCompare(b.username));
    } catch (e) {
      this.error = e;
    }
  }

  private async loadPerms() {
    this.perms = undefined;
    this.permError = undefined;
    const user = this.selected;
    if (!user) return;
    try {
      const perms = (await authApi.listPermissions(user)).permissions;
      if (user === this.selected) this.perms = perms;
    } catch (e) {
      this.permError = e;
    }
  }

  private select(username: string) {
    navigate("/admin/users", { user: username }, true);
  }

  /** Runs an admin action; shows its error as a toast (it belongs to no field), then reloads the list. */
  private async act(what: () => Promise<unknown>, done: string, action: string) {
    try {
      await what();
      toast(done);
    } catch (e) {
      toast(`Could not ${action}: ${(e as Error).message}`, "error");
    }
    await this.load();
  }

  private async grant(e: CustomEvent<Grant>) {
    const g = e.detail;
    const form = e.target as TlGrantForm;
    this.permError = undefined;
    try {
      let id = g.resource_id;
      // Experiments are granted by id; a name is looked up so the admin need not copy ids.
      if (g.resource_type === "experiment" && id !== "*" && !/^\d+$/.test(id)) {
        const exp = await client.getExperimentByName(id);
        if (!exp) throw new Error(`No experiment named '${id}'.`);
        id = exp.experiment_id;
      }
      await authApi.grant(this.selected, g.resource_type, id, g.permission);
      form.done();
      toast(`Granted ${g.permission} on ${g.resource_type} ${id} to ${this.selected}`);
    } catch (err) {
      this.permError = err;
    }
    await this.loadPerms();
  }

  private async revoke(e: CustomEvent<UserPermission>) {
    const r = e.detail;
    this.permError = undefined;
    try {
      await authApi.revoke(this.selected, r.resource_type, r.resource_pattern);
      toast(`Revoked ${r.permission} on ${r.resource_type} ${r.resource_pattern}`);
    } catch (err) {
      this.permError = err;
    }
    await this.loadPerms();
  }

  private resetPassword(username: string) {
    this.resetting = username;
    void this.updateComplete.then(() => this.renderRoot.querySelector<TlPasswordDialog>("tl-password-dialog")?.open());
  }

  private renderRow(u: AuthUser) {
    const self = u.username === this.me;
    const roles = (u.roles ?? []).filter((r) => !isUserRole(r.name));
    return html`<tr aria-selected=${u.username === this.selected ? "true" : "false"}>
      <td><button class="name" @click=${() => this.select(u.username)} title="Show the permissions of ${u.username}">
        ${u.username}</button>${self ? html` <span class="muted">(you)</span>` : ""}</td>
      <td>${u.is_admin ? html`<span class="admin">admin</span>` : ""}</td>
      <td>${roles.length ? roles.map((r) => html`<span class="tag">${r.name}</span>`) : html`<span class="muted">—</span>`}</td>
      <td class="actions">
        <button @click=${() => this.select(u.username)}>Permissions</button>
        <button ?disabled=${self} @click=${() =>
          this.act(
            () => authApi.setAdmin(u.username, !u.is_admin),
            u.is_admin ? `${u.username} is no longer an admin` : `${u.username} is now an admin`,
            u.is_admin ? `remove admin from ${u.username}` : `make ${u.username} an admin`,
          )}>${u.is_admin ? "Remove admin" : "Make admin"}</button>
        <button @click=${() => this.resetPassword(u.username)}>Reset password</button>
        <button class="icon-button danger" aria-label="Delete ${u.username}" title="Delete ${u.username}" ?disabled=${self}
          @click=${() => {
            this.deleting = u.username;
          }}>${icons.trash}</button>
      </td>
    </tr>`;
  }

  private renderDelete() {
    const name = this.deleting;
    if (!name) return "";
    const close = () => {
      this.deleting = undefined;
    };
    return html`<tl-dialog open heading="Delete user ${name}?" @close=${close}>
      <p>${name} can no longer sign in; their own grants are removed.</p>
      <button slot="actions" @click=${close}>Cancel</button>
      <button slot="actions" class="primary danger" @click=${async () => {
        close();
        if (this.selected === name) navigate("/admin/users", {}, true);
        await this.act(() => authApi.deleteUser(name), `Deleted ${name}`, `delete ${name}`);
      }}>Delete</button>
    </tl-dialog>`;
  }

  private renderSelected() {
    const user = this.selected;
    if (!user) return html`<p class="muted">Choose a user to see and change their permissions.</p>`;
    const isAdmin = this.users?.find((u) => u.username === user)?.is_admin;
    return html`<section aria-label="Permissions of ${user}">
      <h2>Permissions of ${user}</h2>
      ${isAdmin ? html`<p class="muted">${user} is an admin: admins may do everything, whatever their grants.</p>` : ""}
      <tl-grant-form @grant=${this.grant}></tl-grant-form>
      ${this.permError ? html`<tl-error .error=${this.permError} @retry=${this.loadPerms}></tl-error>` : ""}
      ${
        this.perms
          ? html`<tl-permission-table revocable .rows=${this.perms} @revoke=${this.revoke}></tl-permission-table>`
          : this.permError
            ? ""
            : html`<tl-skeleton rows="2" label="Loading permissions"></tl-skeleton>`
      }
    </section>`;
  }

  override render() {
    if (this.error) return html`<tl-error .error=${this.error} @retry=${this.load}></tl-error>`;
    return html`<div class="toolbar">
        <button class="primary" @click=${() => this.renderRoot.querySelector<TlCreateUserDialog>("tl-create-user-dialog")?.open()}>
          ${icons.plus} Create user</button>
      </div>
      ${
        this.users
          ? html`<table aria-label="Users">
              <thead><tr><th>Username</th><th>Admin</th><th>Roles</th><th><span class="sr-only">Actions</span></th></tr></thead>
              <tbody>${this.users.map((u) => this.renderRow(u))}</tbody>
            </table>`
          : html`<tl-skeleton rows="3" label="Loading users"></tl-skeleton>`
      }
      ${this.renderSelected()}
      ${this.renderDelete()}
      <tl-create-user-dialog @created=${(e: CustomEvent<{ username: string }>) => {
        toast(`Created ${e.detail.username}`);
        void this.load();
        this.select(e.detail.username);
      }}></tl-create-user-dialog>
      <tl-password-dialog .username=${this.resetting}></tl-password-dialog>`;
  }
}
customElements.define("tl-users-panel", TlUsersPanel);

declare global {
  interface HTMLElementTagNameMap {
    "tl-users-panel": TlUsersPanel;
  }
}
