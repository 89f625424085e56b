import type { Client } from "@libsql/client";

/**
 * How hard a commit to a local database file waits for the disk, as SQLite's `PRAGMA synchronous` (the database is
 * always in WAL mode):
 * - `normal` (the default): a commit is written to the WAL through the operating system and acknowledged without an
 *   fsync; the WAL is fsynced at each checkpoint. An acknowledged write survives the server's crash or `kill -9` (it
 *   is in the OS's page cache, which the process does not own); an OS crash or power loss can drop the commits since
 *   the last checkpoint, never corrupt the database.
 * - `full`: every commit fsyncs the WAL before it is acknowledged, so it also survives an OS crash or power loss
 *   (about 1–4 ms more per commit on the disks measured).
 */
export const SYNCHRONOUS_LEVELS = ["normal", "full"] as const;
export type Synchronous = (typeof SYNCHRONOUS_LEVELS)[number];

export const DEFAULT_SYNCHRONOUS: Synchronous = "normal";

/**
 * Connections one client keeps open to a local file. The driver runs every statement synchronously on the calling
 * thread, so more connections buy no parallelism: they only let open transactions and overlapping awaits proceed,
 * while each holds its own page cache and parsed schema (the driver's default of 20 let RSS climb under load).
 */
export const LOCAL_CONNECTIONS = 4;

/**
 * Page cache of each connection, in KiB (SQLite's negative `cache_size`). The OS caches the file as well, so a small
 * per-connection cache costs little speed and bounds memory: 4 connections × 2 MiB.
 */
export const CACHE_KIB = 2048;

/** The per-connection pragmas every connection to a local file runs once. */
export function connectionPragmas(synchronous: Synchronous): string[] {
  return [`PRAGMA synchronous = ${synchronous.toUpperCase()}`, `PRAGMA cache_size = -${CACHE_KIB}`];
}

/**
 * Runs each of `pragmas` on every one of the client's `connections` connections. Per-connection settings cannot be
 * passed to the driver, and each `execute` borrows whichever pooled connection is idle; starting `connections` of them
 * before any is awaited makes each borrow a different connection (opening it), and the pool, capped at `connections`,
 * keeps them open for the client's life. A connection the pool replaces later (after a failed rollback) falls back to
 * SQLite's defaults: `FULL`, the safe side.
 */
export async function applyToEveryConnection(client: Client, connections: number, pragmas: string[]): Promise<void> {
  for (const sql of pragmas) await Promise.all(Array.from({ length: connections }, () => client.execute(sql)));
}
