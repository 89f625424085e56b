import { DEFAULT_WORKSPACE_NAME, WORKSPACE_HEADER } from "@tracklite/schemas";
import type { Context, MiddlewareHandler } from "hono";
import { MlflowError } from "../errors.js";
import type { Store } from "../store/index.js";
import { validateWorkspaceName } from "../validation/workspace-name.js";

declare module "hono" {
  interface ContextVariableMap {
    /**
     * The request's workspace: the `X-MLFLOW-WORKSPACE` header's, checked to exist, else "default" (also when
     * workspaces are off). Handlers confine the store to it; permission checks read it.
     */
    workspace: string;
  }
}

/**
 * The reference answers a workspace header sent to a server without workspaces with FEATURE_DISABLED and HTTP 500;
 * it is the client's mistake, so tracklite answers 400 (see KNOWN_DIFFERENCES.md).
 */
const featureDisabled = () =>
  new MlflowError(
    "Workspace APIs are not available: workspaces are not enabled on this server",
    "FEATURE_DISABLED",
    400,
  );

/**
 * Resolves the request's workspace once, before any handler: with workspaces on, the header names an existing
 * workspace (a malformed name is refused, an unknown one is "not found"), and no header means the default one. With
 * workspaces off, any non-blank header is refused. `server-info` skips all this, so that a client can always learn
 * whether workspaces are on.
 * @see mlflow/server/workspace_helpers.py `resolve_workspace_for_request_if_enabled`
 */
export function workspaceMiddleware(store: Store): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.path.replace(/\/+$/, "").endsWith("/mlflow/server-info")) {
      c.set("workspace", DEFAULT_WORKSPACE_NAME);
      return next();
    }
    const header = (c.req.header(WORKSPACE_HEADER) ?? "").trim();
    if (!store.workspacesEnabled) {
      if (header) throw featureDisabled();
      c.set("workspace", DEFAULT_WORKSPACE_NAME);
      return next();
    }
    const name = header || DEFAULT_WORKSPACE_NAME;
    if (name !== DEFAULT_WORKSPACE_NAME) validateWorkspaceName(name);
    await store.workspaces.get(name);
    c.set("workspace", name);
    return next();
  };
}

/** The store confined to the request's workspace (the store itself when workspaces are off). */
export const storeIn =
  (store: Store) =>
  (c: Context): Store =>
    store.in(c.get("workspace"));
