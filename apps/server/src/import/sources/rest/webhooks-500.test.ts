import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openRestSource } from "./rest-source.js";

/**
 * A server whose webhook listing fails as the reference's does after its encryption key changed (500 on every try):
 * the webhooks are reported as skipped after one retry, not after MLflow's minutes of backoff.
 */
let server: Server;
let url = "";
let webhookCalls = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url?.startsWith("/api/2.0/mlflow/webhooks")) webhookCalls++;
    res.writeHead(500, { "Content-Type": "application/json" });
    res.end(JSON.stringify({ error_code: "INTERNAL_ERROR", message: "Failed to decrypt the webhook secret" }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("REST source: a server that answers 500 to list-webhooks", () => {
  it("reports the webhooks as skipped after one retry", async () => {
    // MLflow's default policy (7 retries, factor 2) for everything else: the listing must not use it
    const source = await openRestSource(url, { env: {}, maxRetries: 7, backoffFactor: 2, backoffJitter: 0 });
    const started = Date.now();
    const got = [];
    for await (const w of source.webhooks()) got.push(w);
    expect(got).toEqual([]);
    expect(webhookCalls).toBe(2);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(source.skipped()).toEqual([
      {
        what: "webhooks",
        reason: expect.stringContaining("the server failed to list them"),
      },
    ]);
  });
});
