import { type Checks, int64 } from "@tracklite/schemas";
import type { Context, Hono } from "hono";
import * as z from "zod";
import { artifactResponse } from "../artifacts/http.js";
import { type ArtifactRoot, type ArtifactRootOpener, resolveArtifactRoot } from "../artifacts/roots.js";
import { joinArtifactPath, proxiedArtifactPath, safeArtifactPath } from "../artifacts/safe-path.js";
import type { ArtifactStore } from "../artifacts/store.js";
import { invalidParameter, MlflowError } from "../errors.js";
import { parseRequest, readRequestJson, requireItemFields } from "../http/parse-request.js";
import { runIdQuery } from "../http/run-id-query.js";
import type { Store } from "../store/index.js";
import { API_DOCS, invalidValue, missingValue } from "../validation/messages.js";
import { workspaceArtifactPath } from "../workspaces/artifact-path.js";
import { storeIn } from "../workspaces/middleware.js";

/** Maps a proxied path into the request's workspace (`workspaces/<name>/…`); the identity with workspaces off. */
type ScopePath = (c: Context, path: string) => string;

const PROXY = "/mlflow-artifacts/artifacts";

/** The artifact path of a proxied request, read as its permission check reads it. @see proxiedArtifactPath */
const pathAfter = (c: Context, prefix: string) => proxiedArtifactPath(c.req.path, prefix);

export { proxiedRoot } from "../artifacts/roots.js";

/** How the server reaches artifacts: its proxy's store, whether it serves it, and its reader of other locations. */
export interface ArtifactAccess {
  /** The `--artifacts-destination` store. */
  proxied: ArtifactStore;
  /** `--serve-artifacts` (the default): the `mlflow-artifacts` routes are served and proxied locations read. */
  serveArtifacts: boolean;
  /** Reads local and s3:// locations; absent on runtimes without a file system. */
  openRoot?: ArtifactRootOpener | undefined;
}

/**
 * The reference's answer on a `mlflow-artifacts` route of a server started with `--no-serve-artifacts`: 503 with a
 * plain-text message naming the route's rule (`/api/2.0/mlflow-artifacts/mpu/create/<path:artifact_path>`).
 * @see mlflow/server/handlers.py `_disable_unless_serve_artifacts`
 */
export function notServingArtifacts(c: Context, rule: string): Response {
  const prefix = c.req.path.slice(0, c.req.path.indexOf("/mlflow-artifacts"));
  return c.text(
    `Endpoint: ${prefix}${rule} disabled due to the mlflow server running with \`--no-serve-artifacts\`. To enable artifacts server functionality, run \`mlflow server\` with \`--serve-artifacts\``,
    503,
  );
}

/** Where a stored artifact location's files are, for this request (in its workspace, for a proxied one). */
export function artifactRootOf(c: Context, store: Store, access: ArtifactAccess, uri: string): Promise<ArtifactRoot> {
  return resolveArtifactRoot(uri, {
    proxied: access.proxied,
    serveArtifacts: access.serveArtifacts,
    openRoot: access.openRoot,
    scope: (path) => workspaceArtifactPath(store.workspacesEnabled ? c.get("workspace") : undefined, path),
  });
}

/** The FastAPI routes' answer (file download and upload) on such a server. */
const servingDisabled = (c: Context) =>
  c.json({ detail: "Artifact serving is disabled. Run `mlflow server` with `--serve-artifacts` to enable." }, 503);

const NO_MULTIPART = "Multipart upload is not supported for the current artifact repository";
/** S3 numbers parts from 1 to 10,000. */
const MAX_PARTS = 10_000;

/** @see mlflow_artifacts.proto `CreateMultipartUpload`, `CompleteMultipartUpload`, `AbortMultipartUpload` */
const MPU = {
  create: {
    request: z.object({ path: z.string().optional(), num_parts: int64.optional() }),
    checks: { path: ["required", "string"], num_parts: ["intlike"] },
  },
  complete: {
    request: z.object({
      path: z.string().optional(),
      upload_id: z.string().optional(),
      parts: z
        .array(z.object({ part_number: int64.optional(), etag: z.string().optional(), url: z.string().optional() }))
        .optional(),
    }),
    checks: { path: ["required", "string"], upload_id: ["string"], parts: ["required"] },
  },
  abort: {
    request: z.object({ path: z.string().optional(), upload_id: z.string().optional() }),
    checks: { path: ["required", "string"], upload_id: ["string"] },
  },
} as const satisfies Record<string, { request: z.ZodType; checks: Checks }>;

/**
 * The file an upload goes to: the folder from the URL plus the base name of the client's local path (the messages'
 * `path`), as the reference's `os.path.basename`, also cutting at Windows separators.
 * @see mlflow/store/artifact/s3_artifact_repo.py `create_multipart_upload`
 */
