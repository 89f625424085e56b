import { WEBHOOK_HEADERS, type WebhookEventName } from "@tracklite/schemas";
import { MlflowError } from "../errors.js";
import { pyStr } from "../search/python-compat.js";
import { validateWebhookUrl } from "../validation/webhooks.js";
import type { DeliveryPolicy } from "./options.js";
import { pyIsoformat, pyJsonDumps } from "./python-json.js";
import { signDelivery, toBase64 } from "./signature.js";

/**
 * One delivery: a signed POST, retried like the reference's urllib3 session retries it.
 * @see mlflow/webhooks/delivery.py _create_webhook_session, _send_webhook_request
 */

/** Where a delivery goes. The secret is read only when sending (it may have to be decrypted). */
export interface DeliveryTarget {
  url: string;
  readSecret(): Promise<string | undefined>;
}

/** The receiver's final answer. */
export interface DeliveryResponse {
  status: number;
  body: string;
}

const RETRY_STATUSES = new Set([429, 500, 502, 503, 504]);
/** Statuses urllib3 also retries when they carry a Retry-After header. */
const RETRY_AFTER_STATUSES = new Set([413, 429, 503]);
/** urllib3 caps a Retry-After at six hours. */
const RETRY_AFTER_MAX_MS = 21_600_000;
/** requests follows at most 30 redirects. */
const MAX_REDIRECTS = 30;

/** Waits `ms`, or rejects with the signal's reason as soon as it aborts. */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** What stays the same over a delivery's attempts (and its processes), and what can stop it. */
export interface DeliveryEnvelope {
  deliveryId: string;
  /** When the event happened (ms): the payload's `timestamp`. */
  createdAt: number;
  /** Aborts the delivery between or during attempts (a shutdown whose grace period is over). */
  signal?: AbortSignal;
}

/** urllib3's backoff before the retry that follows `errors` consecutive failures: nothing after the first. */
function backoffMs(errors: number, policy: DeliveryPolicy): number {
  if (errors <= 1) return 0;
  const value = policy.backoffFactorMs * 2 ** (errors - 1) + Math.random() * policy.backoffJitterMs;
  return Math.max(0, Math.min(policy.backoffMaxMs, value));
}

/** A Retry-After header in milliseconds (seconds or an HTTP date), or undefined when absent, zero or unreadable. */
function retryAfterMs(header: string | null): number | undefined {
  if (header === null) return undefined;
  const ms = /^\s*\d+\s*$/.test(header) ? Number(header) * 1000 : Date.parse(header) - Date.now();
  if (Number.isNaN(ms) || ms <= 0) return undefined;
  return Math.min(ms, RETRY_AFTER_MAX_MS);
}

/**
 * POSTs and follows redirects by hand, checking every new location like the first (the reference checks each
 * connection's address). 301/302/303 continue as a GET without body, 307/308 repeat the POST, as requests does.
 */
async function post(url: URL, init: RequestInit, policy: DeliveryPolicy): Promise<Response> {
  let current = url;
  let request = init;
  for (let hop = 0; ; hop++) {
    const res = await fetch(current, { ...request, redirect: "manual" });
    const location = res.headers.get("location");
    if (res.status < 300 || res.status >= 400 || res.status === 304 || !location || hop >= MAX_REDIRECTS) return res;
    await res.body?.cancel();
    const next = await validateWebhookUrl(new URL(location, current).href, policy);
    if (res.status !== 307 && res.status !== 308) {
      const headers = new Headers(request.headers);
      headers.delete("content-type");
      const { body: _dropped, ...rest } = request;
      request = { ...rest, method: "GET", headers };
    }
    if (next.host !== current.host) {
      const headers = new Headers(request.headers);
      headers.delete("authorization");
      request = { ...request, headers };
    }
    current = next;
  }
}

/** requests sends a URL's user:password as Basic auth; fetch refuses URLs that carry them. */
function splitCredentials(url: URL): { url: URL; authorization?: string } {
  if (!url.username && !url.password) return { url };
  const auth = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
  const bare = new URL(url.href);
  bare.username = "";
  bare.password = "";
  return { url: bare, authorization: `Basic ${toBase64(new TextEncoder().encode(auth))}` };
}

/**
 * Sends one event to one webhook and returns the receiver's last answer. Network errors, timeouts and the retryable
 * statuses are retried `maxRetries` times; after that a retryable status is returned and a network error thrown.
 * Throws an MlflowError when the URL is (no longer) allowed.
 */
export async function deliver(
  target: DeliveryTarget,
  event: WebhookEventName,
  data: Record<string, unknown>,
  policy: DeliveryPolicy,
  envelope: DeliveryEnvelope = { deliveryId: crypto.randomUUID(), createdAt: Date.now() },
): Promise<DeliveryResponse> {
  const { url, authorization } = splitCredentials(await validateWebhookUrl(target.url, policy));
  const [entity, action] = event.split(".");
  const { deliveryId, createdAt, signal: stop } = envelope;
  const body = pyJsonDumps({ entity, action, timestamp: pyIsoformat(createdAt), data });
  const timestamp = String(Math.floor(Date.now() / 1000));
  const headers: Record<string, string> = {
    "Content-Type": "application/json",
    [WEBHOOK_HEADERS.deliveryId]: deliveryId,
    [WEBHOOK_HEADERS.timestamp]: timestamp,
  };
  if (authorization) headers.Authorization = authorization;
  const secret = await target.readSecret();
  if (secret) headers[WEBHOOK_HEADERS.signature] = await signDelivery(secret, deliveryId, timestamp, body);

  for (let attempt = 0; ; attempt++) {
    const last = attempt >= policy.maxRetries;
    try {
      const timeout = AbortSignal.timeout(policy.timeoutMs);
      const signal = stop ? AbortSignal.any([timeout, stop]) : timeout;
      const res = await post(url, { method: "POST", headers, body, signal }, policy);
      const text = await res.text();
      const retryAfter = retryAfterMs(res.headers.get("retry-after"));
      const retryable =
        RETRY_STATUSES.has(res.status) || (RETRY_AFTER_STATUSES.has(res.status) && retryAfter !== undefined);
      if (!retryable || last) return { status: res.status, body: text };
      await sleep(retryAfter ?? backoffMs(attempt + 1, policy), stop);
    } catch (err) {
      if (stop?.aborted) throw stop.reason;
      if (last || !isNetworkError(err)) throw err;
      await sleep(backoffMs(attempt + 1, policy), stop);
    }
  }
}

/** Failures worth another attempt: fetch's own rejections and timeouts, not a refused redirect. */
function isNetworkError(err: unknown): boolean {
  return (
    err instanceof TypeError || (err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError"))
  );
}

/** A failure as the reference's test answer describes it: Python's repr of the exception it caught. */
export function describeFailure(err: unknown, url: string): string {
  if (err instanceof MlflowError) return `MlflowException(${pyStr(err.message)})`;
  if (err instanceof Error && err.name === "TimeoutError")
    return `ConnectionError(${pyStr(`${url}: Read timed out.`)})`;
  const cause = err instanceof Error && err.cause instanceof Error ? err.cause.message : undefined;
  const message = cause ?? (err instanceof Error ? err.message : String(err));
  return `ConnectionError(${pyStr(`${url}: ${message}`)})`;
}
