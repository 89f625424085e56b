import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { createClient } from "@libsql/client";
import { bundleDir } from "./bundle-dir.js";
import { databasePath, prepareDatabaseFile, refuseForeignDatabase } from "./database-file.js";
import { openStore } from "./open-store.js";
import { redactUri } from "./store-uri.js";
import { UsageError } from "./usage-error.js";

const BUNDLED_MIGRATIONS = fileURLToPath(new URL("drizzle", bundleDir(import.meta.url)));

/** How many of drizzle's migrations the database has recorded (0 for a new one). */
async function appliedMigrations(url: string, authToken: string | undefined): Promise<number> {
  const client = createClient({ url, ...(authToken ? { authToken } : {}), intMode: "number" });
  try {
    const table = await client.execute(
      "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'",
    );
    if (table.rows.length === 0) return 0;
    const count = await client.execute("SELECT COUNT(*) AS n FROM __drizzle_migrations");
    return Number(count.rows[0]?.n ?? 0);
  } finally {
    client.close();
  }
}

/**
 * `tracklite db upgrade URL`: applies the pending migrations once, as the server does at start, and says how many.
 * The step a deployment runs before its Workers (which never migrate) serve a new version.
 * @see mlflow/db.py `upgrade`
 */
export async function runDbUpgrade(url: string, env: Record<string, string | undefined>): Promise<string> {
  const authToken = env.LIBSQL_AUTH_TOKEN || env.TURSO_AUTH_TOKEN || undefined;
  const token = url.startsWith("file:") ? undefined : authToken;
  const path = databasePath(url);
  if (path !== undefined) {
    // A file: its folder made, and never a database of `mlflow server`'s (its alembic schema is not ours to change).
    prepareDatabaseFile(path, `URL ${redactUri(url)}`);
    await refuseForeignDatabase(path, `URL ${redactUri(url)}`);
  }
  let before: number;
  try {
    before = path !== undefined && !existsSync(path) ? 0 : await appliedMigrations(url, token);
  } catch (e) {
    let root: unknown = e;
    while (root instanceof Error && root.cause instanceof Error) root = root.cause;
    throw new UsageError(`${redactUri(url)}: cannot open the database: ${(root as Error).message ?? String(root)}`);
  }
  const store = await openStore(url, {
    url,
    ...(token ? { authToken: token } : {}),
    defaultArtifactRoot: "mlflow-artifacts:/",
    ...(existsSync(BUNDLED_MIGRATIONS) ? { migrationsFolder: BUNDLED_MIGRATIONS } : {}),
  });
  store.close();
  const after = await appliedMigrations(url, token);
  const applied = after - before;
  return `${redactUri(url)}: ${applied === 0 ? "already up to date" : `applied ${applied} migration${applied === 1 ? "" : "s"}`} (${after} in all).`;
}
