import type { ImportSource } from "@tracklite/server/import";
import { UsageError } from "../../../usage-error.js";
import type { SourceOptions } from "../index.js";
import { openSqlSource } from "./sql-source.js";
import { WEBHOOK_KEY_ENV } from "./webhooks.js";

/**
 * The `sources/index.ts` entry: SOURCE a database URI, `--auth-db` for users, the webhook key from the environment.
 * Problems with SOURCE (a bad URI, not an MLflow database, a newer schema, unreachable) are usage errors: one line.
 */
export async function openSqlSourceFor(location: string, options: SourceOptions): Promise<ImportSource> {
  try {
    return await openSqlSource(location, { authDb: options.authDb, webhookSecretKey: options.env[WEBHOOK_KEY_ENV] });
  } catch (error) {
    throw new UsageError(`SOURCE ${error instanceof Error ? error.message : String(error)}`);
  }
}
