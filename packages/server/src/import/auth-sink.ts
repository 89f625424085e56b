import type { Client, Transaction } from "@libsql/client";
import { syntheticRoleName } from "../auth/role-store.js";
import { type AuthGrant, type GrantMapping, grantsOf } from "./auth-grants.js";
import type { ImportAuthUser, SkippedItem } from "./model.js";

/** werkzeug hash methods tracklite verifies at sign-in (`auth/password-hash.ts`). */
const VERIFIABLE = /^(scrypt(:\d+:\d+:\d+)?|pbkdf2:(sha1|sha224|sha256|sha384|sha512)(:\d+)?)\$[^$]*\$[0-9a-f]+$/;

async function roleId(tx: Transaction, name: string, workspace: string, description: string | null): Promise<number> {
  await tx.execute({
    sql: "INSERT INTO roles (name, workspace, description) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
    args: [name, workspace, description],
  });
  const rs = await tx.execute({
    sql: "SELECT id FROM roles WHERE workspace = ? AND name = ?",
    args: [workspace, name],
  });
  return Number(rs.rows[0]?.id);
}

async function holdRole(tx: Transaction, userId: number, role: number, grants: AuthGrant[]): Promise<void> {
  await tx.execute({
    sql: "INSERT INTO user_role_assignments (user_id, role_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
    args: [userId, role],
  });
  // An existing grant on the same resource (set in tracklite, or by an earlier import) is kept: running twice
  // changes nothing, and tracklite's own changes win.
  for (const g of grants)
    await tx.execute({
      sql: `INSERT INTO role_permissions (role_id, resource_type, resource_pattern, permission) VALUES (?, ?, ?, ?)
            ON CONFLICT (role_id, resource_type, resource_pattern) DO NOTHING`,
      args: [role, g.resource_type, g.resource_pattern, g.permission],
    });
}

/**
 * Writes one MLflow basic-auth user into tracklite's auth database (`openAuthDatabase`): the werkzeug password hash
 * as it is (so the same password signs in), the admin flag, and the permissions as role grants (see `grantsOf`), in
 * one transaction. Idempotent: a user already there keeps tracklite's password and admin flag (reported when they
 * differ), and grants already there are left as they are. Answers what did not come across, and why.
 */
export async function importAuthUser(
  db: Client,
  user: ImportAuthUser,
  mapping: GrantMapping = {},
): Promise<{ skipped: SkippedItem[] }> {
  const { grants, roles, skipped } = grantsOf(user, mapping);
  const who = `user ${user.username}`;
  if (!VERIFIABLE.test(user.password_hash))
    skipped.push({
      what: `${who}: password`,
      reason: "its hash is in a form tracklite cannot verify (not werkzeug scrypt or pbkdf2): set a new password",
    });
  const tx = await db.transaction("write");
  try {
    const found = await tx.execute({
      sql: "SELECT id, password_hash, is_admin FROM users WHERE username = ?",
      args: [user.username],
    });
    let userId: number;
    const existing = found.rows[0];
    if (existing) {
      userId = Number(existing.id);
      if (existing.password_hash !== user.password_hash || Boolean(existing.is_admin) !== user.is_admin)
        skipped.push({
          what: `${who}: password and admin flag`,
          reason: "the user already exists in tracklite with other ones; tracklite's were kept",
        });
    } else {
      const rs = await tx.execute({
        sql: "INSERT INTO users (username, password_hash, is_admin) VALUES (?, ?, ?) RETURNING id",
        args: [user.username, user.password_hash, user.is_admin ? 1 : 0],
      });
      userId = Number(rs.rows[0]?.id);
    }
    const byWorkspace = new Map<string, AuthGrant[]>();
    for (const g of grants) byWorkspace.set(g.workspace, [...(byWorkspace.get(g.workspace) ?? []), g]);
    for (const [workspace, list] of byWorkspace)
      await holdRole(tx, userId, await roleId(tx, syntheticRoleName(userId), workspace, null), list);
    for (const role of roles)
      await holdRole(tx, userId, await roleId(tx, role.name, role.workspace, role.description), role.grants);
    await tx.commit();
  } finally {
    tx.close();
  }
  return { skipped };
}
