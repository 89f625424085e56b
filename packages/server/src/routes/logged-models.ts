import type { Hono } from "hono";
import { mount } from "../http/mount.js";
import { pageResponse } from "../http/page.js";
import type { Store } from "../store/index.js";

/**
 * /mlflow/logged-models/* (MLflow 3). As in the reference, finalize acts on the body's `model_id` (which it requires,
 * like log-params), the other handlers on the URL's.
 * @see mlflow/server/handlers.py _create_logged_model … _search_logged_models
 */
export function loggedModelRoutes(api: Hono, store: Store): void {
  const models = store.loggedModels;

  mount(api, "createLoggedModel", async (r) => ({
    model: await models.create({
      experimentId: r.experiment_id ?? "",
      // The reference's handler reads an empty name as none (a generated name).
      name: r.name || undefined,
      modelType: r.model_type,
      sourceRunId: r.source_run_id,
      params: r.params,
      tags: r.tags,
    }),
  }));

  mount(api, "searchLoggedModels", async (r) => {
    const { models: list, nextPageToken } = await models.search({
      experimentIds: r.experiment_ids ?? [],
      filter: r.filter,
      datasets: r.datasets,
      orderBy: r.order_by,
      maxResults: r.max_results,
      pageToken: r.page_token,
    });
    return pageResponse("models", list, nextPageToken);
  });

  mount(api, "getLoggedModel", async (r, _c, path) => ({
    model: await models.get(path.model_id, (r.allow_deleted ?? "false").toLowerCase() === "true"),
  }));

  mount(api, "finalizeLoggedModel", async (r) => ({
    model: await models.finalize(r.model_id ?? "", r.status ?? "LOGGED_MODEL_STATUS_UNSPECIFIED"),
  }));

  mount(api, "deleteLoggedModel", async (_r, _c, path) => {
    await models.delete(path.model_id);
    return {};
  });

  mount(api, "setLoggedModelTags", async (r, _c, path) => {
    await models.setTags(path.model_id, r.tags ?? []);
    return {};
  });

  mount(api, "deleteLoggedModelTag", async (_r, _c, path) => {
    await models.deleteTag(path.model_id, path.tag_key);
    return {};
  });

  mount(api, "logLoggedModelParams", async (r, _c, path) => {
    await models.logParams(path.model_id, r.params ?? []);
    return {};
  });
}
