import { Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { artifactsOnlyGuard } from "./artifacts/artifacts-only.js";
import type { ArtifactRootOpener } from "./artifacts/roots.js";
import type { ArtifactStore } from "./artifacts/store.js";
import { type AuthService, guardApp, mountAuthRoutes } from "./auth/index.js";
import { MlflowError } from "./errors.js";
import type { GraphqlOptions } from "./graphql/options.js";
import { DEFAULT_MAX_REQUEST_BODY_BYTES, requestBodyLimit } from "./http/body-limit.js";
import { type SecurityOptions, securityMiddleware } from "./http/security.js";
import { prefixRootRedirect, staticPrefixPath } from "./http/static-prefix.js";
import { logError } from "./log.js";
import { METRICS_PATH, metricsRoute } from "./observe/metrics-route.js";
import { observeRequests } from "./observe/request-observer.js";
import type { MetricsExport } from "./observe/server-observer.js";
import { artifactRoutes } from "./routes/artifacts.js";
import { assessmentRoutes } from "./routes/assessments.js";
import { datasetRoutes } from "./routes/datasets.js";
import { demoRoutes } from "./routes/demo.js";
import { experimentRoutes } from "./routes/experiments.js";
import { genaiInvokeRoutes } from "./routes/genai-invoke.js";
import { graphqlRoutes } from "./routes/graphql.js";
import { issueRoutes } from "./routes/issues.js";
import { jobRoutes } from "./routes/jobs.js";
import { labelSchemaRoutes } from "./routes/label-schemas.js";
import { loggedModelRoutes } from "./routes/logged-models.js";
import { metricRoutes } from "./routes/metrics.js";
import { modelVersionRoutes } from "./routes/model-versions.js";
import { openApiRoutes } from "./routes/openapi.js";
import { otlpRoutes } from "./routes/otlp.js";
import { presignedArtifactRoutes } from "./routes/presigned-artifacts.js";
import { promptOptimizationRoutes } from "./routes/prompt-optimization.js";
import { promptlabRoutes } from "./routes/promptlab.js";
import { registeredModelRoutes } from "./routes/registered-models.js";
import { reviewQueueRoutes } from "./routes/review-queues.js";
import { runRoutes } from "./routes/runs.js";
import { scorerInvokeRoutes } from "./routes/scorer-invoke.js";
import { scorerRoutes } from "./routes/scorers.js";
import { serverInfoRoutes } from "./routes/server-info.js";
import { traceArtifactRoutes } from "./routes/trace-artifacts.js";
import { traceMetricRoutes } from "./routes/trace-metrics.js";
import { traceWriteRoutes } from "./routes/trace-writes.js";
import { traceRoutes } from "./routes/traces.js";
import { uiTelemetryRoutes } from "./routes/ui-telemetry.js";
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
  /** `/graphql`'s limits and checks; the reference's defaults when left out. */
  graphql?: GraphqlOptions;
  /** `--serve-artifacts` (default true): the mlflow-artifacts proxy is served and proxied locations are read. */
  serveArtifacts?: boolean;
  /** `--artifacts-only`: every route but the artifact proxy's answers 503, as the reference's do. */
  artifactsOnly?: boolean;
  /** MLFLOW_PRESIGNED_DOWNLOAD_URL_TTL_SECONDS: lifetime of presigned download URLs (default 300). */
  presignedDownloadTtlSeconds?: number;
  /** `--static-prefix` (`/mlflow`, say): every route answers under it instead of at `/`. */
  staticPrefix?: string;
  /** MLFLOW_SERVER_ENABLE_CUSTOM_SCORERS: accept `@scorer` functions for registration (they are stored, never run). */
  allowCustomScorers?: boolean;
}

export interface AppDeps {
  store: Store;
  /** Where proxied artifacts live (`--artifacts-destination`). */
  artifacts: ArtifactStore;
  config: AppConfig;
  /** With it (`--app-name basic-auth`), every route needs sign-in and the user's permission. */
  auth?: AuthService;
  /** Reads artifact locations outside the proxy (local folders, s3://); without it only proxied ones are served. */
  artifactRoots?: ArtifactRootOpener;
  /** With it (`--expose-prometheus`), requests are reported to its observer and `GET /metrics` serves its scrape. */
  metrics?: MetricsExport;
}

