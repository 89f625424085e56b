import type { Hono } from "hono";
import { mount } from "../http/mount.js";
import { pageResponse } from "../http/page.js";
import type { Store } from "../store/index.js";

/**
 * /mlflow/registered-models/*: models, their tags, aliases and latest versions. Prompts are registered models too.
 * @see mlflow/server/handlers.py _create_registered_model … _get_model_version_by_alias
 */
export function registeredModelRoutes(api: Hono, store: Store): void {
  const models = store.registeredModels;
  const aliases = store.modelAliases;

  mount(api, "createRegisteredModel", async (r) => ({
    registered_model: await models.create(r.name, r.tags ?? [], r.description),
  }));

  mount(api, "getRegisteredModel", async (r) => ({ registered_model: await models.get(r.name) }));

  mount(api, "renameRegisteredModel", async (r) => ({
    registered_model: await models.rename(r.name, r.new_name),
  }));

  mount(api, "updateRegisteredModel", async (r) => ({
    registered_model: await models.update(r.name, r.description),
  }));

  mount(api, "deleteRegisteredModel", async (r) => {
    await models.delete(r.name);
    return {};
  });

  mount(api, "searchRegisteredModels", async (r) => {
    const { models: list, nextPageToken } = await models.search({
      filter: r.filter,
      maxResults: r.max_results,
      orderBy: r.order_by,
      pageToken: r.page_token,
    });
    return pageResponse("registered_models", list, nextPageToken);
  });

  mount(api, "getLatestVersions", async (r) => {
    const versions = await models.latestVersions(r.name, r.stages);
    return versions.length > 0 ? { model_versions: versions } : {};
  });

  mount(api, "setRegisteredModelTag", async (r) => {
    await models.setTag(r.name, r.key, r.value);
    return {};
  });

  mount(api, "deleteRegisteredModelTag", async (r) => {
    await models.deleteTag(r.name, r.key);
    return {};
  });

  mount(api, "setRegisteredModelAlias", async (r) => {
    await aliases.set(r.name, r.alias, r.version);
    return {};
  });

  mount(api, "deleteRegisteredModelAlias", async (r) => {
    await aliases.delete(r.name, r.alias);
    return {};
  });

  mount(api, "getModelVersionByAlias", async (r) => ({ model_version: await aliases.get(r.name, r.alias) }));
}
