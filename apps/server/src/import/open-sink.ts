import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { readAuthConfig } from "@tracklite/server";
import {
  createImportSink,
  type ImportSink,
  importAuthUser,
  openAuthDatabase,
  type SkippedItem,
} from "@tracklite/server/import";
import { bundleDir } from "../bundle-dir.js";
import { makeDirs } from "../make-dirs.js";
import type { ImportOptions } from "./command.js";

/** The built CLI carries the migrations beside it (see build.mjs); from source, the sink finds its own. */
const BUNDLED_MIGRATIONS = fileURLToPath(new URL("drizzle", bundleDir(import.meta.url)));
const BUNDLED_AUTH_MIGRATIONS = fileURLToPath(new URL("drizzle-auth", bundleDir(import.meta.url)));

/**
 * tracklite's auth database, where `tracklite server --app-name basic-auth` with the same settings looks for it: the
 * `database_uri` of MLFLOW_AUTH_CONFIG_PATH's ini file, else basic_auth.db beside a file tracking database.
 */
function targetAuthDatabaseUri(backend: string, env: Record<string, string | undefined>): string {
  const path = env.MLFLOW_AUTH_CONFIG_PATH;
  return readAuthConfig({
    env,
    ...(path && existsSync(path) ? { iniText: readFileSync(path, "utf8") } : {}),
    defaultDatabaseUri: backend.startsWith("file:")
      ? `file:${join(dirname(backend.slice("file:".length).replace(/\?.*$/, "")), "basic_auth.db")}`
      : "file:./mlruns/basic_auth.db",
  }).databaseUri;
}

/**
 * The sink for the target store of `tracklite import`: tracklite's tables at --backend-store-uri (migrated first, as
 * the server would). The orchestrator has already pointed artifact URIs at tracklite's copies, so the sink keeps them.
 * Users (from `--auth-db`) go into tracklite's auth database; what of them does not come across is added to `skipped`.
 */
export async function openImportSink(
  options: ImportOptions,
  env: Record<string, string | undefined>,
): Promise<{ sink: ImportSink; skipped: SkippedItem[] }> {
  const authToken = env.LIBSQL_AUTH_TOKEN ?? env.TURSO_AUTH_TOKEN;
  const remote = (url: string) => (authToken && !url.startsWith("file:") ? { authToken } : {});
  const skipped: SkippedItem[] = [];
  let authUser: ((user: Parameters<typeof importAuthUser>[1]) => Promise<void>) | undefined;
  let closeAuth = () => {};
  if (options.authDb) {
    const url = targetAuthDatabaseUri(options.backendStoreUri, env);
    if (url.startsWith("file:")) makeDirs(dirname(url.slice("file:".length)), "the auth database");
    const auth = await openAuthDatabase({
      url,
      ...remote(url),
      ...(existsSync(BUNDLED_AUTH_MIGRATIONS) ? { migrationsFolder: BUNDLED_AUTH_MIGRATIONS } : {}),
    });
    closeAuth = () => auth.close();
    authUser = async (user) => {
      skipped.push(...(await importAuthUser(auth, user)).skipped);
    };
  }
  const webhookSecretKey = env.MLFLOW_WEBHOOK_SECRET_ENCRYPTION_KEY;
  const sink = await createImportSink({
    url: options.backendStoreUri,
    ...remote(options.backendStoreUri),
    ...(existsSync(BUNDLED_MIGRATIONS) ? { migrationsFolder: BUNDLED_MIGRATIONS } : {}),
    ...(authUser ? { authUser } : {}),
    ...(webhookSecretKey ? { webhookSecretKey } : {}),
  });
  const closeSink = sink.close.bind(sink);
  sink.close = async () => {
    closeAuth();
    await closeSink();
  };
  return { sink, skipped };
}
