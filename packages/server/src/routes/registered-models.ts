import type { Hono } from "hono";
import { mount } from "../http/mount.js";
import { pageResponse } from "../http/page.js";
import type { Store } from "../store/index.js";
import { storeIn } from "../workspaces/middleware.js";

/**
 * /mlflow/registered-models/*: models, their tags, aliases and latest versions. Prompts are registered models too.
 * @see mlflow/server/handlers.py _create_registered_model … _get_model_version_by_alias
 */
export function registeredModelRoutes(api: Hono, store: Store): void {
  const at = storeIn(store);

  mount(api, "createRegisteredModel", async (r, c) => ({
    registered_model: await at(c).registeredModels.create(r.name, r.tags ?? [], r.description),
  }));

  mount(api, "getRegisteredModel", async (r, c) => ({ registered_model: await at(c).registeredModels.get(r.name) }));

  mount(api, "renameRegisteredModel", async (r, c) => ({
    registered_model: await at(c).registeredModels.rename(r.name, r.new_name),
  }));

  mount(api, "updateRegisteredModel", async (r, c) => ({
    registered_model: await at(c).registeredModels.update(r.name, r.description),
  }));

  mount(api, "deleteRegisteredModel", async (r, c) => {
    await at(c).registeredModels.delete(r.name);
    return {};
  });

  mount(api, "searchRegisteredModels", async (r, c) => {
    const { models: list, nextPageToken } = await at(c).registeredModels.search({
      filter: r.filter,
      maxResults: r.max_results,
      orderBy: r.order_by,
      pageToken: r.page_token,
    });
    return pageResponse("registered_models", list, nextPageToken);
  });

  mount(api, "getLatestVersions", async (r, c) => {
    const versions = await at(c).registeredModels.latestVersions(r.name, r.stages);
    return versions.length > 0 ? { model_versions: versions } : {};
  });

  mount(api, "setRegisteredModelTag", async (r, c) => {
    await at(c).registeredModels.setTag(r.name, r.key, r.value);
    return {};
  });

  mount(api, "deleteRegisteredModelTag", async (r, c) => {
    await at(c).registeredModels.deleteTag(r.name, r.key);
    return {};
  });

  mount(api, "setRegisteredModelAlias", async (r, c) => {
    await at(c).modelAliases.set(r.name, r.alias, r.version);
    return {};
  });

  mount(api, "deleteRegisteredModelAlias", async (r, c) => {
    await at(c).modelAliases.delete(r.name, r.alias);
    return {};
  });

  mount(api, "getModelVersionByAlias", async (r, c) => ({
    model_version: await at(c).modelAliases.get(r.name, r.alias),
  }));
}
