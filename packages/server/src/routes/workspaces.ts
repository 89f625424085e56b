import {
  DEFAULT_WORKSPACE_NAME,
  routes,
  WORKSPACE_DELETION_MODES,
  type WorkspaceDeletionMode,
} from "@tracklite/schemas";
import type { Context, Hono } from "hono";
import { invalidParameter } from "../errors.js";
import { mount } from "../http/mount.js";
import type { Store } from "../store/index.js";
import { validateWorkspaceName } from "../validation/workspace-name.js";

/**
 * The reference's answer to a workspace call on a server without workspaces: 503 with a text body (Flask's default
 * text/html, not JSON) naming the rule (`/api/3.0/mlflow/workspaces/<workspace_name>`).
 * @see mlflow/server/handlers.py `_disable_if_workspaces_disabled`
 */
function disabled(c: Context): Response {
  const rule = c.req.routePath.replace(/\/\*$/, "").replace(/:workspace_name/, "<workspace_name>");
  return c.html(
    `Endpoint: ${rule} disabled because the server is running without workspaces support. To enable workspace, run \`mlflow server\` with \`--enable-workspaces\``,
    503,
  );
}

/** A path's workspace name: "default" is always fine, any other is checked. */
function checkedName(name: string): string {
  if (name !== DEFAULT_WORKSPACE_NAME) validateWorkspaceName(name);
  return name;
}

/**
 * A workspace's own artifact root: a URI or an absolute path; blank means "none" (the server's root, under
 * `workspaces/<name>/`).
 * @see mlflow/server/handlers.py `_validate_workspace_default_artifact_root`
 */
function artifactRoot(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (!trimmed) return "";
  if (/[#;]/.test(trimmed)) throw invalidParameter("'default_artifact_root' URL can't include fragments or params.");
  if (!/^[A-Za-z][A-Za-z0-9+.-]+:/.test(trimmed) && !trimmed.startsWith("/")) {
    throw invalidParameter(
      `Invalid value for 'default_artifact_root'. Expected a URI (for example 's3://bucket/prefix' or 'mlflow-artifacts:/prefix') or an absolute path, got '${trimmed}'.`,
    );
  }
  return trimmed;
}

const NAMES = ["listWorkspaces", "createWorkspace", "getWorkspace", "updateWorkspace", "deleteWorkspace"] as const;

/** /mlflow/workspaces (3.0 prefixes only): the workspaces' CRUD, 503 before anything else when workspaces are off. */
export function workspaceRoutes(v3: Hono, store: Store): void {
  if (!store.workspacesEnabled) {
    for (const name of NAMES) v3.on([...routes[name].methods], routes[name].path, disabled);
    return;
  }
  const { workspaces } = store;

  mount(v3, "listWorkspaces", async () => ({ workspaces: await workspaces.list() }));

  mount(v3, "createWorkspace", async (r, c) => {
    const name = r.name ?? "";
    if (name === DEFAULT_WORKSPACE_NAME) {
      throw invalidParameter(`The '${DEFAULT_WORKSPACE_NAME}' workspace is reserved and cannot be created`);
    }
    validateWorkspaceName(name);
    const workspace = await workspaces.create({
      name,
      description: r.description,
      defaultArtifactRoot: artifactRoot(r.default_artifact_root),
    });
    return c.json({ workspace }, routes.createWorkspace.successStatus);
  });

  mount(v3, "getWorkspace", async (_r, _c, { workspace_name }) => ({
    workspace: await workspaces.get(checkedName(workspace_name)),
  }));

  mount(v3, "updateWorkspace", async (r, _c, { workspace_name }) => {
    const name = checkedName(workspace_name);
    if (r.description === undefined && r.default_artifact_root === undefined) {
      throw invalidParameter("Workspace update must have at least one key");
    }
    const workspace = await workspaces.update(name, {
      description: r.description,
      defaultArtifactRoot: artifactRoot(r.default_artifact_root),
    });
    return { workspace };
  });

  mount(v3, "deleteWorkspace", async (_r, c, { workspace_name }) => {
    if (workspace_name === DEFAULT_WORKSPACE_NAME) {
      throw invalidParameter(`The '${DEFAULT_WORKSPACE_NAME}' workspace is reserved and cannot be deleted`);
    }
    validateWorkspaceName(workspace_name);
    const mode = c.req.query("mode") ?? "RESTRICT";
    if (!(WORKSPACE_DELETION_MODES as readonly string[]).includes(mode)) {
      throw invalidParameter(`Invalid deletion mode '${mode}'. Must be one of: ${WORKSPACE_DELETION_MODES.join(", ")}`);
    }
    await workspaces.delete(workspace_name, mode as WorkspaceDeletionMode);
    return c.body(null, 204);
  });
}
