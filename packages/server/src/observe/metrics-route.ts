import type { Hono } from "hono";
import type { MetricsExport } from "./server-observer.js";

/** Where the reference's exporter serves (prometheus_flask_exporter's default path, outside any static prefix). */
export const METRICS_PATH = "/metrics";

/**
 * `GET /metrics`: the scrape. It sits behind the security middleware (Host check) and, with basic-auth, behind
 * sign-in, as the reference's does: its Flask route passes the same before-request hooks, and basic-auth's fail-closed
 * rule leaves it to admins.
 */
export function metricsRoute(app: Hono, metrics: MetricsExport): void {
  app.get(METRICS_PATH, async (c) => {
    const { contentType, body } = await metrics.scrape();
    return c.body(body, 200, { "Content-Type": contentType });
  });
}
