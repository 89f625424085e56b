import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PendingDelivery } from "../webhooks/outbox.js";
import { type DbHandle, openDatabase } from "./db.js";
import { WebhookDeliveryStore } from "./webhook-deliveries.js";

const dir = mkdtempSync(join(tmpdir(), "tracklite-outbox-"));
const url = `file:${join(dir, "outbox.db")}`;
let one: DbHandle;
let two: DbHandle;

beforeAll(async () => {
  one = await openDatabase({ url });
  two = await openDatabase({ url });
});
afterAll(() => {
  one.client.close();
  two.client.close();
  rmSync(dir, { recursive: true, force: true });
});

const pending = (i: number): PendingDelivery => ({
  deliveryId: `d-${i}`,
  webhookId: "w-1",
  event: "registered_model.created",
  data: { name: `m${i}`, tags: { n: i } },
  createdAt: 1_000 + i,
});

describe("the webhook delivery outbox", () => {
  it("hands each kept delivery to one of two handles claiming concurrently", async () => {
    const a = new WebhookDeliveryStore(one);
    const b = new WebhookDeliveryStore(two);
    await a.save(Array.from({ length: 120 }, (_, i) => pending(i)));
    const drain = async (store: WebhookDeliveryStore, owner: string) => {
      const got: PendingDelivery[] = [];
      for (;;) {
        const batch = await store.claim(owner, 7, 0);
        if (batch.length === 0) return got;
        got.push(...batch);
      }
    };
    const lists = await Promise.all([drain(a, "A"), drain(b, "B"), drain(a, "A2"), drain(b, "B2")]);
    const all = lists.flat();
    const ids = all.map((d) => d.deliveryId);
    expect(ids.length).toBe(120);
    expect(new Set(ids).size).toBe(120);
    expect(lists[0]?.length).toBeGreaterThan(0);
    expect(lists[1]?.length).toBeGreaterThan(0);
    // Read back as saved.
    expect(all.find((d) => d.deliveryId === "d-5")).toEqual(pending(5));
    // Only the claimer may finish a row.
    for (const d of all) await a.finish(d.deliveryId, "nobody");
    const left = await one.client.execute("SELECT COUNT(*) AS n FROM webhook_deliveries");
    expect(left.rows[0]?.n).toBe(120);
    await one.client.execute("DELETE FROM webhook_deliveries");
  });

  it("gives released rows and stale claims to the next claimer; only the owner finishes a row", async () => {
    const store = new WebhookDeliveryStore(one);
    await store.save([pending(1), pending(2), pending(3)]);
    expect((await store.claim("A", 10, 0)).map((d) => d.deliveryId)).toEqual(["d-1", "d-2", "d-3"]);
    expect(await store.claim("B", 10, 0)).toEqual([]);
    await store.release(["d-2"], "A");
    expect((await store.claim("B", 10, 0)).map((d) => d.deliveryId)).toEqual(["d-2"]);
    // Every claim is older than `staleBefore` (a process that died mid-delivery): C takes them all.
    const stale = await store.claim("C", 10, Date.now() + 1);
    expect(stale.map((d) => d.deliveryId)).toEqual(["d-1", "d-2", "d-3"]);
    await store.finish("d-1", "A");
    await store.finish("d-2", "C");
    const rs = await one.client.execute("SELECT delivery_id, claimed_by FROM webhook_deliveries ORDER BY delivery_id");
    expect(rs.rows.map((r) => [r.delivery_id, r.claimed_by])).toEqual([
      ["d-1", "C"],
      ["d-3", "C"],
    ]);
  });
});
