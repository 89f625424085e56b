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
import { withMigrationLock } from "./migration-lock.js";
import * as schema from "./schema.js";
import { WriterQueue } from "./writer-queue.js";

export type Database = LibSQLDatabase<typeof schema>;

export interface DbHandle {
  client: Client;
  db: Database;
  writer: WriterQueue;
  /**
   * The workspace every query made through this handle is confined to (`--enable-workspaces`); undefined when
   * workspaces are off, and then no query carries a workspace condition (every row is in 'default').
   */
  workspace?: string | undefined;
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
 * Opens the database, applies pending migrations and returns the handle the store works on. Migrations run under the
 * database's migration lock: replicas started together on one libSQL server apply them once, one after the other.
 */
export async function openDatabase(options: OpenOptions): Promise<DbHandle> {
  const client = await openLibsqlClient(options.url, options.authToken, options.synchronous);
  const db = drizzle(client, { schema });
  const migrationsFolder = options.migrationsFolder ?? new URL("../../drizzle", import.meta.url).pathname;
  await withMigrationLock(client, () => migrate(db, { migrationsFolder }));
  return { client, db, writer: new WriterQueue(client) };
}
