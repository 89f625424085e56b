import { Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { ArtifactStore } from "./artifacts/store.js";
import { type AuthService, guardApp, mountAuthRoutes } from "./auth/index.js";
import { MlflowError } from "./errors.js";
import { DEFAULT_MAX_REQUEST_BODY_BYTES, requestBodyLimit } from "./http/body-limit.js";
import { type SecurityOptions, securityMiddleware } from "./http/security.js";
import { logError } from "./log.js";
import { artifactRoutes } from "./routes/artifacts.js";
import { assessmentRoutes } from "./routes/assessments.js";
import { experimentRoutes } from "./routes/experiments.js";
// Review: label schemas, review queues, issues.
import { issueRoutes } from "./routes/issues.js";
import { labelSchemaRoutes } from "./routes/label-schemas.js";
import { loggedModelRoutes } from "./routes/logged-models.js";
import { metricRoutes } from "./routes/metrics.js";
import { modelVersionRoutes } from "./routes/model-versions.js";
import { openApiRoutes } from "./routes/openapi.js";
import { otlpRoutes } from "./routes/otlp.js";
import { registeredModelRoutes } from "./routes/registered-models.js";
import { reviewQueueRoutes } from "./routes/review-queues.js";
import { runRoutes } from "./routes/runs.js";
import { serverInfoRoutes } from "./routes/server-info.js";
import { traceArtifactRoutes } from "./routes/trace-artifacts.js";
import { traceMetricRoutes } from "./routes/trace-metrics.js";
import { traceWriteRoutes } from "./routes/trace-writes.js";
import { traceRoutes } from "./routes/traces.js";
import { webhookRoutes } from "./routes/webhooks.js";
import { workspaceRoutes } from "./routes/workspaces.js";
import type { Store } from "./store/index.js";
import { workspaceMiddleware } from "./workspaces/middleware.js";

export interface AppConfig {
  /** Reported by `/version`: the MLflow version whose API tracklite serves. */
  mlflowVersion: string;
  /** MLflow's security middleware settings; on with the reference's defaults when left out. */
  security?: SecurityOptions;
  /** Bodies over this many bytes are refused with 413 (artifact uploads excepted); 32 MiB when unset. */
  maxRequestBodyBytes?: number;
}

export interface AppDeps {
  store: Store;
  /** Where proxied artifacts live (`--artifacts-destination`). */
  artifacts: ArtifactStore;
  config: AppConfig;
  /** With it (`--app-name basic-auth`), every route needs sign-in and the user's permission. */
  auth?: AuthService;
}

/** The API prefixes the reference registers every endpoint under (the UI uses the ajax ones). */
const API_PREFIXES = ["/api/2.0", "/api/3.0"] as const;
const AJAX_PREFIXES = ["/ajax-api/2.0", "/ajax-api/3.0"] as const;

/** Builds the tracklite hono app. Touches no globals, so tests make a fresh one per file. */
export function createApp({ store, artifacts, config, auth }: AppDeps): Hono {
  const app = new Hono();
  const api = new Hono();
  const ajaxOnly = new Hono();
  /** Calls the reference serves under the 3.0 prefixes only. */
  const v3Only = new Hono();
  /** MLflow 2's trace calls, whose paths MLflow 3 reuses under 3.0 for others. */
  const v2Only = new Hono();

  // The middleware, in order. First, before anything reads the request, MLflow's security checks: the reference runs
  // them before authentication too. Then the body limit, before a body is read.
  app.use(securityMiddleware(config.security));
  app.use(requestBodyLimit(config.maxRequestBodyBytes ?? DEFAULT_MAX_REQUEST_BODY_BYTES));
  // The request's workspace, `c.get("workspace")`, resolved from X-MLFLOW-WORKSPACE.
  app.use("*", workspaceMiddleware(store));
  // Then sign-in and the route's permission, in the request's workspace.
  if (auth) guardApp(app, auth, store);

  experimentRoutes(api, store);
  runRoutes(api, store);
  metricRoutes(api, ajaxOnly, store);
  loggedModelRoutes(api, store);
  registeredModelRoutes(api, store);
  modelVersionRoutes(api, app, store, artifacts);
  webhookRoutes(api, store);
  artifactRoutes(api, ajaxOnly, app, store, artifacts);
  workspaceRoutes(v3Only, store);
  assessmentRoutes(v3Only, store);
  traceMetricRoutes(v3Only, store);
  traceRoutes(api, v3Only, v2Only, ajaxOnly, store, artifacts);
  traceArtifactRoutes(ajaxOnly, store, artifacts);
  traceWriteRoutes(v3Only, store);
  otlpRoutes(app, store);
  // Review: label schemas, review queues, issues.
  labelSchemaRoutes(v3Only, store);
  reviewQueueRoutes(v3Only, store);
  issueRoutes(v3Only, store);

  app.get("/health", (c) => c.text("OK"));
  app.get("/version", (c) => c.text(config.mlflowVersion));
  serverInfoRoutes(app, artifacts, store.workspacesEnabled);
  openApiRoutes(app, config.mlflowVersion);
  if (auth) mountAuthRoutes(app, auth, store);
  for (const prefix of ["/api/3.0", "/ajax-api/3.0"]) app.route(prefix, v3Only);
  for (const prefix of ["/api/2.0", "/ajax-api/2.0"]) app.route(prefix, v2Only);
  for (const prefix of API_PREFIXES) app.route(prefix, api);
  for (const prefix of AJAX_PREFIXES) {
    app.route(prefix, api);
    app.route(prefix, ajaxOnly);
  }

  // Unknown endpoints answer 404, never 501/500: the Python client falls back on ENDPOINT_NOT_FOUND.
  app.notFound((c) =>
    c.json(
      { error_code: "ENDPOINT_NOT_FOUND", message: `No endpoint ${c.req.method} ${new URL(c.req.url).pathname}` },
      404,
    ),
  );

  app.onError((err, c) => {
    if (err instanceof MlflowError) return c.json(err.toJSON(), err.status as ContentfulStatusCode);
    logError(err);
    return c.json({ error_code: "INTERNAL_ERROR", message: "An internal error occurred." }, 500);
  });
  return app;
}
