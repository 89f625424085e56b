import { invalidParameter } from "../errors.js";

/** Kubernetes-style names (as namespaces), so that a workspace can map onto one. */
const PATTERN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const PATTERN_TEXT = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";
/** Names that would clash with the server's own URL segments. */
const RESERVED = new Set(["workspaces", "api", "ajax-api", "static-files"]);

/**
 * Checks a workspace name as the reference does, with its messages.
 * @see mlflow/store/workspace/abstract_store.py `WorkspaceNameValidator`
 */
export function validateWorkspaceName(name: string): void {
  if (name.length < 2 || name.length > 63) {
    throw invalidParameter(`Workspace name '${name}' must be between 2 and 63 characters.`);
  }
  if (!PATTERN.test(name)) {
    throw invalidParameter(
      `Workspace name '${name}' must match the pattern ${PATTERN_TEXT} (lowercase alphanumeric with optional internal hyphens).`,
    );
  }
  if (RESERVED.has(name)) throw invalidParameter(`Workspace name '${name}' is reserved and cannot be used.`);
}
