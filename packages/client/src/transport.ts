import { readEnv, readEnvNumber } from "./env.js";
import { MlflowApiError } from "./errors.js";

/** How to reach the server and how hard to try. Unset fields come from MLflow's environment variables. */
export interface ClientOptions {
  /** The server, e.g. `http://127.0.0.1:5000`. Default: `MLFLOW_TRACKING_URI`, else the page's origin in a browser. */
  trackingUri?: string;
  /** Basic auth. Default: `MLFLOW_TRACKING_USERNAME` / `MLFLOW_TRACKING_PASSWORD`. */
  username?: string;
  password?: string;
  /** Bearer auth. Default: `MLFLOW_TRACKING_TOKEN`. */
  token?: string;
  /** `/api` (what MLflow's clients use) or `/ajax-api` (what MLflow's UI uses). Default `/api`. */
  apiPrefix?: "/api" | "/ajax-api";
  /** Retries after the first attempt on 408/429/5xx and network errors. Default: `MLFLOW_HTTP_REQUEST_MAX_RETRIES` or 7. */
  maxRetries?: number;
  /** Seconds; the n-th retry waits `factor * 2^(n-1)` (the first none). Default: `MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR` or 2. */
  backoffFactor?: number;
  /** Seconds of random extra wait per retry. Default: `MLFLOW_HTTP_REQUEST_BACKOFF_JITTER` or 1. */
  backoffJitter?: number;
  /** Seconds per attempt. Default: `MLFLOW_HTTP_REQUEST_TIMEOUT` or 120. */
  timeout?: number;
  /** Extra headers on every request. */
  headers?: Record<string, string>;
  /**
   * The workspace of every request, sent as `X-MLFLOW-WORKSPACE` (servers started with `--enable-workspaces`).
   * Default: `MLFLOW_WORKSPACE`, else none (the server's default workspace).
   */
  workspace?: string;
  /** The fetch to use (default: the global one). */
  fetch?: typeof fetch;
}

/** The statuses MLflow's Python client retries. @see mlflow/utils/request_utils.py */
const TRANSIENT = new Set([408, 429, 500, 502, 503, 504]);
/** The statuses whose `Retry-After` header is honoured (urllib3's default set). */
const RETRY_AFTER = new Set([413, 429, 503]);
/** urllib3's cap on one backoff wait, in seconds. */
const MAX_BACKOFF = 120;

export interface SendOptions {
  /** Query parameters; arrays repeat the key, undefined values are left out. */
  query?: Record<string, unknown>;
  /** A JSON body. */
  json?: unknown;
  /** A raw body. A function is called once per attempt, so the request can be retried; a stream cannot. */
  body?: BodyInit | (() => BodyInit | Promise<BodyInit>);
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/** Sends requests to one MLflow server, with MLflow's retry rules; answers that are not 2xx become MlflowApiErrors. */
export class Transport {
  readonly baseUrl: string;
  readonly apiPrefix: string;
  private readonly headers: Record<string, string>;
  private readonly fetchFn: typeof fetch;
  readonly maxRetries: number;
  private readonly backoffFactor: number;
  private readonly backoffJitter: number;
  private readonly timeoutMs: number;

  constructor(options: ClientOptions = {}) {
    const uri = options.trackingUri ?? readEnv("MLFLOW_TRACKING_URI") ?? browserOrigin();
    if (!uri) throw new TypeError("No tracking URI: pass trackingUri or set MLFLOW_TRACKING_URI.");
    if (!/^https?:\/\//.test(uri)) {
      throw new TypeError(`Tracking URI ${uri} is not an http(s) URL; the TypeScript client only talks to servers.`);
    }
    this.baseUrl = uri.replace(/\/+$/, "");
    this.apiPrefix = options.apiPrefix ?? "/api";
    this.headers = { ...options.headers };
    const workspace = (options.workspace ?? readEnv("MLFLOW_WORKSPACE") ?? "").trim();
    if (workspace) this.headers["X-MLFLOW-WORKSPACE"] = workspace;
    const token = options.token ?? readEnv("MLFLOW_TRACKING_TOKEN");
    const username = options.username ?? readEnv("MLFLOW_TRACKING_USERNAME");
    const password = options.password ?? readEnv("MLFLOW_TRACKING_PASSWORD");
    // As in MLflow's client, basic auth wins when both are set.
    if (username !== undefined && password !== undefined) {
      this.headers.Authorization = `Basic ${base64(`${username}:${password}`)}`;
    } else if (token) {
      this.headers.Authorization = `Bearer ${token}`;
    }
    this.fetchFn = options.fetch ?? ((input, init) => fetch(input, init));
    this.maxRetries = options.maxRetries ?? readEnvNumber("MLFLOW_HTTP_REQUEST_MAX_RETRIES", 7);
    this.backoffFactor = options.backoffFactor ?? readEnvNumber("MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR", 2);
    this.backoffJitter = options.backoffJitter ?? readEnvNumber("MLFLOW_HTTP_REQUEST_BACKOFF_JITTER", 1);
    this.timeoutMs = (options.timeout ?? readEnvNumber("MLFLOW_HTTP_REQUEST_TIMEOUT", 120)) * 1000;
  }

