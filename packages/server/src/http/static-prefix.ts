import type { MiddlewareHandler } from "hono";
import { getPath } from "hono/utils/url";

/** What paths outside the prefix route to: no route matches it, so they answer the JSON 404 (after the middleware). */
const OUTSIDE_PREFIX = "/\0outside-static-prefix";

/**
 * `--static-prefix`: the app's routes, as tests and the route tables know them, answer under `<prefix>/…`; the router
 * sees the path without the prefix. Paths outside it answer 404, as in the reference (which registers every route
 * through `_add_static_prefix`), except `rootPaths` (its `/metrics`, which the exporter registers unprefixed), which
 * are served only at the root.
 * @see mlflow/server/handlers.py _add_static_prefix
 */
export function staticPrefixPath(prefix: string, rootPaths: readonly string[] = []): (req: Request) => string {
  return (req) => {
    const path = getPath(req);
    if (path === prefix) return "/";
    if (path.startsWith(`${prefix}/`)) {
      const inner = path.slice(prefix.length);
      return rootPaths.includes(inner) ? `${OUTSIDE_PREFIX}${path}` : inner;
    }
    return rootPaths.includes(path) ? path : `${OUTSIDE_PREFIX}${path}`;
  };
}

/**
 * `<prefix>` without its slash redirects (308) to `<prefix>/`, as Werkzeug does for the reference's `<prefix>/` UI
 * route: the UI's relative asset URLs need the slash.
 */
export function prefixRootRedirect(prefix: string): MiddlewareHandler {
  return async (c, next) => {
    const url = new URL(c.req.url);
    if (url.pathname !== prefix) return next();
    return c.redirect(`${prefix}/${url.search}`, 308);
  };
}
