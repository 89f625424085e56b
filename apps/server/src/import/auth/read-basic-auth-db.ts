import { type Client, createClient, type Row } from "@libsql/client";
import type { ImportAuthUser } from "@tracklite/server/import";

/** The per-user role of MLflow's RBAC tables (3.17+): its grants are the user's own. */
const SYNTHETIC = /^__user_\d+__$/;
/** Legacy per-resource tables other than experiments and registered models, read as they are. */
const LEGACY_TABLES = [
  "scorer_permissions",
  "gateway_secret_permissions",
  "gateway_endpoint_permissions",
  "gateway_model_definition_permissions",
  "workspace_permissions",
] as const;

const plain = (row: Row): Record<string, unknown> => {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) if (k !== "id" && k !== "user_id") out[k] = v;
  return out;
};

/** Appends a row to a table's list, making the list on first use. */
function push(tables: Record<string, Record<string, unknown>[]>, table: string, row: Record<string, unknown>): void {
  const rows = tables[table] ?? [];
  rows.push(row);
  tables[table] = rows;
}

/** A `sqlite:///path` URI (MLflow's form, `database_uri` of basic_auth.ini) or a plain path, as a libSQL file URL. */
export function sqliteFileUrl(uri: string): string {
  const match = /^sqlite:\/\/\/(.*)$/.exec(uri);
  if (uri.startsWith("sqlite:") && !match) throw new Error(`Not a SQLite file URI (sqlite:///path): ${uri}`);
  return `file:${match ? match[1] : uri}`;
}

async function userPermissions(
  db: Client,
  tables: Set<string>,
  userId: number,
): Promise<Omit<ImportAuthUser, "username" | "password_hash" | "is_admin">> {
  const user: Omit<ImportAuthUser, "username" | "password_hash" | "is_admin"> = {
    experiment_permissions: [],
    registered_model_permissions: [],
  };
  const other: Record<string, Record<string, unknown>[]> = {};
  if (tables.has("role_permissions")) {
    // After MLflow's RBAC migration the legacy tables are a stale snapshot: the roles are the truth.
    const rs = await db.execute({
      sql: `SELECT r.name, r.workspace, r.description, p.resource_type, p.resource_pattern, p.permission
            FROM user_role_assignments a JOIN roles r ON r.id = a.role_id
            LEFT JOIN role_permissions p ON p.role_id = r.id WHERE a.user_id = ? ORDER BY r.id, p.id`,
      args: [userId],
    });
    for (const row of rs.rows) {
      const grant = {
        workspace: String(row.workspace),
        resource_type: row.resource_type,
        resource_pattern: row.resource_pattern,
        permission: row.permission,
      };
      if (!SYNTHETIC.test(String(row.name))) {
        push(other, "roles", { name: row.name, description: row.description, ...grant });
      } else if (row.resource_type == null) {
        // A per-user role with no grants left (all revoked): nothing to carry.
      } else if (grant.workspace === "default" && row.resource_type === "experiment" && row.resource_pattern !== "*") {
        user.experiment_permissions.push({
          experiment_id: String(row.resource_pattern),
          permission: String(row.permission),
        });
      } else if (
        grant.workspace === "default" &&
        row.resource_type === "registered_model" &&
        row.resource_pattern !== "*"
      ) {
        user.registered_model_permissions.push({
          name: String(row.resource_pattern),
          permission: String(row.permission),
        });
      } else push(other, "role_permissions", grant);
    }
  } else {
    if (tables.has("experiment_permissions")) {
      const rs = await db.execute({
        sql: "SELECT experiment_id, permission FROM experiment_permissions WHERE user_id = ? ORDER BY id",
        args: [userId],
      });
      user.experiment_permissions = rs.rows.map((r) => ({
        experiment_id: String(r.experiment_id),
        permission: String(r.permission),
      }));
    }
    if (tables.has("registered_model_permissions")) {
      const rs = await db.execute({
        sql: "SELECT * FROM registered_model_permissions WHERE user_id = ? ORDER BY id",
        args: [userId],
      });
      user.registered_model_permissions = rs.rows.map((r) => ({
        name: String(r.name),
        permission: String(r.permission),
        ...(r.workspace == null ? {} : { workspace: String(r.workspace) }),
      }));
    }
    for (const table of LEGACY_TABLES) {
      if (!tables.has(table)) continue;
      const rs = await db.execute({ sql: `SELECT * FROM ${table} WHERE user_id = ? ORDER BY rowid`, args: [userId] });
      if (rs.rows.length > 0) other[table] = rs.rows.map(plain);
    }
  }
  return Object.keys(other).length > 0 ? { ...user, other_permissions: other } : user;
}

/**
 * The users of an MLflow basic-auth database (SQLite, `--auth-db sqlite:///basic_auth.db`) with their permissions,
 * one user at a time: the legacy per-resource tables of MLflow 2.x–3.x, or the roles of 3.17's RBAC tables (the
 * user's own `__user_<id>__` grants, and named roles in `other_permissions.roles`).
 * @see mlflow/server/auth/db/models.py
 */
export async function* readBasicAuthDb(uri: string): AsyncGenerator<ImportAuthUser> {
  const db = createClient({ url: sqliteFileUrl(uri) });
  try {
    const names = await db.execute("SELECT name FROM sqlite_master WHERE type = 'table'");
    const tables = new Set(names.rows.map((r) => String(r.name)));
    if (!tables.has("users")) throw new Error(`${uri} is not an MLflow basic-auth database (it has no users table).`);
    let after = -1;
    for (;;) {
      const rs = await db.execute({
        sql: "SELECT id, username, password_hash, is_admin FROM users WHERE id > ? ORDER BY id LIMIT 1",
        args: [after],
      });
      const row = rs.rows[0];
      if (!row) return;
      after = Number(row.id);
      yield {
        username: String(row.username),
        password_hash: String(row.password_hash ?? ""),
        is_admin: Boolean(row.is_admin),
        ...(await userPermissions(db, tables, after)),
      };
    }
  } finally {
    db.close();
  }
}
