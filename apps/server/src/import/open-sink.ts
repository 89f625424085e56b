import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { createImportSink, type ImportSink } from "@tracklite/server/import";
import type { ImportOptions } from "./command.js";

/** The built CLI carries the migrations beside it (see build.mjs); from source, the sink finds its own. */
const BUNDLED_MIGRATIONS = fileURLToPath(new URL("./drizzle", import.meta.url));

/**
 * The sink for the target store of `tracklite import`: tracklite's tables at --backend-store-uri (migrated first, as
 * the server would). The orchestrator has already pointed artifact URIs at tracklite's copies, so the sink keeps them.
 */
export async function openImportSink(
  options: ImportOptions,
  env: Record<string, string | undefined>,
): Promise<ImportSink> {
  const authToken = env.LIBSQL_AUTH_TOKEN ?? env.TURSO_AUTH_TOKEN;
  return createImportSink({
    url: options.backendStoreUri,
    ...(authToken && !options.backendStoreUri.startsWith("file:") ? { authToken } : {}),
    ...(existsSync(BUNDLED_MIGRATIONS) ? { migrationsFolder: BUNDLED_MIGRATIONS } : {}),
  });
}
