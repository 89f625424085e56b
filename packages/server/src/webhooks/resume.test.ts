import { join } from "node:path";
import { createClient } from "@libsql/client";
import { describe, expect, it } from "vitest";
import { openDatabase } from "../store/db.js";
import { WebhookDeliveryStore } from "../store/webhook-deliveries.js";
import { useTestApp } from "../testing.test-helpers.js";
import type { PendingDelivery } from "./outbox.js";
import { expectedSignature, useReceiver } from "./receiver.test-helpers.js";

const recv = useReceiver();
const t = useTestApp({ webhooks: { allowedSchemes: ["http"], allowPrivateIps: true, log: () => undefined } });

/** Kept deliveries written as another process's shutdown writes them (its own handle on the file). */
async function keep(deliveries: PendingDelivery[]): Promise<void> {
  const h = await openDatabase({ url: `file:${join(t.dir, "test.db")}` });
  await new WebhookDeliveryStore(h).save(deliveries);
  h.client.close();
}

async function rows(): Promise<number> {
  const client = createClient({ url: `file:${join(t.dir, "test.db")}` });
  const rs = await client.execute("SELECT COUNT(*) AS n FROM webhook_deliveries");
  client.close();
  return Number(rs.rows[0]?.n);
}

const kept = (deliveryId: string, webhookId: string): PendingDelivery => ({
  deliveryId,
  webhookId,
  event: "registered_model.created",
  data: { name: "m", tags: {}, description: "d" },
  createdAt: Date.UTC(2026, 0, 2, 3, 4, 5, 678),
});

describe("resuming kept webhook deliveries", () => {
  it("sends one with its id and event time, signed now; skips disabled and deleted webhooks", async () => {
    const create = (name: string, status: "ACTIVE" | "DISABLED") =>
      t.store.webhooks.create({
        name,
        url: `${recv.url}/ok/${name}`,
        events: [{ entity: "REGISTERED_MODEL", action: "CREATED" }],
        secret: "sh",
        status,
      });
    const live = await create("live", "ACTIVE");
    const off = await create("off", "DISABLED");
    await keep([kept("k-live", live.webhook_id), kept("k-off", off.webhook_id), kept("k-gone", "no-such-webhook")]);
    expect(await t.store.webhookDelivery.resume()).toBe(3);
    await t.store.webhookDelivery.idle();
    const got = recv.at("/ok/");
    expect(got.map((r) => r.path)).toEqual(["/ok/live"]);
    const [only] = got;
    if (!only) throw new Error("no delivery");
    expect(only.headers["x-mlflow-delivery-id"]).toBe("k-live");
    expect(JSON.parse(only.body)).toEqual({
      entity: "registered_model",
      action: "created",
      timestamp: "2026-01-02T03:04:05.678000+00:00",
      data: { name: "m", tags: {}, description: "d" },
    });
    const signedAt = Number(only.headers["x-mlflow-timestamp"]);
    expect(Math.abs(signedAt - Date.now() / 1000)).toBeLessThan(60);
    expect(only.headers["x-mlflow-signature"]).toBe(expectedSignature("sh", only));
    expect(await rows()).toBe(0);
    expect(await t.store.webhookDelivery.resume()).toBe(0);
  });
});
