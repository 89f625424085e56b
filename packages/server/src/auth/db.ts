import { type Client, createClient } from "@libsql/client";
import { drizzle } from "drizzle-orm/libsql";
import { migrate } from "drizzle-orm/libsql/migrator";
import * as schema from "./schema.js";

export interface AuthDbOptions {
  /** `file:…` (default `mlruns/basic_auth.db`), or a libSQL server. */
  url: string;
  authToken?: string;
  /** drizzle-kit's migrations of the auth database; defaults to the ones shipped with this package. */
  migrationsFolder?: string;
}

/** Opens the auth database and applies its migrations (which leave an MLflow `basic_auth.db`'s tables as they are). */
export async function openAuthDatabase(options: AuthDbOptions): Promise<Client> {
  const isFile = options.url.startsWith("file:");
  const client = createClient({
    url: options.url,
    ...(options.authToken ? { authToken: options.authToken } : {}),
    ...(isFile ? { timeout: 10_000 } : {}),
    intMode: "number",
  });
  if (isFile) await client.execute("PRAGMA journal_mode = WAL");
  await client.execute("PRAGMA foreign_keys = ON");
  const migrationsFolder = options.migrationsFolder ?? new URL("../../drizzle-auth", import.meta.url).pathname;
  await migrate(drizzle(client, { schema }), { migrationsFolder });
  return client;
}
