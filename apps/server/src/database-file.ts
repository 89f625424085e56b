import { closeSync, existsSync, openSync, rmSync, statSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { createClient } from "@libsql/client";
import { describeFsError, makeDirs } from "./make-dirs.js";
import { UsageError } from "./usage-error.js";

/** The path of a `file:` libSQL URL (query string dropped), or undefined for a remote store. */
export function databasePath(url: string): string | undefined {
  if (!url.startsWith("file:")) return undefined;
  return url.slice("file:".length).replace(/\?.*$/, "");
}

/**
 * Makes sure the database file of a `file:` store can be opened for writing before libSQL opens it: its folder
 * exists (or is created) and the file can be opened. libSQL's own failures here are a native error with a stack and
 * SQLite's bare error number (`Unable to open connection to local database /sys/x.db: 14`).
 */
export function prepareDatabaseFile(path: string, what: string): void {
  makeDirs(dirname(path), what);
  if (existsSync(path) && statSync(path).isDirectory())
    throw new UsageError(`${what}: ${path} is a folder, not a database file.`);
  // A real open: root passes access() checks on read-only file systems such as /sys. A file made for the test is
  // removed again, so a start that fails later leaves none behind.
  const existed = existsSync(path);
  try {
    closeSync(openSync(path, "a"));
  } catch (e) {
    throw new UsageError(`${what}: cannot open ${path} for writing: ${describeFsError(e)}.`);
  }
  if (!existed) rmSync(path, { force: true });
}

/**
 * Refuses a database file tracklite cannot serve: one written by `mlflow server` (its SQLAlchemy schema, managed
 * by alembic, has an `alembic_version` table and tables of the same names as tracklite's, so migrating it would fail
 * half-way with `table 'datasets' already exists`), or a file that is not an SQLite database at all. Reads only:
 * nothing is written to the file.
 */
export async function refuseForeignDatabase(path: string, what: string): Promise<void> {
  if (!existsSync(path) || statSync(path).size === 0) return;
  const client = createClient({ url: `file:${path}` });
  let tables: string[];
  try {
    const result = await client.execute("SELECT name FROM sqlite_master WHERE type = 'table'");
    tables = result.rows.map((row) => String(row.name));
  } catch (e) {
    const code = (e as { code?: string }).code ?? "";
    if (/NOTADB/.test(code)) throw new UsageError(`${what}: ${path} is not an SQLite database.`);
    throw new UsageError(`${what}: cannot read ${path}: ${(e as Error).message}`);
  } finally {
    client.close();
  }
  if (tables.includes("alembic_version"))
    throw new UsageError(
      `${what}: ${path} was written by \`mlflow server\` (MLflow's own schema, with its alembic_version table), which tracklite cannot serve. Import its history into a new tracklite database, then start tracklite on that: tracklite import sqlite:///${path} --backend-store-uri sqlite:///${importTarget(path)}`,
    );
}

/** A new file beside an MLflow database for `tracklite import` to write (never the database itself). */
function importTarget(path: string): string {
  const dir = dirname(path);
  const name = basename(path) === "tracklite.db" ? "tracklite-imported.db" : "tracklite.db";
  return dir === "." && !path.startsWith("./") ? name : join(dir, name);
}
