import { routes } from "@tracklite/schemas";
import type { MiddlewareHandler } from "hono";

/** What a server started with `--artifacts-only` still serves: the artifact proxy, server-info, health and version. */
const SERVED = [
  /^\/(?:ajax-)?api\/[23]\.0\/mlflow-artifacts(?:\/|$)/,
  /^\/(?:ajax-)?api\/3\.0\/mlflow\/server-info$/,
  /^\/health$/,
  /^\/version$/,
];
/** The tracking server's own routes, which `--artifacts-only` turns off. */
const TRACKING = /^\/(?:(?:ajax-)?api\/|get-artifact$|model-versions\/get-artifact$|graphql$|v1\/traces)/;

/** The shared table's paths with parameters, as Flask writes their rules (`/mlflow/logged-models/<model_id>`). */
const PARAMETRIZED = Object.values(routes as Record<string, { path: string }>)
  .filter((r) => r.path.includes("/:"))
  .map((r) => ({
    pattern: new RegExp(`^${r.path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/:\w+/g, "[^/]+")}$`),
    rule: r.path.replace(/:(\w+)/g, "<$1>"),
  }));

/** The Flask rule the reference names in its message: the path, with the route's parameters put back. */
function ruleOf(path: string): string {
  const prefix = /^\/(?:ajax-)?api\/[23]\.0/.exec(path)?.[0];
  if (!prefix) return path;
  const rest = path.slice(prefix.length);
  const match = PARAMETRIZED.find((r) => r.pattern.test(rest));
  return match ? prefix + match.rule : path;
}

/**
 * `--artifacts-only`: the tracking API answers 503 with the reference's plain-text message, the artifact proxy works
 * as usual.
 * @see mlflow/server/handlers.py `_disable_if_artifacts_only`
 */
export function artifactsOnlyGuard(): MiddlewareHandler {
  return async (c, next) => {
    const path = c.req.path;
    if (SERVED.some((p) => p.test(path)) || !TRACKING.test(path)) return next();
    return c.text(
      `Endpoint: ${ruleOf(path)} disabled due to the mlflow server running in \`--artifacts-only\` mode. To enable tracking server functionality, run \`mlflow server\` without \`--artifacts-only\``,
      503,
    );
  };
}
