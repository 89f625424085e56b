import { isIPv4, isIPv6 } from "node:net";
import type { Context, MiddlewareHandler } from "hono";
import { patternMatcher } from "./fnmatch.js";

/**
 * MLflow's security middleware (`mlflow/server/fastapi_security.py` + `security_utils.py`), with its flags:
 * `--allowed-hosts`, `--cors-allowed-origins`, `--x-frame-options`, `--disable-security-middleware`.
 */
export interface SecurityOptions {
  /** `--disable-security-middleware`: no Host, Origin or CORS handling and no security headers. */
  disabled?: boolean;
  /** `--allowed-hosts`: Host header patterns; replaces the defaults (localhost and private addresses). `*`: any. */
  allowedHosts?: readonly string[];
  /** `--cors-allowed-origins`: origins allowed beside the localhost ones. `*`: any origin, without credentials. */
  corsAllowedOrigins?: readonly string[];
  /** `--x-frame-options`: the header's value (default SAMEORIGIN); `NONE` leaves the header out. */
  xFrameOptions?: string;
}

export const INVALID_HOST_MSG = "Invalid Host header - possible DNS rebinding attack detected";
export const CORS_BLOCKED_MSG = "Cross-origin request blocked";

const STATE_CHANGING_METHODS = new Set(["POST", "PUT", "DELETE", "PATCH"]);
/** Reached with any Host, so that load balancers' and orchestrators' probes work. */
const HEALTH_PATHS = new Set(["/health", "/version"]);
/**
 * Where the reference refuses cross-origin writes; tracklite adds `/graphql` and OTLP's `/v1/traces`, which the
 * reference leaves open.
 */
const API_PREFIXES = ["/api/", "/ajax-api/"];
const API_PATHS = new Set(["/graphql", "/v1/traces"]);

const LOCALHOST_NAMES = ["localhost", "127.0.0.1", "[::1]", "0.0.0.0"];
/** @see security_utils.py `get_default_allowed_hosts`: loopback names with any port, and the private ranges. */
export const DEFAULT_ALLOWED_HOSTS: readonly string[] = [
  ...LOCALHOST_NAMES,
  ...LOCALHOST_NAMES.map((h) => `${h.replace("[", "[[]")}:*`),
  "192.168.*",
  "10.*",
  ...Array.from({ length: 16 }, (_, i) => `172.${16 + i}.*`),
  "fc00:*",
  "fd00:*",
];

/**
 * Whether a Host header names an address (or `localhost`), with a numeric port if any. The default patterns are
 * fnmatch patterns such as `10.*` and `192.168.*`, which the reference also lets match DNS names: an attacker's
 * rebinding domain `10.evil.com` (or `192.168.1.2.nip.io`) passes them. tracklite applies them to addresses only.
 */
export function isAddressHost(host: string): boolean {
  const bracketed = /^\[([^\]]*)\](?::(\d+))?$/.exec(host);
  if (bracketed) return isIPv6(bracketed[1] ?? "");
  // Unbracketed IPv6 (the reference's `fc00:*` patterns are written for it).
  if ((host.match(/:/g) ?? []).length > 1) return isIPv6(host);
  const [name = "", port] = host.split(":");
  return (port === undefined || /^\d+$/.test(port)) && (name === "localhost" || isIPv4(name));
}

/** Origins whose requests get CORS headers whatever `--cors-allowed-origins` says. @see LOCALHOST_ORIGIN_PATTERNS */
const LOCALHOST_ORIGIN = /^http:\/\/(?:localhost|127\.0\.0\.1|\[::1\])(?::[0-9]+)?$/;
/** Origins never refused: a loopback host over any scheme. @see security_utils.py `is_localhost_origin` */
const LOOPBACK_HOSTNAMES = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);
const CORS_METHODS = "GET, POST, PUT, DELETE, OPTIONS, PATCH";
/** Starlette's list when every method is allowed (wildcard origins). */
const ALL_METHODS = "DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT";
const PREFLIGHT_VARY =
  "Origin, Access-Control-Request-Method, Access-Control-Request-Headers, Access-Control-Request-Private-Network";

const isApiPath = (path: string) => API_PATHS.has(path) || API_PREFIXES.some((p) => path.startsWith(p));

function isLoopbackOrigin(origin: string): boolean {
  try {
    return LOOPBACK_HOSTNAMES.has(new URL(origin).hostname);
  } catch {
    return false;
  }
}

/** The `host[:port]` of an origin, or undefined when it is not a URL (`null`, say). */
function originHost(origin: string): string | undefined {
  try {
    return new URL(origin).host;
  } catch {
    return undefined;
  }
}

/**
 * The middleware, first in the app: Host check (DNS rebinding), CORS preflights and headers, refusal of cross-origin
 * writes to the API, and `X-Content-Type-Options` / `X-Frame-Options` on every answer.
 */
