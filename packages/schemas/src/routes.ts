/**
 * Where every MLflow endpoint tracklite serves lives: its methods and path. No zod here, so the TypeScript client and
 * the UI can route calls without shipping the schemas; `endpoints.ts` adds each endpoint's request and response
 * schemas to this table.
 * @see mlflow/protos/service.proto (the `rpc` options give method and path)
 */

export type HttpMethod = "GET" | "POST" | "PATCH" | "DELETE" | "PUT";

/** Where one MLflow REST endpoint lives. */
export interface Route {
  /** Methods the reference registers; the first is the one MLflow's client uses. */
  readonly methods: readonly HttpMethod[];
  /** Path below the `/api/2.0` (or `/ajax-api/2.0`, `/api/3.0`) prefix; `:name` segments are path parameters. */
  readonly path: string;
  /** Served only under `/ajax-api/` (UI-only calls that are not proto RPCs). */
  readonly ajaxOnly?: boolean;
  /** Served only under the 3.0 prefixes (`/api/3.0`, `/ajax-api/3.0`), as MLflow 3's newer RPCs are. */
  readonly v3Only?: boolean;
  /** Served only under the 2.0 prefixes: MLflow 2's trace RPCs, whose paths MLflow 3 reuses under 3.0 for others. */
  readonly v2Only?: boolean;
  /** Served only by a server started with `--app-name basic-auth`. */
  readonly auth?: boolean;
  /** The success status when it is not 200 (the reference answers a created workspace with 201). */
  readonly successStatus?: 201;
}

