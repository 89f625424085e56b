import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApp, createStore, type Store } from "@tracklite/server";
import { createLocalArtifactStore } from "@tracklite/server/local-artifacts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrometheusMetrics, type PrometheusMetrics } from "./prometheus.js";

const dir = mkdtempSync(join(tmpdir(), "tracklite-prom-"));
const dbFile = join(dir, "test.db");
let prom: PrometheusMetrics;
let store: Store;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  prom = createPrometheusMetrics({ mlflowVersion: "3.17.2", databaseFile: dbFile });
  store = await createStore({
    url: `file:${dbFile}`,
    defaultArtifactRoot: "mlflow-artifacts:/",
    observer: prom.metrics.observer,
  });
  prom.watch(store);
  app = createApp({
    store,
    artifacts: createLocalArtifactStore(join(dir, "artifacts")),
    config: { mlflowVersion: "3.17.2" },
    metrics: prom.metrics,
  });
});
afterAll(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const post = (path: string, body: unknown) =>
  app.request(`http://localhost${path}`, {
    method: "POST",
    body: JSON.stringify(body),
    headers: { "Content-Type": "application/json" },
  });

/** The value of one sample line of the scrape (`name{labels} value`), or undefined. */
function sample(text: string, series: string): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

async function scrape(): Promise<string> {
  const res = await app.request("http://localhost/metrics");
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
  return res.text();
}

describe("--expose-prometheus on prom-client", () => {
  it("counts requests by method, route template and status, with the reference's names", async () => {
    for (const id of ["a1", "b2", "c3"]) await app.request(`http://localhost/api/2.0/mlflow/logged-models/${id}`);
    const text = await scrape();
    expect(
      sample(
        text,
        'mlflow_http_request_total{method="GET",route="/api/2.0/mlflow/logged-models/:model_id",status="404"}',
      ),
    ).toBe(3);
    expect(text).not.toMatch(/logged-models\/(a1|b2|c3)/);
    expect(
      sample(
        text,
        'mlflow_http_request_duration_seconds_count{method="GET",mlflow_version="3.17.2",route="/api/2.0/mlflow/logged-models/:model_id",status="404"}',
      ),
    ).toBe(3);
    expect(text).toContain("# TYPE mlflow_http_request_duration_seconds histogram");
    expect(text).toContain('le="0.005"');
  });

  it("counts ingested metric values; reports queue depth, database size and process metrics", async () => {
    const { experiment_id } = (await (await post("/api/2.0/mlflow/experiments/create", { name: "p" })).json()) as {
      experiment_id: string;
    };
    const created = (await (await post("/api/2.0/mlflow/runs/create", { experiment_id })).json()) as {
      run: { info: { run_id: string } };
    };
    const metrics = Array.from({ length: 4 }, (_, i) => ({ key: "m", value: i, timestamp: 1, step: i }));
    expect((await post("/api/2.0/mlflow/runs/log-batch", { run_id: created.run.info.run_id, metrics })).status).toBe(
      200,
    );
    const text = await scrape();
    expect(sample(text, "tracklite_metric_values_ingested_total")).toBe(4);
    expect(sample(text, 'mlflow_spans_ingested_total{protocol="otlp"}')).toBeUndefined();
    expect(sample(text, "tracklite_writer_queue_depth")).toBe(0);
    expect(sample(text, "tracklite_database_bytes")).toBeGreaterThan(4096);
    expect(text).toContain("process_resident_memory_bytes");
    expect(
      sample(text, 'mlflow_http_request_total{method="POST",route="/api/2.0/mlflow/runs/log-batch",status="200"}'),
    ).toBe(1);
  });

  it("serves the reference's OTLP ingest series", async () => {
    const { experiment_id } = (await (await post("/api/2.0/mlflow/experiments/create", { name: "otlp" })).json()) as {
      experiment_id: string;
    };
    const span = (spanId: string, parentSpanId?: string) => ({
      traceId: "5b8efff798038103d269b633813fc60c",
      spanId,
      ...(parentSpanId ? { parentSpanId } : {}),
      name: spanId,
      startTimeUnixNano: "1796542571384794533",
      endTimeUnixNano: "1796542571484794533",
    });
    const body = JSON.stringify({
      resourceSpans: [
        {
          resource: {},
          scopeSpans: [{ spans: [span("eee19b7ec3c1b174"), span("eee19b7ec3c1b175", "eee19b7ec3c1b174")] }],
        },
      ],
    });
    const res = await app.request("http://localhost/v1/traces", {
      method: "POST",
      body,
      headers: {
        "Content-Type": "application/json",
        "Content-Length": String(body.length),
        "x-mlflow-experiment-id": experiment_id,
      },
    });
    expect(res.status).toBe(200);
    const text = await scrape();
    expect(sample(text, 'mlflow_spans_ingested_total{protocol="otlp"}')).toBe(2);
    expect(sample(text, "mlflow_otlp_spans_per_request_count")).toBe(1);
    expect(sample(text, 'mlflow_otlp_spans_per_request_bucket{le="2"}')).toBe(1);
    expect(sample(text, 'mlflow_otlp_spans_per_request_bucket{le="1"}')).toBe(0);
    expect(sample(text, "mlflow_otlp_request_duration_seconds_count")).toBe(1);
    expect(sample(text, "mlflow_otlp_request_payload_bytes_sum")).toBe(body.length);
    expect(sample(text, 'mlflow_trace_ingestion_server_errors_total{protocol="otlp"}')).toBeUndefined();
  });
});
