import type * as z from "zod";
import * as E from "./experiments.js";
import * as L from "./logged-models.js";
import * as M from "./metrics.js";
import * as G from "./registry.js";
import * as R from "./runs.js";
import * as W from "./webhooks.js";

export type HttpMethod = "GET" | "POST" | "PATCH" | "DELETE" | "PUT";

/** One MLflow REST endpoint: where it lives and what goes in and out. */
export interface Endpoint {
  /** Methods the reference registers; the first is the one MLflow's client uses. */
  readonly methods: readonly HttpMethod[];
  /** Path below the `/api/2.0` (or `/ajax-api/2.0`, `/api/3.0`) prefix. */
  readonly path: string;
  readonly request: z.ZodType;
  readonly response: z.ZodType;
  /** Served only under `/ajax-api/` (UI-only calls that are not proto RPCs). */
  readonly ajaxOnly?: boolean;
}

/**
 * Every MLflow endpoint tracklite serves. Server routes, the TypeScript client and the UI all derive from it.
 * @see mlflow/protos/service.proto (the `rpc` options give method and path)
 */
export const endpoints = {
  createExperiment: {
    methods: ["POST"],
    path: "/mlflow/experiments/create",
    request: E.CreateExperiment,
    response: E.CreateExperimentResponse,
  },
  getExperiment: {
    methods: ["GET"],
    path: "/mlflow/experiments/get",
    request: E.ExperimentIdRequest,
    response: E.GetExperimentResponse,
  },
  getExperimentByName: {
    methods: ["GET"],
    path: "/mlflow/experiments/get-by-name",
    request: E.GetExperimentByName,
    response: E.GetExperimentResponse,
  },
  searchExperiments: {
    methods: ["POST", "GET"],
    path: "/mlflow/experiments/search",
    request: E.SearchExperiments,
    response: E.SearchExperimentsResponse,
  },
  updateExperiment: {
    methods: ["POST"],
    path: "/mlflow/experiments/update",
    request: E.UpdateExperiment,
    response: E.Empty,
  },
  deleteExperiment: {
    methods: ["POST"],
    path: "/mlflow/experiments/delete",
    request: E.ExperimentIdRequest,
    response: E.Empty,
  },
  restoreExperiment: {
    methods: ["POST"],
    path: "/mlflow/experiments/restore",
    request: E.ExperimentIdRequest,
    response: E.Empty,
  },
  setExperimentTag: {
    methods: ["POST"],
    path: "/mlflow/experiments/set-experiment-tag",
    request: E.SetExperimentTag,
    response: E.Empty,
  },
  deleteExperimentTag: {
    methods: ["POST"],
    path: "/mlflow/experiments/delete-experiment-tag",
    request: E.DeleteExperimentTag,
    response: E.Empty,
  },

  createRun: { methods: ["POST"], path: "/mlflow/runs/create", request: R.CreateRun, response: R.RunResponse },
  getRun: { methods: ["GET"], path: "/mlflow/runs/get", request: R.GetRun, response: R.RunResponse },
  updateRun: { methods: ["POST"], path: "/mlflow/runs/update", request: R.UpdateRun, response: R.UpdateRunResponse },
  deleteRun: { methods: ["POST"], path: "/mlflow/runs/delete", request: R.RunIdRequest, response: E.Empty },
  restoreRun: { methods: ["POST"], path: "/mlflow/runs/restore", request: R.RunIdRequest, response: E.Empty },
  searchRuns: { methods: ["POST"], path: "/mlflow/runs/search", request: R.SearchRuns, response: R.SearchRunsResponse },
  logMetric: { methods: ["POST"], path: "/mlflow/runs/log-metric", request: R.LogMetric, response: E.Empty },
  logParam: { methods: ["POST"], path: "/mlflow/runs/log-parameter", request: R.LogParam, response: E.Empty },
  setTag: { methods: ["POST"], path: "/mlflow/runs/set-tag", request: R.SetTag, response: E.Empty },
  deleteTag: { methods: ["POST"], path: "/mlflow/runs/delete-tag", request: R.DeleteTag, response: E.Empty },
  logBatch: { methods: ["POST"], path: "/mlflow/runs/log-batch", request: R.LogBatch, response: E.Empty },
  logModel: { methods: ["POST"], path: "/mlflow/runs/log-model", request: R.LogModel, response: E.Empty },
  logInputs: { methods: ["POST"], path: "/mlflow/runs/log-inputs", request: R.LogInputs, response: E.Empty },
  logOutputs: { methods: ["POST"], path: "/mlflow/runs/outputs", request: R.LogOutputs, response: E.Empty },

  getMetricHistory: {
    methods: ["GET"],
    path: "/mlflow/metrics/get-history",
    request: M.GetMetricHistory,
    response: M.GetMetricHistoryResponse,
  },
  getMetricHistoryBulkInterval: {
    methods: ["GET"],
    path: "/mlflow/metrics/get-history-bulk-interval",
    request: M.GetMetricHistoryBulkInterval,
    response: M.MetricsResponse,
  },
  getMetricHistoryBulk: {
    methods: ["GET"],
    path: "/mlflow/metrics/get-history-bulk",
    request: M.GetMetricHistoryBulk,
    response: M.MetricsResponse,
    ajaxOnly: true,
  },

  // Logged models (MLflow 3). `/search` is listed before `/:model_id` for readability only: mount() lets a route of
  // the request's method win over another path's 405 answer, whatever the order.
  createLoggedModel: {
    methods: ["POST"],
    path: "/mlflow/logged-models",
    request: L.CreateLoggedModel,
    response: L.LoggedModelResponse,
  },
  searchLoggedModels: {
    methods: ["POST"],
    path: "/mlflow/logged-models/search",
    request: L.SearchLoggedModels,
    response: L.SearchLoggedModelsResponse,
  },
  getLoggedModel: {
    methods: ["GET"],
    path: "/mlflow/logged-models/:model_id",
    request: L.GetLoggedModel,
    response: L.LoggedModelResponse,
  },
  finalizeLoggedModel: {
    methods: ["PATCH"],
    path: "/mlflow/logged-models/:model_id",
    request: L.FinalizeLoggedModel,
    response: L.LoggedModelResponse,
  },
  deleteLoggedModel: {
    methods: ["DELETE"],
    path: "/mlflow/logged-models/:model_id",
    request: L.LoggedModelPathOnly,
    response: E.Empty,
  },
  setLoggedModelTags: {
    methods: ["PATCH"],
    path: "/mlflow/logged-models/:model_id/tags",
    request: L.SetLoggedModelTags,
    response: E.Empty,
  },
  deleteLoggedModelTag: {
    methods: ["DELETE"],
    path: "/mlflow/logged-models/:model_id/tags/:tag_key",
    request: L.LoggedModelPathOnly,
    response: E.Empty,
  },
  logLoggedModelParams: {
    methods: ["POST"],
    path: "/mlflow/logged-models/:model_id/params",
    request: L.LogLoggedModelParams,
    response: E.Empty,
  },
  // Model registry (also prompts, which are registered models with a tag).
  createRegisteredModel: {
    methods: ["POST"],
    path: "/mlflow/registered-models/create",
    request: G.CreateRegisteredModel,
    response: G.RegisteredModelResponse,
  },
  renameRegisteredModel: {
    methods: ["POST"],
    path: "/mlflow/registered-models/rename",
    request: G.RenameRegisteredModel,
    response: G.RegisteredModelResponse,
  },
  updateRegisteredModel: {
    methods: ["PATCH"],
    path: "/mlflow/registered-models/update",
    request: G.UpdateRegisteredModel,
    response: G.RegisteredModelResponse,
  },
  deleteRegisteredModel: {
    methods: ["DELETE"],
    path: "/mlflow/registered-models/delete",
    request: G.RegisteredModelName,
    response: E.Empty,
  },
  getRegisteredModel: {
    methods: ["GET"],
    path: "/mlflow/registered-models/get",
    request: G.RegisteredModelName,
    response: G.RegisteredModelResponse,
  },
  searchRegisteredModels: {
    methods: ["GET"],
    path: "/mlflow/registered-models/search",
    request: G.SearchRegisteredModels,
    response: G.SearchRegisteredModelsResponse,
  },
  getLatestVersions: {
    methods: ["POST", "GET"],
    path: "/mlflow/registered-models/get-latest-versions",
    request: G.GetLatestVersions,
    response: G.ModelVersionsResponse,
  },
  setRegisteredModelTag: {
    methods: ["POST"],
    path: "/mlflow/registered-models/set-tag",
    request: G.SetRegisteredModelTag,
    response: E.Empty,
  },
  deleteRegisteredModelTag: {
    methods: ["DELETE"],
    path: "/mlflow/registered-models/delete-tag",
    request: G.DeleteRegisteredModelTag,
    response: E.Empty,
  },
  setRegisteredModelAlias: {
    methods: ["POST"],
    path: "/mlflow/registered-models/alias",
    request: G.SetRegisteredModelAlias,
    response: E.Empty,
  },
  deleteRegisteredModelAlias: {
    methods: ["DELETE"],
    path: "/mlflow/registered-models/alias",
    request: G.RegisteredModelAliasRequest,
    response: E.Empty,
  },
  getModelVersionByAlias: {
    methods: ["GET"],
    path: "/mlflow/registered-models/alias",
    request: G.RegisteredModelAliasRequest,
    response: G.ModelVersionResponse,
  },
  createModelVersion: {
    methods: ["POST"],
    path: "/mlflow/model-versions/create",
    request: G.CreateModelVersion,
    response: G.ModelVersionResponse,
  },
  updateModelVersion: {
    methods: ["PATCH"],
    path: "/mlflow/model-versions/update",
    request: G.UpdateModelVersion,
    response: G.ModelVersionResponse,
  },
  transitionModelVersionStage: {
    methods: ["POST"],
    path: "/mlflow/model-versions/transition-stage",
    request: G.TransitionModelVersionStage,
    response: G.ModelVersionResponse,
  },
  deleteModelVersion: {
    methods: ["DELETE"],
    path: "/mlflow/model-versions/delete",
    request: G.ModelVersionRequest,
    response: E.Empty,
  },
  getModelVersion: {
    methods: ["GET"],
    path: "/mlflow/model-versions/get",
    request: G.ModelVersionRequest,
    response: G.ModelVersionResponse,
  },
  searchModelVersions: {
    methods: ["GET"],
    path: "/mlflow/model-versions/search",
    request: G.SearchModelVersions,
    response: G.SearchModelVersionsResponse,
  },
  getModelVersionDownloadUri: {
    methods: ["GET"],
    path: "/mlflow/model-versions/get-download-uri",
    request: G.ModelVersionRequest,
    response: G.DownloadUriResponse,
  },
  setModelVersionTag: {
    methods: ["POST"],
    path: "/mlflow/model-versions/set-tag",
    request: G.SetModelVersionTag,
    response: E.Empty,
  },
  deleteModelVersionTag: {
    methods: ["DELETE"],
    path: "/mlflow/model-versions/delete-tag",
    request: G.DeleteModelVersionTag,
    response: E.Empty,
  },
  // Webhooks on registry events. @see mlflow/protos/webhooks.proto (WebhookService)
  createWebhook: {
    methods: ["POST"],
    path: "/mlflow/webhooks",
    request: W.CreateWebhook,
    response: W.WebhookResponse,
  },
  listWebhooks: {
    methods: ["GET"],
    path: "/mlflow/webhooks",
    request: W.ListWebhooks,
    response: W.ListWebhooksResponse,
  },
  getWebhook: {
    methods: ["GET"],
    path: "/mlflow/webhooks/:webhook_id",
    request: W.WebhookPathOnly,
    response: W.WebhookResponse,
  },
  updateWebhook: {
    methods: ["PATCH"],
    path: "/mlflow/webhooks/:webhook_id",
    request: W.UpdateWebhook,
    response: W.WebhookResponse,
  },
  deleteWebhook: {
    methods: ["DELETE"],
    path: "/mlflow/webhooks/:webhook_id",
    request: W.WebhookPathOnly,
    response: E.Empty,
  },
  testWebhook: {
    methods: ["POST"],
    path: "/mlflow/webhooks/:webhook_id/test",
    request: W.TestWebhook,
    response: W.TestWebhookResponse,
  },
} as const satisfies Record<string, Endpoint>;

export type Endpoints = typeof endpoints;
export type EndpointName = keyof Endpoints;
/** What a client sends to an endpoint (before parsing). */
export type RequestOf<N extends EndpointName> = z.input<Endpoints[N]["request"]>;
/** What the server receives after parsing. */
export type ParsedRequestOf<N extends EndpointName> = z.output<Endpoints[N]["request"]>;
/** What the endpoint answers. */
export type ResponseOf<N extends EndpointName> = z.infer<Endpoints[N]["response"]>;
/** The names of the `:param` segments of a path: `"/a/:x/b/:y"` gives `"x" | "y"`. */
type PathParamNames<P extends string> = P extends `${string}:${infer Name}/${infer Rest}`
  ? Name | PathParamNames<`/${Rest}`>
  : P extends `${string}:${infer Name}`
    ? Name
    : never;
/** The path parameters of an endpoint (e.g. `{ model_id: string }`), apart from its request message. */
export type PathParamsOf<N extends EndpointName> = { [K in PathParamNames<Endpoints[N]["path"]>]: string };