export function securityMiddleware(options: SecurityOptions = {}): MiddlewareHandler {
  if (options.disabled) return (_c, next) => next();
  const custom = !!options.allowedHosts?.length;
  const hosts = custom ? (options.allowedHosts as readonly string[]) : DEFAULT_ALLOWED_HOSTS;
  const anyHost = hosts.includes("*");
  const matches = patternMatcher(hosts);
  // A list given with --allowed-hosts is the operator's and is taken as written; the defaults match addresses only.
  const hostAllowed = custom ? matches : (host: string) => matches(host) && isAddressHost(host);
  const origins = options.corsAllowedOrigins ?? [];
  const anyOrigin = origins.includes("*");
  const originListed = patternMatcher(origins);
  const xFrame = (options.xFrameOptions ?? "SAMEORIGIN").toUpperCase();

  // Starlette's CORSMiddleware takes the list literally: a `*` pattern lets writes through (the refusal below uses
  // fnmatch) but earns no Access-Control-Allow-Origin, exactly as in the reference.
  const exactOrigins = new Set(origins);
  const corsAllowed = (origin: string) => LOCALHOST_ORIGIN.test(origin) || exactOrigins.has(origin);

  /**
   * Whether a state-changing request from `origin` must be refused. The reference refuses every non-loopback origin
   * not listed; tracklite also lets through a same-origin request whose Host passed the check (the UI opened at a
   * LAN address writes to its own server): a page cannot claim an allowed host's origin without being served by it.
   */
  const refuse = (origin: string | undefined, method: string, host: string) =>
    origin !== undefined &&
    origin !== "" &&
    STATE_CHANGING_METHODS.has(method) &&
    !isLoopbackOrigin(origin) &&
    !originListed(origin) &&
    !(!anyHost && originHost(origin) === host);

  const securityHeaders = (c: Context) => {
    c.header("X-Content-Type-Options", "nosniff");
    if (xFrame && xFrame !== "NONE") c.header("X-Frame-Options", xFrame);
  };

  /** Starlette's CORSMiddleware answers to a non-preflight request that carries an Origin. */
  const simpleCorsHeaders = (c: Context, origin: string) => {
    if (anyOrigin) {
      c.header("Access-Control-Allow-Origin", "*");
      c.header("Access-Control-Expose-Headers", "*");
      return;
    }
    if (corsAllowed(origin)) c.header("Access-Control-Allow-Origin", origin);
    c.header("Access-Control-Allow-Credentials", "true");
    c.header("Access-Control-Expose-Headers", "*");
    c.header("Vary", "Origin", { append: true });
  };

  /** @see Starlette's `CORSMiddleware.preflight_response` as MLflow configures it. */
  const preflight = (c: Context, origin: string, method: string) => {
    const requestedHeaders = c.req.header("Access-Control-Request-Headers");
    const headers: Record<string, string> = {
      "Access-Control-Allow-Methods": anyOrigin ? ALL_METHODS : CORS_METHODS,
      "Access-Control-Max-Age": "600",
      "Content-Type": "text/plain; charset=utf-8",
    };
    if (!anyOrigin) {
      headers.Vary = PREFLIGHT_VARY;
      headers["Access-Control-Allow-Credentials"] = "true";
    }
    if (requestedHeaders !== undefined) headers["Access-Control-Allow-Headers"] = requestedHeaders;
    const failures: string[] = [];
    if (anyOrigin) headers["Access-Control-Allow-Origin"] = "*";
    else if (corsAllowed(origin)) headers["Access-Control-Allow-Origin"] = origin;
    else failures.push("origin");
    if (!anyOrigin && !CORS_METHODS.split(", ").includes(method)) failures.push("method");
    return failures.length
      ? new Response(`Disallowed CORS ${failures.join(", ")}`, { status: 400, headers })
      : new Response("OK", { status: 200, headers });
  };

  return async (c, next) => {
    const path = c.req.path;
    // app.request() in tests sends no Host header (and has no socket): the URL's host stands in. A real request without
    // one (HTTP/1.0) is refused, as by the reference, rather than judged on a host the server made up.
    const host = c.req.header("Host") ?? (fromSocket(c) ? "" : new URL(c.req.url).host);
    if (!anyHost && !HEALTH_PATHS.has(path) && !hostAllowed(host)) {
      securityHeaders(c);
      return c.text(INVALID_HOST_MSG, 403);
    }
    const origin = c.req.header("Origin");
    const preflightMethod = c.req.header("Access-Control-Request-Method");
    if (origin !== undefined && c.req.method === "OPTIONS" && preflightMethod !== undefined) {
      return preflight(c, origin, preflightMethod);
    }
    if (!anyOrigin && isApiPath(path) && refuse(origin, c.req.method, host)) {
      securityHeaders(c);
      simpleCorsHeaders(c, origin as string);
      return c.text(CORS_BLOCKED_MSG, 403);
    }
    await next();
    securityHeaders(c);
    if (origin !== undefined) simpleCorsHeaders(c, origin);
    return undefined;
  };
}

/** Whether the request came through @hono/node-server (a real socket), which passes the Node request as `incoming`. */
const fromSocket = (c: Context) => (c.env as { incoming?: unknown } | undefined)?.incoming !== undefined;

const TRUE_WORDS = new Set(["1", "true", "t", "yes", "y", "on"]);

/** The security settings from MLflow's variables (the CLI's flags set the same ones first). */
export function securityOptionsFromEnv(env: Record<string, string | undefined>): SecurityOptions {
  const list = (v: string | undefined) =>
    v
      ?.split(",")
      .map((s) => s.trim())
      .filter(Boolean);
  const allowedHosts = list(env.MLFLOW_SERVER_ALLOWED_HOSTS);
  const corsAllowedOrigins = list(env.MLFLOW_SERVER_CORS_ALLOWED_ORIGINS);
  return {
    disabled: TRUE_WORDS.has((env.MLFLOW_SERVER_DISABLE_SECURITY_MIDDLEWARE ?? "").toLowerCase()),
    ...(allowedHosts?.length ? { allowedHosts } : {}),
    ...(corsAllowedOrigins?.length ? { corsAllowedOrigins } : {}),
    ...(env.MLFLOW_SERVER_X_FRAME_OPTIONS ? { xFrameOptions: env.MLFLOW_SERVER_X_FRAME_OPTIONS } : {}),
  };
}
