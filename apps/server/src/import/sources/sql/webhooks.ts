import type { Webhook } from "@tracklite/schemas";
import type { ImportWebhook, SkippedItem } from "@tracklite/server/import";
import type { SqlConnection } from "./connection.js";
import { fernetDecrypt } from "./fernet.js";
import type { SchemaInfo } from "./schema-info.js";
import { compact, num, text } from "./values.js";

/** The variable MLflow reads its webhook-secret key from (`MLFLOW_WEBHOOK_SECRET_ENCRYPTION_KEY`). */
export const WEBHOOK_KEY_ENV = "MLFLOW_WEBHOOK_SECRET_ENCRYPTION_KEY";

/**
 * The webhooks MLflow lists (soft-deleted ones left out, as `list_webhooks` does), as `SqlWebhook.to_mlflow_entity`:
 * events as upper-case names. Secrets are Fernet-encrypted with the source server's key: with the same key in
 * `MLFLOW_WEBHOOK_SECRET_ENCRYPTION_KEY` they come across, else each is reported as skipped.
 */
export async function* readWebhooks(
  db: SqlConnection,
  schema: SchemaInfo,
  key: string | undefined,
  skipped: SkippedItem[],
): AsyncIterable<ImportWebhook> {
  if (!schema.has("webhooks")) return;
  const rows = await db.all(
    `SELECT webhook_id, name, description, url, status, secret, creation_timestamp, last_updated_timestamp
       FROM webhooks WHERE deleted_timestamp IS NULL ORDER BY webhook_id`,
    [],
  );
  for (const row of rows) {
    const id = String(row.webhook_id);
    const events = await db.all(`SELECT entity, action FROM webhook_events WHERE webhook_id = ?`, [id]);
    const webhook: Webhook = compact({
      webhook_id: id,
      name: String(row.name),
      description: text(row.description),
      url: String(row.url),
      events: events.map((e) => ({
        entity: String(e.entity).toUpperCase(),
        action: String(e.action).toUpperCase(),
      })) as Webhook["events"],
      status: (text(row.status) ?? "ACTIVE") as Webhook["status"],
      creation_timestamp: num(row.creation_timestamp) ?? 0,
      last_updated_timestamp: num(row.last_updated_timestamp) ?? num(row.creation_timestamp) ?? 0,
    });
    const stored = text(row.secret);
    if (stored === undefined) {
      yield { webhook };
      continue;
    }
    const secret = key ? fernetDecrypt(key, stored) : undefined;
    if (secret === undefined) {
      skipped.push({
        what: `webhook ${id} (${webhook.name}): its secret`,
        reason: key
          ? `${WEBHOOK_KEY_ENV} does not decrypt it (set the source server's key)`
          : `encrypted with the source server's key: set ${WEBHOOK_KEY_ENV} to that key to carry it over`,
      });
      yield { webhook };
    } else {
      yield { webhook, secret };
    }
  }
}
