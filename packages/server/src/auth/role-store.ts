import type { Client, Row } from "@libsql/client";
import { invalidParameter, MlflowError } from "../errors.js";
import { type Grant, validateGrant, validatePattern, validateResourceType } from "./permissions.js";

export interface RolePermission {
  id: number;
  role_id: number;
  resource_type: string;
  resource_pattern: string;
  permission: string;
}

export interface Role {
  id: number;
  name: string;
  workspace: string;
  description: string | null;
  permissions: RolePermission[];
}

export interface Assignment {
  id: number;
  user_id: number;
  role_id: number;
}

/** A user's own grants live on a hidden role per workspace; the `__user_` prefix is reserved for it. */
export const syntheticRoleName = (userId: number) => `__user_${userId}__`;
const SYNTHETIC = /^__user_\d+__$/;
const isUnique = (e: unknown) => /UNIQUE/i.test(String(e));

const toPermission = (r: Row): RolePermission => ({
  id: Number(r.id),
  role_id: Number(r.role_id),
  resource_type: String(r.resource_type),
  resource_pattern: String(r.resource_pattern),
  permission: String(r.permission),
});

function rejectSyntheticName(name: string): void {
  if (name.startsWith("__user_"))
    throw invalidParameter(
      `Role name '${name}' uses the reserved '__user_' prefix, which is held for the per-user permission ` +
        "representation. Choose a different name.",
    );
}

/** Roles, their grants and who holds them. @see mlflow/server/auth/sqlalchemy_store.py (RBAC part) */
export class RoleStore {
  constructor(private readonly db: Client) {}

  /** Every grant of every role the user holds in `workspace`: what a permission check folds. */
  async grants(userId: number, workspace: string): Promise<Grant[]> {
    const rs = await this.db.execute({
      sql: `SELECT p.resource_type, p.resource_pattern, p.permission FROM role_permissions p
            JOIN roles r ON r.id = p.role_id JOIN user_role_assignments a ON a.role_id = r.id
            WHERE a.user_id = ? AND r.workspace = ?`,
      args: [userId, workspace],
    });
    return rs.rows.map((r) => ({
      resource_type: String(r.resource_type),
      resource_pattern: String(r.resource_pattern),
      permission: String(r.permission),
    }));
  }

  private async syntheticRole(userId: number, workspace: string): Promise<number> {
    const name = syntheticRoleName(userId);
    await this.db.execute({
      sql: "INSERT INTO roles (name, workspace, description) VALUES (?, ?, NULL) ON CONFLICT DO NOTHING",
      args: [name, workspace],
    });
    const rs = await this.db.execute({
      sql: "SELECT id FROM roles WHERE workspace = ? AND name = ?",
      args: [workspace, name],
    });
    const roleId = Number(rs.rows[0]?.id);
    await this.db.execute({
      sql: "INSERT INTO user_role_assignments (user_id, role_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
      args: [userId, roleId],
    });
    return roleId;
  }

  /** Upserts a per-user grant (the creator's MANAGE). */
  async upsertUserGrant(userId: number, workspace: string, type: string, pattern: string, permission: string) {
    validatePattern(pattern, type);
    validateGrant(permission, type);
    const roleId = await this.syntheticRole(userId, workspace);
    await this.db.execute({
      sql: `INSERT INTO role_permissions (role_id, resource_type, resource_pattern, permission) VALUES (?, ?, ?, ?)
            ON CONFLICT (role_id, resource_type, resource_pattern) DO UPDATE SET permission = excluded.permission`,
      args: [roleId, type, pattern, permission],
    });
  }

  private static rejectWorkspaceType(type: string): void {
    if (type === "workspace")
      throw invalidParameter(
        "resource_type 'workspace' is not supported by the per-user permission convenience APIs. Use " +
          "set_workspace_permission / delete_workspace_permission for workspace-wide grants.",
      );
  }

  /** `users/permissions/grant`: a new per-user grant; an existing one is RESOURCE_ALREADY_EXISTS. */
  async grantUser(user: { id: number; username: string }, workspace: string, type: string, id: string, level: string) {
    RoleStore.rejectWorkspaceType(type);
    validatePattern(id, type);
    validateGrant(level, type);
    const roleId = await this.syntheticRole(user.id, workspace);
    try {
      await this.db.execute({
        sql: "INSERT INTO role_permissions (role_id, resource_type, resource_pattern, permission) VALUES (?, ?, ?, ?)",
        args: [roleId, type, id, level],
      });
    } catch (e) {
      if (!isUnique(e)) throw e;
      throw new MlflowError(
        `Permission for user=${user.username} on resource_type=${type}, resource_id=${id} already exists.`,
        "RESOURCE_ALREADY_EXISTS",
      );
    }
  }

