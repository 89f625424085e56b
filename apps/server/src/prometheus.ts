import { statSync } from "node:fs";
import type { IngestKind, MetricsExport, Store } from "@tracklite/server";
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

/** prometheus_flask_exporter's default latency buckets (prometheus_client's), which the reference's histograms have. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];
/** The reference's OTLP histograms' buckets. @see mlflow/server/otlp_metrics.py */
const PAYLOAD_BUCKETS = [1024, 5120, 20480, 102400, 524288, 1048576, 5242880, 10485760, 33554432];
const SPANS_PER_REQUEST_BUCKETS = [1, 2, 5, 10, 25, 50, 100, 250, 500];
/** The OTLP/HTTP traces route (its template is its path). */
const OTLP_ROUTE = "/v1/traces";
/** The reference's `protocol` label of its OTLP series. */
const OTLP = { protocol: "otlp" } as const;

export interface PrometheusOptions {
  /** The MLflow version served: the reference's latency histogram groups by it (`mlflow_version`). */
  mlflowVersion: string;
  /** The database file (a `file:` store), whose size on disk (with its WAL) is reported; none for remote stores. */
  databaseFile?: string;
}

/** The metrics of `--expose-prometheus`, and the store they read once it is open. */
export interface PrometheusMetrics {
  metrics: MetricsExport;
  /** Binds the gauges that read the store (writer-queue depth). */
  watch(store: Store): void;
  readonly registry: Registry;
}

/**
 * `--expose-prometheus` on prom-client: the reference's metric names (prometheus_flask_exporter with prefix
 * `mlflow`, and its OTLP ingest series) with a `route` label added to the request series (the route template, never the raw path),
 * plus tracklite's own: metric values ingested, writer-queue depth, database size, and Node's process metrics.
 * @see mlflow/server/prometheus_exporter.py, mlflow/server/otlp_metrics.py
 */
export function createPrometheusMetrics(options: PrometheusOptions): PrometheusMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  let store: Store | undefined;

  const requests = new Counter({
    name: "mlflow_http_request_total",
    help: "Total number of HTTP requests",
    labelNames: ["method", "route", "status"] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: "mlflow_http_request_duration_seconds",
    help: "HTTP request duration in seconds",
    labelNames: ["method", "mlflow_version", "route", "status"] as const,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const spans = new Counter({
    name: "mlflow_spans_ingested_total",
    help: "Total number of spans successfully ingested",
    labelNames: ["protocol"] as const,
    registers: [registry],
  });
  const ingestionErrors = new Counter({
    name: "mlflow_trace_ingestion_server_errors_total",
    help: "Total number of server errors during trace ingestion",
    labelNames: ["protocol"] as const,
    registers: [registry],
  });
  const otlpLatency = new Histogram({
    name: "mlflow_otlp_request_duration_seconds",
    help: "End-to-end duration of OTLP export_traces requests",
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const otlpPayload = new Histogram({
    name: "mlflow_otlp_request_payload_bytes",
    help: "Size of raw OTLP request body (before decompression)",
    buckets: PAYLOAD_BUCKETS,
    registers: [registry],
  });
  const spansPerRequest = new Histogram({
    name: "mlflow_otlp_spans_per_request",
    help: "Number of spans in each OTLP export request",
    buckets: SPANS_PER_REQUEST_BUCKETS,
    registers: [registry],
  });
  const metricValues = new Counter({
    name: "tracklite_metric_values_ingested_total",
    help: "Metric values committed (log-metric, log-batch)",
    registers: [registry],
  });
  new Gauge({
    name: "tracklite_writer_queue_depth",
    help: "Writes waiting for the database's one writer or being committed",
    registers: [registry],
    collect() {
      this.set(store?.writerQueueDepth() ?? 0);
    },
  });
  const file = options.databaseFile;
  if (file)
    new Gauge({
      name: "tracklite_database_bytes",
      help: "Size on disk of the database file and its write-ahead log",
      registers: [registry],
      collect() {
        this.set(fileBytes(file) + fileBytes(`${file}-wal`));
      },
    });

  const counters: Record<IngestKind, (n: number) => void> = {
    metric: (n) => metricValues.inc(n),
    // Spans reach tracklite over OTLP only (/v1/traces), one store call per request, as the reference counts them.
    span: (n) => {
      spans.inc(OTLP, n);
      spansPerRequest.observe(n);
    },
  };
  /** The reference's OTLP route series, from the request observation of `/v1/traces`. */
  const otlpRequest = (status: number, seconds: number, bytes: number | undefined) => {
    otlpLatency.observe(seconds);
    if (bytes !== undefined) otlpPayload.observe(bytes);
    if (status >= 500) ingestionErrors.inc(OTLP);
  };
  return {
    registry,
    watch: (s) => {
      store = s;
    },
    metrics: {
      observer: {
        request: ({ method, route, status, seconds, requestBytes }) => {
          requests.inc({ method, route, status: String(status) });
          latency.observe({ method, mlflow_version: options.mlflowVersion, route, status: String(status) }, seconds);
          if (route === OTLP_ROUTE && method === "POST") otlpRequest(status, seconds, requestBytes);
        },
        ingested: (kind, count) => counters[kind](count),
      },
      scrape: async () => ({ contentType: registry.contentType, body: await registry.metrics() }),
    },
  };
}

/** A file's size, 0 when it is absent (no WAL yet). */
function fileBytes(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}
