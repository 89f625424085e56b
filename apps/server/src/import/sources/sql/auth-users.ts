import type { ImportAuthUser } from "@tracklite/server/import";
import type { SqlConnection, SqlRow } from "./connection.js";
import { bool, text } from "./values.js";

/** Legacy per-resource permission tables (before MLflow 3.17's RBAC migration), besides experiment/model ones. */
const OTHER_LEGACY_TABLES = [
  "scorer_permissions",
  "gateway_secret_permissions",
  "gateway_endpoint_permissions",
  "gateway_model_definition_permissions",
  "workspace_permissions",
] as const;

/**
 * Users of MLflow's basic-auth database (`mlflow server --app-name basic-auth`, `basic_auth.db`), password hashes as
 * stored (werkzeug). Permissions: from 3.17's `role_permissions` when present (the auth server's only source of truth
 * after migration e5f6a7b8c9d0: a user's roles' grants on one experiment id or model name map to the two classic
 * lists, the rest ride in `other_permissions.role_permissions`), else from the legacy per-resource tables.
 */
export async function* readAuthUsers(db: SqlConnection): AsyncIterable<ImportAuthUser> {
  const columns = await db.columns();
  if (!columns.has("users")) throw new Error("the auth database has no users table (not MLflow's basic_auth.db)");
  const rbac = columns.has("role_permissions") && columns.has("user_role_assignments");
  const users = await db.all("SELECT id, username, password_hash, is_admin FROM users ORDER BY id", []);
  for (const user of users) {
    const out: ImportAuthUser = {
      username: String(user.username),
      password_hash: text(user.password_hash) ?? "",
      is_admin: bool(user.is_admin),
      experiment_permissions: [],
      registered_model_permissions: [],
    };
    const other: Record<string, SqlRow[]> = {};
    if (rbac) {
      const grants = await db.all(
        `SELECT r.name AS role, r.workspace, p.resource_type, p.resource_pattern, p.permission
           FROM user_role_assignments a JOIN roles r ON r.id = a.role_id JOIN role_permissions p ON p.role_id = r.id
          WHERE a.user_id = ? ORDER BY p.id`,
        [user.id],
      );
      for (const grant of grants) {
        const pattern = String(grant.resource_pattern);
        const concrete = pattern !== "*" && grant.workspace === "default";
        if (concrete && grant.resource_type === "experiment") {
          out.experiment_permissions.push({ experiment_id: pattern, permission: String(grant.permission) });
        } else if (concrete && grant.resource_type === "registered_model") {
          out.registered_model_permissions.push({ name: pattern, permission: String(grant.permission) });
        } else {
          other.role_permissions = [...(other.role_permissions ?? []), grant];
        }
      }
    } else {
      if (columns.has("experiment_permissions")) {
        const rows = await db.all("SELECT experiment_id, permission FROM experiment_permissions WHERE user_id = ?", [
          user.id,
        ]);
        for (const row of rows) {
          out.experiment_permissions.push({
            experiment_id: String(row.experiment_id),
            permission: String(row.permission),
          });
        }
      }
      if (columns.has("registered_model_permissions")) {
        const rows = await db.all("SELECT name, permission FROM registered_model_permissions WHERE user_id = ?", [
          user.id,
        ]);
        for (const row of rows) {
          out.registered_model_permissions.push({ name: String(row.name), permission: String(row.permission) });
        }
      }
      for (const table of OTHER_LEGACY_TABLES) {
        if (!columns.has(table)) continue;
        const rows = await db.all(`SELECT * FROM ${table} WHERE user_id = ?`, [user.id]);
        if (rows.length > 0) other[table] = rows;
      }
    }
    if (Object.keys(other).length > 0) out.other_permissions = other;
    yield out;
  }
}
