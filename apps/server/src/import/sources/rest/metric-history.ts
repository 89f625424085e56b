import type { MlflowClient } from "@tracklite/client";
import type { Metric } from "@tracklite/schemas";
import type { MetricPoint } from "@tracklite/server/import";
import { mapOrdered, pagesAhead } from "./concurrency.js";

/** The reference's cap on one get-metric-history page. @see mlflow/store/tracking/__init__.py GET_METRIC_HISTORY_MAX_RESULTS */
export const HISTORY_PAGE_MAX = 25_000;

/** A metric value as the API writes it: a number, or protobuf JSON's "NaN" / "Infinity" / "-Infinity". */
export function decodeDouble(value: unknown): number {
  return typeof value === "number" ? value : Number(value);
}

/** A history point from get-metric-history's answer, in the contract's shape (optional fields only when set). */
export function toPoint(m: Metric): MetricPoint {
  const point: MetricPoint = {
    key: m.key,
    value: decodeDouble(m.value),
    timestamp: Number(m.timestamp ?? 0),
    step: Number(m.step ?? 0),
  };
  if (m.dataset_name) point.dataset_name = m.dataset_name;
  if (m.dataset_digest) point.dataset_digest = m.dataset_digest;
  if (m.model_id) point.model_id = m.model_id;
  return point;
}

/**
 * Every point of the given metrics of a run, one batch per get-metric-history page. Several metrics are fetched at
 * once (their first pages requested `window` keys ahead, each key a page ahead), and batches come key by key.
 * A server that ignores paging (MLflow before 2.x's paged history) answers the whole history in one page.
 */
export async function* runHistory(
  client: MlflowClient,
  runId: string,
  keys: string[],
  opts: { pageSize: number; window: number },
): AsyncGenerator<MetricPoint[]> {
  const startKey = async (key: string) => {
    const pages = pagesAhead(async (token) => {
      const r = await client.call("getMetricHistory", {
        run_id: runId,
        metric_key: key,
        max_results: opts.pageSize,
        page_token: token,
      });
      return { items: r.metrics ?? [], next: r.next_page_token };
    });
    const first = await pages.next();
    return { first: first.done ? undefined : first.value, pages };
  };
  for await (const { first, pages } of mapOrdered(keys, opts.window, startKey)) {
    if (first) yield first.map(toPoint);
    for await (const page of pages) yield page.map(toPoint);
  }
}
