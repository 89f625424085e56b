import type { Hono } from "hono";
import { MlflowError } from "../errors.js";
import type { Store } from "../store/index.js";
import { Checker } from "./checker.js";
import { userPermissionFor } from "./grant-resolution.js";
import { mountAuth } from "./mount-auth-route.js";
import { signedInUser, workspaceOf } from "./request-state.js";
import { badRequestText } from "./responses.js";
import type { Role } from "./role-store.js";
import type { AuthService } from "./service.js";

/** Every grant on every role the user holds, with the role's name and workspace. */
async function permissionRows(auth: AuthService, userId: number) {
  return (await auth.roles.userRoles(userId)).flatMap((role: Role) =>
    role.permissions.map((p) => ({
      role_id: role.id,
      role_name: role.name,
      workspace: role.workspace,
      resource_type: p.resource_type,
      resource_pattern: p.resource_pattern,
      permission: p.permission,
    })),
  );
}

const asBool = (v: unknown) => v === true || (typeof v === "string" && v.toLowerCase() === "true") || v === 1;

/**
 * The users routes and the per-user grant routes. @see mlflow/server/auth/__init__.py (create_user … get_user_permission)
 */
export function userRoutes(app: Hono, auth: AuthService, store: Store): void {
  const { users, roles } = auth;

  mountAuth(app, "createUser", async (c, params) => {
    if (!(c.req.header("content-type") ?? "").includes("application/json"))
      return badRequestText("Invalid content type. Must be application/json");
    const username = await params.get("username");
    const password = await params.get("password");
    if (!username || !password) return badRequestText("Username and password cannot be empty.");
    return { user: await users.create(username, password) };
  });

  mountAuth(app, "getUser", async (_c, params) => ({ user: await users.get(await params.get("username")) }));

  mountAuth(app, "getCurrentUser", async (c) => {
    const user = await users.get(signedInUser(c).username);
    return { user, is_basic_auth: true };
  });

  mountAuth(app, "listUsers", async (c) => {
    const me = signedInUser(c);
    const adminOf = me.is_admin ? undefined : await roles.adminWorkspaces(me.id);
    const out = [];
    for (const u of await users.list()) {
      const all = await roles.userRoles(u.id);
      const visible = adminOf === undefined || u.id === me.id ? all : all.filter((r) => adminOf.has(r.workspace));
      out.push({ ...u, roles: visible });
    }
    return { users: out };
  });

  mountAuth(app, "updateUserPassword", async (c, params) => {
    const username = await params.get("username");
    const password = await params.get("password");
    if (signedInUser(c).username === username) {
      const current = await params.optional("current_password");
      if (!current || typeof current !== "string")
        throw new MlflowError(
          "Current password is required when changing your own password.",
          "INVALID_PARAMETER_VALUE",
        );
      if (!(await users.authenticate(username, current)))
        throw new MlflowError("Current password does not match.", "INVALID_PARAMETER_VALUE");
      if (password === current)
        throw new MlflowError("New password must differ from the current password.", "INVALID_PARAMETER_VALUE");
    }
    await users.updatePassword(username, password);
    return {};
  });

  mountAuth(app, "updateUserAdmin", async (_c, params) => {
    const username = await params.get("username");
    await params.get("is_admin");
    await users.updateAdmin(username, asBool(await params.optional("is_admin")));
    return {};
  });

  mountAuth(app, "deleteUser", async (c, params) => {
    const username = await params.get("username");
    if (username === signedInUser(c).username)
      throw new MlflowError(
        "Users cannot delete their own account. Ask another admin to delete this user instead.",
        "BAD_REQUEST",
      );
    await users.delete(username);
    return {};
  });

  mountAuth(app, "listCurrentUserPermissions", async (c) => {
    const me = await users.get(signedInUser(c).username);
    return { is_admin: me.is_admin, permissions: await permissionRows(auth, me.id) };
  });

  mountAuth(app, "listUserPermissions", async (c, params) => {
    const target = await users.get(await params.get("username"));
    let rows = await permissionRows(auth, target.id);
    const me = signedInUser(c);
    if (!me.is_admin && me.username !== target.username) {
      const adminOf = await roles.adminWorkspaces(me.id);
      rows = rows.filter((r) => adminOf.has(r.workspace));
    }
    return { is_admin: target.is_admin, permissions: rows };
  });

  mountAuth(app, "grantUserPermission", async (c, params) => {
    const username = await params.get("username");
    const type = await params.get("resource_type");
    const id = await params.get("resource_id");
    const permission = await params.get("permission");
    const user = await users.get(username);
    await roles.grantUser(user, workspaceOf(c), type, id, permission);
    return {};
  });

  mountAuth(app, "revokeUserPermission", async (c, params) => {
    const username = await params.get("username");
    const type = await params.get("resource_type");
    const id = await params.get("resource_id");
    const user = await users.get(username);
    await roles.revokeUser(user, workspaceOf(c), type, id);
    return {};
  });

  mountAuth(app, "getUserPermission", async (c, params) => {
    const username = await params.get("username");
    const type = await params.get("resource_type");
    const id = await params.get("resource_id");
    const user = await users.get(username);
    const check = new Checker(store, await roles.grants(user.id, workspaceOf(c)), auth.config.defaultPermission);
    const permission = userPermissionFor(check, type, id);
    return { allowed: permission.canUse, permission: permission.name };
  });
}
