import type { UserPermission } from "./auth-api.js";

/**
 * What an admin can grant, and how grants are shown. @see mlflow/server/auth/permissions.py (the levels and the
 * resource types with per-id grants; NO_PERMISSIONS is not grantable, absence already means it).
 */

/** The grantable levels, weakest first; DENY overrides what a role or the default would allow. */
export const PERMISSION_LEVELS = ["READ", "USE", "EDIT", "MANAGE", "DENY"] as const;
export type PermissionLevel = (typeof PERMISSION_LEVELS)[number];

/** Resource types that take a grant on one resource (an id or name) or on all of them (`*`). */
export const RESOURCE_TYPES = [
  { id: "experiment", label: "Experiment", hint: "Experiment id or name, or * for all" },
  { id: "registered_model", label: "Registered model", hint: "Model name, or * for all" },
  { id: "prompt", label: "Prompt", hint: "Prompt name, or * for all" },
  { id: "scorer", label: "Scorer", hint: "Scorer id, or * for all" },
  { id: "gateway_endpoint", label: "Gateway endpoint", hint: "Endpoint id, or * for all" },
  { id: "gateway_secret", label: "Gateway secret", hint: "Secret id, or * for all" },
  { id: "gateway_model_definition", label: "Gateway model definition", hint: "Definition id, or * for all" },
  { id: "mcp_server", label: "MCP server", hint: "Server name, or * for all" },
] as const;

/** The server's rule for new passwords. @see mlflow/utils/validation.py `_validate_password` */
export const MIN_PASSWORD_LENGTH = 12;

/** Why a new password would be refused (before asking the server), or undefined when it is fine. */
export function passwordProblem(password: string, confirm?: string): string | undefined {
  if (password.length < MIN_PASSWORD_LENGTH) return `Use at least ${MIN_PASSWORD_LENGTH} characters.`;
  if (confirm !== undefined && confirm !== password) return "The two passwords differ.";
  return undefined;
}

/** The per-user role the grant/revoke calls write to, `__user_<id>__`: its rows are the user's direct grants. */
export const isUserRole = (roleName: string) => /^__user_\d+__$/.test(roleName);

/** A user's grants split into their own (direct) and those inherited from named roles, each sorted for display. */
export function splitPermissions(rows: UserPermission[]): { direct: UserPermission[]; viaRoles: UserPermission[] } {
  const order = (a: UserPermission, b: UserPermission) =>
    a.role_name.localeCompare(b.role_name) ||
    a.resource_type.localeCompare(b.resource_type) ||
    a.resource_pattern.localeCompare(b.resource_pattern, undefined, { numeric: true });
  const sorted = [...rows].sort(order);
  return {
    direct: sorted.filter((r) => isUserRole(r.role_name)),
    viaRoles: sorted.filter((r) => !isUserRole(r.role_name)),
  };
}

/** "Experiment", "Registered model", or the raw type for one this UI does not know. */
export function resourceTypeLabel(type: string): string {
  return RESOURCE_TYPES.find((t) => t.id === type)?.label ?? type.replace(/_/g, " ");
}

/** The resource a grant is on, as a person reads it: `*` means every resource of the type. */
export function resourceLabel(type: string, pattern: string): string {
  const label = resourceTypeLabel(type);
  return pattern === "*" ? `All ${label.toLowerCase()}s` : `${label} ${pattern}`;
}
