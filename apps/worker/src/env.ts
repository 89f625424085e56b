/**
 * The Worker's settings: its `vars` and secrets, under the names `mlflow server` reads from the environment, so a
 * deployment is configured as the CLI is (see README "Deploy: Cloudflare Workers").
 */
export interface WorkerSettings {
  /** `libsql://…` (Turso) or `http(s)://…` (sqld): libSQL over HTTP, the only way a Worker reaches a database. */
  backendStoreUri: string;
  authToken?: string;
  /** `s3://bucket/prefix` on R2 or another S3-compatible store (MLFLOW_S3_ENDPOINT_URL). */
  artifactsDestination: string;
  defaultArtifactRoot: string;
}

/** A Worker's `env` holds bindings of every kind; the settings are its strings. */
export function stringVars(env: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (typeof value === "string") out[key] = value;
  return out;
}

/** Why the Worker cannot start with these settings, or the settings. */
export function readSettings(vars: Record<string, string | undefined>): WorkerSettings | { error: string } {
  const backendStoreUri = vars.MLFLOW_BACKEND_STORE_URI ?? "";
  if (!/^(libsql|https?):\/\//i.test(backendStoreUri))
    return {
      error: `MLFLOW_BACKEND_STORE_URI must be a libsql://, https:// or http:// URL of a libSQL server (Turso, sqld), not '${backendStoreUri}': a Worker has no files and keeps no sockets between requests.`,
    };
  const artifactsDestination = vars.MLFLOW_ARTIFACTS_DESTINATION ?? "";
  if (!/^s3:\/\/[^/?#]+(\/[^?#]*)?$/.test(artifactsDestination))
    return {
      error: `MLFLOW_ARTIFACTS_DESTINATION must be s3://bucket/prefix (R2 or another S3-compatible store), not '${artifactsDestination}'.`,
    };
  const authToken = vars.LIBSQL_AUTH_TOKEN || vars.TURSO_AUTH_TOKEN || undefined;
  return {
    backendStoreUri,
    ...(authToken ? { authToken } : {}),
    artifactsDestination,
    defaultArtifactRoot: vars.MLFLOW_DEFAULT_ARTIFACT_ROOT || "mlflow-artifacts:/",
  };
}
