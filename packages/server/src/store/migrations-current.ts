import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Client } from "@libsql/client";

/**
 * Whether every migration in `migrationsFolder` is already applied, found with one small file read and one query:
 * the common start (an existing, current database) then skips the migration lock and drizzle's migrator, which reads
 * and hashes every migration file and takes a write lock on the database. drizzle's migrator applies the journal
 * entries newer than the newest `created_at` it recorded, so "current" means that newest value reaches the journal's
 * last `when`. Any doubt (no journal, no `__drizzle_migrations` table, a read error) answers false: the caller then
 * migrates as before, and the migrator reports real errors.
 */
export async function migrationsCurrent(client: Client, migrationsFolder: string): Promise<boolean> {
  let latest: number;
  try {
    const journal = JSON.parse(readFileSync(join(migrationsFolder, "meta", "_journal.json"), "utf8")) as {
      entries?: { when?: unknown }[];
    };
    latest = Number(journal.entries?.at(-1)?.when);
  } catch {
    return false;
  }
  if (!Number.isFinite(latest)) return false;
  try {
    const result = await client.execute("SELECT MAX(created_at) AS at FROM __drizzle_migrations");
    return Number(result.rows[0]?.at ?? 0) >= latest;
  } catch {
    return false;
  }
}
