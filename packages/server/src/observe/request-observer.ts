import type { Context, MiddlewareHandler } from "hono";
import { matchedRoutes } from "hono/route";
import type { ServerObserver } from "./server-observer.js";

/** Paths the reference's exporter leaves out of its request metrics (`excluded_paths`, and its own endpoint). */
const NOT_COUNTED = new Set(["/health", "/version", "/metrics"]);

/** hono's method for `app.use` middleware: a matched route with it is not an endpoint. */
const MIDDLEWARE_METHOD = "ALL";

/**
 * The route template of a request: the endpoint that answered it, or, when a middleware answered first (a 401 from
 * sign-in, a 403 from the Host check), the endpoint it was meant for; `unmatched` when no endpoint matches.
 */
export function routeTemplate(c: Context): string {
  const routes = matchedRoutes(c);
  const answered = routes[c.req.routeIndex];
  if (answered && answered.method !== MIDDLEWARE_METHOD) return answered.path;
  return routes.find((r) => r.method !== MIDDLEWARE_METHOD)?.path ?? "unmatched";
}

/**
 * Times every request and reports it with its route template and status. Registered first, so that answers of the
 * security and auth middleware are counted too.
 * @see mlflow/server/prometheus_exporter.py (prometheus_flask_exporter's defaults: method and status per request)
 */
export function observeRequests(observer: ServerObserver): MiddlewareHandler {
  return async (c, next) => {
    if (NOT_COUNTED.has(c.req.path)) return next();
    const start = performance.now();
    const length = Number(c.req.header("content-length") ?? Number.NaN);
    try {
      await next();
    } finally {
      observer.request({
        method: c.req.method,
        route: routeTemplate(c),
        // An error thrown past onError (none should be) still counts, as the 500 the client gets.
        status: c.finalized ? c.res.status : 500,
        seconds: (performance.now() - start) / 1000,
        ...(Number.isSafeInteger(length) && length >= 0 ? { requestBytes: length } : {}),
      });
    }
  };
}
