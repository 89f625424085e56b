import type { ImportAuthUser } from "@tracklite/server/import";
import type { SqlConnection, SqlRow } from "./connection.js";
import { openConnection } from "./open-connection.js";
import { parseSqlUri } from "./uri.js";
import { bool, text } from "./values.js";

/** The per-user role of MLflow's RBAC tables (3.17+): its grants are the user's own. */
const SYNTHETIC = /^__user_\d+__$/;
/** Legacy per-resource permission tables (before MLflow 3.17's RBAC migration), besides experiment/model ones. */
const OTHER_LEGACY_TABLES = [
  "scorer_permissions",
  "gateway_secret_permissions",
  "gateway_endpoint_permissions",
  "gateway_model_definition_permissions",
  "workspace_permissions",
] as const;
/** Users read per query: keyset pages, so a big auth database is never loaded whole. */
const USER_PAGE = 100;

type Permissions = Omit<ImportAuthUser, "username" | "password_hash" | "is_admin">;

/** A legacy row without its own and its user's ids (they mean nothing in the target). */
const plain = (row: SqlRow): SqlRow => {
  const out: SqlRow = {};
  for (const [k, v] of Object.entries(row)) if (k !== "id" && k !== "user_id") out[k] = v;
  return out;
};

/** Appends a row to a table's list, making the list on first use. */
function push(tables: Record<string, SqlRow[]>, table: string, row: SqlRow): void {
  const rows = tables[table] ?? [];
  rows.push(row);
  tables[table] = rows;
}

/**
 * A user's grants from 3.17's roles (after MLflow's RBAC migration the legacy tables are a stale snapshot: the roles
 * are the truth): the per-user role's grants on one default-workspace experiment id or model name map to the two
 * classic lists, its other grants ride in `other_permissions.role_permissions`, named roles in `.roles`.
 */
async function rolePermissions(db: SqlConnection, userId: unknown): Promise<Permissions> {
  const user: Permissions = { experiment_permissions: [], registered_model_permissions: [] };
  const other: Record<string, SqlRow[]> = {};
  const rows = await db.all(
    `SELECT r.name, r.workspace, r.description, p.resource_type, p.resource_pattern, p.permission
       FROM user_role_assignments a JOIN roles r ON r.id = a.role_id
       LEFT JOIN role_permissions p ON p.role_id = r.id WHERE a.user_id = ? ORDER BY r.id, p.id`,
    [userId],
  );
  for (const row of rows) {
    const grant = {
      workspace: String(row.workspace),
      resource_type: row.resource_type,
      resource_pattern: row.resource_pattern,
      permission: row.permission,
    };
    const concrete = grant.workspace === "default" && row.resource_pattern !== "*";
    if (!SYNTHETIC.test(String(row.name))) {
      push(other, "roles", { name: row.name, description: row.description, ...grant });
    } else if (row.resource_type == null) {
      // A per-user role with no grants left (all revoked): nothing to carry.
    } else if (concrete && row.resource_type === "experiment") {
      user.experiment_permissions.push({
        experiment_id: String(row.resource_pattern),
        permission: String(row.permission),
      });
    } else if (concrete && row.resource_type === "registered_model") {
      user.registered_model_permissions.push({
        name: String(row.resource_pattern),
        permission: String(row.permission),
      });
    } else push(other, "role_permissions", grant);
  }
  return Object.keys(other).length > 0 ? { ...user, other_permissions: other } : user;
}

/** A user's grants from the legacy per-resource tables (MLflow 2.x–3.16), as they are. */
async function legacyPermissions(
  db: SqlConnection,
  columns: Map<string, Set<string>>,
  userId: unknown,
): Promise<Permissions> {
  const user: Permissions = { experiment_permissions: [], registered_model_permissions: [] };
  const other: Record<string, SqlRow[]> = {};
  if (columns.has("experiment_permissions")) {
    const rows = await db.all(
      "SELECT experiment_id, permission FROM experiment_permissions WHERE user_id = ? ORDER BY id",
      [userId],
    );
    user.experiment_permissions = rows.map((r) => ({
      experiment_id: String(r.experiment_id),
      permission: String(r.permission),
    }));
  }
  if (columns.has("registered_model_permissions")) {
    const rows = await db.all("SELECT * FROM registered_model_permissions WHERE user_id = ? ORDER BY id", [userId]);
    user.registered_model_permissions = rows.map((r) => ({
      name: String(r.name),
      permission: String(r.permission),
      ...(r.workspace == null ? {} : { workspace: String(r.workspace) }),
    }));
  }
  for (const table of OTHER_LEGACY_TABLES) {
    const has = columns.get(table);
    if (!has) continue;
    // workspace_permissions has no id column; SQLite's rowid keeps its insertion order there.
    const order = has.has("id") ? " ORDER BY id" : db.dialect === "sqlite" ? " ORDER BY rowid" : "";
    const rows = await db.all(`SELECT * FROM ${table} WHERE user_id = ?${order}`, [userId]);
    if (rows.length > 0) other[table] = rows.map(plain);
  }
  return Object.keys(other).length > 0 ? { ...user, other_permissions: other } : user;
}

/**
 * Users of MLflow's basic-auth database (`mlflow server --app-name basic-auth`, `basic_auth.db`), password hashes as
 * stored (werkzeug), one page of users at a time, with their permissions: the roles of 3.17's RBAC tables when present,
 * else the legacy per-resource tables of MLflow 2.x–3.16.
 * @see mlflow/server/auth/db/models.py
 */
export async function* readAuthUsers(db: SqlConnection): AsyncIterable<ImportAuthUser> {
  const columns = await db.columns();
  if (!columns.has("users")) throw new Error("the auth database has no users table (not MLflow's basic_auth.db)");
  const rbac = columns.has("role_permissions") && columns.has("user_role_assignments");
  let after: unknown = -1;
  for (;;) {
    const users = await db.all(
      `SELECT id, username, password_hash, is_admin FROM users WHERE id > ? ORDER BY id LIMIT ${USER_PAGE}`,
      [after],
    );
    for (const user of users) {
      yield {
        username: String(user.username),
        password_hash: text(user.password_hash) ?? "",
        is_admin: bool(user.is_admin),
        ...(rbac ? await rolePermissions(db, user.id) : await legacyPermissions(db, columns, user.id)),
      };
    }
    if (users.length < USER_PAGE) return;
    after = users[users.length - 1]?.id;
  }
}

/**
 * The users of the basic-auth database at `uri` (`--auth-db`: `sqlite:///basic_auth.db`, `postgresql://…`,
 * `mysql://…`), on a connection of its own, closed when read.
 */
export async function* readBasicAuthDb(uri: string): AsyncIterable<ImportAuthUser> {
  const db = await openConnection(parseSqlUri(uri));
  try {
    yield* readAuthUsers(db);
  } finally {
    await db.close();
  }
}
