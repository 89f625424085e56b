import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../app.js";
import { createLocalArtifactStore } from "../artifacts/local.js";
import { createStore, type Store } from "../store/index.js";

const dir = mkdtempSync(join(tmpdir(), "tracklite-prefix-"));
let store: Store;
let app: Hono;
let withMetrics: Hono;

beforeAll(async () => {
  store = await createStore({ url: `file:${join(dir, "test.db")}`, defaultArtifactRoot: "mlflow-artifacts:/" });
  const artifacts = createLocalArtifactStore(join(dir, "artifacts"));
  const config = { mlflowVersion: "0.0.0-test", staticPrefix: "/team/mlflow" };
  app = createApp({ store, artifacts, config });
  const metrics = {
    observer: { request: () => {}, ingested: () => {} },
    scrape: async () => ({ contentType: "text/plain", body: "up 1\n" }),
  };
  withMetrics = createApp({ store, artifacts, config, metrics });
});
afterAll(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const get = (a: Hono, path: string) => a.request(`http://localhost${path}`);

describe("--static-prefix", () => {
  it("serves the API, both prefixes, under it", async () => {
    const created = await app.request("http://localhost/team/mlflow/api/2.0/mlflow/experiments/create", {
      method: "POST",
      body: JSON.stringify({ name: "prefixed" }),
      headers: { "Content-Type": "application/json" },
    });
    expect(created.status).toBe(200);
    const { experiment_id } = (await created.json()) as { experiment_id: string };
    const res = await get(app, `/team/mlflow/ajax-api/2.0/mlflow/experiments/get?experiment_id=${experiment_id}`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { experiment: { name: string } }).experiment.name).toBe("prefixed");
    expect(await (await get(app, "/team/mlflow/health")).text()).toBe("OK");
    expect(await (await get(app, "/team/mlflow/version")).text()).toBe("0.0.0-test");
  });

  it("answers 404 outside it, as the reference registers nothing there", async () => {
    for (const path of ["/api/2.0/mlflow/experiments/search", "/health", "/team/mlflowx/health", "/team/health"]) {
      const res = await get(app, path);
      expect(res.status, path).toBe(404);
      expect(await res.json(), path).toEqual({
        error_code: "ENDPOINT_NOT_FOUND",
        message: `No endpoint GET ${path}`,
      });
    }
  });

  it("redirects the bare prefix to the UI's folder", async () => {
    const res = await get(app, "/team/mlflow?x=1");
    expect(res.status).toBe(308);
    expect(res.headers.get("location")).toBe("/team/mlflow/?x=1");
  });

  it("keeps /metrics at the root, where the reference's exporter serves it", async () => {
    expect(await (await get(withMetrics, "/metrics")).text()).toBe("up 1\n");
    expect((await get(app, "/metrics")).status).toBe(404);
    expect((await get(withMetrics, "/team/mlflow/metrics")).status).toBe(404);
  });
});
