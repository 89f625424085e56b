import { describe, expect, it } from "vitest";
import { useTestApp } from "../testing.test-helpers.js";
import { useReceiver } from "../webhooks/receiver.test-helpers.js";
import { send } from "../workspaces/send.test-helpers.js";

const t = useTestApp({
  enableWorkspaces: true,
  webhooks: { allowedSchemes: ["http", "https"], allowPrivateIps: true, timeoutMs: 400, backoffJitterMs: 0 },
});
const receiver = useReceiver();
const A = "team-a";

describe("webhooks with workspaces on", () => {
  it("lists and gets only the request's workspace's webhooks", async () => {
    expect((await send(t, "POST", "/mlflow/workspaces", { prefix: "/api/3.0", body: { name: A } })).status).toBe(201);
    const events = [{ entity: "REGISTERED_MODEL", action: "CREATED" }];
    const hook = await send(t, "POST", "/mlflow/webhooks", {
      ws: A,
      body: { name: "a-hook", url: `${receiver.url}/ok/team-a`, events },
    });
    expect(hook.status).toBe(200);
    const id = hook.body.webhook.webhook_id;
    expect((await send(t, "GET", "/mlflow/webhooks", { ws: A })).body.webhooks).toHaveLength(1);
    expect((await send(t, "GET", "/mlflow/webhooks")).body).toEqual({});
    expect((await send(t, "GET", `/mlflow/webhooks/${id}`, { ws: A })).status).toBe(200);
    expect((await send(t, "GET", `/mlflow/webhooks/${id}`)).body.message).toBe(`Webhook with ID ${id} not found.`);
    expect((await send(t, "DELETE", `/mlflow/webhooks/${id}`)).status).toBe(404);
  });

  it("delivers a workspace's registry events to that workspace's webhooks only", async () => {
    await send(t, "POST", "/mlflow/registered-models/create", { body: { name: "in-default" } });
    await send(t, "POST", "/mlflow/registered-models/create", { ws: A, body: { name: "in-team-a" } });
    await t.store.webhookDelivery.idle();
    const names = receiver.at("/ok/team-a").map((r) => JSON.parse(r.body).data.name);
    expect(names).toEqual(["in-team-a"]);
  });

  it("refuses a RESTRICT delete while the workspace holds a model", async () => {
    const r = await send(t, "DELETE", `/mlflow/workspaces/${A}`, { prefix: "/api/3.0" });
    expect(r.body.message).toContain("table 'registered_models' still contains 1 resource(s)");
  });
});
