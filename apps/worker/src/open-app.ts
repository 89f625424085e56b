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
import type { Hono } from "hono";
import type { WorkerSettings } from "./env.js";

/** The MLflow version whose REST API tracklite serves (as the CLI's). */
export const MLFLOW_API_VERSION = "3.17.2";

export interface WorkerApp {
  app: Hono;
  store: Store;
}

/**
 * The hono app over libSQL via HTTP and S3 artifacts. The schema is checked, never migrated: a Worker's isolates
 * start at any moment, many at once, and a migration belongs in one deliberate step (`tracklite db upgrade`).
 */
export async function openWorkerApp(settings: WorkerSettings, vars: Record<string, string>): Promise<WorkerApp> {
  const { ignoreTls: _ignored, ...s3 } = s3OptionsFromUri(settings.artifactsDestination, vars);
  const artifacts = createS3ArtifactStore(s3);
  const store = await createStore({
    url: settings.backendStoreUri,
    ...(settings.authToken ? { authToken: settings.authToken } : {}),
    verifySchema: journal as MigrationJournal,
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
  return { app, store };
}
