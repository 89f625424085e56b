import type { ImportWebhook } from "./model.js";
import type { SinkTx } from "./sink-db.js";

/**
 * Writes a webhook with its events (stored lower-case, `model_version` + `created`, as the store keeps them). The
 * secret, when the source could read it, is sealed as the server would seal it (`seal`: Fernet with
 * MLFLOW_WEBHOOK_SECRET_ENCRYPTION_KEY when set, else kept as given). A webhook id already present is left alone.
 */
export async function writeWebhook(
  tx: SinkTx,
  { webhook, secret }: ImportWebhook,
  sealed: [string | null, number],
  workspace = "default",
): Promise<void> {
  const [row] = await tx.all<{ id: number }>(
    `INSERT INTO webhooks (webhook_id, name, description, url, status, secret, secret_encrypted, creation_time,
       last_updated_time, workspace) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (webhook_id) DO NOTHING RETURNING id`,
    [
      webhook.webhook_id,
      webhook.name,
      webhook.description || null,
      webhook.url,
      webhook.status,
      secret ? sealed[0] : null,
      secret ? sealed[1] : 0,
      webhook.creation_timestamp,
      webhook.last_updated_timestamp ?? webhook.creation_timestamp,
      workspace,
    ],
  );
  if (!row) return;
  for (const e of webhook.events) {
    await tx.run("INSERT OR IGNORE INTO webhook_events (webhook_row, entity, action) VALUES (?, ?, ?)", [
      row.id,
      e.entity.toLowerCase(),
      e.action.toLowerCase(),
    ]);
  }
}
