import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { createApp, createStore } from "@tracklite/server";
import { bundleDir } from "../../bundle-dir.js";
import { databasePath } from "../../database-file.js";
import { redactUri } from "../../store-uri.js";
import { UsageError } from "../../usage-error.js";
import { openArtifactLocation } from "../artifacts/open-store.js";
import type { ImportOptions } from "../command.js";

/** The MLflow version tracklite answers as (the CLI's own constant; the verifier's requests do not depend on it). */
const MLFLOW_API_VERSION = "3.17.2";
/** The built CLI carries the migrations beside it (see build.mjs); from source, the store finds its own. */
const BUNDLED_MIGRATIONS = fileURLToPath(new URL("drizzle", bundleDir(import.meta.url)));

/** tracklite on the import's target store, answering in-process: no port is opened. */
export interface TargetApp {
  /** The app's fetch, for the REST source (`openRestSource(url, { fetch })`). */
  fetch: typeof fetch;
  /** The URL the REST source is given: loopback, so the app's host checks accept it. */
  url: string;
  close(): Promise<void>;
}

/**
 * Opens the target of `tracklite import --verify` (--backend-store-uri, --artifacts-destination) as a tracklite app
 * in this process, so that tracklite's side is read through the same REST API a user's client reads. A local store
 * that does not exist yet is refused: verifying before importing would only list the whole source as missing.
 */
export async function openTargetApp(
  options: ImportOptions,
  env: Record<string, string | undefined>,
): Promise<TargetApp> {
  const path = databasePath(options.backendStoreUri);
  if (path !== undefined && path !== ":memory:" && !existsSync(path))
    throw new UsageError(
      `--backend-store-uri ${redactUri(options.backendStoreUri)}: no such database. Run \`tracklite import\` first, then verify.`,
    );
  const store = await createStore({
    url: options.backendStoreUri,
    defaultArtifactRoot: "mlflow-artifacts:/",
    ...(existsSync(BUNDLED_MIGRATIONS) ? { migrationsFolder: BUNDLED_MIGRATIONS } : {}),
  });
  const artifacts = await openArtifactLocation(options.artifactsDestination, env);
  const app = createApp({ store, artifacts, config: { mlflowVersion: MLFLOW_API_VERSION } });
  return {
    fetch: (async (input: RequestInfo | URL, init?: RequestInit) => app.request(input, init)) as typeof fetch,
    url: "http://127.0.0.1",
    close: async () => {
      await store.drainWrites();
      store.close();
    },
  };
}
