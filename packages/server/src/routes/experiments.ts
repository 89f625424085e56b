import type { Hono } from "hono";
import { notFound } from "../errors.js";
import { mount } from "../http/mount.js";
import { pageResponse } from "../http/page.js";
import type { Store } from "../store/index.js";
import { storeIn } from "../workspaces/middleware.js";

/** /mlflow/experiments/* */
export function experimentRoutes(api: Hono, store: Store): void {
  const at = storeIn(store);

  mount(api, "createExperiment", async (r, c) => ({
    experiment_id: await at(c).experiments.create(r.name, r.artifact_location, r.tags),
  }));

  mount(api, "getExperiment", async (r, c) => ({ experiment: await at(c).experiments.get(r.experiment_id) }));

  mount(api, "getExperimentByName", async (r, c) => {
    const experiment = await at(c).experiments.getByName(r.experiment_name);
    if (!experiment) throw notFound(`Could not find experiment with name '${r.experiment_name}'`);
    return { experiment };
  });

  mount(api, "searchExperiments", async (r, c) => {
    const { experiments: list, nextPageToken } = await at(c).experiments.search({
      filter: r.filter,
      orderBy: r.order_by,
      viewType: r.view_type,
      maxResults: r.max_results,
      pageToken: r.page_token,
    });
    return pageResponse("experiments", list, nextPageToken);
  });

  mount(api, "updateExperiment", async (r, c) => {
    await at(c).experiments.rename(r.experiment_id, r.new_name);
    return {};
  });

  mount(api, "deleteExperiment", async (r, c) => {
    await at(c).experiments.setLifecycle(r.experiment_id, "deleted");
    return {};
  });

  mount(api, "restoreExperiment", async (r, c) => {
    await at(c).experiments.setLifecycle(r.experiment_id, "active");
    return {};
  });

  mount(api, "setExperimentTag", async (r, c) => {
    await at(c).experiments.setTag(r.experiment_id, r.key, r.value);
    return {};
  });

  mount(api, "deleteExperimentTag", async (r, c) => {
    await at(c).experiments.deleteTag(r.experiment_id, r.key);
    return {};
  });
}
