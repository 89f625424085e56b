import type { WebhookEventName } from "@tracklite/schemas";

/** One delivery of one event to one webhook, with the id and event time it keeps across processes. */
export interface PendingDelivery {
  /** X-MLflow-Delivery-Id: the same on every attempt, in every process, so a receiver can dedupe on it. */
  deliveryId: string;
  webhookId: string;
  event: WebhookEventName;
  data: Record<string, unknown>;
  /** When the event happened (ms since the epoch): the payload's `timestamp`. */
  createdAt: number;
}

/**
 * Where deliveries a shutdown left unsent wait for a process to send them (the store's `webhook_deliveries` table).
 * `claim` is atomic across processes: a row is handed to one owner until it finishes or releases it, or until the
 * claim is older than `staleBefore` (its process died mid-delivery; then another sends it again, with the same id).
 */
export interface DeliveryOutbox {
  save(deliveries: readonly PendingDelivery[]): Promise<void>;
  claim(owner: string, limit: number, staleBefore: number): Promise<PendingDelivery[]>;
  /** The delivery is done (answered, or failed for good as the reference drops a failed delivery): forget it. */
  finish(deliveryId: string, owner: string): Promise<void>;
  /** The owner is shutting down before sending these: they may be claimed again at once. */
  release(deliveryIds: readonly string[], owner: string): Promise<void>;
}
