import type { Hono } from "hono";
import { notFound } from "../errors.js";
import { mount } from "../http/mount.js";
import { pageResponse } from "../http/page.js";
import type { Store } from "../store/index.js";

/** /mlflow/experiments/* */
export function experimentRoutes(api: Hono, store: Store): void {
  const { experiments } = store;

  mount(api, "createExperiment", async (r) => ({
    experiment_id: await experiments.create(r.name, r.artifact_location, r.tags),
  }));

  mount(api, "getExperiment", async (r) => ({ experiment: await experiments.get(r.experiment_id) }));

  mount(api, "getExperimentByName", async (r) => {
    const experiment = await experiments.getByName(r.experiment_name);
    if (!experiment) throw notFound(`Could not find experiment with name '${r.experiment_name}'`);
    return { experiment };
  });

  mount(api, "searchExperiments", async (r) => {
    const { experiments: list, nextPageToken } = await experiments.search({
      filter: r.filter,
      orderBy: r.order_by,
      viewType: r.view_type,
      maxResults: r.max_results,
      pageToken: r.page_token,
    });
    return pageResponse("experiments", list, nextPageToken);
  });

  mount(api, "updateExperiment", async (r) => {
    await experiments.rename(r.experiment_id, r.new_name);
    return {};
  });

  mount(api, "deleteExperiment", async (r) => {
    await experiments.setLifecycle(r.experiment_id, "deleted");
    return {};
  });

  mount(api, "restoreExperiment", async (r) => {
    await experiments.setLifecycle(r.experiment_id, "active");
    return {};
  });

  mount(api, "setExperimentTag", async (r) => {
    await experiments.setTag(r.experiment_id, r.key, r.value);
    return {};
  });

  mount(api, "deleteExperimentTag", async (r) => {
    await experiments.deleteTag(r.experiment_id, r.key);
    return {};
  });
}
