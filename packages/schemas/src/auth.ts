import * as z from "zod";

/**
 * Messages of the basic-auth app's routes (`--app-name basic-auth`): users, per-user grants, roles, and tracklite's
 * API tokens. They are plain JSON, not protos; the server checks their parameters as the reference's handlers do.
 * @see mlflow/server/auth/__init__.py (create_user … list_role_users), mlflow/server/auth/entities.py
 */

export const AuthUser = z.object({ id: z.number(), username: z.string(), is_admin: z.boolean() });
export type AuthUser = z.infer<typeof AuthUser>;

export const RolePermission = z.object({
  id: z.number(),
  role_id: z.number(),
  resource_type: z.string(),
  resource_pattern: z.string(),
  permission: z.string(),
});
export type RolePermission = z.infer<typeof RolePermission>;

export const Role = z.object({
  id: z.number(),
  name: z.string(),
  workspace: z.string(),
  description: z.string().nullable(),
  permissions: z.array(RolePermission),
});
export type Role = z.infer<typeof Role>;

export const RoleAssignment = z.object({ id: z.number(), user_id: z.number(), role_id: z.number() });

/** One grant a user holds, with its role (`__user_<id>__` roles hold the user's direct grants). */
export const UserPermissionRow = z.object({
  role_id: z.number(),
  role_name: z.string(),
  workspace: z.string(),
  resource_type: z.string(),
  resource_pattern: z.string(),
  permission: z.string(),
});
export type UserPermissionRow = z.infer<typeof UserPermissionRow>;

const Empty = z.object({});
const Username = z.object({ username: z.string() });
const RoleId = z.object({ role_id: z.union([z.number(), z.string()]) });
const RolePermissionId = z.object({ role_permission_id: z.union([z.number(), z.string()]) });
const ResourceRef = z.object({ username: z.string(), resource_type: z.string(), resource_id: z.string() });

export const CreateUser = z.object({ username: z.string(), password: z.string() });
export const UserResponse = z.object({ user: AuthUser });
export const CurrentUserResponse = z.object({ user: AuthUser, is_basic_auth: z.boolean() });
export const ListUsersResponse = z.object({ users: z.array(AuthUser.extend({ roles: z.array(Role) })) });
export const UpdateUserPassword = z.object({
  username: z.string(),
  password: z.string(),
  /** Required when users change their own password. */
  current_password: z.string().optional(),
});
export const UpdateUserAdmin = z.object({ username: z.string(), is_admin: z.boolean() });
export const GrantUserPermission = ResourceRef.extend({ permission: z.string() });
export const UserPermissionResponse = z.object({ allowed: z.boolean(), permission: z.string() });
export const UserPermissionsResponse = z.object({ is_admin: z.boolean(), permissions: z.array(UserPermissionRow) });
export type UserPermissionsResponse = z.infer<typeof UserPermissionsResponse>;

export const CreateRole = z.object({ name: z.string(), workspace: z.string(), description: z.string().nullish() });
export const RoleResponse = z.object({ role: Role });
export const ListRoles = z.object({ workspace: z.union([z.string(), z.array(z.string())]).optional() });
export const RolesResponse = z.object({ roles: z.array(Role) });
export const UpdateRole = RoleId.extend({ name: z.string().optional(), description: z.string().optional() });
export const AddRolePermission = RoleId.extend({
  resource_type: z.string(),
  resource_pattern: z.string(),
  permission: z.string(),
});
export const RolePermissionResponse = z.object({ role_permission: RolePermission });
export const RolePermissionsResponse = z.object({ role_permissions: z.array(RolePermission) });
export const UpdateRolePermission = RolePermissionId.extend({ permission: z.string() });
export const AssignRole = RoleId.extend({ username: z.string() });
export const AssignmentResponse = z.object({ assignment: RoleAssignment });
export const AssignmentsResponse = z.object({ assignments: z.array(RoleAssignment) });

/** tracklite's API tokens: sent as `Authorization: Bearer <token>` (what MLFLOW_TRACKING_TOKEN sends). */
export const ApiTokenInfo = z.object({
  id: z.number(),
  name: z.string(),
  /** The token's first characters, to tell tokens apart. */
  prefix: z.string(),
  created_at: z.number(),
  last_used_at: z.number().optional(),
});
export const CreateApiToken = z.object({ name: z.string().optional() });
/** The token itself is in this answer only; the server keeps a hash. */
export const CreateApiTokenResponse = z.object({ token: z.string(), token_info: ApiTokenInfo });
export const ListApiTokensResponse = z.object({ tokens: z.array(ApiTokenInfo) });
export const DeleteApiToken = z.object({ id: z.union([z.number(), z.string()]) });

export const AuthSchemas = {
  Empty,
  Username,
  RoleId,
  RolePermissionId,
  ResourceRef,
} as const;
