/**
 * What the server tells an observer about its work, so a runtime entry can turn it into metrics (the Node CLI binds
 * it to prom-client for `--expose-prometheus`). The core stays free of any metrics library: it only calls these.
 */

/** One answered request. */
export interface RequestObservation {
  method: string;
  /**
   * The route TEMPLATE that served (or would have served) the request, e.g. `/api/2.0/mlflow/runs/get` or
   * `/ajax-api/2.0/mlflow/logged-models/:model_id/artifacts/files`; `unmatched` for paths no route knows. Never the
   * raw path, so ids in paths do not multiply the series.
   */
  route: string;
  status: number;
  /** From the request's arrival to its answer (headers; a streamed body may still be flowing). */
  seconds: number;
  /** The request body's size as sent (its Content-Length, before any decompression), when the client gave one. */
  requestBytes?: number;
}

/** What was ingested: metric values (log-metric, log-batch) or trace spans (OTLP). */
export const INGEST_KINDS = ["metric", "span"] as const;
export type IngestKind = (typeof INGEST_KINDS)[number];

/** Receives the server's events; every method must be cheap and must not throw. */
export interface ServerObserver {
  request(observation: RequestObservation): void;
  /** `count` items of `kind` were committed to the store. */
  ingested(kind: IngestKind, count: number): void;
}

/** The exposition `GET /metrics` answers with (Prometheus' text format, say). */
export interface MetricsScrape {
  contentType: string;
  body: string;
}

/** `--expose-prometheus`: the observer the app reports to and the text `/metrics` serves. */
export interface MetricsExport {
  observer: ServerObserver;
  scrape(): Promise<MetricsScrape>;
}