/** The API prefixes the reference registers every endpoint under (the UI uses the ajax ones). */
const API_PREFIXES = ["/api/2.0", "/api/3.0"] as const;
const AJAX_PREFIXES = ["/ajax-api/2.0", "/ajax-api/3.0"] as const;

/** Builds the tracklite hono app. Touches no globals, so tests make a fresh one per file. */
export function createApp({ store, artifacts, config, auth, artifactRoots, metrics }: AppDeps): Hono {
  const staticPrefix = config.staticPrefix;
  const app = new Hono(staticPrefix ? { getPath: staticPrefixPath(staticPrefix, metrics ? [METRICS_PATH] : []) } : {});
  const api = new Hono();
  const ajaxOnly = new Hono();
  /** Calls the reference serves under the 3.0 prefixes only. */
  const v3Only = new Hono();
  /** MLflow 2's trace calls, whose paths MLflow 3 reuses under 3.0 for others. */
  const v2Only = new Hono();
  /** UI calls the reference serves under `/ajax-api/3.0` only. */
  const ajaxV3 = new Hono();

  // The middleware, in order. With --expose-prometheus, the request timer sees every answer. Then, before anything
  // reads the request, MLflow's security checks: the reference runs them before authentication too. Then the body
  // limit, before a body is read.
  if (metrics) app.use(observeRequests(metrics.observer));
  app.use(securityMiddleware(config.security));
  if (staticPrefix) app.use(prefixRootRedirect(staticPrefix));
  app.use(requestBodyLimit(config.maxRequestBodyBytes ?? DEFAULT_MAX_REQUEST_BODY_BYTES));
  // The request's workspace, `c.get("workspace")`, resolved from X-MLFLOW-WORKSPACE.
  app.use("*", workspaceMiddleware(store));
  // Then sign-in and the route's permission, in the request's workspace.
  if (auth) guardApp(app, auth, store);
  if (config.artifactsOnly) app.use(artifactsOnlyGuard());
  const access = { proxied: artifacts, serveArtifacts: config.serveArtifacts ?? true, openRoot: artifactRoots };

  experimentRoutes(api, store);
  runRoutes(api, store);
  metricRoutes(api, ajaxOnly, store);
  loggedModelRoutes(api, store);
  registeredModelRoutes(api, store);
  modelVersionRoutes(api, app, store, access);
  webhookRoutes(api, store);
  artifactRoutes(api, ajaxOnly, app, store, access);
  presignedArtifactRoutes(api, store, access, config.presignedDownloadTtlSeconds ?? 300);
  workspaceRoutes(v3Only, store);
  assessmentRoutes(v3Only, store);
  traceMetricRoutes(v3Only, store);
  traceRoutes(api, v3Only, v2Only, ajaxOnly, store, artifacts);
  traceArtifactRoutes(ajaxOnly, store, artifacts);
  traceWriteRoutes(v3Only, store);
  otlpRoutes(app, store);
  // GenAI evaluation: datasets, scorers, prompt optimization, the prompt lab, human review, and the UI's job calls.
  datasetRoutes(v3Only, ajaxOnly, store);
  scorerRoutes(v3Only, store, { allowCustomScorers: config.allowCustomScorers ?? false });
  promptOptimizationRoutes(v3Only, store);
  promptlabRoutes(app, store, artifacts, config.mlflowVersion);
  scorerInvokeRoutes(app, store, config.allowCustomScorers ?? false);
  labelSchemaRoutes(v3Only, store);
  reviewQueueRoutes(v3Only, store);
  issueRoutes(v3Only, store);
  genaiInvokeRoutes(ajaxV3);
  jobRoutes(app, ajaxV3);
  demoRoutes(ajaxV3, store);
  uiTelemetryRoutes(ajaxV3);

  app.get("/health", (c) => c.text("OK"));
  app.get("/version", (c) => c.text(config.mlflowVersion));
  if (metrics) metricsRoute(app, metrics);
  serverInfoRoutes(app, access.serveArtifacts ? artifacts : undefined, store.workspacesEnabled);
  openApiRoutes(app, config.mlflowVersion);
  if (auth) mountAuthRoutes(app, auth, store);
  // /graphql and /ajax-api/graphql, the engine loaded on the first query.
  graphqlRoutes(app, { store, auth, options: config.graphql });
  for (const prefix of ["/api/3.0", "/ajax-api/3.0"]) app.route(prefix, v3Only);
  app.route("/ajax-api/3.0", ajaxV3);
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
