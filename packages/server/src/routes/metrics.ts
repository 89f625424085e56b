import type { Hono } from "hono";
import { invalidParameter } from "../errors.js";
import { mount } from "../http/mount.js";
import type { Store } from "../store/index.js";
import { checkBulkArgs, type MetricPieces } from "../store/metrics.js";
import { storeIn } from "../workspaces/middleware.js";

/**
 * `{"metrics":[…],"next_page_token":"…"}` as `pageResponse` writes it (each field omitted when empty), streamed
 * piece by piece. The first piece is awaited before answering, so errors in the request still get their status.
 */
async function metricsResponse(pieces: MetricPieces): Promise<Response> {
  const first = await pieces.next();
  if (first.done) return jsonText(first.value ? `{"next_page_token":${JSON.stringify(first.value)}}` : "{}");
  const encoder = new TextEncoder();
  const bytes = (piece: string | Uint8Array) => (typeof piece === "string" ? encoder.encode(piece) : piece);
  let head: Uint8Array[] | undefined = [encoder.encode('{"metrics":['), bytes(first.value)];
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await pieces.next();
      for (const part of head ?? []) controller.enqueue(part);
      head = undefined;
      if (next.done) {
        controller.enqueue(encoder.encode(`]${next.value ? `,"next_page_token":${JSON.stringify(next.value)}` : ""}}`));
        controller.close();
      } else {
        controller.enqueue(COMMA);
        controller.enqueue(bytes(next.value));
      }
    },
    async cancel() {
      await pieces.return(undefined);
    },
  });
  return new Response(body, { headers: { "content-type": "application/json" } });
}

const COMMA = new TextEncoder().encode(",");

const jsonText = (text: string) => new Response(text, { headers: { "content-type": "application/json" } });

/** /mlflow/metrics/* */
export function metricRoutes(api: Hono, ajax: Hono, store: Store): void {
  const at = storeIn(store);

  mount(api, "getMetricHistory", (r, c) =>
    metricsResponse(at(c).metrics.history(r.run_id || r.run_uuid || "", r.metric_key, r.max_results, r.page_token)),
  );

  mount(api, "getMetricHistoryBulkInterval", async (r, c) => {
    const max = checkBulkArgs(r.run_ids, r.max_results, r.start_step, r.end_step);
    return metricsResponse(at(c).metrics.historySampled(r.run_ids, r.metric_key, r.start_step, r.end_step, max));
  });

  mount(ajax, "getMetricHistoryBulk", async (r, c) => {
    const runIds = r.run_id ?? [];
    if (runIds.length === 0) throw invalidParameter("GetMetricHistoryBulk request must specify at least one run_id.");
    if (runIds.length > 100) {
      throw invalidParameter(
        `GetMetricHistoryBulk request cannot specify more than 100 run_ids. Received ${runIds.length} run_ids.`,
      );
    }
    if (r.metric_key === undefined) throw invalidParameter("GetMetricHistoryBulk request must specify a metric_key.");
    const max = Math.min(r.max_results ?? 25_000, 25_000);
    return { metrics: await at(c).metrics.historyBulk(runIds, r.metric_key, max) };
  });

  // tracklite's own UI calls: min/max for the runs table, buckets with min/max bands for charts.
  mount(ajax, "getMetricSummaries", async (r, c) => ({
    summaries: await at(c).metrics.summaries(r.run_ids, r.metric_keys),
  }));
  mount(ajax, "getMetricBuckets", async (r, c) => ({
    buckets: await at(c).metrics.buckets(r.run_ids, r.metric_key, {
      buckets: r.buckets,
      startStep: r.start_step,
      endStep: r.end_step,
    }),
  }));
}
