import type { Context, Hono } from "hono";
import { artifactResponse } from "../artifacts/http.js";
import { joinArtifactPath, safeArtifactPath } from "../artifacts/safe-path.js";
import type { ArtifactStore } from "../artifacts/store.js";
import { invalidParameter, MlflowError } from "../errors.js";
import type { Store } from "../store/index.js";

const PROXY = "/mlflow-artifacts/artifacts";

/** The path after `prefix` in the request URL, percent-decoding left to `safeArtifactPath`. */
function pathAfter(c: Context, prefix: string): string {
  const pathname = new URL(c.req.url).pathname;
  const at = pathname.indexOf(prefix);
  return safeArtifactPath(pathname.slice(at + prefix.length).replace(/^\//, ""));
}

/**
 * Where a proxied artifact root (`mlflow-artifacts:/0/<run>/artifacts`, or its http form) lives in the store.
 * @see mlflow/server/handlers.py `_get_proxied_run_artifact_destination_path`
 */
export function proxiedRoot(uri: string): string {
  const http = uri.match(/^https?:\/\/[^/]+(?:\/.*)?\/api\/2\.0\/mlflow-artifacts\/artifacts\/?(.*)$/);
  if (http) return safeArtifactPath(http[1] ?? "");
  const scheme = uri.match(/^mlflow-artifacts:(?:\/\/[^/]*)?\/*(.*)$/);
  if (scheme) return safeArtifactPath(scheme[1] ?? "");
  throw invalidParameter(
    `The artifact root '${uri}' is not served by this server (only mlflow-artifacts:/ roots are).`,
  );
}

const NO_MULTIPART = "Multipart upload is not supported for the current artifact repository";

/** The mlflow-artifacts proxy (`/api/2.0/mlflow-artifacts/...`) and the tracking API's artifact calls. */
export function artifactRoutes(api: Hono, ajax: Hono, root: Hono, store: Store, artifacts: ArtifactStore): void {
  api.put(`${PROXY}/*`, async (c) => {
    const body = c.req.raw.body ?? new Response("").body;
    await artifacts.put(pathAfter(c, PROXY), body as ReadableStream<Uint8Array>);
    // The reference answers an upload with an empty 200.
    return c.body(null, 200);
  });

  api.delete(`${PROXY}/*`, async (c) => {
    await artifacts.delete(pathAfter(c, PROXY));
    return c.json({});
  });

  api.get(PROXY, async (c) => {
    const dir = safeArtifactPath(c.req.query("path") ?? "");
    const files = (await artifacts.list(dir)).map((e) => ({
      path: e.path.split("/").pop() ?? e.path,
      is_dir: e.isDir,
      // The reference omits a zero size, like every unset proto field.
      ...(e.size ? { file_size: e.size } : {}),
    }));
    return c.json(files.length > 0 ? { files } : {});
  });

  // After the listing route: hono's `/*` also matches the bare prefix.
  api.get(`${PROXY}/*`, async (c) => artifactResponse(artifacts, pathAfter(c, PROXY)));

  // The client recognises this answer and falls back to a single PUT. Stores with presigned multipart (S3) will
  // answer these through `artifacts.multipart`.
  for (const action of ["create", "complete", "abort"] as const) {
    api.post(`/mlflow-artifacts/mpu/${action}/*`, async (c) => {
      pathAfter(c, `/mlflow-artifacts/mpu/${action}`);
      throw new MlflowError(NO_MULTIPART, "NOT_IMPLEMENTED");
    });
  }

  /** A run's artifact folder in the store, and the run's root URI. */
  const runRoot = async (runId: string | undefined) => {
    if (!runId) throw invalidParameter("Missing value for required parameter 'run_id'.");
    const run = await store.runs.get(runId);
    const uri = run.info.artifact_uri ?? "";
    return { uri, dir: proxiedRoot(uri) };
  };

  api.get("/mlflow/artifacts/list", async (c) => {
    const { uri, dir } = await runRoot(c.req.query("run_id") || c.req.query("run_uuid"));
    const rel = safeArtifactPath(c.req.query("path") ?? "");
    const files = (await artifacts.list(joinArtifactPath(dir, rel))).map((e) => ({
      path: e.path.slice(dir.length + 1),
      is_dir: e.isDir,
      // The reference omits a zero size, like every unset proto field.
      ...(e.size ? { file_size: e.size } : {}),
    }));
    return c.json({ root_uri: uri, ...(files.length > 0 ? { files } : {}) });
  });

  root.get("/get-artifact", async (c) => {
    const { dir } = await runRoot(c.req.query("run_id") || c.req.query("run_uuid"));
    return artifactResponse(artifacts, joinArtifactPath(dir, safeArtifactPath(c.req.query("path") ?? "")));
  });

  ajax.post("/mlflow/upload-artifact", async (c) => {
    const { dir } = await runRoot(c.req.query("run_uuid") || c.req.query("run_id"));
    const path = safeArtifactPath(c.req.query("path") ?? "");
    if (!path) throw invalidParameter("Missing value for required parameter 'path'.");
    const body = await c.req.arrayBuffer();
    if (body.byteLength > 10 * 1024 * 1024)
      throw invalidParameter("Artifact size exceeds the 10 MB limit of uploads from the UI.");
    await artifacts.put(joinArtifactPath(dir, path), new Response(body).body as ReadableStream<Uint8Array>);
    return c.json({});
  });
}
