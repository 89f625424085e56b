import type { ClientOptions } from "@tracklite/client";

/** Environment variables, as `tracklite import` passes them to its sources. */
export type Env = Record<string, string | undefined>;

/**
 * The client settings MLflow's Python client reads from its environment, read from `env` (the importer's, which
 * may differ from this process's): credentials, retries, timeout and workspace.
 * @see mlflow/environment_variables.py
 */
export function clientOptionsFromEnv(env: Env): ClientOptions {
  const num = (name: string) => {
    const raw = env[name];
    const n = raw === undefined || raw === "" ? Number.NaN : Number(raw);
    return Number.isFinite(n) ? n : undefined;
  };
  const out: ClientOptions = {
    username: env.MLFLOW_TRACKING_USERNAME,
    password: env.MLFLOW_TRACKING_PASSWORD,
    token: env.MLFLOW_TRACKING_TOKEN,
    workspace: env.MLFLOW_WORKSPACE,
    maxRetries: num("MLFLOW_HTTP_REQUEST_MAX_RETRIES"),
    backoffFactor: num("MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR"),
    backoffJitter: num("MLFLOW_HTTP_REQUEST_BACKOFF_JITTER"),
    timeout: num("MLFLOW_HTTP_REQUEST_TIMEOUT"),
  };
  return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined)) as ClientOptions;
}
