import { css, html, LitElement, type PropertyValues } from "lit";
import "../components/error.js";
import { icons } from "../components/icons.js";
import "../components/skeleton.js";
import { toast } from "../components/toast.js";
import { navigate } from "../router.js";
import { shared } from "../styles.js";
import { type AuthUser, authApi, type Role } from "./auth-api.js";
import "./grant-form.js";
import type { Grant, TlGrantForm } from "./grant-form.js";
import { isUserRole, resourceLabel } from "./permissions.js";

/**
 * The Roles tab of `#/admin/roles`: named roles (a set of grants in a workspace) and who holds them. Create a role,
 * add or remove its grants, assign or unassign users. The per-user roles behind direct grants are left out.
 */
export class TlRolesPanel extends LitElement {
  static override properties = {
    query: { attribute: false },
    roles: { state: true },
    users: { state: true },
    members: { state: true },
    error: { state: true },
    actionError: { state: true },
  };
  declare query: URLSearchParams;
  declare roles: Role[] | undefined;
  declare users: AuthUser[];
  /** Usernames holding the selected role. */
  declare members: string[] | undefined;
  declare error: unknown;
  declare actionError: unknown;

  static override styles = [
    shared,
    css`
      table { font-size: 12.5px; margin-bottom: 12px; }
      th, td { padding: 5px 8px; vertical-align: middle; }
      tr[aria-selected="true"] { background: var(--tl-bg-selected); }
      button.name { border: 0; background: none; color: var(--tl-accent); padding: 0; font-weight: 600; }
      form { display: flex; gap: 6px; align-items: flex-end; flex-wrap: wrap; margin-bottom: 12px; }
      label { display: flex; flex-direction: column; gap: 2px; font-size: 12px; color: var(--tl-muted); }
      section { margin-top: 20px; }
      .mono { font-size: 12px; }
    `,
  ];

  constructor() {
    super();
    this.query = new URLSearchParams();
    this.roles = undefined;
    this.users = [];
    this.members = undefined;
    this.error = undefined;
    this.actionError = undefined;
  }

  private get selectedId() {
    const id = Number(this.query.get("role"));
    return Number.isInteger(id) && id > 0 ? id : undefined;
  }

  private get selected() {
    return this.roles?.find((r) => r.id === this.selectedId);
  }

  override connectedCallback() {
    super.connectedCallback();
    void this.load();
  }

  override updated(changed: PropertyValues<this>) {
    if (changed.has("query") && changed.get("query")?.get("role") !== this.query.get("role")) void this.loadMembers();
  }

  private async load() {
    this.error = undefined;
    try {
      const [roles, users] = await Promise.all([authApi.listRoles(), authApi.listUsers()]);
      this.roles = roles.filter((r) => !isUserRole(r.name)).sort((a, b) => a.name.localeCompare(b.name));
      this.users = users.sort((a, b) => a.username.localeCompare(b.username));
    } catch (e) {
      this.error = e;
    }
  }

  private async loadMembers() {
    this.members = undefined;
    const id = this.selectedId;
    if (id === undefined) return;
    try {
      const [assignments, users] = await Promise.all([authApi.roleUsers(id), authApi.listUsers()]);
      const names = new Map(users.map((u) => [u.id, u.username]));
      if (id === this.selectedId) this.members = assignments.map((a) => names.get(a.user_id) ?? `user ${a.user_id}`);
    } catch (e) {
      this.actionError = e;
    }
  }

  /** Runs a change to the selected role, shows its error inline, and reloads roles and members. */
  private async change(what: () => Promise<unknown>, done: string) {
    this.actionError = undefined;
    try {
      await what();
      toast(done);
    } catch (e) {
      this.actionError = e;
    }
    await Promise.all([this.load(), this.loadMembers()]);
  }

  private async create(e: Event) {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const data = new FormData(form);
    const name = String(data.get("name") ?? "").trim();
    const workspace = String(data.get("workspace") ?? "").trim() || "default";
    const description = String(data.get("description") ?? "").trim() || undefined;
    this.actionError = undefined;
    try {
      const { role } = await authApi.createRole(name, workspace, description);
      form.reset();
      toast(`Created role ${name}`);
      await this.load();
      navigate("/admin/roles", { role: String(role.id) }, true);
    } catch (err) {
      this.actionError = err;
    }
  }

