import type { Client } from "@libsql/client";
import { drizzle } from "drizzle-orm/libsql";
import { migrate } from "drizzle-orm/libsql/migrator";
import type { Synchronous } from "../store/connection-settings.js";
import { openLibsqlClient } from "../store/db.js";
import * as schema from "./schema.js";

export interface AuthDbOptions {
  /** `file:…` (default `mlruns/basic_auth.db`), or a libSQL server. */
  url: string;
  authToken?: string;
  /** drizzle-kit's migrations of the auth database; defaults to the ones shipped with this package. */
  migrationsFolder?: string;
  /** A local file's commit durability; see `Synchronous`. */
  synchronous?: Synchronous | undefined;
}

/** Opens the auth database and applies its migrations (which leave an MLflow `basic_auth.db`'s tables as they are). */
export async function openAuthDatabase(options: AuthDbOptions): Promise<Client> {
  const client = await openLibsqlClient(options.url, options.authToken, options.synchronous);
  await client.execute("PRAGMA foreign_keys = ON");
  const migrationsFolder = options.migrationsFolder ?? new URL("../../drizzle-auth", import.meta.url).pathname;
  await migrate(drizzle(client, { schema }), { migrationsFolder });
  return client;
}
