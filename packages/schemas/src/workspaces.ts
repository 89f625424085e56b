import * as z from "zod";

/**
 * MLflow 3's workspaces (`mlflow server --enable-workspaces`): named spaces that confine experiments (with their
 * runs, metrics and logged models), registered models, prompts and webhooks. A request picks one with the
 * `X-MLFLOW-WORKSPACE` header; without it, the default workspace.
 * @see mlflow/protos/service.proto (Workspace, ListWorkspaces … DeleteWorkspace), mlflow/entities/workspace.py
 */

/** The request header that selects a workspace. */
export const WORKSPACE_HEADER = "X-MLFLOW-WORKSPACE";
/** The workspace that always exists and holds everything made before workspaces were turned on. */
export const DEFAULT_WORKSPACE_NAME = "default";

/** What a delete does with the workspace's contents; RESTRICT (the default) refuses while anything is left. */
export const WORKSPACE_DELETION_MODES = ["SET_DEFAULT", "CASCADE", "RESTRICT"] as const;
export type WorkspaceDeletionMode = (typeof WORKSPACE_DELETION_MODES)[number];

export const Workspace = z.object({
  name: z.string(),
  description: z.string().optional(),
  default_artifact_root: z.string().optional(),
});
export type Workspace = z.infer<typeof Workspace>;

const str = z.string().optional();

export const ListWorkspaces = z.object({});
export const CreateWorkspace = z.object({ name: str, description: str, default_artifact_root: str });
/** A field present in the body is set; an empty `default_artifact_root` clears it. */
export const UpdateWorkspace = z.object({ description: str, default_artifact_root: str });
/** A request whose only input is the path's `workspace_name` (and, for delete, the `mode` query parameter). */
export const WorkspacePathOnly = z.object({});

export const WorkspaceResponse = z.object({ workspace: Workspace });
export const ListWorkspacesResponse = z.object({ workspaces: z.array(Workspace).optional() });
