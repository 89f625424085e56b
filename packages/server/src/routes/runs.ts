import type { Hono } from "hono";
import { mount } from "../http/mount.js";
import { pageResponse } from "../http/page.js";
import { requireItemFields } from "../http/parse-request.js";
import type { Store } from "../store/index.js";
import { storeIn } from "../workspaces/middleware.js";

/** The run id of a request: clients send `run_id`, the deprecated `run_uuid`, or both. */
const runIdOf = (r: { run_id?: string | undefined; run_uuid?: string | undefined }) => r.run_id || r.run_uuid || "";

/** /mlflow/runs/* */
export function runRoutes(api: Hono, store: Store): void {
  const at = storeIn(store);

  mount(api, "createRun", async (r, c) => ({
    run: await at(c).runs.create({
      experimentId: r.experiment_id,
      userId: r.user_id,
      runName: r.run_name,
      startTime: r.start_time,
      tags: r.tags,
    }),
  }));

  mount(api, "getRun", async (r, c) => ({ run: await at(c).runs.get(runIdOf(r)) }));

  mount(api, "updateRun", async (r, c) => ({
    run_info: await at(c).runs.update(runIdOf(r), r.status, r.end_time, r.run_name),
  }));

  mount(api, "deleteRun", async (r, c) => {
    await at(c).runs.setLifecycle(r.run_id, "deleted");
    return {};
  });

  mount(api, "restoreRun", async (r, c) => {
    await at(c).runs.setLifecycle(r.run_id, "active");
    return {};
  });

  mount(api, "searchRuns", async (r, c) => {
    const { runs: list, nextPageToken } = await at(c).searchRuns({
      experimentIds: r.experiment_ids ?? [],
      filter: r.filter,
      orderBy: r.order_by,
      viewType: r.run_view_type,
      maxResults: r.max_results,
      pageToken: r.page_token,
    });
    return pageResponse("runs", list, nextPageToken);
  });

  mount(api, "logMetric", async (r, c) => {
    await at(c).logging.logMetric(runIdOf(r), r);
    return {};
  });

  mount(api, "logParam", async (r, c) => {
    await at(c).logging.logParam(runIdOf(r), r.key, r.value);
    return {};
  });

  mount(api, "setTag", async (r, c) => {
    await at(c).logging.setTag(runIdOf(r), r.key, r.value);
    return {};
  });

  mount(api, "deleteTag", async (r, c) => {
    await at(c).logging.deleteTag(r.run_id, r.key);
    return {};
  });

  mount(api, "logBatch", async (r, c) => {
    requireItemFields(r.metrics, "metrics", ["key", "value", "timestamp"]);
    requireItemFields(r.params, "params", ["key"]);
    requireItemFields(r.tags, "tags", ["key"]);
    await at(c).logging.logBatch(r.run_id, r);
    return {};
  });

  mount(api, "logModel", async (r, c) => {
    await at(c).logging.logModel(r.run_id, r.model_json);
    return {};
  });

  mount(api, "logInputs", async (r, c) => {
    await at(c).logging.logInputs(r.run_id, r.datasets ?? [], r.models ?? []);
    return {};
  });

  mount(api, "logOutputs", async (r, c) => {
    await at(c).logging.logOutputs(r.run_id, r.models);
    return {};
  });
}
