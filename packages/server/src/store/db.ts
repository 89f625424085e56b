import { type Client, createClient } from "@libsql/client";
import { drizzle, type LibSQLDatabase } from "drizzle-orm/libsql";
import { migrate } from "drizzle-orm/libsql/migrator";
import type { ServerObserver } from "../observe/server-observer.js";
import {
  applyToEveryConnection,
  connectionPragmas,
  DEFAULT_SYNCHRONOUS,
  LOCAL_CONNECTIONS,
  type Synchronous,
} from "./connection-settings.js";
import { convertMetricRows, hasMetricRows } from "./metric-conversion.js";
import { withMigrationLock } from "./migration-lock.js";
import { migrationsCurrent } from "./migrations-current.js";
import { WriterQueue } from "./writer-queue.js";

/**
 * The drizzle database the store queries with its query builder. It is made without drizzle's relational schema
 * (`db.query.*` is unused): building that config walks every table at each start.
 */
export type Database = LibSQLDatabase;

export interface DbHandle {
  client: Client;
  db: Database;
  writer: WriterQueue;
  /**
   * The workspace every query made through this handle is confined to (`--enable-workspaces`); undefined when
   * workspaces are off, and then no query carries a workspace condition (every row is in 'default').
   */
  workspace?: string | undefined;
  /** No work may outlive its request (Workers, StoreOptions.requestScopedWork): background writes are awaited. */
  requestScopedWork?: boolean | undefined;
  /** Told of committed metric values and spans (`--expose-prometheus`). */
  observer?: Pick<ServerObserver, "ingested"> | undefined;
}

export interface OpenOptions {
  /** `file:…`, `libsql://…`, `http(s)://…` or `ws(s)://…`. */
  url: string;
  authToken?: string;
  /** Folder holding drizzle-kit's migrations; defaults to the one shipped with this package. */
  migrationsFolder?: string;
  /** A local file's commit durability (`--sqlite-synchronous`); see `Synchronous`. Default `normal`. */
  synchronous?: Synchronous | undefined;
}

/**
 * A libSQL client as tracklite uses one: integers as numbers; on a file, WAL and a busy timeout, so that a second
 * process on the same file waits instead of failing with SQLITE_BUSY at once, a few connections, each with the
 * `synchronous` level and a bounded page cache (see connection-settings.ts). The auth database opens with it too.
 */
export async function openLibsqlClient(
  url: string,
  authToken?: string,
  synchronous: Synchronous = DEFAULT_SYNCHRONOUS,
): Promise<Client> {
  const isFile = url.startsWith("file:");
  const client = createClient({
    url,
    ...(authToken ? { authToken } : {}),
    ...(isFile ? { timeout: 10_000, concurrency: LOCAL_CONNECTIONS } : {}),
    intMode: "number",
  });
  if (isFile) {
    await client.execute("PRAGMA journal_mode = WAL");
    await applyToEveryConnection(client, LOCAL_CONNECTIONS, connectionPragmas(synchronous));
  }
  return client;
}

/**
 * Opens the database, applies pending migrations (with the conversion of point rows to chunks that follows migration
 * 0010) and returns the handle the store works on. Migrations run under the
 * database's migration lock: replicas started together on one libSQL server apply them once, one after the other.
 * A database that is already current is found so by one version read, without the lock (a faster start).
 */
export async function openDatabase(options: OpenOptions): Promise<DbHandle> {
  const client = await openLibsqlClient(options.url, options.authToken, options.synchronous);
  const db: Database = drizzle(client);
  const migrationsFolder = options.migrationsFolder ?? new URL("../../drizzle", import.meta.url).pathname;
  // Metric rows left by a conversion that was stopped half-way are converted even when every migration is applied.
  if (!(await migrationsCurrent(client, migrationsFolder)) || (await hasMetricRows(client))) {
    await withMigrationLock(client, async () => {
      await migrate(db, { migrationsFolder });
      await convertMetricRows(client, options.url);
    });
  }
  return { client, db, writer: new WriterQueue(client) };
}
