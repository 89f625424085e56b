import { statSync } from "node:fs";
import type { IngestKind, MetricsExport, Store } from "@tracklite/server";
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

/** prometheus_flask_exporter's default latency buckets, which the reference's histogram has. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

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
 * `mlflow`, and `mlflow_spans_ingested_total`) with a `route` label added (the route template, never the raw path),
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
    // Spans reach tracklite over OTLP only (/v1/traces), as the reference counts them.
    span: (n) => spans.inc({ protocol: "otlp" }, n),
  };
  return {
    registry,
    watch: (s) => {
      store = s;
    },
    metrics: {
      observer: {
        request: ({ method, route, status, seconds }) => {
          requests.inc({ method, route, status: String(status) });
          latency.observe({ method, mlflow_version: options.mlflowVersion, route, status: String(status) }, seconds);
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