function uploadTarget(dir: string, localPath: string): string {
  const name = safeArtifactPath(localPath.split(/[\\/]/).pop() ?? "");
  if (!name) throw invalidParameter(`Invalid path: '${localPath}' names no file.`);
  return joinArtifactPath(dir, name);
}

function requireUploadId(uploadId: string | undefined): string {
  if (!uploadId) throw invalidParameter(missingValue("upload_id") + API_DOCS);
  return uploadId;
}

/**
 * Presigned multipart upload (`/mlflow-artifacts/mpu/{create,complete,abort}/<dir>`), checked in the reference's
 * order: the URL path, the message, then whether the store can do it at all. Without `artifacts.multipart` the answer
 * is NOT_IMPLEMENTED with the message the client recognises and falls back on a single PUT.
 * @see mlflow/server/handlers.py `_create_multipart_upload_artifact` and its siblings
 */
function multipartRoutes(api: Hono, artifacts: ArtifactStore, scope: ScopePath): void {
  const read = async <A extends keyof typeof MPU>(c: Context, action: A) => {
    const dir = scope(c, pathAfter(c, `/mlflow-artifacts/mpu/${action}`));
    const { request, checks } = MPU[action];
    const message = parseRequest(await readRequestJson(c, request), request, checks) as z.output<
      (typeof MPU)[A]["request"]
    >;
    const mpu = artifacts.multipart;
    if (!mpu) throw new MlflowError(NO_MULTIPART, "NOT_IMPLEMENTED");
    return { dir, message, mpu };
  };

  api.post("/mlflow-artifacts/mpu/create/*", async (c) => {
    const { dir, message, mpu } = await read(c, "create");
    const parts = message.num_parts ?? 0;
    if (parts < 0 || parts > MAX_PARTS)
      throw invalidParameter(invalidValue("num_parts", parts, `Must be between 0 and ${MAX_PARTS}.`));
    const { uploadId, credentials } = await mpu.create(uploadTarget(dir, message.path ?? ""), parts);
    // Proto JSON: unset fields and empty lists and maps are left out.
    return c.json({
      ...(uploadId ? { upload_id: uploadId } : {}),
      ...(credentials.length > 0
        ? {
            credentials: credentials.map((cr) => ({
              url: cr.url,
              part_number: cr.partNumber,
              ...(Object.keys(cr.headers).length > 0 ? { headers: cr.headers } : {}),
            })),
          }
        : {}),
    });
  });

  api.post("/mlflow-artifacts/mpu/complete/*", async (c) => {
    const { dir, message, mpu } = await read(c, "complete");
    const uploadId = requireUploadId(message.upload_id);
    requireItemFields(message.parts, "parts", ["part_number", "etag"]);
    const parts = (message.parts ?? []).map((p) => ({ partNumber: p.part_number ?? 0, etag: p.etag ?? "" }));
    await mpu.complete(uploadTarget(dir, message.path ?? ""), uploadId, parts);
    return c.json({});
  });

  api.post("/mlflow-artifacts/mpu/abort/*", async (c) => {
    const { dir, message, mpu } = await read(c, "abort");
    await mpu.abort(uploadTarget(dir, message.path ?? ""), requireUploadId(message.upload_id));
    return c.json({});
  });
}

/** Uploads from the UI are read whole; the reference caps them at 10 MB. @see handlers.py `upload_artifact_handler` */
const UI_UPLOAD_LIMIT = 10 * 1024 * 1024;

