import type {
  AuthUser as AuthUserRow,
  Role,
  RolePermission,
  UserPermissionRow,
  UserPermissionsResponse,
} from "@tracklite/schemas";
import { client } from "../api.js";

/**
 * The calls of MLflow's basic-auth app (users, per-user grants, roles) on the UI's client, with the shapes the
 * reference answers. @see mlflow/server/auth/__init__.py (the handlers) and mlflow/server/auth/routes.py
 */

/** A user as users/list answers it (with the roles it eager-loads) or users/current does (without). */
export type AuthUser = AuthUserRow & { roles?: Role[] };
/** One row of users/permissions/list: a grant on one of the user's roles (direct grants sit on `__user_<id>__`). */
export type UserPermission = UserPermissionRow;
export type PermissionList = UserPermissionsResponse;
export type { Role, RolePermission };

const t = () => client.transport;
const U2 = "/2.0/mlflow/users";
const U3 = "/3.0/mlflow/users";
const R3 = "/3.0/mlflow/roles";

export const authApi = {
  listUsers: async () => (await t().json<{ users: AuthUser[] }>("GET", `${U2}/list`)).users ?? [],
  createUser: (username: string, password: string) =>
    t().json<{ user: AuthUser }>("POST", `${U2}/create`, { json: { username, password } }),
  deleteUser: (username: string) => t().json("DELETE", `${U2}/delete`, { json: { username } }),
  setAdmin: (username: string, is_admin: boolean) =>
    t().json("PATCH", `${U2}/update-admin`, { json: { username, is_admin } }),
  /** `currentPassword` is required when users change their own password (and ignored for an admin's reset). */
  updatePassword: (username: string, password: string, currentPassword?: string) =>
    t().json("PATCH", `${U2}/update-password`, {
      json: { username, password, ...(currentPassword === undefined ? {} : { current_password: currentPassword }) },
    }),
  listPermissions: (username: string) =>
    t().json<PermissionList>("GET", `${U3}/permissions/list`, { query: { username } }),
  myPermissions: () => t().json<PermissionList>("GET", `${U3}/current/permissions`),
  grant: (username: string, resource_type: string, resource_id: string, permission: string) =>
    t().json("POST", `${U3}/permissions/grant`, { json: { username, resource_type, resource_id, permission } }),
  revoke: (username: string, resource_type: string, resource_id: string) =>
    t().json("POST", `${U3}/permissions/revoke`, { json: { username, resource_type, resource_id } }),
  listRoles: async () => (await t().json<{ roles: Role[] }>("GET", `${R3}/list`)).roles ?? [],
  createRole: (name: string, workspace: string, description?: string) =>
    t().json<{ role: Role }>("POST", `${R3}/create`, { json: { name, workspace, description } }),
  deleteRole: (role_id: number) => t().json("DELETE", `${R3}/delete`, { json: { role_id } }),
  addRolePermission: (role_id: number, resource_type: string, resource_pattern: string, permission: string) =>
    t().json("POST", `${R3}/permissions/add`, { json: { role_id, resource_type, resource_pattern, permission } }),
  removeRolePermission: (role_permission_id: number) =>
    t().json("DELETE", `${R3}/permissions/remove`, { json: { role_permission_id } }),
  roleUsers: async (role_id: number) =>
    (await t().json<{ assignments?: { user_id: number }[] }>("GET", `${R3}/users/list`, { query: { role_id } }))
      .assignments ?? [],
  assignRole: (username: string, role_id: number) => t().json("POST", `${R3}/assign`, { json: { username, role_id } }),
  unassignRole: (username: string, role_id: number) =>
    t().json("DELETE", `${R3}/unassign`, { json: { username, role_id } }),
};
