import type { ImportSource } from "@tracklite/server/import";
import { UsageError } from "../../../usage-error.js";
import { createArtifactReader } from "../../artifacts/index.js";
import type { SourceOptions } from "../index.js";
import { openSqlSource } from "./sql-source.js";
import { WEBHOOK_KEY_ENV } from "./webhooks.js";

/**
 * The `sources/index.ts` entry: SOURCE a database URI, `--auth-db` for users, the webhook key from the environment,
 * the artifacts owner's reader for the roots the rows name.
 * Problems with SOURCE (a bad URI, not an MLflow database, a newer schema, unreachable) are usage errors: one line.
 */
export async function openSqlSourceFor(location: string, options: SourceOptions): Promise<ImportSource> {
  try {
    // Artifacts are read where the database's URIs point (local, file://, s3://; mlflow-artifacts:/ with the source
    // server's destination when a `--source-artifacts-destination` flag gives it).
    const destination = options.flags["source-artifacts-destination"];
    const artifacts = createArtifactReader({
      env: options.env,
      ...(typeof destination === "string" ? { proxiedDestination: destination } : {}),
    });
    return await openSqlSource(location, {
      authDb: options.authDb,
      webhookSecretKey: options.env[WEBHOOK_KEY_ENV],
      artifacts,
    });
  } catch (error) {
    throw new UsageError(`SOURCE ${error instanceof Error ? error.message : String(error)}`);
  }
}