/** The mlflow-artifacts proxy (`/api/2.0/mlflow-artifacts/...`) and the tracking API's artifact calls. */
export function artifactRoutes(api: Hono, ajax: Hono, root: Hono, store: Store, access: ArtifactAccess): void {
  const at = storeIn(store);
  const artifacts = access.proxied;
  const scope: ScopePath = (c, path) =>
    workspaceArtifactPath(store.workspacesEnabled ? c.get("workspace") : undefined, path);

  // With --no-serve-artifacts the proxy's routes answer 503, as the reference's do.
  api.use(`/mlflow-artifacts/*`, async (c, next) => {
    if (access.serveArtifacts) return next();
    const method = c.req.method;
    if (c.req.path.includes("/mlflow-artifacts/artifacts/") && (method === "GET" || method === "PUT"))
      return servingDisabled(c);
    const rest = c.req.path.slice(c.req.path.indexOf("/mlflow-artifacts"));
    const rule =
      rest === PROXY
        ? PROXY
        : `${rest
            .split("/")
            .slice(0, rest.startsWith("/mlflow-artifacts/mpu/") ? 4 : 3)
            .join("/")}/<path:artifact_path>`;
    return notServingArtifacts(c, rule);
  });

  api.put(`${PROXY}/*`, async (c) => {
    const body = c.req.raw.body ?? new Response("").body;
    await artifacts.put(scope(c, pathAfter(c, PROXY)), body as ReadableStream<Uint8Array>);
    // The reference answers an upload with an empty 200.
    return c.body(null, 200);
  });

  api.delete(`${PROXY}/*`, async (c) => {
    await artifacts.delete(scope(c, pathAfter(c, PROXY)));
    return c.json({});
  });

  api.get(PROXY, async (c) => {
    const dir = scope(c, safeArtifactPath(c.req.query("path") ?? ""));
    const files = (await artifacts.list(dir)).map((e) => ({
      path: e.path.split("/").pop() ?? e.path,
      is_dir: e.isDir,
      // The reference omits a zero size, like every unset proto field.
      ...(e.size ? { file_size: e.size } : {}),
    }));
    return c.json(files.length > 0 ? { files } : {});
  });

  // After the listing route: hono's `/*` also matches the bare prefix.
  api.get(`${PROXY}/*`, async (c) => artifactResponse(artifacts, scope(c, pathAfter(c, PROXY))));

  multipartRoutes(api, artifacts, scope);

  const rootOf = (c: Context, uri: string) => artifactRootOf(c, store, access, uri);

  /** A run's artifact root: its URI, and where its files are. */
  const runRoot = async (c: Context, runId: string | undefined) => {
    if (!runId) throw invalidParameter("Missing value for required parameter 'run_id'.");
    const run = await at(c).runs.get(runId);
    const uri = run.info.artifact_uri ?? "";
    return { uri, ...(await rootOf(c, uri)) };
  };

  /** The answer of a tracking-side listing: entries below `rel` in the root, their paths relative to it. */
  const rootListing = async (uri: string, { store: files, dir }: ArtifactRoot, rel: string) => {
    const entries = (await files.list(joinArtifactPath(dir, rel))).map((e) => ({
      path: dir ? e.path.slice(dir.length + 1) : e.path,
      is_dir: e.isDir,
      // The reference omits a zero size, like every unset proto field.
      ...(e.size ? { file_size: e.size } : {}),
    }));
    return { root_uri: uri, ...(entries.length > 0 ? { files: entries } : {}) };
  };

  api.get("/mlflow/artifacts/list", async (c) => {
    const rel = safeArtifactPath(c.req.query("path") ?? "");
    const { uri, ...where } = await runRoot(c, runIdQuery(c));
    return c.json(await rootListing(uri, where, rel));
  });

  /** A logged model's artifact root: its URI, and where its files are. */
  const modelRoot = async (c: Context, modelId: string) => {
    const uri = (await at(c).loggedModels.get(modelId, false)).info.artifact_uri;
    return { uri, ...(await rootOf(c, uri)) };
  };

  api.get("/mlflow/logged-models/:model_id/artifacts/directories", async (c) => {
    const rel = safeArtifactPath(c.req.query("artifact_directory_path") ?? "");
    const { uri, ...where } = await modelRoot(c, c.req.param("model_id"));
    return c.json(await rootListing(uri, where, rel));
  });

  ajax.get("/mlflow/logged-models/:model_id/artifacts/files", async (c) => {
    const file = c.req.query("artifact_file_path");
    if (!file) {
      throw new MlflowError('Request must include the "artifact_file_path" query parameter.', "BAD_REQUEST");
    }
    const rel = safeArtifactPath(file);
    const { store: files, dir } = await modelRoot(c, c.req.param("model_id"));
    return artifactResponse(files, joinArtifactPath(dir, rel));
  });

  root.get("/get-artifact", async (c) => {
    const rel = safeArtifactPath(c.req.query("path") ?? "");
    const { store: files, dir } = await runRoot(c, runIdQuery(c));
    return artifactResponse(files, joinArtifactPath(dir, rel));
  });

  // The reference's checks, in its order: run_uuid (this route reads no run_id), path, size, body, then the run.
  ajax.post("/mlflow/upload-artifact", async (c) => {
    const runUuid = c.req.query("run_uuid");
    if (!runUuid) throw invalidParameter("Request must specify run_uuid.");
    const raw = c.req.query("path");
    if (!raw) throw invalidParameter("Request must specify path.");
    const path = safeArtifactPath(raw);
    if (!path) throw invalidParameter("Invalid path");
    // The reference's limit and message, checked on Content-Length before the body is read, then on the bytes.
    const tooLarge = () => invalidParameter("Artifact size is too large. Max size is 10MB.");
    if (Number(c.req.header("Content-Length") ?? 0) > UI_UPLOAD_LIMIT) throw tooLarge();
    const body = await c.req.arrayBuffer();
    if (body.byteLength === 0) throw invalidParameter("Request must specify data.");
    if (body.byteLength > UI_UPLOAD_LIMIT) throw tooLarge();
    const { store: files, dir } = await runRoot(c, runUuid);
    await files.put(joinArtifactPath(dir, path), new Response(body).body as ReadableStream<Uint8Array>);
    // The reference answers with an empty JSON-typed body.
    return c.body(null, 200, { "Content-Type": "application/json" });
  });
}
