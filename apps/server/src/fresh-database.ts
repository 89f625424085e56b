import { copyFileSync, existsSync, linkSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { bundleDir } from "./bundle-dir.js";

/**
 * The empty, fully migrated database build.mjs makes beside the bundle (drizzle's migrations applied to a new file,
 * nothing else: no Default experiment, whose artifact location depends on the server's flags).
 */
export const FRESH_DATABASE_TEMPLATE = fileURLToPath(new URL("fresh.db", bundleDir(import.meta.url)));

/**
 * Creates a new `file:` store's database as a copy of the migrated template instead of letting the server run every
 * migration into an empty file: the same tables, indexes and `__drizzle_migrations` rows, in about a millisecond
 * instead of tens (most of a first start's database time). The server then finds it current by one version read.
 *
 * Only a path with nothing there is seeded: not an existing file, and not beside a leftover `-wal` or `-journal`
 * (SQLite would replay those into the new file). The copy is written under a temporary name and linked into place,
 * which fails if another process created the file meanwhile; any failure (no template, a file system without hard
 * links) leaves the path as it was, and the server migrates an empty file as before. Returns whether it seeded.
 */
export function seedFreshDatabase(path: string, template = FRESH_DATABASE_TEMPLATE): boolean {
  if (!existsSync(template)) return false;
  if ([path, `${path}-wal`, `${path}-journal`].some((p) => existsSync(p))) return false;
  const temporary = `${path}.seed-${process.pid}`;
  try {
    copyFileSync(template, temporary);
    linkSync(temporary, path);
    return true;
  } catch {
    return false;
  } finally {
    rmSync(temporary, { force: true });
  }
}