  /** The URL of an API path, e.g. `url("/2.0/mlflow/runs/get")`. */
  url(path: string, query?: Record<string, unknown>): string {
    const url = `${this.baseUrl}${this.apiPrefix}${path}`;
    const qs = query ? encodeQuery(query) : "";
    return qs ? `${url}?${qs}` : url;
  }

  /** Sends one request (retrying transient failures) and returns the 2xx response, body unread. */
  async request(method: string, path: string, init: SendOptions = {}): Promise<Response> {
    return this.requestUrl(method, this.url(path, init.query), init);
  }

  /**
   * Like `request`, for a full URL on this server (one `url()` or `artifactUrl()` built, say): same headers, retries
   * and errors. `init.query` is ignored.
   */
  async requestUrl(method: string, url: string, init: SendOptions = {}): Promise<Response> {
    const headers: Record<string, string> = { ...this.headers, ...init.headers };
    if (init.json !== undefined) headers["Content-Type"] = "application/json";
    const replayable = init.body === undefined || typeof init.body === "function" || !isStream(init.body);
    for (let attempt = 0; ; attempt++) {
      const retriesLeft = replayable && attempt < this.maxRetries;
      let res: Response;
      try {
        const body = init.json !== undefined ? encodeJson(init.json) : await bodyOf(init.body);
        res = await this.fetchFn(url, {
          method,
          headers,
          body,
          signal: this.signal(init.signal),
          ...(isStream(body) ? { duplex: "half" } : {}),
        } as RequestInit);
      } catch (err) {
        if (init.signal?.aborted) throw err;
        if (!retriesLeft) {
          const message = err instanceof Error ? err.message : String(err);
          throw new MlflowApiError("NETWORK_ERROR", `${method} ${url} failed: ${message}`, 0, undefined, {
            cause: err,
          });
        }
        await sleep(this.backoff(attempt + 1));
        continue;
      }
      if (res.ok) return res;
      if (!retriesLeft || !TRANSIENT.has(res.status)) throw await MlflowApiError.fromResponse(res);
      await res.body?.cancel().catch(() => {});
      await sleep(retryAfter(res) ?? this.backoff(attempt + 1));
    }
  }

  /** Sends a JSON request and parses the JSON answer (an empty body gives `{}`). */
  async json<T>(method: string, path: string, init: SendOptions = {}): Promise<T> {
    const res = await this.request(method, path, init);
    const text = await res.text();
    return (text ? parseJson(text) : {}) as T;
  }

  /** Milliseconds before retry number `n` (1-based), as urllib3 computes it: none for the first, then doubling. */
  private backoff(n: number): number {
    const base = n <= 1 ? 0 : Math.min(MAX_BACKOFF, this.backoffFactor * 2 ** (n - 1));
    return Math.min(MAX_BACKOFF, base + Math.random() * this.backoffJitter) * 1000;
  }

  private signal(user: AbortSignal | undefined): AbortSignal | undefined {
    if (!(this.timeoutMs > 0)) return user;
    const timeout = AbortSignal.timeout(this.timeoutMs);
    return user ? AbortSignal.any([user, timeout]) : timeout;
  }
}

/** Query-string encoding as Python's `requests` does it for MLflow GETs: lists repeat the key. */
export function encodeQuery(query: Record<string, unknown>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    for (const v of Array.isArray(value) ? value : [value]) params.append(key, String(v));
  }
  return params.toString();
}

/** JSON with non-finite numbers as protobuf JSON writes them ("NaN", "Infinity", "-Infinity"), never null. */
export function encodeJson(value: unknown): string {
  return JSON.stringify(value, (_key, v) =>
    typeof v === "number" && !Number.isFinite(v) ? (Number.isNaN(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity") : v,
  );
}

/** JSON.parse that also reads the bare NaN / Infinity tokens Python's json module writes (as numbers). */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    const marked = text.replace(/"(?:[^"\\]|\\.)*"|-?\bInfinity\b|\bNaN\b/g, (m) =>
      m.startsWith('"') ? m : `{"$nonFinite":"${m}"}`,
    );
    return JSON.parse(marked, (_k, v) => {
      const tag = (v as { $nonFinite?: string } | null)?.$nonFinite;
      return tag === undefined ? v : tag === "NaN" ? Number.NaN : tag.startsWith("-") ? -Infinity : Infinity;
    });
  }
}

/** Seconds (or an HTTP date) from a `Retry-After` header, in milliseconds, capped like a backoff. */
function retryAfter(res: Response): number | undefined {
  if (!RETRY_AFTER.has(res.status)) return undefined;
  const raw = res.headers.get("Retry-After");
  if (!raw) return undefined;
  const seconds = /^\d+(\.\d+)?$/.test(raw.trim()) ? Number(raw) : (Date.parse(raw) - Date.now()) / 1000;
  return Number.isFinite(seconds) ? Math.min(MAX_BACKOFF, Math.max(0, seconds)) * 1000 : undefined;
}

async function bodyOf(body: SendOptions["body"]): Promise<BodyInit | undefined> {
  return typeof body === "function" ? await body() : body;
}

function isStream(body: unknown): body is ReadableStream {
  return typeof ReadableStream !== "undefined" && body instanceof ReadableStream;
}

function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}

function base64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

function browserOrigin(): string | undefined {
  const loc = (globalThis as { location?: { origin?: string } }).location;
  return loc?.origin && /^https?:/.test(loc.origin) ? loc.origin : undefined;
}
