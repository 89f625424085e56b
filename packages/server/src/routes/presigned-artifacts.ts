import { type Checks, int64 } from "@tracklite/schemas";
import type { Context, Hono } from "hono";
import * as z from "zod";
import { isProxiedUri, uriScheme } from "../artifacts/roots.js";
import { joinArtifactPath, proxiedArtifactPath, safeArtifactPath } from "../artifacts/safe-path.js";
import { invalidParameter, MlflowError } from "../errors.js";
import { parseRequest, readRequestJson } from "../http/parse-request.js";
import type { Store } from "../store/index.js";
import { workspaceArtifactPath } from "../workspaces/artifact-path.js";
import { storeIn } from "../workspaces/middleware.js";
import { type ArtifactAccess, artifactRootOf } from "./artifacts.js";

/** Cloud storage signs URLs for at most 7 days; the reference refuses more (and less than a second) up front. */
const MAX_EXPIRATION = 604_800;
/** The reference's default lifetime of a presigned upload URL, in seconds. */
const UPLOAD_EXPIRATION = 900;

/** @see service.proto `CreatePresignedUploadUrl`, `CreatePresignedDownloadUrl` */
const UPLOAD = {
  request: z.object({
    run_id: z.string().optional(),
    model_id: z.string().optional(),
    path: z.string().optional(),
    expiration: int64.optional(),
  }),
  checks: { run_id: ["string"], model_id: ["string"], path: ["required", "string"], expiration: ["intlike"] },
} as const satisfies { request: z.ZodType; checks: Checks };
const DOWNLOAD = {
  request: z.object({ run_id: z.string().optional(), path: z.string().optional(), expiration: int64.optional() }),
  checks: { run_id: ["required", "string"], path: ["required", "string"], expiration: ["intlike"] },
} as const satisfies { request: z.ZodType; checks: Checks };

function checkExpiration(expiration: number): number {
  if (expiration < 1 || expiration > MAX_EXPIRATION)
    throw invalidParameter(`expiration must be between 1 and ${MAX_EXPIRATION} seconds (got ${expiration}).`);
  return expiration;
}

/** Proto JSON leaves an empty map out. */
const headersField = (headers: Record<string, string>) => (Object.keys(headers).length > 0 ? { headers } : {});

/**
 * Presigned URLs for single files: the proxy's `GET mlflow-artifacts/presigned/<path>` (what 3.x clients download
 * large files with when `multipart_downloads_enabled`), and the tracking API's `artifacts/presigned-upload-url` and
 * `presigned-download-url` for runs (and logged models) whose artifact location is a bucket (`s3://…`).
 * @see mlflow/server/handlers.py `_get_presigned_download_url`, `_create_presigned_upload_url`,
 *   `_create_presigned_download_url`
 */
export function presignedArtifactRoutes(api: Hono, store: Store, access: ArtifactAccess, downloadTtl: number): void {
  const at = storeIn(store);

  api.get("/mlflow-artifacts/presigned/*", async (c) => {
    const path = proxiedArtifactPath(c.req.path, "/mlflow-artifacts/presigned");
    const scoped = workspaceArtifactPath(store.workspacesEnabled ? c.get("workspace") : undefined, path);
    const presign = access.proxied.presign;
    if (!presign)
      throw new MlflowError(
        "Multipart download is not supported for the current artifact repository",
        "NOT_IMPLEMENTED",
      );
    const { url, headers, fileSize } = await presign.download(scoped, downloadTtl);
    return c.json({ url, headers, ...(fileSize !== undefined ? { file_size: fileSize } : {}) });
  });

  /** The root of a location the client may reach directly, refused for the proxied kind as the reference does. */
  const directRoot = async (c: Context, uri: string, what: "upload" | "download") => {
    if (isProxiedUri(uri))
      throw invalidParameter(
        what === "upload"
          ? `Presigned upload is not supported for proxied artifact storage (artifact URI scheme: ${uriScheme(uri)}). This endpoint requires a direct cloud storage artifact URI.`
          : `Presigned download is not supported for runs with proxied artifact storage (artifact URI scheme: ${uriScheme(uri)}). This endpoint requires a run with a direct cloud storage artifact URI.`,
      );
    const root = await artifactRootOf(c, store, access, uri);
    if (!root.store.presign)
      throw new MlflowError(
        `Presigned ${what} is not supported for the current artifact repository`,
        "NOT_IMPLEMENTED",
      );
    return { presign: root.store.presign, dir: root.dir };
  };

  api.post("/mlflow/artifacts/presigned-upload-url", async (c) => {
    const r = parseRequest(await readRequestJson(c, UPLOAD.request), UPLOAD.request, UPLOAD.checks);
    if (!!r.run_id === !!r.model_id) throw invalidParameter("Exactly one of run_id and model_id must be provided.");
    const path = safeArtifactPath(r.path ?? "");
    const expiration = r.expiration ?? UPLOAD_EXPIRATION;
    const uri = r.run_id
      ? ((await at(c).runs.get(r.run_id)).info.artifact_uri ?? "")
      : (await at(c).loggedModels.get(r.model_id ?? "", false)).info.artifact_uri;
    const { presign, dir } = await directRoot(c, uri, "upload");
    // Refused here rather than signed dead on arrival (the reference signs any value for uploads).
    const { url, headers } = await presign.upload(joinArtifactPath(dir, path), checkExpiration(expiration));
    return c.json({ presigned_url: url, ...headersField(headers) });
  });

  api.post("/mlflow/artifacts/presigned-download-url", async (c) => {
    const r = parseRequest(await readRequestJson(c, DOWNLOAD.request), DOWNLOAD.request, DOWNLOAD.checks);
    const path = safeArtifactPath(r.path ?? "");
    const expiration = checkExpiration(r.expiration ?? downloadTtl);
    const uri = (await at(c).runs.get(r.run_id ?? "")).info.artifact_uri ?? "";
    const { presign, dir } = await directRoot(c, uri, "download");
    const { url, headers, fileSize } = await presign.download(joinArtifactPath(dir, path), expiration);
    return c.json({
      presigned_url: url,
      ...headersField(headers),
      ...(fileSize !== undefined ? { file_size: fileSize } : {}),
    });
  });
}