  async revokeUser(user: { id: number; username: string }, workspace: string, type: string, id: string) {
    RoleStore.rejectWorkspaceType(type);
    validateResourceType(type);
    const rs = await this.db.execute({
      sql: `DELETE FROM role_permissions WHERE resource_type = ? AND resource_pattern = ?
            AND role_id IN (SELECT id FROM roles WHERE workspace = ? AND name = ?)`,
      args: [type, id, workspace, syntheticRoleName(user.id)],
    });
    if (rs.rowsAffected === 0)
      throw new MlflowError(
        `Permission for user=${user.username} on resource_type=${type}, resource_id=${id} not found.`,
        "RESOURCE_DOES_NOT_EXIST",
      );
  }

  /** Drops every per-user grant on a deleted resource, so a new one of the same name or id starts clean. */
  async deleteGrantsFor(workspace: string, type: string, pattern: string): Promise<void> {
    await this.db.execute({
      sql: `DELETE FROM role_permissions WHERE resource_type = ? AND resource_pattern = ?
            AND role_id IN (SELECT id FROM roles WHERE workspace = ? AND name LIKE '\\_\\_user\\_%' ESCAPE '\\')`,
      args: [type, pattern, workspace],
    });
  }

  async renameGrants(workspace: string, type: string, from: string, to: string): Promise<void> {
    await this.db.execute({
      sql: `UPDATE role_permissions SET resource_pattern = ? WHERE resource_type = ? AND resource_pattern = ?
            AND role_id IN (SELECT id FROM roles WHERE workspace = ? AND name LIKE '\\_\\_user\\_%' ESCAPE '\\')`,
      args: [to, type, from, workspace],
    });
  }

  // ---- Roles ----

  async create(name: string, workspace: string, description: string | null): Promise<Role> {
    rejectSyntheticName(name);
    try {
      const rs = await this.db.execute({
        sql: "INSERT INTO roles (name, workspace, description) VALUES (?, ?, ?) RETURNING id",
        args: [name, workspace, description],
      });
      return { id: Number(rs.rows[0]?.id), name, workspace, description, permissions: [] };
    } catch (e) {
      if (!isUnique(e)) throw e;
      throw new MlflowError(`Role (name=${name}, workspace=${workspace}) already exists.`, "RESOURCE_ALREADY_EXISTS");
    }
  }

  async find(roleId: number): Promise<Role | undefined> {
    const rs = await this.db.execute({ sql: "SELECT * FROM roles WHERE id = ?", args: [roleId] });
    const r = rs.rows[0];
    if (!r) return undefined;
    return { ...this.toRoleHead(r), permissions: await this.permissions(roleId) };
  }

  async get(roleId: number): Promise<Role> {
    const role = await this.find(roleId);
    if (!role) throw new MlflowError(`Role with id=${roleId} not found`, "RESOURCE_DOES_NOT_EXIST");
    return role;
  }

  private toRoleHead(r: Row) {
    return {
      id: Number(r.id),
      name: String(r.name),
      workspace: String(r.workspace),
      description: r.description == null ? null : String(r.description),
    };
  }

  private async withPermissions(rows: Row[]): Promise<Role[]> {
    const perms = await this.db.execute("SELECT * FROM role_permissions ORDER BY id");
    const byRole = new Map<number, RolePermission[]>();
    for (const p of perms.rows.map(toPermission)) byRole.set(p.role_id, [...(byRole.get(p.role_id) ?? []), p]);
    return rows.map((r) => ({ ...this.toRoleHead(r), permissions: byRole.get(Number(r.id)) ?? [] }));
  }

  async list(workspaces?: readonly string[]): Promise<Role[]> {
    if (workspaces && workspaces.length === 0) return [];
    const rs = workspaces
      ? await this.db.execute({
          sql: `SELECT * FROM roles WHERE workspace IN (${workspaces.map(() => "?").join(", ")}) ORDER BY id`,
          args: [...workspaces],
        })
      : await this.db.execute("SELECT * FROM roles ORDER BY id");
    return this.withPermissions(rs.rows);
  }

  async update(roleId: number, name: string | undefined, description: string | undefined): Promise<Role> {
    if (name !== undefined) rejectSyntheticName(name);
    const role = await this.get(roleId);
    if (name !== undefined) {
      const clash = await this.db.execute({
        sql: "SELECT id FROM roles WHERE workspace = ? AND name = ? AND id != ?",
        args: [role.workspace, name, roleId],
      });
      if (clash.rows.length > 0)
        throw new MlflowError(
          `Role with name=${name} already exists in workspace=${role.workspace}`,
          "RESOURCE_ALREADY_EXISTS",
        );
      await this.db.execute({ sql: "UPDATE roles SET name = ? WHERE id = ?", args: [name, roleId] });
    }
    if (description !== undefined)
      await this.db.execute({ sql: "UPDATE roles SET description = ? WHERE id = ?", args: [description, roleId] });
    return this.get(roleId);
  }

  async delete(roleId: number): Promise<void> {
    await this.get(roleId);
    await this.db.batch(
      [
        { sql: "DELETE FROM role_permissions WHERE role_id = ?", args: [roleId] },
        { sql: "DELETE FROM user_role_assignments WHERE role_id = ?", args: [roleId] },
        { sql: "DELETE FROM roles WHERE id = ?", args: [roleId] },
      ],
      "write",
    );
  }

