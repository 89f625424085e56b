import type { Hono } from "hono";
import { mount } from "../http/mount.js";
import { pageResponse } from "../http/page.js";
import type { Store } from "../store/index.js";
import { storeIn } from "../workspaces/middleware.js";

/**
 * /mlflow/logged-models/* (MLflow 3). As in the reference, finalize acts on the body's `model_id` (which it requires,
 * like log-params), the other handlers on the URL's.
 * @see mlflow/server/handlers.py _create_logged_model … _search_logged_models
 */
export function loggedModelRoutes(api: Hono, store: Store): void {
  const at = storeIn(store);

  mount(api, "createLoggedModel", async (r, c) => ({
    model: await at(c).loggedModels.create({
      experimentId: r.experiment_id ?? "",
      // The reference's handler reads an empty name as none (a generated name).
      name: r.name || undefined,
      modelType: r.model_type,
      sourceRunId: r.source_run_id,
      params: r.params,
      tags: r.tags,
    }),
  }));

  mount(api, "searchLoggedModels", async (r, c) => {
    const { models: list, nextPageToken } = await at(c).loggedModels.search({
      experimentIds: r.experiment_ids ?? [],
      filter: r.filter,
      datasets: r.datasets,
      orderBy: r.order_by,
      maxResults: r.max_results,
      pageToken: r.page_token,
    });
    return pageResponse("models", list, nextPageToken);
  });

  mount(api, "getLoggedModel", async (r, c, path) => ({
    model: await at(c).loggedModels.get(path.model_id, (r.allow_deleted ?? "false").toLowerCase() === "true"),
  }));

  mount(api, "finalizeLoggedModel", async (r, c) => ({
    model: await at(c).loggedModels.finalize(r.model_id ?? "", r.status ?? "LOGGED_MODEL_STATUS_UNSPECIFIED"),
  }));

  mount(api, "deleteLoggedModel", async (_r, c, path) => {
    await at(c).loggedModels.delete(path.model_id);
    return {};
  });

  mount(api, "setLoggedModelTags", async (r, c, path) => {
    await at(c).loggedModels.setTags(path.model_id, r.tags ?? []);
    return {};
  });

  mount(api, "deleteLoggedModelTag", async (_r, c, path) => {
    await at(c).loggedModels.deleteTag(path.model_id, path.tag_key);
    return {};
  });

  mount(api, "logLoggedModelParams", async (r, c, path) => {
    await at(c).loggedModels.logParams(path.model_id, r.params ?? []);
    return {};
  });
}
