import {
  createApp,
  createStore,
  graphqlOptionsFromEnv,
  type MigrationJournal,
  modelVersionSourceRegexFromEnv,
  type Store,
  securityOptionsFromEnv,
  webhookOptionsFromEnv,
} from "@tracklite/server";
import journal from "@tracklite/server/migrations-journal" with { type: "json" };
import { createS3ArtifactStore, s3OptionsFromUri } from "@tracklite/server/s3-artifacts";
import type { Context, Hono } from "hono";
import type { WorkerSettings } from "./env.js";

/** The MLflow version whose REST API tracklite serves (as the CLI's). */
export const MLFLOW_API_VERSION = "3.17.2";

/** Workers' static-assets binding (`assets.binding` in wrangler.jsonc). */
export interface AssetsBinding {
  fetch(request: Request): Promise<Response>;
}

export interface WorkerApp {
  app: Hono;
  store: Store;
}

/**
 * The hono app over libSQL via HTTP and S3 artifacts. The schema is checked, never migrated: a Worker's isolates
 * start at any moment, many at once, and a migration belongs in one deliberate step (`tracklite db upgrade`).
 */
export async function openWorkerApp(
  settings: WorkerSettings,
  vars: Record<string, string>,
  assets: AssetsBinding | undefined,
): Promise<WorkerApp> {
  const { ignoreTls: _ignored, ...s3 } = s3OptionsFromUri(settings.artifactsDestination, vars);
  const artifacts = createS3ArtifactStore(s3);
  const store = await createStore({
    url: settings.backendStoreUri,
    ...(settings.authToken ? { authToken: settings.authToken } : {}),
    verifySchema: journal as MigrationJournal,
    requestScopedWork: true,
    defaultArtifactRoot: settings.defaultArtifactRoot,
    enableWorkspaces: /^(true|1)$/i.test(vars.MLFLOW_ENABLE_WORKSPACES ?? ""),
    // Workers cannot resolve host names: webhook URLs are checked by their literal address only.
    webhooks: webhookOptionsFromEnv(vars),
    ...modelVersionSourceRegexFromEnv(vars),
  });
  const app = createApp({
    store,
    artifacts,
    config: {
      mlflowVersion: MLFLOW_API_VERSION,
      security: securityOptionsFromEnv(vars),
      graphql: graphqlOptionsFromEnv(vars),
      presignedDownloadTtlSeconds: Number(vars.MLFLOW_PRESIGNED_DOWNLOAD_URL_TTL_SECONDS || 300),
      allowCustomScorers: /^(true|1)$/i.test(vars.MLFLOW_SERVER_ENABLE_CUSTOM_SCORERS ?? ""),
    },
  });
  if (assets) mountUi(app, assets);
  return { app, store };
}

/**
 * The web UI from the assets binding at the paths the CLI serves it (`apps/server/src/ui.ts`): index.html never
 * cached, the hashed `/assets/*` for a year. Routed through the app, so its security headers and Host checks apply.
 */
function mountUi(app: Hono, assets: AssetsBinding): void {
  const serve = (path: string | undefined, cacheControl: string) => async (c: Context) => {
    const url = new URL(c.req.url);
    if (path) url.pathname = path;
    const found = await assets.fetch(new Request(url, { headers: c.req.raw.headers }));
    if (!found.ok) return c.notFound();
    const res = new Response(found.body, found);
    res.headers.set("Cache-Control", cacheControl);
    return res;
  };
  app.get("/", serve("/index.html", "no-cache"));
  app.get("/index.html", serve("/index.html", "no-cache"));
  app.get("/assets/*", serve(undefined, "public, max-age=31536000, immutable"));
}
