import { invalidParameter } from "../errors.js";
import type { Checker } from "./checker.js";
import { type Permission, RESOURCE_TYPES, validateResourceType } from "./permissions.js";

/** The per-user grant APIs take no workspace-wide grants. @see sqlalchemy_store._reject_workspace_resource_type */
export function rejectWorkspaceType(type: string): void {
  if (type === "workspace")
    throw invalidParameter(
      "resource_type 'workspace' is not supported by the per-user permission convenience APIs. Use " +
        "set_workspace_permission / delete_workspace_permission for workspace-wide grants.",
    );
}

/**
 * A user's effective permission on one resource, as the runtime checks resolve it (so `users/permissions/get` cannot
 * drift from them). Without workspaces every resource is in the default workspace, so no lookup is needed.
 * @see mlflow/server/auth/__init__.py _resolve_user_permission_for_resource
 */
export function userPermissionFor(check: Checker, type: string, id: string): Permission {
  rejectWorkspaceType(type);
  validateResourceType(type);
  if (id !== "*" && RESOURCE_TYPES[type] === "wildcard")
    throw invalidParameter(`resource_type '${type}' is not supported by the per-user permission convenience APIs.`);
  return check.on(type, id);
}