  async permissions(roleId: number): Promise<RolePermission[]> {
    const rs = await this.db.execute({
      sql: "SELECT * FROM role_permissions WHERE role_id = ? ORDER BY id",
      args: [roleId],
    });
    return rs.rows.map(toPermission);
  }

  async addPermission(roleId: number, type: string, pattern: string, permission: string): Promise<RolePermission> {
    validateGrant(permission, type);
    validatePattern(pattern, type);
    await this.get(roleId);
    try {
      const rs = await this.db.execute({
        sql: `INSERT INTO role_permissions (role_id, resource_type, resource_pattern, permission) VALUES (?, ?, ?, ?)
              RETURNING id`,
        args: [roleId, type, pattern, permission],
      });
      return {
        id: Number(rs.rows[0]?.id),
        role_id: roleId,
        resource_type: type,
        resource_pattern: pattern,
        permission,
      };
    } catch (e) {
      if (!isUnique(e)) throw e;
      throw new MlflowError(
        `Role permission (role_id=${roleId}, resource_type=${type}, resource_pattern=${pattern}) already exists.`,
        "RESOURCE_ALREADY_EXISTS",
      );
    }
  }

  async findPermission(id: number): Promise<RolePermission | undefined> {
    const rs = await this.db.execute({ sql: "SELECT * FROM role_permissions WHERE id = ?", args: [id] });
    return rs.rows[0] ? toPermission(rs.rows[0]) : undefined;
  }

  async getPermission(id: number): Promise<RolePermission> {
    const p = await this.findPermission(id);
    if (!p) throw new MlflowError(`Role permission with id=${id} not found`, "RESOURCE_DOES_NOT_EXIST");
    return p;
  }

  async removePermission(id: number): Promise<void> {
    await this.getPermission(id);
    await this.db.execute({ sql: "DELETE FROM role_permissions WHERE id = ?", args: [id] });
  }

  async updatePermission(id: number, permission: string): Promise<RolePermission> {
    const p = await this.getPermission(id);
    validateGrant(permission, p.resource_type);
    await this.db.execute({ sql: "UPDATE role_permissions SET permission = ? WHERE id = ?", args: [permission, id] });
    return { ...p, permission };
  }

  async assign(userId: number, roleId: number): Promise<Assignment> {
    await this.get(roleId);
    try {
      const rs = await this.db.execute({
        sql: "INSERT INTO user_role_assignments (user_id, role_id) VALUES (?, ?) RETURNING id",
        args: [userId, roleId],
      });
      return { id: Number(rs.rows[0]?.id), user_id: userId, role_id: roleId };
    } catch (e) {
      if (!isUnique(e)) throw e;
      throw new MlflowError(
        `User role assignment (user_id=${userId}, role_id=${roleId}) already exists`,
        "RESOURCE_ALREADY_EXISTS",
      );
    }
  }

  async unassign(userId: number, roleId: number): Promise<void> {
    const rs = await this.db.execute({
      sql: "DELETE FROM user_role_assignments WHERE user_id = ? AND role_id = ?",
      args: [userId, roleId],
    });
    if (rs.rowsAffected === 0)
      throw new MlflowError(
        `User role assignment (user_id=${userId}, role_id=${roleId}) not found`,
        "RESOURCE_DOES_NOT_EXIST",
      );
  }

  async userRoles(userId: number): Promise<Role[]> {
    const rs = await this.db.execute({
      sql: `SELECT r.* FROM roles r JOIN user_role_assignments a ON a.role_id = r.id WHERE a.user_id = ? ORDER BY r.id`,
      args: [userId],
    });
    return this.withPermissions(rs.rows);
  }

  async roleUsers(roleId: number): Promise<Assignment[]> {
    await this.get(roleId);
    const rs = await this.db.execute({
      sql: "SELECT id, user_id, role_id FROM user_role_assignments WHERE role_id = ? ORDER BY id",
      args: [roleId],
    });
    return rs.rows.map((r) => ({ id: Number(r.id), user_id: Number(r.user_id), role_id: Number(r.role_id) }));
  }

  /** Workspaces where the user holds `workspace` / `*` / MANAGE (a workspace admin). */
  async adminWorkspaces(userId: number): Promise<Set<string>> {
    const rs = await this.db.execute({
      sql: `SELECT DISTINCT r.workspace FROM roles r JOIN role_permissions p ON p.role_id = r.id
            JOIN user_role_assignments a ON a.role_id = r.id
            WHERE a.user_id = ? AND p.resource_type = 'workspace' AND p.resource_pattern = '*' AND p.permission = 'MANAGE'`,
      args: [userId],
    });
    return new Set(rs.rows.map((r) => String(r.workspace)));
  }

  async presentWorkspaces(userId: number): Promise<Set<string>> {
    const rs = await this.db.execute({
      sql: `SELECT DISTINCT r.workspace FROM roles r JOIN user_role_assignments a ON a.role_id = r.id WHERE a.user_id = ?`,
      args: [userId],
    });
    return new Set(rs.rows.map((r) => String(r.workspace)));
  }

  static isSynthetic(name: string): boolean {
    return SYNTHETIC.test(name);
  }
}
