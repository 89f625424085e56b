import type { Hono } from "hono";
import { artifactResponse } from "../artifacts/http.js";
import { joinArtifactPath, safeArtifactPath } from "../artifacts/safe-path.js";
import { invalidParameter, notFound } from "../errors.js";
import { mount } from "../http/mount.js";
import { pageResponse } from "../http/page.js";
import type { Store } from "../store/index.js";
import { API_DOCS, missingValue } from "../validation/messages.js";
import { storeIn } from "../workspaces/middleware.js";
import { type ArtifactAccess, artifactRootOf } from "./artifacts.js";

/**
 * /mlflow/model-versions/*, and the UI's `/model-versions/get-artifact`, which serves a file of a version from the
 * artifact store like `/get-artifact` does for runs.
 * @see mlflow/server/handlers.py _create_model_version … _delete_model_version_tag, get_model_version_artifact_handler
 */
export function modelVersionRoutes(api: Hono, root: Hono, store: Store, access: ArtifactAccess): void {
  const at = storeIn(store);

  mount(api, "createModelVersion", async (r, c) => ({
    model_version: await at(c).modelVersions.create({
      name: r.name,
      source: r.source,
      runId: r.run_id,
      modelId: r.model_id,
      tags: r.tags,
      runLink: r.run_link,
      description: r.description,
    }),
  }));

  mount(api, "getModelVersion", async (r, c) => ({ model_version: await at(c).modelVersions.get(r.name, r.version) }));

  mount(api, "updateModelVersion", async (r, c) => ({
    model_version: await at(c).modelVersions.update(r.name, r.version, r.description),
  }));

  mount(api, "transitionModelVersionStage", async (r, c) => ({
    model_version: await at(c).modelVersions.transition(
      r.name,
      r.version,
      r.stage,
      r.archive_existing_versions ?? false,
    ),
  }));

  mount(api, "deleteModelVersion", async (r, c) => {
    await at(c).modelVersions.delete(r.name, r.version);
    return {};
  });

  mount(api, "searchModelVersions", async (r, c) => {
    const { versions: list, nextPageToken } = await at(c).modelVersions.search({
      filter: r.filter,
      maxResults: r.max_results,
      orderBy: r.order_by,
      pageToken: r.page_token,
    });
    return pageResponse("model_versions", list, nextPageToken);
  });

  mount(api, "getModelVersionDownloadUri", async (r, c) => ({
    artifact_uri: await at(c).modelVersions.downloadUri(r.name, r.version),
  }));

  mount(api, "setModelVersionTag", async (r, c) => {
    await at(c).modelVersions.setTag(r.name, r.version, r.key, r.value);
    return {};
  });

  mount(api, "deleteModelVersionTag", async (r, c) => {
    await at(c).modelVersions.deleteTag(r.name, r.version, r.key);
    return {};
  });

  root.get("/model-versions/get-artifact", async (c) => {
    const raw = c.req.query("path");
    if (raw === undefined) throw invalidParameter(missingValue("path") + API_DOCS);
    const path = safeArtifactPath(raw);
    const uri = await at(c).modelVersions.downloadUri(c.req.query("name"), c.req.query("version"));
    // A relative source without a scheme (a prompt version's `dummy-source`) holds no files: the reference looks
    // in its own working folder and finds none. tracklite answers the same 404 without looking.
    if (!/^[a-z][a-z0-9+.-]*:/i.test(uri) && !uri.startsWith("/")) throw notFound(`No such artifact: '${path}'`);
    // A `runs:/<id>/<path>` source lives in that run's artifacts.
    const runs = /^runs:\/+([^/]+)\/?(.*)$/.exec(uri);
    const location = runs ? ((await at(c).runs.get(runs[1] ?? "")).info.artifact_uri ?? "") : uri;
    const { store: files, dir } = await artifactRootOf(c, store, access, location);
    const base = runs ? joinArtifactPath(dir, safeArtifactPath(runs[2] ?? "")) : dir;
    return artifactResponse(files, joinArtifactPath(base, path));
  });
}
