import { invalidParameter } from "../errors.js";
import type { Checker } from "./checker.js";
import { type Permission, validateResourceType } from "./permissions.js";

/** The per-user grant APIs take no workspace-wide grants. @see sqlalchemy_store._reject_workspace_resource_type */
export function rejectWorkspaceType(type: string): void {
  if (type === "workspace")
    throw invalidParameter(
      "resource_type 'workspace' is not supported by the per-user permission convenience APIs. Use " +
        "set_workspace_permission / delete_workspace_permission for workspace-wide grants.",
    );
}

/**
 * The resource types the per-user grant APIs resolve by id (each has a store lookup for its workspace). `prompt`
 * is not among them: a prompt grant by name is given through roles, or by an admin (who skips the check).
 * @see mlflow/server/auth/__init__.py _RESOURCE_WORKSPACE_FETCHER, _resource_dispatch_keys
 */
const BY_ID = new Set([
  "experiment",
  "registered_model",
  "scorer",
  "gateway_secret",
  "gateway_endpoint",
  "gateway_model_definition",
  "mcp_server",
]);

/**
 * A user's effective permission on one resource, as the runtime checks resolve it (so `users/permissions/get` cannot
 * drift from them). Without workspaces every resource is in the default workspace, so no lookup is needed.
 * @see mlflow/server/auth/__init__.py _resolve_user_permission_for_resource
 */
export function userPermissionFor(check: Checker, type: string, id: string): Permission {
  rejectWorkspaceType(type);
  validateResourceType(type);
  if (id !== "*" && !BY_ID.has(type))
    throw invalidParameter(`resource_type '${type}' is not supported by the per-user permission convenience APIs.`);
  return check.on(type, id);
}
