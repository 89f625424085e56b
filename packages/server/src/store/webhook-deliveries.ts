import type { WebhookEventName } from "@tracklite/schemas";
import type { DeliveryOutbox, PendingDelivery } from "../webhooks/outbox.js";
import type { DbHandle } from "./db.js";

interface Row {
  delivery_id: string;
  webhook_id: string;
  event: string;
  payload: string;
  created_at: number;
}

/**
 * The `webhook_deliveries` table: deliveries left unsent by a shutdown, claimed by one process at a time. Every write
 * goes through the writer queue; the claim is one UPDATE … RETURNING in a write transaction, so two processes on one
 * database (a file or sqld) never claim the same row.
 */
export class WebhookDeliveryStore implements DeliveryOutbox {
  constructor(private readonly h: DbHandle) {}

  async save(deliveries: readonly PendingDelivery[]): Promise<void> {
    if (deliveries.length === 0) return;
    await this.h.writer.run(() =>
      this.h.client.batch(
        deliveries.map((d) => ({
          sql: `INSERT INTO webhook_deliveries (delivery_id, webhook_id, event, payload, created_at)
                VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (delivery_id) DO UPDATE SET claimed_by = NULL, claimed_at = NULL`,
          args: [d.deliveryId, d.webhookId, d.event, JSON.stringify(d.data), d.createdAt],
        })),
        "write",
      ),
    );
  }

  async claim(owner: string, limit: number, staleBefore: number): Promise<PendingDelivery[]> {
    const rs = await this.h.writer.run(() =>
      this.h.client.batch(
        [
          {
            sql: `UPDATE webhook_deliveries SET claimed_by = ?, claimed_at = ?
                  WHERE delivery_id IN (
                    SELECT delivery_id FROM webhook_deliveries
                    WHERE claimed_by IS NULL OR claimed_at < ?
                    ORDER BY created_at LIMIT ?)
                  RETURNING delivery_id, webhook_id, event, payload, created_at`,
            args: [owner, Date.now(), staleBefore, limit],
          },
        ],
        "write",
      ),
    );
    const rows = (rs[0]?.rows ?? []) as unknown as Row[];
    return rows
      .map((r) => ({
        deliveryId: r.delivery_id,
        webhookId: r.webhook_id,
        event: r.event as WebhookEventName,
        data: JSON.parse(r.payload) as Record<string, unknown>,
        createdAt: Number(r.created_at),
      }))
      .sort((a, b) => a.createdAt - b.createdAt);
  }

  async finish(deliveryId: string, owner: string): Promise<void> {
    await this.#write("DELETE FROM webhook_deliveries WHERE delivery_id = ? AND claimed_by = ?", [deliveryId, owner]);
  }

  async release(deliveryIds: readonly string[], owner: string): Promise<void> {
    for (const id of deliveryIds)
      await this.#write(
        "UPDATE webhook_deliveries SET claimed_by = NULL, claimed_at = NULL WHERE delivery_id = ? AND claimed_by = ?",
        [id, owner],
      );
  }

  async #write(sql: string, args: (string | number)[]): Promise<void> {
    await this.h.writer.run(() => this.h.client.batch([{ sql, args }], "write"));
  }
}
