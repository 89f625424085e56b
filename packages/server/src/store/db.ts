import { type Client, createClient } from "@libsql/client";
import { drizzle, type LibSQLDatabase } from "drizzle-orm/libsql";
import { migrate } from "drizzle-orm/libsql/migrator";
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
}

export interface OpenOptions {
  /** `file:…`, `libsql://…`, `http(s)://…` or `ws(s)://…`. */
  url: string;
  authToken?: string;
  /** Folder holding drizzle-kit's migrations; defaults to the one shipped with this package. */
  migrationsFolder?: string;
}

/** Opens the database, applies pending migrations and returns the handle the store works on. */
export async function openDatabase(options: OpenOptions): Promise<DbHandle> {
  const isFile = options.url.startsWith("file:");
  const client = createClient({
    url: options.url,
    ...(options.authToken ? { authToken: options.authToken } : {}),
    // A second process on the same file waits instead of failing with SQLITE_BUSY at once.
    ...(isFile ? { timeout: 10_000 } : {}),
    intMode: "number",
  });
  if (isFile) {
    await client.execute("PRAGMA journal_mode = WAL");
  }
  const db = drizzle(client, { schema });
  const migrationsFolder = options.migrationsFolder ?? new URL("../../drizzle", import.meta.url).pathname;
  await migrate(db, { migrationsFolder });
  return { client, db, writer: new WriterQueue(client) };
}
