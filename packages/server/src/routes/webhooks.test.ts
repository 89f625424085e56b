import { afterEach, describe, expect, it } from "vitest";
import { useTestApp } from "../testing.test-helpers.js";
import { closedPort, expectedSignature, useReceiver } from "../webhooks/receiver.test-helpers.js";

const logged: string[] = [];
const recv = useReceiver();
const t = useTestApp({
  webhooks: {
    allowedSchemes: ["http", "https"],
    allowPrivateIps: true,
    // Short waits keep the suite fast; the retry and timeout logic is the same.
    timeoutMs: 400,
    backoffFactorMs: 20,
    backoffJitterMs: 0,
    secretKey: "cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=",
    log: (message) => logged.push(message),
  },
});

const MV_CREATED = { entity: "MODEL_VERSION", action: "CREATED" };

async function webhook(body: Record<string, unknown>) {
  const r = await t.call("POST", "/webhooks", { name: "hook", events: [MV_CREATED], ...body });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body.webhook;
}

async function ok(method: string, path: string, body?: Record<string, unknown>) {
  const r = await t.call(method, path, body);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body;
}

const settled = () => t.store.webhookDelivery.idle();
const bodyOf = (r: { body: string }) => JSON.parse(r.body);

// Each test starts without webhooks, so that one test's receivers never see another's events.
afterEach(async () => {
  await settled();
  for (const w of (await t.store.webhooks.list(1000, undefined)).webhooks) await t.store.webhooks.delete(w.webhook_id);
});

describe("webhook CRUD", () => {
  it("creates, reads, lists newest first with pages, updates and deletes", async () => {
    const a = await webhook({ name: "crud-a", url: `${recv.url}/ok/crud`, description: "first", secret: "s3cr3t" });
    expect(a).toEqual({
      webhook_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: "crud-a",
      description: "first",
      url: `${recv.url}/ok/crud`,
      events: [MV_CREATED],
      status: "ACTIVE",
      creation_timestamp: expect.any(Number),
      last_updated_timestamp: a.creation_timestamp,
    });
    expect((await ok("GET", `/webhooks/${a.webhook_id}`)).webhook).toEqual(a);
    await new Promise((r) => setTimeout(r, 5));
    const b = await webhook({
      name: "crud-b",
      url: "https://8.8.8.8/hook",
      status: "DISABLED",
      // Stored and answered in the reference's order: entity, then action.
      events: [
        { entity: "REGISTERED_MODEL", action: "CREATED" },
        { entity: 4, action: 3 },
        { entity: "MODEL_VERSION_ALIAS", action: "CREATED" },
      ],
    });
    expect(b.events).toEqual([
      { entity: "MODEL_VERSION_ALIAS", action: "CREATED" },
      { entity: "MODEL_VERSION_ALIAS", action: "DELETED" },
      { entity: "REGISTERED_MODEL", action: "CREATED" },
    ]);
    const first = await ok("GET", "/webhooks", { max_results: 1 });
    expect(first.webhooks.map((w: { name: string }) => w.name)).toEqual(["crud-b"]);
    expect(atob(first.next_page_token)).toBe('{"offset": 1}');
    const second = await ok("GET", "/webhooks", { max_results: 1, page_token: first.next_page_token });
    expect(second.webhooks[0].name).toBe("crud-a");

    const updated = await ok("PATCH", `/webhooks/${a.webhook_id}`, {
      name: "crud-a2",
      description: "",
      events: [{ entity: "MODEL_VERSION_TAG", action: "SET" }],
      status: "DISABLED",
    });
    expect(updated.webhook).toMatchObject({
      name: "crud-a2",
      status: "DISABLED",
      events: [{ entity: "MODEL_VERSION_TAG", action: "SET" }],
    });
    expect(updated.webhook).not.toHaveProperty("description");
    expect(updated.webhook.last_updated_timestamp).toBeGreaterThanOrEqual(a.creation_timestamp);
    // Empty name and URL, an empty events list and an unknown status leave the fields as they were.
    const same = await ok("PATCH", `/webhooks/${a.webhook_id}`, { name: "", url: "", events: [], status: "BOGUS" });
    expect(same.webhook).toMatchObject({ name: "crud-a2", url: a.url, status: "DISABLED" });

    expect(await ok("DELETE", `/webhooks/${a.webhook_id}`)).toEqual({});
    for (const [method, path] of [
      ["GET", `/webhooks/${a.webhook_id}`],
      ["DELETE", `/webhooks/${a.webhook_id}`],
      ["PATCH", `/webhooks/${a.webhook_id}`],
      ["POST", `/webhooks/${a.webhook_id}/test`],
    ] as const) {
      const r = await t.call(method, path, {});
      expect([r.status, r.body.error_code, r.body.message]).toEqual([
        404,
        "RESOURCE_DOES_NOT_EXIST",
        `Webhook with ID ${a.webhook_id} not found.`,
      ]);
    }
    expect((await t.call("PUT", `/webhooks/${b.webhook_id}`, {})).status).toBe(405);
  });

  it("keeps the secret write-only and encrypted at rest", async () => {
    const w = await webhook({ name: "secret", url: `${recv.url}/ok/secret`, secret: "hush" });
    expect(JSON.stringify(w)).not.toContain("hush");
    const rs = await t.store.webhooks.target(w.webhook_id);
    expect(await rs.target.readSecret()).toBe("hush");
  });

  it("refuses bad requests with the reference's messages", async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ name: undefined }, "Missing value for required parameter 'name'."],
      [{ url: "" }, "Missing value for required parameter 'url'."],
      [{ events: undefined, url: "http://x" }, "Missing value for required parameter 'events'."],
      [{ url: "http://x", events: [] }, "Webhook events must be a non-empty list of WebhookEvent objects: []."],
      [{ name: "-x", url: "http://x" }, "Webhook name '-x' is invalid. It must start and end with a letter or digit"],
      [{ url: "ftp://x/y" }, "Invalid webhook URL scheme: 'ftp'. Allowed schemes are: http, https."],
      [{ url: "http:///y" }, "Webhook URL must include a hostname: 'http:///y'"],
      [{ url: "http://[::1" }, "Invalid webhook URL 'http://[::1': ValueError('Invalid IPv6 URL')"],
      [
        { name: "-x", url: "http://x", events: [{ entity: "MODEL_VERSION", action: "SET" }] },
        "Invalid action 'set' for entity 'model_version'. Valid actions are: ['created']",
      ],
      [
        { url: "http://x", events: [{ entity: "BOGUS", action: "CREATED" }] },
        "Invalid webhook event: it needs a known",
      ],
    ];
    for (const [patch, message] of cases) {
      const r = await t.call("POST", "/webhooks", { name: "bad", url: "http://x", events: [MV_CREATED], ...patch });
      expect([r.status, r.body.error_code], message).toEqual([400, "INVALID_PARAMETER_VALUE"]);
      expect(r.body.message).toContain(message);
    }
    const twice = await t.call("POST", "/webhooks", { name: "bad", url: "http://x", events: [MV_CREATED, MV_CREATED] });
    expect([twice.status, twice.body.error_code]).toEqual([400, "BAD_REQUEST"]);
    for (const max of [-1, 1001]) {
      const r = await t.call("GET", "/webhooks", { max_results: max });
      expect([r.status, r.body.message]).toEqual([400, "max_results must be between 1 and 1000."]);
    }
    expect((await t.call("GET", "/webhooks", { page_token: "bogus" })).body.message).toBe(
      "Invalid page token, could not base64-decode",
    );
  });
});

