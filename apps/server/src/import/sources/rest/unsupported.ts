import { isMlflowApiError } from "@tracklite/client";

/**
 * Error codes by which a server says it does not serve an endpoint at all: an older MLflow (no logged models, traces
 * v3, datasets, scorers or webhooks before 3.x), or a backend that lacks the feature (a FileStore behind the server).
 */
const UNSUPPORTED_CODES = new Set([
  "ENDPOINT_NOT_FOUND",
  "NOT_IMPLEMENTED",
  "FEATURE_DISABLED",
  "HTTP_405",
  "HTTP_501",
]);

/** True when `e` says the endpoint is missing, rather than that the call went wrong. */
export function isUnsupported(e: unknown): boolean {
  if (!isMlflowApiError(e)) return false;
  if (UNSUPPORTED_CODES.has(e.errorCode)) return true;
  // The reference's FileStore raises MlflowException("... is not supported ...") with INTERNAL_ERROR for some features.
  return e.status === 500 && /not (?:supported|implemented)/i.test(e.message);
}

/**
 * True when the server refuses to list a deleted experiment's items (the reference's scorer routes check the
 * experiment is active): what the experiment holds there cannot be read over REST.
 */
export function isDeletedExperimentRefusal(e: unknown): boolean {
  return isMlflowApiError(e, "INVALID_PARAMETER_VALUE") && /must be in the 'active' state/.test(e.message);
}
