import type { Hono } from "hono";
import { invalidParameter } from "../errors.js";
import { mount } from "../http/mount.js";
import { pageResponse } from "../http/page.js";
import type { Store } from "../store/index.js";
import { checkBulkArgs } from "../store/metrics.js";

/** /mlflow/metrics/* */
export function metricRoutes(api: Hono, ajax: Hono, store: Store): void {
  const { metrics } = store;

  mount(api, "getMetricHistory", async (r) => {
    const { metrics: list, nextPageToken } = await metrics.history(
      r.run_id || r.run_uuid || "",
      r.metric_key,
      r.max_results,
      r.page_token,
    );
    return pageResponse("metrics", list, nextPageToken);
  });

  mount(api, "getMetricHistoryBulkInterval", async (r) => {
    const max = checkBulkArgs(r.run_ids, r.max_results, r.start_step, r.end_step);
    const list = await metrics.historySampled(r.run_ids, r.metric_key, r.start_step, r.end_step, max);
    return pageResponse("metrics", list, undefined);
  });

  mount(ajax, "getMetricHistoryBulk", async (r) => {
    const runIds = r.run_id ?? [];
    if (runIds.length === 0) throw invalidParameter("GetMetricHistoryBulk request must specify at least one run_id.");
    if (runIds.length > 100) {
      throw invalidParameter(
        `GetMetricHistoryBulk request cannot specify more than 100 run_ids. Received ${runIds.length} run_ids.`,
      );
    }
    if (r.metric_key === undefined) throw invalidParameter("GetMetricHistoryBulk request must specify a metric_key.");
    const max = Math.min(r.max_results ?? 25_000, 25_000);
    return { metrics: await metrics.historyBulk(runIds, r.metric_key, max) };
  });
}