describe("delivery", () => {
  it("POSTs a signed model_version.created payload after the version is created", async () => {
    await webhook({ name: "signed", url: `${recv.url}/ok/signed`, secret: "topsecret" });
    await ok("POST", "/registered-models/create", { name: "wh-signed" });
    await ok("POST", "/model-versions/create", {
      name: "wh-signed",
      source: "s3://bucket/model",
      tags: [{ key: "k", value: "v" }],
    });
    await settled();
    const [got, ...more] = recv.at("/ok/signed");
    expect(more).toEqual([]);
    if (!got) throw new Error("no delivery");
    expect(got.headers["content-type"]).toBe("application/json");
    expect(got.headers["x-mlflow-delivery-id"]).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(Math.abs(Number(got.headers["x-mlflow-timestamp"]) - Date.now() / 1000)).toBeLessThan(60);
    expect(got.headers["x-mlflow-signature"]).toBe(expectedSignature("topsecret", got));
    expect(got.body).toMatch(
      /^\{"entity": "model_version", "action": "created", "timestamp": "\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?\+00:00", "data": /,
    );
    expect(bodyOf(got).data).toEqual({
      name: "wh-signed",
      version: "1",
      source: "s3://bucket/model",
      run_id: null,
      tags: { k: "v" },
      description: null,
    });
  });

  it("sends no signature header without a secret", async () => {
    await webhook({
      name: "unsigned",
      url: `${recv.url}/ok/unsigned`,
      events: [{ entity: "REGISTERED_MODEL", action: "CREATED" }],
    });
    await ok("POST", "/registered-models/create", { name: "wh-unsigned", tags: [{ key: "a", value: "1" }] });
    await settled();
    const [got] = recv.at("/ok/unsigned");
    expect(got?.headers).not.toHaveProperty("x-mlflow-signature");
    expect(bodyOf(got as { body: string }).data).toEqual({ name: "wh-unsigned", tags: { a: "1" }, description: "" });
  });

  it("retries a 500 with backoff and stops at the first success, with the same delivery", async () => {
    await webhook({
      name: "flaky",
      url: `${recv.url}/fail/2/flaky`,
      events: [{ entity: "REGISTERED_MODEL", action: "CREATED" }],
    });
    await ok("POST", "/registered-models/create", { name: "wh-flaky" });
    await settled();
    const got = recv.at("/fail/2/flaky");
    expect(got).toHaveLength(3);
    expect(new Set(got.map((g) => g.headers["x-mlflow-delivery-id"])).size).toBe(1);
    // urllib3's schedule: the first retry at once, the second after factor × 2 (40 ms here).
    expect((got[2]?.at ?? 0) - (got[1]?.at ?? 0)).toBeGreaterThanOrEqual(35);
  });

  it("gives up after the retries and logs it", async () => {
    const port = await closedPort();
    await webhook({
      name: "down",
      url: `http://127.0.0.1:${port}/x`,
      events: [{ entity: "REGISTERED_MODEL", action: "CREATED" }],
    });
    await ok("POST", "/registered-models/create", { name: "wh-down" });
    await settled();
    expect(logged.some((m) => m.includes(`http://127.0.0.1:${port}/x`) && m.includes("registered_model.created"))).toBe(
      true,
    );
  });

  it("answers the API before a slow receiver answers", async () => {
    await webhook({
      name: "slow",
      url: `${recv.url}/slow/1500/api`,
      events: [{ entity: "REGISTERED_MODEL", action: "CREATED" }],
    });
    const started = Date.now();
    await ok("POST", "/registered-models/create", { name: "wh-slow" });
    expect(Date.now() - started).toBeLessThan(300);
    await settled();
    // Each attempt was cut at the 400 ms timeout, and retried.
    expect(recv.at("/slow/1500/api")).toHaveLength(4);
  });

  it("skips disabled webhooks and events a webhook does not subscribe to", async () => {
    await webhook({ name: "off", url: `${recv.url}/ok/off`, status: "DISABLED" });
    await webhook({
      name: "alias-only",
      url: `${recv.url}/ok/alias-only`,
      events: [{ entity: "MODEL_VERSION_ALIAS", action: "CREATED" }],
    });
    await ok("POST", "/registered-models/create", { name: "wh-filter" });
    await ok("POST", "/model-versions/create", { name: "wh-filter", source: "s3://bucket/model" });
    await settled();
    expect(recv.at("/ok/off")).toEqual([]);
    expect(recv.at("/ok/alias-only")).toEqual([]);
    await ok("POST", "/registered-models/alias", { name: "wh-filter", alias: "champ", version: "1" });
    await settled();
    expect(recv.at("/ok/alias-only").map((g) => bodyOf(g))).toEqual([
      expect.objectContaining({
        entity: "model_version_alias",
        action: "created",
        data: { name: "wh-filter", alias: "champ", version: "1" },
      }),
    ]);
  });

  it("sends prompt events for prompts, and none for a plain model's tags", async () => {
    const events = [
      { entity: "PROMPT", action: "CREATED" },
      { entity: "PROMPT_VERSION", action: "CREATED" },
      { entity: "PROMPT_TAG", action: "SET" },
      { entity: "MODEL_VERSION_TAG", action: "SET" },
      { entity: "PROMPT_VERSION_TAG", action: "DELETED" },
      { entity: "PROMPT_ALIAS", action: "DELETED" },
    ];
    await webhook({ name: "prompts", url: `${recv.url}/ok/prompts`, events });
    const isPrompt = { key: "mlflow.prompt.is_prompt", value: "true" };
    await ok("POST", "/registered-models/create", {
      name: "wh-prompt",
      description: "p",
      tags: [isPrompt, { key: "x", value: "1" }],
    });
    await ok("POST", "/model-versions/create", {
      name: "wh-prompt",
      source: "dummy-source",
      tags: [isPrompt, { key: "mlflow.prompt.text", value: "Hi {{name}}" }, { key: "y", value: "2" }],
    });
    await ok("POST", "/registered-models/set-tag", { name: "wh-prompt", key: "t", value: "v" });
    await ok("POST", "/model-versions/set-tag", { name: "wh-prompt", version: "1", key: "u", value: "w" });
    await ok("DELETE", "/model-versions/delete-tag", { name: "wh-prompt", version: "1", key: "u" });
    await ok("DELETE", "/registered-models/alias", { name: "wh-prompt", alias: "gone" });
    await ok("POST", "/registered-models/create", { name: "wh-plain" });
    await ok("POST", "/registered-models/set-tag", { name: "wh-plain", key: "t", value: "v" });
    await settled();
    const got = recv.at("/ok/prompts").map((g) => {
      const { entity, action, data } = bodyOf(g);
      return { event: `${entity}.${action}`, data };
    });
    expect(got.sort((a, b) => (a.event < b.event ? -1 : 1))).toEqual([
      { event: "prompt.created", data: { name: "wh-prompt", tags: { x: "1" }, description: "p" } },
      { event: "prompt_alias.deleted", data: { name: "wh-prompt", alias: "gone" } },
      { event: "prompt_tag.set", data: { name: "wh-prompt", key: "t", value: "v" } },
      {
        event: "prompt_version.created",
        data: { name: "wh-prompt", version: "1", template: "Hi {{name}}", tags: { y: "2" }, description: null },
      },
      { event: "prompt_version_tag.deleted", data: { name: "wh-prompt", version: "1", key: "u" } },
    ]);
  });
});

describe("/test", () => {
  it("sends the example payload of the first event and reports the answer", async () => {
    const w = await webhook({
      name: "tested",
      url: `${recv.url}/status/201/test`,
      events: [{ entity: "REGISTERED_MODEL", action: "CREATED" }, MV_CREATED],
    });
    const res = await ok("POST", `/webhooks/${w.webhook_id}/test`, {});
    expect(res).toEqual({ result: { success: true, response_status: 201, response_body: "status 201" } });
    const [got] = recv.at("/status/201/test");
    expect(bodyOf(got as { body: string })).toMatchObject({
      entity: "model_version",
      action: "created",
      data: { name: "example_model", version: "1", source: "models:/123", run_id: "abcd1234abcd5678" },
    });
    const budget = await ok("POST", `/webhooks/${w.webhook_id}/test`, {
      event: { entity: "BUDGET_POLICY", action: "EXCEEDED" },
    });
    expect(budget.result.success).toBe(true);
    expect(recv.at("/status/201/test")[1]?.body).toContain('"budget_amount": 100.0, "current_spend": 105.5');
  });

  it("follows redirects as requests does, checking each new location", async () => {
    const to = (code: number, location: string) => `${recv.url}/redirect/${code}/${encodeURIComponent(location)}`;
    const kept = await webhook({ name: "r307", url: to(307, "/ok/r307"), secret: "k" });
    expect((await ok("POST", `/webhooks/${kept.webhook_id}/test`, {})).result.success).toBe(true);
    const [repeated] = recv.at("/ok/r307");
    expect(repeated?.method).toBe("POST");
    expect(repeated?.headers["x-mlflow-signature"]).toBe(
      expectedSignature("k", repeated as NonNullable<typeof repeated>),
    );
    const changed = await webhook({ name: "r302", url: to(302, "/ok/r302") });
    expect((await ok("POST", `/webhooks/${changed.webhook_id}/test`, {})).result.success).toBe(true);
    expect(recv.at("/ok/r302").map((g) => [g.method, g.body])).toEqual([["GET", ""]]);
    const refused = await webhook({ name: "rftp", url: to(302, "ftp://files.example.com/x") });
    expect((await ok("POST", `/webhooks/${refused.webhook_id}/test`, {})).result).toEqual({
      success: false,
      error_message: `Failed to test webhook: MlflowException("Invalid webhook URL scheme: 'ftp'. Allowed schemes are: http, https.")`,
    });
  });

  it("reports error statuses, connection failures and timeouts", async () => {
    const teapot = await webhook({ name: "teapot", url: `${recv.url}/status/418/t` });
    expect(await ok("POST", `/webhooks/${teapot.webhook_id}/test`, {})).toEqual({
      result: { success: false, response_status: 418, response_body: "status 418" },
    });
    const port = await closedPort();
    const down = await webhook({ name: "down", url: `http://127.0.0.1:${port}/x` });
    const refused = (await ok("POST", `/webhooks/${down.webhook_id}/test`, {})).result;
    expect(refused).toEqual({
      success: false,
      error_message: expect.stringMatching(/^Failed to test webhook: ConnectionError\(/),
    });
    const slow = await webhook({ name: "slow", url: `${recv.url}/slow/1000/t` });
    const timedOut = (await ok("POST", `/webhooks/${slow.webhook_id}/test`, {})).result;
    expect(timedOut.error_message).toContain("Read timed out.");
    const bad = await t.call("POST", `/webhooks/${slow.webhook_id}/test`, {
      event: { entity: "PROMPT", action: "SET" },
    });
    expect(bad.body.message).toBe("Invalid action 'set' for entity 'prompt'. Valid actions are: ['created']");
  });
});