  private renderRole(role: Role) {
    const form = (e: CustomEvent<Grant>) => e.target as TlGrantForm;
    return html`<section aria-label="Role ${role.name}">
      <h2>Role ${role.name} <span class="muted">in ${role.workspace}</span></h2>
      ${role.description ? html`<p>${role.description}</p>` : ""}
      <tl-grant-form label="Add" @grant=${(e: CustomEvent<Grant>) =>
        this.change(async () => {
          await authApi.addRolePermission(role.id, e.detail.resource_type, e.detail.resource_id, e.detail.permission);
          form(e).done();
        }, `Added ${e.detail.permission} on ${e.detail.resource_type} ${e.detail.resource_id} to ${role.name}`)}></tl-grant-form>
      ${
        role.permissions.length
          ? html`<table aria-label="Grants of ${role.name}">
              <thead><tr><th>Resource</th><th>Level</th><th><span class="sr-only">Actions</span></th></tr></thead>
              <tbody>${role.permissions.map(
                (p) => html`<tr><td>${resourceLabel(p.resource_type, p.resource_pattern)}</td>
                  <td class="mono">${p.permission}</td>
                  <td><button class="icon-button" aria-label="Remove ${p.permission} on ${p.resource_type} ${p.resource_pattern}"
                    @click=${() => this.change(() => authApi.removeRolePermission(p.id), "Removed the grant")}>
                    ${icons.trash} Remove</button></td></tr>`,
              )}</tbody>
            </table>`
          : html`<p class="muted">No grants yet.</p>`
      }
      <h2>Users with ${role.name}</h2>
      <form @submit=${(e: Event) => {
        e.preventDefault();
        const username = String(new FormData(e.target as HTMLFormElement).get("username") ?? "");
        if (username)
          void this.change(() => authApi.assignRole(username, role.id), `Assigned ${role.name} to ${username}`);
      }}>
        <label>User<select name="username">${this.users.map((u) => html`<option>${u.username}</option>`)}</select></label>
        <button type="submit">Assign</button>
      </form>
      ${
        this.members === undefined
          ? html`<tl-skeleton rows="2" label="Loading members"></tl-skeleton>`
          : this.members.length
            ? html`<ul>${this.members.map(
                (m) => html`<li>${m} <button class="icon-button" aria-label="Unassign ${m}"
                  @click=${() => this.change(() => authApi.unassignRole(m, role.id), `Unassigned ${m}`)}>${icons.close}</button></li>`,
              )}</ul>`
            : html`<p class="muted">Nobody holds this role.</p>`
      }
      <button class="danger" @click=${() =>
        this.change(async () => {
          await authApi.deleteRole(role.id);
          navigate("/admin/roles", {}, true);
        }, `Deleted role ${role.name}`)}>${icons.trash} Delete role</button>
    </section>`;
  }

  override render() {
    if (this.error) return html`<tl-error .error=${this.error} @retry=${this.load}></tl-error>`;
    const selected = this.selected;
    return html`<form @submit=${this.create} aria-label="Create role">
        <label>Name<input name="name" required autocomplete="off" /></label>
        <label>Workspace<input name="workspace" value="default" /></label>
        <label>Description<input name="description" autocomplete="off" /></label>
        <button type="submit" class="primary">${icons.plus} Create role</button>
      </form>
      ${this.actionError ? html`<tl-error .error=${this.actionError} .retryable=${false}></tl-error>` : ""}
      ${
        !this.roles
          ? html`<tl-skeleton rows="3" label="Loading roles"></tl-skeleton>`
          : this.roles.length
            ? html`<table aria-label="Roles">
                <thead><tr><th>Role</th><th>Workspace</th><th>Grants</th><th>Description</th></tr></thead>
                <tbody>${this.roles.map(
                  (r) => html`<tr aria-selected=${r.id === this.selectedId ? "true" : "false"}>
                    <td><button class="name" @click=${() => navigate("/admin/roles", { role: String(r.id) }, true)}>${r.name}</button></td>
                    <td>${r.workspace}</td><td class="num">${r.permissions.length}</td>
                    <td class="muted">${r.description ?? ""}</td></tr>`,
                )}</tbody>
              </table>`
            : html`<p class="muted">No roles yet. A role bundles grants that several users share.</p>`
      }
      ${selected ? this.renderRole(selected) : ""}`;
  }
}
customElements.define("tl-roles-panel", TlRolesPanel);

declare global {
  interface HTMLElementTagNameMap {
    "tl-roles-panel": TlRolesPanel;
  }
}
