import { MlflowError } from "@tracklite/server";
import type { ExecutionContext } from "hono";
import { readSettings, stringVars } from "./env.js";
import { type AssetsBinding, openWorkerApp, type WorkerApp } from "./open-app.js";

/**
 * The app of this isolate, built on its first request and kept while the isolate lives. A failed start (the schema
 * behind, the database unreachable) is not kept: the next request tries again, so `tracklite db upgrade` takes effect
 * without a redeploy.
 */
let opening: Promise<WorkerApp> | undefined;

function errorResponse(err: unknown): Response {
  const body =
    err instanceof MlflowError
      ? err.toJSON()
      : {
          error_code: "TEMPORARILY_UNAVAILABLE",
          message: `tracklite could not start: ${err instanceof Error ? err.message : String(err)}`,
        };
  const status = err instanceof MlflowError ? err.status : 503;
  return Response.json(body, { status });
}

export default {
  async fetch(request: Request, env: Record<string, unknown>, ctx: ExecutionContext): Promise<Response> {
    const vars = stringVars(env);
    const settings = readSettings(vars);
    if ("error" in settings)
      return Response.json({ error_code: "INTERNAL_ERROR", message: settings.error }, { status: 500 });
    opening ??= openWorkerApp(settings, vars, env.ASSETS as AssetsBinding | undefined);
    let opened: WorkerApp;
    try {
      opened = await opening;
    } catch (err) {
      opening = undefined;
      return errorResponse(err);
    }
    const response = await opened.app.fetch(request, env, ctx);
    // Webhook deliveries the request started run after the answer; waitUntil keeps the isolate alive for them.
    ctx.waitUntil(opened.store.webhookDelivery.idle());
    return response;
  },
};
