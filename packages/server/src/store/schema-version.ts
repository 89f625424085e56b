import type { Client } from "@libsql/client";
import { drizzle } from "drizzle-orm/libsql";
import { MlflowError } from "../errors.js";
import { type DbHandle, type OpenOptions, openLibsqlClient } from "./db.js";
import { hasMetricRows } from "./metric-conversion.js";
import { WriterQueue } from "./writer-queue.js";

/** One entry of drizzle-kit's `meta/_journal.json`: a migration's tag and the time it was generated. */
export interface JournalEntry {
  tag: string;
  /** drizzle's migrator records this as the migration's `created_at` once it is applied. */
  when: number;
}

/** The journal as drizzle-kit writes it (only the fields read here). */
export interface MigrationJournal {
  entries: readonly JournalEntry[];
}

/**
 * The message MLflow gives when its schema is behind the server's, with tracklite's command in it.
 * @see mlflow/store/db/utils.py `_verify_schema`
 */
export function outdatedSchemaMessage(found: string, expected: string): string {
  return (
    `Detected out-of-date database schema (found version ${found}, but expected ${expected}). Take a backup of ` +
    "your database, then run 'tracklite db upgrade <database_uri>' to migrate your database to the latest schema. " +
    "NOTE: schema migration may result in database downtime - please consult your database's documentation for " +
    "more detail."
  );
}

/**
 * Checks, without changing anything, that every migration of `journal` has been applied to the database: for
 * runtimes that must not migrate while serving (Workers, where `tracklite db upgrade` is a separate step). drizzle's
 * migrator applies the migrations newer than the newest `created_at` it recorded, so that is the schema's version.
 * Throws MLflow's TEMPORARILY_UNAVAILABLE (503) naming the command to run when the schema is behind.
 */
export async function verifySchemaCurrent(client: Client, journal: MigrationJournal): Promise<void> {
  const latest = journal.entries.at(-1);
  if (!latest) return;
  const table = await client.execute(
    "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'",
  );
  let appliedAt = 0;
  if (table.rows.length > 0) {
    const newest = await client.execute("SELECT MAX(created_at) AS at FROM __drizzle_migrations");
    appliedAt = Number(newest.rows[0]?.at ?? 0);
  }
  // Migration 0010's points are converted by code after it (metric-conversion.ts): until then the schema is behind.
  const unconverted = await hasMetricRows(client);
  if (appliedAt >= latest.when && !unconverted) return;
  const applied = journal.entries.filter((e) => e.when <= appliedAt).at(-1)?.tag;
  const found =
    applied === undefined
      ? "none (an empty database)"
      : applied === latest.tag
        ? `${applied}, its metric points not yet converted to chunks`
        : applied;
  throw new MlflowError(outdatedSchemaMessage(found, latest.tag), "TEMPORARILY_UNAVAILABLE");
}

/**
 * The store's database handle for a runtime that does not migrate: opened as `openDatabase` opens it, then checked
 * against `journal` instead of migrated.
 */
export async function openVerifiedDatabase(options: OpenOptions, journal: MigrationJournal): Promise<DbHandle> {
  const client = await openLibsqlClient(options.url, options.authToken, options.synchronous);
  try {
    await verifySchemaCurrent(client, journal);
  } catch (err) {
    client.close();
    throw err;
  }
  return { client, db: drizzle(client), writer: new WriterQueue(client) };
}
