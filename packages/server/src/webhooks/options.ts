import { logError } from "../log.js";
import type { UrlPolicy } from "../validation/webhooks.js";

/**
 * How webhooks are checked and delivered. Every field has the reference's default; the runtime entry reads them from
 * MLflow's environment variables (`webhookOptionsFromEnv`), tests shorten the waits.
 */
export interface WebhookOptions extends Partial<UrlPolicy> {
  /** Per attempt, connecting through reading the answer (MLFLOW_WEBHOOK_REQUEST_TIMEOUT, 30 s). */
  timeoutMs?: number;
  /** Attempts after the first on network errors, 429, 500, 502, 503, 504 (MLFLOW_WEBHOOK_REQUEST_MAX_RETRIES, 3). */
  maxRetries?: number;
  /** urllib3's backoff: none before the first retry, then factor × 2^(n−1) plus up to `backoffJitterMs`. */
  backoffFactorMs?: number;
  backoffJitterMs?: number;
  backoffMaxMs?: number;
  /** Deliveries in flight at once; more wait their turn (MLFLOW_WEBHOOK_DELIVERY_MAX_WORKERS, 10). */
  maxConcurrentDeliveries?: number;
  /** Fernet key that encrypts secrets at rest (MLFLOW_WEBHOOK_SECRET_ENCRYPTION_KEY); without one they are stored as given. */
  secretKey?: string;
  /** Where failed deliveries are reported; the server log by default. */
  log?: (message: string, err: unknown) => void;
}

export type DeliveryPolicy = UrlPolicy & Required<Omit<WebhookOptions, keyof UrlPolicy | "secretKey">>;

/** The options with the reference's defaults filled in. */
export function deliveryPolicy(options: WebhookOptions = {}): DeliveryPolicy {
  return {
    allowedSchemes: options.allowedSchemes ?? ["https"],
    allowPrivateIps: options.allowPrivateIps ?? false,
    ...(options.resolveHost ? { resolveHost: options.resolveHost } : {}),
    timeoutMs: options.timeoutMs ?? 30_000,
    maxRetries: options.maxRetries ?? 3,
    backoffFactorMs: options.backoffFactorMs ?? 1000,
    backoffJitterMs: options.backoffJitterMs ?? 1000,
    backoffMaxMs: options.backoffMaxMs ?? 60_000,
    maxConcurrentDeliveries: options.maxConcurrentDeliveries ?? 10,
    log: options.log ?? ((message, err) => logError(message, err)),
  };
}

function intVar(env: Record<string, string | undefined>, name: string): number | undefined {
  const raw = env[name];
  if (raw === undefined) return undefined;
  if (!/^\s*[-+]?\d+\s*$/.test(raw)) throw new Error(`${name} must be an integer, but got ${raw}`);
  return Number(raw);
}

/** MLflow's webhook environment variables, read as the reference reads them (an invalid value is an error). */
export function webhookOptionsFromEnv(env: Record<string, string | undefined>): WebhookOptions {
  const out: WebhookOptions = {};
  const schemes = env.MLFLOW_WEBHOOK_ALLOWED_SCHEMES;
  if (schemes !== undefined) out.allowedSchemes = schemes.split(",").map((s) => s.trim());
  const allowPrivate = env.MLFLOW_WEBHOOK_ALLOW_PRIVATE_IPS;
  if (allowPrivate !== undefined) {
    const v = allowPrivate.toLowerCase();
    if (!["true", "false", "1", "0"].includes(v)) {
      throw new Error(
        `MLFLOW_WEBHOOK_ALLOW_PRIVATE_IPS value must be one of ['true', 'false', '1', '0'] (case-insensitive), but got ${allowPrivate}`,
      );
    }
    out.allowPrivateIps = v === "true" || v === "1";
  }
  const timeout = intVar(env, "MLFLOW_WEBHOOK_REQUEST_TIMEOUT");
  if (timeout !== undefined) out.timeoutMs = timeout * 1000;
  const retries = intVar(env, "MLFLOW_WEBHOOK_REQUEST_MAX_RETRIES");
  if (retries !== undefined) out.maxRetries = retries;
  const workers = intVar(env, "MLFLOW_WEBHOOK_DELIVERY_MAX_WORKERS");
  if (workers !== undefined) out.maxConcurrentDeliveries = workers;
  if (env.MLFLOW_WEBHOOK_SECRET_ENCRYPTION_KEY) out.secretKey = env.MLFLOW_WEBHOOK_SECRET_ENCRYPTION_KEY;
  return out;
}
