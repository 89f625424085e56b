import type { Hono } from "hono";
import { mount } from "../http/mount.js";
import { pageResponse } from "../http/page.js";
import type { Store } from "../store/index.js";
import { toEventName } from "../validation/webhooks.js";
import { storeIn } from "../workspaces/middleware.js";

/**
 * /mlflow/webhooks: create, list, get, update (PATCH), delete, and `/test`, which sends an example payload at once
 * and answers with what the receiver said.
 * @see mlflow/server/handlers.py _create_webhook … _test_webhook
 */
export function webhookRoutes(api: Hono, store: Store): void {
  const at = storeIn(store);

  mount(api, "createWebhook", async (r, c) => ({ webhook: await at(c).webhooks.create(r) }));

  mount(api, "listWebhooks", async (r, c) => {
    const { webhooks: list, nextPageToken } = await at(c).webhooks.list(r.max_results, r.page_token);
    return pageResponse("webhooks", list, nextPageToken);
  });

  mount(api, "getWebhook", async (_r, c, { webhook_id }) => ({ webhook: await at(c).webhooks.get(webhook_id) }));

  mount(api, "updateWebhook", async (r, c, { webhook_id }) => ({
    webhook: await at(c).webhooks.update(webhook_id, r),
  }));

  mount(api, "deleteWebhook", async (_r, c, { webhook_id }) => {
    await at(c).webhooks.delete(webhook_id);
    return {};
  });

  mount(api, "testWebhook", async (r, c, { webhook_id }) => {
    // The event is read before the webhook is looked up: a bad event is refused even for an unknown id.
    const event = r.event ? toEventName(r.event) : undefined;
    const { events, target } = await at(c).webhooks.target(webhook_id);
    return { result: await store.webhookDelivery.test(target, event ?? (events[0] as (typeof events)[number])) };
  });
}
