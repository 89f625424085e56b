import { css, html, LitElement } from "lit";
import { icons } from "../components/icons.js";
import { shared } from "../styles.js";
import type { UserPermission } from "./auth-api.js";
import { resourceLabel, splitPermissions } from "./permissions.js";

/**
 * A user's grants: their own (direct) grants, then those that come with their roles. With `revocable`, each direct
 * grant has a Revoke button (fires `revoke`, detail: the row); role grants are changed on the role.
 */
export class TlPermissionTable extends LitElement {
  static override properties = { rows: { attribute: false }, revocable: { type: Boolean } };
  declare rows: UserPermission[];
  declare revocable: boolean;

  static override styles = [
    shared,
    css`
      table { font-size: 12.5px; margin-bottom: 12px; }
      th, td { padding: 5px 8px; }
      caption { text-align: left; font-weight: 600; padding: 4px 0; }
      .level { font-family: var(--tl-mono); font-size: 12px; }
      .level.deny { color: var(--tl-danger); }
      td.actions { width: 1%; white-space: nowrap; }
    `,
  ];

  constructor() {
    super();
    this.rows = [];
    this.revocable = false;
  }

  private table(caption: string, rows: UserPermission[], withRole: boolean) {
    const revoke = (row: UserPermission) =>
      this.dispatchEvent(new CustomEvent("revoke", { detail: row, bubbles: true, composed: true }));
    return html`<table>
      <caption>${caption}</caption>
      <thead><tr>
        <th>Resource</th><th>Type</th><th>Id or name</th><th>Level</th>${withRole ? html`<th>Role</th>` : ""}
        <th>Workspace</th>${this.revocable && !withRole ? html`<th><span class="sr-only">Actions</span></th>` : ""}
      </tr></thead>
      <tbody>${rows.map(
        (r) => html`<tr>
          <td>${resourceLabel(r.resource_type, r.resource_pattern)}</td>
          <td class="mono">${r.resource_type}</td>
          <td class="mono">${r.resource_pattern}</td>
          <td class="level ${r.permission === "DENY" ? "deny" : ""}">${r.permission}</td>
          ${withRole ? html`<td>${r.role_name}</td>` : ""}
          <td class="muted">${r.workspace}</td>
          ${
            this.revocable && !withRole
              ? html`<td class="actions"><button
                  class="icon-button"
                  aria-label="Revoke ${r.permission} on ${r.resource_type} ${r.resource_pattern}"
                  title="Revoke"
                  @click=${() => revoke(r)}
                >${icons.trash} Revoke</button></td>`
              : ""
          }
        </tr>`,
      )}</tbody>
    </table>`;
  }

  override render() {
    const { direct, viaRoles } = splitPermissions(this.rows);
    if (!direct.length && !viaRoles.length) {
      return html`<p class="muted">No grants: only what the server's default permission allows.</p>`;
    }
    return html`${direct.length ? this.table("Direct grants", direct, false) : ""}
    ${viaRoles.length ? this.table("From roles", viaRoles, true) : ""}`;
  }
}
customElements.define("tl-permission-table", TlPermissionTable);

declare global {
  interface HTMLElementTagNameMap {
    "tl-permission-table": TlPermissionTable;
  }
}
