import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Hono } from "hono";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createApp } from "../app.js";
import { createLocalArtifactStore } from "../artifacts/local.js";
import { createStore, type Store } from "../store/index.js";
import { protobufBody, recordSpans } from "../traces/otlp/otlp.test-helpers.js";
import type { IngestKind, MetricsExport, RequestObservation } from "./server-observer.js";

/** A real observer that keeps what it is told. */
class Recorder {
  requests: RequestObservation[] = [];
  ingested: [IngestKind, number][] = [];
  readonly metrics: MetricsExport = {
    observer: {
      request: (r) => this.requests.push(r),
      ingested: (kind, n) => this.ingested.push([kind, n]),
    },
    scrape: async () => ({ contentType: "text/plain; version=0.0.4", body: `requests ${this.requests.length}\n` }),
  };
}

const dir = mkdtempSync(join(tmpdir(), "tracklite-observe-"));
const rec = new Recorder();
let store: Store;
let app: Hono;
let plain: Hono;

beforeAll(async () => {
  store = await createStore({
    url: `file:${join(dir, "test.db")}`,
    defaultArtifactRoot: "mlflow-artifacts:/",
    observer: rec.metrics.observer,
  });
  const artifacts = createLocalArtifactStore(join(dir, "artifacts"));
  app = createApp({ store, artifacts, config: { mlflowVersion: "0.0.0-test" }, metrics: rec.metrics });
  plain = createApp({ store, artifacts, config: { mlflowVersion: "0.0.0-test" } });
});
afterAll(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  rec.requests = [];
  rec.ingested = [];
});

const post = (path: string, body: unknown, a: Hono = app) =>
  a.request(`http://localhost${path}`, {
    method: "POST",
    body: JSON.stringify(body),
    headers: { "Content-Type": "application/json" },
  });

describe("request observations", () => {
  it("carry the route template, never the raw path with its ids", async () => {
    expect((await app.request("http://localhost/api/2.0/mlflow/runs/get?run_id=abc")).status).toBe(404);
    expect(
      (await app.request("http://localhost/ajax-api/2.0/mlflow/logged-models/m-7f3a/artifacts/files")).status,
    ).toBeGreaterThanOrEqual(400);
    expect((await app.request("http://localhost/api/2.0/mlflow/logged-models/m-7f3a")).status).toBe(404);
    expect(rec.requests.map(({ method, route, status }) => ({ method, route, status }))).toEqual([
      { method: "GET", route: "/api/2.0/mlflow/runs/get", status: 404 },
      { method: "GET", route: "/ajax-api/2.0/mlflow/logged-models/:model_id/artifacts/files", status: 400 },
      { method: "GET", route: "/api/2.0/mlflow/logged-models/:model_id", status: 404 },
    ]);
    for (const r of rec.requests) expect(r.seconds).toBeGreaterThan(0);
  });

  it("name unknown paths `unmatched`, so random paths add no series", async () => {
    await app.request("http://localhost/no/such/path/123");
    await app.request("http://localhost/api/2.0/mlflow/nope-4711");
    expect(rec.requests.map((r) => [r.route, r.status])).toEqual([
      ["unmatched", 404],
      ["unmatched", 404],
    ]);
  });

  it("count answers of the security middleware under the route they were meant for", async () => {
    const res = await app.request("http://localhost/api/2.0/mlflow/experiments/search", {
      headers: { Host: "evil.example" },
    });
    expect(res.status).toBe(403);
    expect(rec.requests).toMatchObject([{ route: "/api/2.0/mlflow/experiments/search", status: 403 }]);
  });

  it("leave out /health, /version and /metrics, as the reference's exporter does", async () => {
    for (const p of ["/health", "/version", "/metrics"])
      expect((await app.request(`http://localhost${p}`)).ok).toBe(true);
    expect(rec.requests).toEqual([]);
  });
});

describe("ingestion", () => {
  it("reports committed metric values, not refused ones", async () => {
    const exp = (await (await post("/api/2.0/mlflow/experiments/create", { name: "obs" })).json()) as {
      experiment_id: string;
    };
    const run = (await (await post("/api/2.0/mlflow/runs/create", { experiment_id: exp.experiment_id })).json()) as {
      run: { info: { run_id: string } };
    };
    const run_id = run.run.info.run_id;
    const metrics = [1, 2, 3].map((v) => ({ key: "loss", value: v, timestamp: 1, step: v }));
    expect((await post("/api/2.0/mlflow/runs/log-batch", { run_id, metrics })).status).toBe(200);
    expect((await post("/api/2.0/mlflow/runs/log-metric", { run_id, key: "acc", value: 1, timestamp: 1 })).status).toBe(
      200,
    );
    expect(
      (await post("/api/2.0/mlflow/runs/log-metric", { run_id: "nope", key: "a", value: 1, timestamp: 1 })).status,
    ).toBe(404);
    expect(rec.ingested).toEqual([
      ["metric", 3],
      ["metric", 1],
    ]);
  });

  it("reports spans stored over OTLP", async () => {
    const exp = (await (await post("/api/2.0/mlflow/experiments/create", { name: "obs-spans" })).json()) as {
      experiment_id: string;
    };
    const t0 = 1796542571384794533n;
    const spans = recordSpans([
      { name: "root", start: t0, end: t0 + 5_000_000n },
      { name: "child", start: t0 + 1n, end: t0 + 2n, parent: "root" },
    ]);
    const res = await app.request("http://localhost/v1/traces", {
      method: "POST",
      body: protobufBody(spans) as Uint8Array<ArrayBuffer>,
      headers: { "Content-Type": "application/x-protobuf", "x-mlflow-experiment-id": exp.experiment_id },
    });
    expect(res.status).toBe(200);
    expect(rec.ingested).toEqual([["span", 2]]);
    expect(rec.requests.at(-1)).toMatchObject({ route: "/v1/traces", status: 200 });
  });
});

describe("GET /metrics", () => {
  it("serves the scrape with its content type", async () => {
    const res = await app.request("http://localhost/metrics");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/plain; version=0.0.4");
    expect(await res.text()).toMatch(/^requests \d+\n$/);
  });

  it("passes the Host check like every route", async () => {
    expect((await app.request("http://localhost/metrics", { headers: { Host: "evil.example" } })).status).toBe(403);
  });

  it("is not there without --expose-prometheus", async () => {
    expect((await plain.request("http://localhost/metrics")).status).toBe(404);
  });
});