export const routes = {
  createExperiment: { methods: ["POST"], path: "/mlflow/experiments/create" },
  getExperiment: { methods: ["GET"], path: "/mlflow/experiments/get" },
  getExperimentByName: { methods: ["GET"], path: "/mlflow/experiments/get-by-name" },
  searchExperiments: { methods: ["POST", "GET"], path: "/mlflow/experiments/search" },
  updateExperiment: { methods: ["POST"], path: "/mlflow/experiments/update" },
  deleteExperiment: { methods: ["POST"], path: "/mlflow/experiments/delete" },
  restoreExperiment: { methods: ["POST"], path: "/mlflow/experiments/restore" },
  setExperimentTag: { methods: ["POST"], path: "/mlflow/experiments/set-experiment-tag" },
  deleteExperimentTag: { methods: ["POST"], path: "/mlflow/experiments/delete-experiment-tag" },
  createRun: { methods: ["POST"], path: "/mlflow/runs/create" },
  getRun: { methods: ["GET"], path: "/mlflow/runs/get" },
  updateRun: { methods: ["POST"], path: "/mlflow/runs/update" },
  deleteRun: { methods: ["POST"], path: "/mlflow/runs/delete" },
  restoreRun: { methods: ["POST"], path: "/mlflow/runs/restore" },
  searchRuns: { methods: ["POST"], path: "/mlflow/runs/search" },
  logMetric: { methods: ["POST"], path: "/mlflow/runs/log-metric" },
  logParam: { methods: ["POST"], path: "/mlflow/runs/log-parameter" },
  setTag: { methods: ["POST"], path: "/mlflow/runs/set-tag" },
  deleteTag: { methods: ["POST"], path: "/mlflow/runs/delete-tag" },
  logBatch: { methods: ["POST"], path: "/mlflow/runs/log-batch" },
  logModel: { methods: ["POST"], path: "/mlflow/runs/log-model" },
  logInputs: { methods: ["POST"], path: "/mlflow/runs/log-inputs" },
  logOutputs: { methods: ["POST"], path: "/mlflow/runs/outputs" },
  getMetricHistory: { methods: ["GET"], path: "/mlflow/metrics/get-history" },
  getMetricHistoryBulkInterval: { methods: ["GET"], path: "/mlflow/metrics/get-history-bulk-interval" },
  getMetricHistoryBulk: { methods: ["GET"], path: "/mlflow/metrics/get-history-bulk", ajaxOnly: true },
  createLoggedModel: { methods: ["POST"], path: "/mlflow/logged-models" },
  searchLoggedModels: { methods: ["POST"], path: "/mlflow/logged-models/search" },
  getLoggedModel: { methods: ["GET"], path: "/mlflow/logged-models/:model_id" },
  finalizeLoggedModel: { methods: ["PATCH"], path: "/mlflow/logged-models/:model_id" },
  deleteLoggedModel: { methods: ["DELETE"], path: "/mlflow/logged-models/:model_id" },
  setLoggedModelTags: { methods: ["PATCH"], path: "/mlflow/logged-models/:model_id/tags" },
  deleteLoggedModelTag: { methods: ["DELETE"], path: "/mlflow/logged-models/:model_id/tags/:tag_key" },
  logLoggedModelParams: { methods: ["POST"], path: "/mlflow/logged-models/:model_id/params" },
  createRegisteredModel: { methods: ["POST"], path: "/mlflow/registered-models/create" },
  renameRegisteredModel: { methods: ["POST"], path: "/mlflow/registered-models/rename" },
  updateRegisteredModel: { methods: ["PATCH"], path: "/mlflow/registered-models/update" },
  deleteRegisteredModel: { methods: ["DELETE"], path: "/mlflow/registered-models/delete" },
  getRegisteredModel: { methods: ["GET"], path: "/mlflow/registered-models/get" },
  searchRegisteredModels: { methods: ["GET"], path: "/mlflow/registered-models/search" },
  getLatestVersions: { methods: ["POST", "GET"], path: "/mlflow/registered-models/get-latest-versions" },
  setRegisteredModelTag: { methods: ["POST"], path: "/mlflow/registered-models/set-tag" },
  deleteRegisteredModelTag: { methods: ["DELETE"], path: "/mlflow/registered-models/delete-tag" },
  setRegisteredModelAlias: { methods: ["POST"], path: "/mlflow/registered-models/alias" },
  deleteRegisteredModelAlias: { methods: ["DELETE"], path: "/mlflow/registered-models/alias" },
  getModelVersionByAlias: { methods: ["GET"], path: "/mlflow/registered-models/alias" },
  createModelVersion: { methods: ["POST"], path: "/mlflow/model-versions/create" },
  updateModelVersion: { methods: ["PATCH"], path: "/mlflow/model-versions/update" },
  transitionModelVersionStage: { methods: ["POST"], path: "/mlflow/model-versions/transition-stage" },
  deleteModelVersion: { methods: ["DELETE"], path: "/mlflow/model-versions/delete" },
  getModelVersion: { methods: ["GET"], path: "/mlflow/model-versions/get" },
  searchModelVersions: { methods: ["GET"], path: "/mlflow/model-versions/search" },
  getModelVersionDownloadUri: { methods: ["GET"], path: "/mlflow/model-versions/get-download-uri" },
  setModelVersionTag: { methods: ["POST"], path: "/mlflow/model-versions/set-tag" },
  deleteModelVersionTag: { methods: ["DELETE"], path: "/mlflow/model-versions/delete-tag" },
  createWebhook: { methods: ["POST"], path: "/mlflow/webhooks" },
  listWebhooks: { methods: ["GET"], path: "/mlflow/webhooks" },
  getWebhook: { methods: ["GET"], path: "/mlflow/webhooks/:webhook_id" },
  updateWebhook: { methods: ["PATCH"], path: "/mlflow/webhooks/:webhook_id" },
  deleteWebhook: { methods: ["DELETE"], path: "/mlflow/webhooks/:webhook_id" },
  testWebhook: { methods: ["POST"], path: "/mlflow/webhooks/:webhook_id/test" },
  listWorkspaces: { methods: ["GET"], path: "/mlflow/workspaces", v3Only: true },
  createWorkspace: { methods: ["POST"], path: "/mlflow/workspaces", v3Only: true, successStatus: 201 },
  getWorkspace: { methods: ["GET"], path: "/mlflow/workspaces/:workspace_name", v3Only: true },
  updateWorkspace: { methods: ["PATCH"], path: "/mlflow/workspaces/:workspace_name", v3Only: true },
  deleteWorkspace: { methods: ["DELETE"], path: "/mlflow/workspaces/:workspace_name", v3Only: true },

  // MLflow Tracing, v3. `traces/get` and `traces/batchGet` come before `traces/:trace_id`, which would match them.
  startTraceV3: { methods: ["POST"], path: "/mlflow/traces", v3Only: true },
  getTrace: { methods: ["GET"], path: "/mlflow/traces/get", v3Only: true },
  batchGetTraces: { methods: ["GET"], path: "/mlflow/traces/batchGet", v3Only: true },
  batchGetTraceInfos: { methods: ["POST"], path: "/mlflow/traces/batchGetInfos", v3Only: true },
  searchTracesV3: { methods: ["POST"], path: "/mlflow/traces/search", v3Only: true },
  getTraceInfoV3: { methods: ["GET"], path: "/mlflow/traces/:trace_id", v3Only: true },
  // Both versions: the same handler under 2.0 (`request_id`) and 3.0 (`trace_id`).
  deleteTraces: { methods: ["POST"], path: "/mlflow/traces/delete-traces" },
  setTraceTag: { methods: ["PATCH"], path: "/mlflow/traces/:trace_id/tags" },
  deleteTraceTag: { methods: ["DELETE"], path: "/mlflow/traces/:trace_id/tags" },
  linkTracesToRun: { methods: ["POST"], path: "/mlflow/traces/link-to-run" },
  linkPromptsToTrace: { methods: ["POST"], path: "/mlflow/traces/link-prompts" },
  // MLflow Tracing, v2 (2.x and early 3.x clients).
  startTraceV2: { methods: ["POST"], path: "/mlflow/traces", v2Only: true },
  searchTracesV2: { methods: ["GET"], path: "/mlflow/traces", v2Only: true },
  endTraceV2: { methods: ["PATCH"], path: "/mlflow/traces/:trace_id", v2Only: true },
  getTraceInfoV2: { methods: ["GET"], path: "/mlflow/traces/:trace_id/info", v2Only: true },
  // Trace analytics (the UI's Overview charts).
  queryTraceMetrics: { methods: ["POST"], path: "/mlflow/traces/metrics", v3Only: true },
  calculateTraceFilterCorrelation: {
    methods: ["POST"],
    path: "/mlflow/traces/calculate-filter-correlation",
    v3Only: true,
  },
  // Assessments (feedback, expectations) on a trace.
  createAssessment: { methods: ["POST"], path: "/mlflow/traces/:trace_id/assessments", v3Only: true },
  getAssessment: { methods: ["GET"], path: "/mlflow/traces/:trace_id/assessments/:assessment_id", v3Only: true },
  updateAssessment: { methods: ["PATCH"], path: "/mlflow/traces/:trace_id/assessments/:assessment_id", v3Only: true },
  deleteAssessment: {
    methods: ["DELETE"],
    path: "/mlflow/traces/:trace_id/assessments/:assessment_id",
    v3Only: true,
  },

  // tracklite's own UI calls, not MLflow RPCs.
  getMetricSummaries: { methods: ["GET"], path: "/tracklite/metrics/summaries", ajaxOnly: true },
  getMetricBuckets: { methods: ["GET"], path: "/tracklite/metrics/buckets", ajaxOnly: true },
  getTraceSpanTree: { methods: ["GET"], path: "/tracklite/traces/span-tree", ajaxOnly: true },
  getTraceSpans: { methods: ["GET"], path: "/tracklite/traces/spans", ajaxOnly: true },

  // The basic-auth app (`--app-name basic-auth`). @see mlflow/server/auth/routes.py
  createUser: { methods: ["POST"], path: "/mlflow/users/create", auth: true },
  getUser: { methods: ["GET"], path: "/mlflow/users/get", auth: true },
  getCurrentUser: { methods: ["GET"], path: "/mlflow/users/current", auth: true },
  listUsers: { methods: ["GET"], path: "/mlflow/users/list", auth: true },
  updateUserPassword: { methods: ["PATCH"], path: "/mlflow/users/update-password", auth: true },
  updateUserAdmin: { methods: ["PATCH"], path: "/mlflow/users/update-admin", auth: true },
  deleteUser: { methods: ["DELETE"], path: "/mlflow/users/delete", auth: true },
  listCurrentUserPermissions: {
    methods: ["GET"],
    path: "/mlflow/users/current/permissions",
    auth: true,
    v3Only: true,
  },
  listUserPermissions: { methods: ["GET"], path: "/mlflow/users/permissions/list", auth: true, v3Only: true },
  grantUserPermission: { methods: ["POST"], path: "/mlflow/users/permissions/grant", auth: true, v3Only: true },
  revokeUserPermission: { methods: ["POST"], path: "/mlflow/users/permissions/revoke", auth: true, v3Only: true },
  getUserPermission: { methods: ["GET"], path: "/mlflow/users/permissions/get", auth: true, v3Only: true },
  createRole: { methods: ["POST"], path: "/mlflow/roles/create", auth: true, v3Only: true },
  getRole: { methods: ["GET"], path: "/mlflow/roles/get", auth: true, v3Only: true },
  listRoles: { methods: ["GET"], path: "/mlflow/roles/list", auth: true, v3Only: true },
  updateRole: { methods: ["PATCH"], path: "/mlflow/roles/update", auth: true, v3Only: true },
  deleteRole: { methods: ["DELETE"], path: "/mlflow/roles/delete", auth: true, v3Only: true },
  addRolePermission: { methods: ["POST"], path: "/mlflow/roles/permissions/add", auth: true, v3Only: true },
  removeRolePermission: { methods: ["DELETE"], path: "/mlflow/roles/permissions/remove", auth: true, v3Only: true },
  listRolePermissions: { methods: ["GET"], path: "/mlflow/roles/permissions/list", auth: true, v3Only: true },
  updateRolePermission: { methods: ["PATCH"], path: "/mlflow/roles/permissions/update", auth: true, v3Only: true },
  assignRole: { methods: ["POST"], path: "/mlflow/roles/assign", auth: true, v3Only: true },
  unassignRole: { methods: ["DELETE"], path: "/mlflow/roles/unassign", auth: true, v3Only: true },
  listUserRoles: { methods: ["GET"], path: "/mlflow/users/roles/list", auth: true, v3Only: true },
  listRoleUsers: { methods: ["GET"], path: "/mlflow/roles/users/list", auth: true, v3Only: true },
  // tracklite's API tokens (not in the reference).
  createApiToken: { methods: ["POST"], path: "/tracklite/users/tokens/create", auth: true },
  listApiTokens: { methods: ["GET"], path: "/tracklite/users/tokens/list", auth: true },
  deleteApiToken: { methods: ["POST"], path: "/tracklite/users/tokens/delete", auth: true },
  // GenAI evaluation datasets. `search` and `create` come before `:dataset_id`, which would match them.
  searchEvaluationDatasets: { methods: ["POST", "GET"], path: "/mlflow/datasets/search", v3Only: true },
  createDataset: { methods: ["POST"], path: "/mlflow/datasets/create", v3Only: true },
  getDataset: { methods: ["GET"], path: "/mlflow/datasets/:dataset_id", v3Only: true },
  deleteDataset: { methods: ["DELETE"], path: "/mlflow/datasets/:dataset_id", v3Only: true },
  upsertDatasetRecords: { methods: ["POST"], path: "/mlflow/datasets/:dataset_id/records", v3Only: true },
  getDatasetRecords: { methods: ["GET"], path: "/mlflow/datasets/:dataset_id/records", v3Only: true },
  deleteDatasetRecords: { methods: ["DELETE"], path: "/mlflow/datasets/:dataset_id/records", v3Only: true },
  setDatasetTags: { methods: ["PATCH"], path: "/mlflow/datasets/:dataset_id/tags", v3Only: true },
  deleteDatasetTag: { methods: ["DELETE"], path: "/mlflow/datasets/:dataset_id/tags/:key", v3Only: true },
  getDatasetExperimentIds: { methods: ["GET"], path: "/mlflow/datasets/:dataset_id/experiment-ids", v3Only: true },
  addDatasetToExperiments: { methods: ["POST"], path: "/mlflow/datasets/:dataset_id/add-experiments", v3Only: true },
  removeDatasetFromExperiments: {
    methods: ["POST"],
    path: "/mlflow/datasets/:dataset_id/remove-experiments",
    v3Only: true,
  },
  // The run datasets (`log_inputs`) of experiments, for the UI: the reference serves it under `/ajax-api/2.0` only.
  searchDatasets: { methods: ["POST"], path: "/mlflow/experiments/search-datasets", ajaxOnly: true },
  // Scorers, prompt optimization jobs and the prompt lab's runs.
  registerScorer: { methods: ["POST"], path: "/mlflow/scorers/register", v3Only: true },
  listScorers: { methods: ["GET"], path: "/mlflow/scorers/list", v3Only: true },
  listScorerVersions: { methods: ["GET"], path: "/mlflow/scorers/versions", v3Only: true },
  getScorer: { methods: ["GET"], path: "/mlflow/scorers/get", v3Only: true },
  deleteScorer: { methods: ["DELETE"], path: "/mlflow/scorers/delete", v3Only: true },
  getOnlineScoringConfigs: { methods: ["GET"], path: "/mlflow/scorers/online-configs", v3Only: true },
  upsertOnlineScoringConfig: { methods: ["PUT"], path: "/mlflow/scorers/online-config", v3Only: true },
  createPromptOptimizationJob: { methods: ["POST"], path: "/mlflow/prompt-optimization/jobs", v3Only: true },
  searchPromptOptimizationJobs: {
    methods: ["POST", "GET"],
    path: "/mlflow/prompt-optimization/jobs/search",
    v3Only: true,
  },
  getPromptOptimizationJob: { methods: ["GET"], path: "/mlflow/prompt-optimization/jobs/:job_id", v3Only: true },
  deletePromptOptimizationJob: {
    methods: ["DELETE"],
    path: "/mlflow/prompt-optimization/jobs/:job_id",
    v3Only: true,
  },
  cancelPromptOptimizationJob: {
    methods: ["POST"],
    path: "/mlflow/prompt-optimization/jobs/:job_id/cancel",
    v3Only: true,
  },
  createPromptlabRun: { methods: ["POST"], path: "/mlflow/runs/create-promptlab-run", ajaxOnly: true, v2Only: true },
  invokeScorer: { methods: ["POST"], path: "/mlflow/scorer/invoke", ajaxOnly: true, v3Only: true },
  // Review: label schemas, review queues, issues (GenAI human feedback). @see mlflow/server/handlers.py
  createLabelSchema: { methods: ["POST"], path: "/mlflow/label-schemas/create", v3Only: true },
  deleteLabelSchema: { methods: ["DELETE"], path: "/mlflow/label-schemas/delete", v3Only: true },
  getLabelSchema: { methods: ["GET"], path: "/mlflow/label-schemas/get", v3Only: true },
  getLabelSchemaByName: { methods: ["GET"], path: "/mlflow/label-schemas/get-by-name", v3Only: true },
  listLabelSchemas: { methods: ["GET"], path: "/mlflow/label-schemas/list", v3Only: true },
  updateLabelSchema: { methods: ["PATCH"], path: "/mlflow/label-schemas/update", v3Only: true },
  createReviewQueue: { methods: ["POST"], path: "/mlflow/review-queues/create", v3Only: true },
  deleteReviewQueue: { methods: ["POST"], path: "/mlflow/review-queues/delete", v3Only: true },
  getReviewQueue: { methods: ["GET"], path: "/mlflow/review-queues/get", v3Only: true },
  getReviewQueueByName: { methods: ["GET"], path: "/mlflow/review-queues/get-by-name", v3Only: true },
  getOrCreateUserQueue: { methods: ["POST"], path: "/mlflow/review-queues/get-or-create-user", v3Only: true },
  addItemsToReviewQueue: { methods: ["POST"], path: "/mlflow/review-queues/items/add", v3Only: true },
  listReviewQueueItems: { methods: ["GET"], path: "/mlflow/review-queues/items/list", v3Only: true },
  removeItemsFromReviewQueue: { methods: ["POST"], path: "/mlflow/review-queues/items/remove", v3Only: true },
  setReviewQueueItemStatus: { methods: ["POST"], path: "/mlflow/review-queues/items/set-status", v3Only: true },
  listReviewQueues: { methods: ["GET"], path: "/mlflow/review-queues/list", v3Only: true },
  updateReviewQueue: { methods: ["POST"], path: "/mlflow/review-queues/update", v3Only: true },
  // `issues/search` comes before `issues/:issue_id`, which would match it.
  createIssue: { methods: ["POST"], path: "/mlflow/issues", v3Only: true },
  searchIssues: { methods: ["POST"], path: "/mlflow/issues/search", v3Only: true },
  getIssue: { methods: ["GET"], path: "/mlflow/issues/:issue_id", v3Only: true },
  updateIssue: { methods: ["PATCH"], path: "/mlflow/issues/:issue_id", v3Only: true },
} as const satisfies Record<string, Route>;

export type Routes = typeof routes;
export type RouteName = keyof Routes;

/** The names of the `:param` segments of a path: `"/a/:x/b/:y"` gives `"x" | "y"`. */
type PathParamNames<P extends string> = P extends `${string}:${infer Name}/${infer Rest}`
  ? Name | PathParamNames<`/${Rest}`>
  : P extends `${string}:${infer Name}`
    ? Name
    : never;
/** The path parameters of an endpoint (e.g. `{ model_id: string }`), apart from its request message. */
export type PathParamsOf<N extends RouteName> = { [K in PathParamNames<Routes[N]["path"]>]: string };
