import type { Hono } from "hono";
import { invalidParameter } from "../errors.js";
import { mountAuth } from "./mount-auth-route.js";
import { signedInUser } from "./request-state.js";
import type { AuthService } from "./service.js";

/** Roles: named sets of grants in a workspace, assigned to users. @see mlflow/server/auth/__init__.py (create_role …) */
export function roleRoutes(app: Hono, auth: AuthService): void {
  const { users, roles } = auth;

  mountAuth(app, "createRole", async (_c, params) => {
    const name = await params.get("name");
    const workspace = await params.get("workspace");
    if (!name.trim()) throw invalidParameter("Role name cannot be empty.");
    if (!workspace.trim()) throw invalidParameter("Workspace cannot be empty.");
    const description = await params.optional("description");
    if (description !== undefined && description !== null && typeof description !== "string")
      throw invalidParameter("Role description must be a string or null.");
    return { role: await roles.create(name, workspace, (description as string | undefined) ?? null) };
  });

  mountAuth(app, "getRole", async (_c, params) => ({ role: await roles.get(await params.int("role_id")) }));

  mountAuth(app, "listRoles", async (_c, params) => {
    const workspaces = await params.list("workspace");
    if (workspaces.some((w) => !w.trim()))
      throw invalidParameter("Parameter 'workspace' must be a non-empty string when provided.");
    return { roles: await roles.list(workspaces.length > 0 ? workspaces : undefined) };
  });

  mountAuth(app, "updateRole", async (_c, params) => {
    const roleId = await params.int("role_id");
    const name = await params.optional("name");
    const description = await params.optional("description");
    if ((name === undefined || name === null) && (description === undefined || description === null))
      throw invalidParameter("At least one of 'name' or 'description' must be provided to update a role.");
    if (name !== undefined && name !== null && (typeof name !== "string" || !name.trim()))
      throw invalidParameter("Role name cannot be empty.");
    if (description !== undefined && description !== null && typeof description !== "string")
      throw invalidParameter("Role description must be a string.");
    return {
      role: await roles.update(
        roleId,
        (name as string | null) ?? undefined,
        (description as string | null) ?? undefined,
      ),
    };
  });

  mountAuth(app, "deleteRole", async (_c, params) => {
    await roles.delete(await params.int("role_id"));
    return {};
  });

  mountAuth(app, "addRolePermission", async (_c, params) => {
    const roleId = await params.int("role_id");
    const type = await params.get("resource_type");
    const pattern = await params.get("resource_pattern");
    const permission = await params.get("permission");
    return { role_permission: await roles.addPermission(roleId, type, pattern, permission) };
  });

  mountAuth(app, "removeRolePermission", async (_c, params) => {
    await roles.removePermission(await params.int("role_permission_id"));
    return {};
  });

  mountAuth(app, "listRolePermissions", async (_c, params) => {
    const roleId = await params.int("role_id");
    await roles.get(roleId);
    return { role_permissions: await roles.permissions(roleId) };
  });

  mountAuth(app, "updateRolePermission", async (_c, params) => {
    const id = await params.int("role_permission_id");
    const permission = await params.get("permission");
    return { role_permission: await roles.updatePermission(id, permission) };
  });

  mountAuth(app, "assignRole", async (_c, params) => {
    const username = await params.get("username");
    const roleId = await params.int("role_id");
    const user = await users.get(username);
    return { assignment: await roles.assign(user.id, roleId) };
  });

  mountAuth(app, "unassignRole", async (_c, params) => {
    const username = await params.get("username");
    const roleId = await params.int("role_id");
    const user = await users.get(username);
    await roles.unassign(user.id, roleId);
    return {};
  });

  mountAuth(app, "listUserRoles", async (c, params) => {
    const username = await params.get("username");
    const user = await users.get(username);
    let list = await roles.userRoles(user.id);
    const me = signedInUser(c);
    if (!me.is_admin && me.username !== username) {
      const adminOf = await roles.adminWorkspaces(me.id);
      list = list.filter((r) => adminOf.has(r.workspace));
    }
    return { roles: list };
  });

  mountAuth(app, "listRoleUsers", async (_c, params) => ({
    assignments: await roles.roleUsers(await params.int("role_id")),
  }));
}
