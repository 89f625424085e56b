import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { MlflowError } from "../errors.js";

/**
 * The request body limit. The reference sets none (Flask's MAX_CONTENT_LENGTH is unset), so one 100 MB body held the
 * event loop for seconds and a 77 MB log-batch took 2 GB of memory. 32 MiB is twice MLflow's largest field (a
 * dataset profile, 16 MiB); no MLflow client sends more in one call. See KNOWN_DIFFERENCES.md, `request-body-limit`.
 */
export const DEFAULT_MAX_REQUEST_BODY_BYTES = 32 * 1024 * 1024;

/** Uploads stream to the artifact store and are not held in memory; they keep their own limits, as in the reference. */
const isArtifactUpload = (method: string, path: string) =>
  (method === "PUT" && path.includes("/mlflow-artifacts/artifacts/")) ||
  (method === "POST" && path.endsWith("/mlflow/upload-artifact"));

/**
 * Refuses a body over `maxBytes` with 413 and an MLflow error body: at once when Content-Length says so, else (a
 * chunked body) as soon as the bytes read pass the limit. The connection is closed, so the rest is never read.
 */
export function requestBodyLimit(maxBytes: number): MiddlewareHandler {
  const limit = bodyLimit({
    maxSize: maxBytes,
    onError: (c) => {
      c.header("Connection", "close");
      const err = new MlflowError(
        `Request body is larger than the ${maxBytes} bytes this server accepts (TRACKLITE_MAX_REQUEST_BODY_SIZE).`,
        "INVALID_PARAMETER_VALUE",
        413,
      );
      return c.json(err.toJSON(), 413);
    },
  });
  return async (c, next) => {
    if (c.req.method === "GET" || c.req.method === "HEAD" || isArtifactUpload(c.req.method, c.req.path)) return next();
    return limit(c, next);
  };
}
