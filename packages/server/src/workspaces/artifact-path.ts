import { DEFAULT_WORKSPACE_NAME } from "@tracklite/schemas";
import { invalidParameter } from "../errors.js";

/**
 * Where a proxied artifact path lives with workspaces on: under `workspaces/<name>/`, so that no workspace reaches
 * another's files. The default workspace keeps the legacy root for paths outside `workspaces/`; a path that already
 * names the request's workspace is kept, one naming another workspace is refused. `workspace` undefined (workspaces
 * off) leaves every path as it is.
 * @see mlflow/server/handlers.py `_get_workspace_scoped_repo_path_if_enabled`
 */
export function workspaceArtifactPath(workspace: string | undefined, path: string): string {
  if (workspace === undefined) return path;
  const normalized = path.replace(/^\/+/, "");
  const base = `workspaces/${workspace}`;
  if (!normalized) return workspace === DEFAULT_WORKSPACE_NAME ? path : base;
  if (workspace === DEFAULT_WORKSPACE_NAME && !normalized.startsWith("workspaces/")) return path;
  const [first, second] = normalized.split("/", 2);
  if (first === "workspaces") {
    if (!second) throw invalidParameter("Artifact paths prefixed with 'workspaces/' must include a workspace name.");
    if (second !== workspace) {
      throw invalidParameter(
        `Artifact path targets workspace '${second}' but the workspace specified in the request is '${workspace}'.`,
      );
    }
    return normalized;
  }
  return `${base}/${normalized}`;
}
