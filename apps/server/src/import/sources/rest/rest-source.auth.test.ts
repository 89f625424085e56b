import { createServer, request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { isMlflowApiError } from "@tracklite/client";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { openRestSource } from "./index.js";
import { ADMIN, all, type Seeded, seededReference } from "./rest-source.test-helpers.js";

/**
 * The REST source against MLflow's server started with `--app-name basic-auth`: credentials from options, from
 * MLflow's environment variables and from the URL; a refusal surfaces as MLflow's error; transient answers (503, 429)
 * of a real HTTP hop in front of the server are retried as MLflow's client retries them.
 */
describe("REST source over a basic-auth reference server", { timeout: 120_000 }, () => {
  let url = "";
  let seeded: Seeded;
  let stop = async () => {};
  const saved = { ...process.env };

  beforeAll(async () => {
    const ref = await seededReference({ auth: true, minimal: true });
    url = ref.server.url;
    seeded = ref.seeded;
    stop = ref.server.stop;
  }, 600_000);
  afterAll(async () => {
    await stop();
  }, 30_000);
  afterEach(() => {
    for (const k of Object.keys(process.env)) if (k.startsWith("MLFLOW_")) delete process.env[k];
    Object.assign(process.env, saved);
  });

  const names = async (source: Awaited<ReturnType<typeof openRestSource>>) =>
    (await all(source.experiments({}))).map((e) => e.name).sort();

  it("reads with credentials given as options, and reports users as not readable", async () => {
    const source = await openRestSource(url, ADMIN);
    expect(await names(source)).toEqual(["Default", "rest-src-a", "rest-src-gone"]);
    const points = (await all(source.metricHistory(seeded.run))).flat();
    expect(points.filter((p) => p.key === "loss")).toHaveLength(2500);
    expect(await all(source.authUsers())).toEqual([]);
    expect(source.skipped().map((s) => s.what)).toContain("basic-auth users");
  });

  it("reads with MLFLOW_TRACKING_USERNAME / PASSWORD", async () => {
    process.env.MLFLOW_TRACKING_USERNAME = ADMIN.username;
    process.env.MLFLOW_TRACKING_PASSWORD = ADMIN.password;
    expect(await names(await openRestSource(url))).toContain("rest-src-a");
  });

  it("reads MLflow's variables from the environment the importer passes", async () => {
    const env = { MLFLOW_TRACKING_USERNAME: ADMIN.username, MLFLOW_TRACKING_PASSWORD: ADMIN.password };
    expect(await names(await openRestSource(url, { env }))).toContain("rest-src-a");
  });

  it("reads with credentials in the URL, and masks the password when describing it", async () => {
    const withCreds = url.replace("http://", `http://${ADMIN.username}:${ADMIN.password}@`);
    const source = await openRestSource(withCreds);
    expect(await names(source)).toContain("rest-src-a");
    expect((await source.describe()).label).toBe(`${url.replace("http://", `http://${ADMIN.username}:***@`)}/`);
  });

  it("fails with the server's 401 when the password is wrong", async () => {
    const source = await openRestSource(url, { ...ADMIN, password: "nope" });
    const err = await all(source.experiments({})).catch((e: unknown) => e);
    expect(isMlflowApiError(err)).toBe(true);
    expect((err as { status: number }).status).toBe(401);
  });

  it("retries 503 and 429 answers with backoff, as MLflow's client does", async () => {
    let failures = 0;
    const seen: number[] = [];
    const hop: Server = createServer((req, res) => {
      if (req.url?.startsWith("/api/2.0/mlflow/experiments/search") && failures < 3) {
        failures++;
        const status = failures === 2 ? 429 : 503;
        seen.push(status);
        res.writeHead(status, status === 429 ? { "Retry-After": "0" } : {}).end("busy");
        return;
      }
      const target = new URL(req.url ?? "/", url);
      const fwd = httpRequest(target, { method: req.method, headers: { ...req.headers, host: target.host } }, (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      });
      req.pipe(fwd);
    });
    await new Promise<void>((r) => hop.listen(0, "127.0.0.1", r));
    try {
      const port = (hop.address() as AddressInfo).port;
      const source = await openRestSource(`http://127.0.0.1:${port}`, {
        ...ADMIN,
        backoffFactor: 0.05,
        backoffJitter: 0,
      });
      expect(await names(source)).toContain("rest-src-a");
      expect(seen).toEqual([503, 429, 503]);
      // With retries off, the first 503 is the answer.
      failures = 0;
      const once = await openRestSource(`http://127.0.0.1:${port}`, { ...ADMIN, maxRetries: 0 });
      const err = await all(once.experiments({})).catch((e: unknown) => e);
      expect((err as { status: number }).status).toBe(503);
    } finally {
      hop.closeAllConnections();
      await new Promise((r) => hop.close(r));
    }
  });
});
