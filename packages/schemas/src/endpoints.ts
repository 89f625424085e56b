import type * as z from "zod";
import * as AS from "./assessments.js";
import * as A from "./auth.js";
import * as DS from "./datasets.js";
import * as E from "./experiments.js";
import * as IS from "./issues.js";
import * as LS from "./label-schemas.js";
import * as L from "./logged-models.js";
import * as M from "./metrics.js";
import * as PO from "./prompt-optimization.js";
import * as PL from "./promptlab.js";
import * as G from "./registry.js";
import * as RQ from "./review-queues.js";
import { type Route, type RouteName, routes } from "./routes.js";
import * as R from "./runs.js";
import * as SC from "./scorers.js";
import * as TM from "./trace-metrics.js";
import * as T from "./traces.js";
import * as W from "./webhooks.js";
import * as S from "./workspaces.js";

/** One MLflow REST endpoint: where it lives (its route) and what goes in and out. */
export interface Endpoint extends Route {
  readonly request: z.ZodType;
  readonly response: z.ZodType;
}

/**
 * Every MLflow endpoint tracklite serves: its route from `routes.ts` with its request and response schemas. Server
 * routes validate with it; the TypeScript client and the UI take their types from it.
 */
export const endpoints = {
  createExperiment: { ...routes.createExperiment, request: E.CreateExperiment, response: E.CreateExperimentResponse },
  getExperiment: { ...routes.getExperiment, request: E.ExperimentIdRequest, response: E.GetExperimentResponse },
  getExperimentByName: {
    ...routes.getExperimentByName,
    request: E.GetExperimentByName,
    response: E.GetExperimentResponse,
  },
  searchExperiments: {
    ...routes.searchExperiments,
    request: E.SearchExperiments,
    response: E.SearchExperimentsResponse,
  },
  updateExperiment: { ...routes.updateExperiment, request: E.UpdateExperiment, response: E.Empty },
  deleteExperiment: { ...routes.deleteExperiment, request: E.ExperimentIdRequest, response: E.Empty },
  restoreExperiment: { ...routes.restoreExperiment, request: E.ExperimentIdRequest, response: E.Empty },
  setExperimentTag: { ...routes.setExperimentTag, request: E.SetExperimentTag, response: E.Empty },
  deleteExperimentTag: { ...routes.deleteExperimentTag, request: E.DeleteExperimentTag, response: E.Empty },

  createRun: { ...routes.createRun, request: R.CreateRun, response: R.RunResponse },
  getRun: { ...routes.getRun, request: R.GetRun, response: R.RunResponse },
  updateRun: { ...routes.updateRun, request: R.UpdateRun, response: R.UpdateRunResponse },
  deleteRun: { ...routes.deleteRun, request: R.RunIdRequest, response: E.Empty },
  restoreRun: { ...routes.restoreRun, request: R.RunIdRequest, response: E.Empty },
  searchRuns: { ...routes.searchRuns, request: R.SearchRuns, response: R.SearchRunsResponse },
  logMetric: { ...routes.logMetric, request: R.LogMetric, response: E.Empty },
  logParam: { ...routes.logParam, request: R.LogParam, response: E.Empty },
  setTag: { ...routes.setTag, request: R.SetTag, response: E.Empty },
  deleteTag: { ...routes.deleteTag, request: R.DeleteTag, response: E.Empty },
  logBatch: { ...routes.logBatch, request: R.LogBatch, response: E.Empty },
  logModel: { ...routes.logModel, request: R.LogModel, response: E.Empty },
  logInputs: { ...routes.logInputs, request: R.LogInputs, response: E.Empty },
  logOutputs: { ...routes.logOutputs, request: R.LogOutputs, response: E.Empty },

  getMetricHistory: { ...routes.getMetricHistory, request: M.GetMetricHistory, response: M.GetMetricHistoryResponse },
  getMetricHistoryBulkInterval: {
    ...routes.getMetricHistoryBulkInterval,
    request: M.GetMetricHistoryBulkInterval,
    response: M.MetricsResponse,
  },
  getMetricHistoryBulk: {
    ...routes.getMetricHistoryBulk,
    request: M.GetMetricHistoryBulk,
    response: M.MetricsResponse,
  },

  // Logged models (MLflow 3). `/search` is listed before `/:model_id` for readability only: mount() lets a route of
  // the request's method win over another path's 405 answer, whatever the order.
  createLoggedModel: { ...routes.createLoggedModel, request: L.CreateLoggedModel, response: L.LoggedModelResponse },
  searchLoggedModels: {
    ...routes.searchLoggedModels,
    request: L.SearchLoggedModels,
    response: L.SearchLoggedModelsResponse,
  },
  getLoggedModel: { ...routes.getLoggedModel, request: L.GetLoggedModel, response: L.LoggedModelResponse },
  finalizeLoggedModel: {
    ...routes.finalizeLoggedModel,
    request: L.FinalizeLoggedModel,
    response: L.LoggedModelResponse,
  },
  deleteLoggedModel: { ...routes.deleteLoggedModel, request: L.LoggedModelPathOnly, response: E.Empty },
  setLoggedModelTags: { ...routes.setLoggedModelTags, request: L.SetLoggedModelTags, response: E.Empty },
  deleteLoggedModelTag: { ...routes.deleteLoggedModelTag, request: L.LoggedModelPathOnly, response: E.Empty },
  logLoggedModelParams: { ...routes.logLoggedModelParams, request: L.LogLoggedModelParams, response: E.Empty },
  // Model registry (also prompts, which are registered models with a tag).
  createRegisteredModel: {
    ...routes.createRegisteredModel,
    request: G.CreateRegisteredModel,
    response: G.RegisteredModelResponse,
  },
  renameRegisteredModel: {
    ...routes.renameRegisteredModel,
    request: G.RenameRegisteredModel,
    response: G.RegisteredModelResponse,
  },
  updateRegisteredModel: {
    ...routes.updateRegisteredModel,
    request: G.UpdateRegisteredModel,
    response: G.RegisteredModelResponse,
  },
  deleteRegisteredModel: { ...routes.deleteRegisteredModel, request: G.RegisteredModelName, response: E.Empty },
  getRegisteredModel: {
    ...routes.getRegisteredModel,
    request: G.RegisteredModelName,
    response: G.RegisteredModelResponse,
  },
  searchRegisteredModels: {
    ...routes.searchRegisteredModels,
    request: G.SearchRegisteredModels,
    response: G.SearchRegisteredModelsResponse,
  },
  getLatestVersions: { ...routes.getLatestVersions, request: G.GetLatestVersions, response: G.ModelVersionsResponse },
  setRegisteredModelTag: { ...routes.setRegisteredModelTag, request: G.SetRegisteredModelTag, response: E.Empty },
  deleteRegisteredModelTag: {
    ...routes.deleteRegisteredModelTag,
    request: G.DeleteRegisteredModelTag,
    response: E.Empty,
  },
  setRegisteredModelAlias: { ...routes.setRegisteredModelAlias, request: G.SetRegisteredModelAlias, response: E.Empty },
  deleteRegisteredModelAlias: {
    ...routes.deleteRegisteredModelAlias,
    request: G.RegisteredModelAliasRequest,
    response: E.Empty,
  },
  getModelVersionByAlias: {
    ...routes.getModelVersionByAlias,
    request: G.RegisteredModelAliasRequest,
    response: G.ModelVersionResponse,
  },
  createModelVersion: { ...routes.createModelVersion, request: G.CreateModelVersion, response: G.ModelVersionResponse },
  updateModelVersion: { ...routes.updateModelVersion, request: G.UpdateModelVersion, response: G.ModelVersionResponse },
  transitionModelVersionStage: {
    ...routes.transitionModelVersionStage,
    request: G.TransitionModelVersionStage,
    response: G.ModelVersionResponse,
  },
  deleteModelVersion: { ...routes.deleteModelVersion, request: G.ModelVersionRequest, response: E.Empty },
  getModelVersion: { ...routes.getModelVersion, request: G.ModelVersionRequest, response: G.ModelVersionResponse },
  searchModelVersions: {
    ...routes.searchModelVersions,
    request: G.SearchModelVersions,
    response: G.SearchModelVersionsResponse,
  },
  getModelVersionDownloadUri: {
    ...routes.getModelVersionDownloadUri,
    request: G.ModelVersionRequest,
    response: G.DownloadUriResponse,
  },
  setModelVersionTag: { ...routes.setModelVersionTag, request: G.SetModelVersionTag, response: E.Empty },
  deleteModelVersionTag: { ...routes.deleteModelVersionTag, request: G.DeleteModelVersionTag, response: E.Empty },
  // Webhooks on registry events. @see mlflow/protos/webhooks.proto (WebhookService)
  createWebhook: { ...routes.createWebhook, request: W.CreateWebhook, response: W.WebhookResponse },
  listWebhooks: { ...routes.listWebhooks, request: W.ListWebhooks, response: W.ListWebhooksResponse },
  getWebhook: { ...routes.getWebhook, request: W.WebhookPathOnly, response: W.WebhookResponse },
  updateWebhook: { ...routes.updateWebhook, request: W.UpdateWebhook, response: W.WebhookResponse },
  deleteWebhook: { ...routes.deleteWebhook, request: W.WebhookPathOnly, response: E.Empty },
  testWebhook: { ...routes.testWebhook, request: W.TestWebhook, response: W.TestWebhookResponse },

  // Workspaces (MLflow 3, `--enable-workspaces`); the handlers answer 503 when they are off, as the reference does.
  listWorkspaces: { ...routes.listWorkspaces, request: S.ListWorkspaces, response: S.ListWorkspacesResponse },
  createWorkspace: { ...routes.createWorkspace, request: S.CreateWorkspace, response: S.WorkspaceResponse },
  getWorkspace: { ...routes.getWorkspace, request: S.WorkspacePathOnly, response: S.WorkspaceResponse },
  updateWorkspace: { ...routes.updateWorkspace, request: S.UpdateWorkspace, response: S.WorkspaceResponse },
  deleteWorkspace: { ...routes.deleteWorkspace, request: S.WorkspacePathOnly, response: E.Empty },

  startTraceV3: { ...routes.startTraceV3, request: T.StartTraceV3, response: T.TraceResponse },
  getTrace: { ...routes.getTrace, request: T.GetTrace, response: T.TraceResponse },
  batchGetTraces: { ...routes.batchGetTraces, request: T.BatchGetTraces, response: T.BatchGetTracesResponse },
  batchGetTraceInfos: {
    ...routes.batchGetTraceInfos,
    request: T.BatchGetTraces,
    response: T.BatchGetTraceInfosResponse,
  },
  searchTracesV3: { ...routes.searchTracesV3, request: T.SearchTracesV3, response: T.SearchTracesV3Response },
  getTraceInfoV3: { ...routes.getTraceInfoV3, request: T.TracePathOnly, response: T.TraceResponse },
  deleteTraces: { ...routes.deleteTraces, request: T.DeleteTraces, response: T.DeleteTracesResponse },
  setTraceTag: { ...routes.setTraceTag, request: T.SetTraceTag, response: E.Empty },
  deleteTraceTag: { ...routes.deleteTraceTag, request: T.DeleteTraceTag, response: E.Empty },
  linkTracesToRun: { ...routes.linkTracesToRun, request: T.LinkTracesToRun, response: E.Empty },
  linkPromptsToTrace: { ...routes.linkPromptsToTrace, request: T.LinkPromptsToTrace, response: E.Empty },
  startTraceV2: { ...routes.startTraceV2, request: T.StartTraceV2, response: T.TraceInfoV2Response },
  searchTracesV2: { ...routes.searchTracesV2, request: T.SearchTracesV2, response: T.SearchTracesV2Response },
  endTraceV2: { ...routes.endTraceV2, request: T.EndTraceV2, response: T.TraceInfoV2Response },
  getTraceInfoV2: { ...routes.getTraceInfoV2, request: T.TracePathOnly, response: T.TraceInfoV2Response },
  queryTraceMetrics: {
    ...routes.queryTraceMetrics,
    request: TM.QueryTraceMetrics,
    response: TM.QueryTraceMetricsResponse,
  },
  calculateTraceFilterCorrelation: {
    ...routes.calculateTraceFilterCorrelation,
    request: TM.CalculateTraceFilterCorrelation,
    response: TM.CalculateTraceFilterCorrelationResponse,
  },
  createAssessment: { ...routes.createAssessment, request: AS.CreateAssessment, response: AS.AssessmentResponse },
  getAssessment: { ...routes.getAssessment, request: AS.AssessmentPathOnly, response: AS.AssessmentResponse },
  updateAssessment: { ...routes.updateAssessment, request: AS.UpdateAssessment, response: AS.AssessmentResponse },
  deleteAssessment: { ...routes.deleteAssessment, request: AS.AssessmentPathOnly, response: E.Empty },

  getMetricSummaries: {
    ...routes.getMetricSummaries,
    request: M.GetMetricSummaries,
    response: M.MetricSummariesResponse,
  },
  getMetricBuckets: { ...routes.getMetricBuckets, request: M.GetMetricBuckets, response: M.MetricBucketsResponse },
  getTraceSpanTree: { ...routes.getTraceSpanTree, request: T.GetTraceSpanTree, response: T.TraceSpanTree },
  getTraceSpans: { ...routes.getTraceSpans, request: T.GetTraceSpans, response: T.TraceSpansResponse },

  // The basic-auth app.
  createUser: { ...routes.createUser, request: A.CreateUser, response: A.UserResponse },
  getUser: { ...routes.getUser, request: A.AuthSchemas.Username, response: A.UserResponse },
  getCurrentUser: { ...routes.getCurrentUser, request: A.AuthSchemas.Empty, response: A.CurrentUserResponse },
  listUsers: { ...routes.listUsers, request: A.AuthSchemas.Empty, response: A.ListUsersResponse },
  updateUserPassword: { ...routes.updateUserPassword, request: A.UpdateUserPassword, response: E.Empty },
  updateUserAdmin: { ...routes.updateUserAdmin, request: A.UpdateUserAdmin, response: E.Empty },
  deleteUser: { ...routes.deleteUser, request: A.AuthSchemas.Username, response: E.Empty },
  listCurrentUserPermissions: {
    ...routes.listCurrentUserPermissions,
    request: A.AuthSchemas.Empty,
    response: A.UserPermissionsResponse,
  },
  listUserPermissions: {
    ...routes.listUserPermissions,
    request: A.AuthSchemas.Username,
    response: A.UserPermissionsResponse,
  },
  grantUserPermission: { ...routes.grantUserPermission, request: A.GrantUserPermission, response: E.Empty },
  revokeUserPermission: { ...routes.revokeUserPermission, request: A.AuthSchemas.ResourceRef, response: E.Empty },
  getUserPermission: {
    ...routes.getUserPermission,
    request: A.AuthSchemas.ResourceRef,
    response: A.UserPermissionResponse,
  },
  createRole: { ...routes.createRole, request: A.CreateRole, response: A.RoleResponse },
  getRole: { ...routes.getRole, request: A.AuthSchemas.RoleId, response: A.RoleResponse },
  listRoles: { ...routes.listRoles, request: A.ListRoles, response: A.RolesResponse },
  updateRole: { ...routes.updateRole, request: A.UpdateRole, response: A.RoleResponse },
  deleteRole: { ...routes.deleteRole, request: A.AuthSchemas.RoleId, response: E.Empty },
  addRolePermission: { ...routes.addRolePermission, request: A.AddRolePermission, response: A.RolePermissionResponse },
  removeRolePermission: { ...routes.removeRolePermission, request: A.AuthSchemas.RolePermissionId, response: E.Empty },
  listRolePermissions: {
    ...routes.listRolePermissions,
    request: A.AuthSchemas.RoleId,
    response: A.RolePermissionsResponse,
  },
  updateRolePermission: {
    ...routes.updateRolePermission,
    request: A.UpdateRolePermission,
    response: A.RolePermissionResponse,
  },
  assignRole: { ...routes.assignRole, request: A.AssignRole, response: A.AssignmentResponse },
  unassignRole: { ...routes.unassignRole, request: A.AssignRole, response: E.Empty },
  listUserRoles: { ...routes.listUserRoles, request: A.AuthSchemas.Username, response: A.RolesResponse },
  listRoleUsers: { ...routes.listRoleUsers, request: A.AuthSchemas.RoleId, response: A.AssignmentsResponse },
  createApiToken: { ...routes.createApiToken, request: A.CreateApiToken, response: A.CreateApiTokenResponse },
  listApiTokens: { ...routes.listApiTokens, request: A.AuthSchemas.Empty, response: A.ListApiTokensResponse },
  deleteApiToken: { ...routes.deleteApiToken, request: A.DeleteApiToken, response: E.Empty },
  // GenAI evaluation datasets.
  searchEvaluationDatasets: {
    ...routes.searchEvaluationDatasets,
    request: DS.SearchEvaluationDatasets,
    response: DS.SearchEvaluationDatasetsResponse,
  },
  createDataset: { ...routes.createDataset, request: DS.CreateDataset, response: DS.DatasetResponse },
  getDataset: { ...routes.getDataset, request: DS.DatasetPathOnly, response: DS.DatasetResponse },
  deleteDataset: { ...routes.deleteDataset, request: DS.DatasetPathOnly, response: E.Empty },
  upsertDatasetRecords: {
    ...routes.upsertDatasetRecords,
    request: DS.UpsertDatasetRecords,
    response: DS.UpsertDatasetRecordsResponse,
  },
  getDatasetRecords: {
    ...routes.getDatasetRecords,
    request: DS.GetDatasetRecords,
    response: DS.GetDatasetRecordsResponse,
  },
  deleteDatasetRecords: {
    ...routes.deleteDatasetRecords,
    request: DS.DeleteDatasetRecords,
    response: DS.DeleteDatasetRecordsResponse,
  },
  setDatasetTags: { ...routes.setDatasetTags, request: DS.SetDatasetTags, response: E.Empty },
  deleteDatasetTag: { ...routes.deleteDatasetTag, request: DS.DatasetPathOnly, response: E.Empty },
  getDatasetExperimentIds: {
    ...routes.getDatasetExperimentIds,
    request: DS.DatasetPathOnly,
    response: DS.DatasetExperimentIds,
  },
  addDatasetToExperiments: {
    ...routes.addDatasetToExperiments,
    request: DS.DatasetExperimentIds,
    response: DS.DatasetResponse,
  },
  removeDatasetFromExperiments: {
    ...routes.removeDatasetFromExperiments,
    request: DS.DatasetExperimentIds,
    response: DS.DatasetResponse,
  },
  searchDatasets: { ...routes.searchDatasets, request: DS.SearchRunDatasets, response: DS.SearchRunDatasetsResponse },
  // Scorers, prompt optimization jobs and the prompt lab's runs.
  registerScorer: { ...routes.registerScorer, request: SC.RegisterScorer, response: SC.RegisterScorerResponse },
  listScorers: { ...routes.listScorers, request: SC.ListScorers, response: SC.ScorersResponse },
  listScorerVersions: { ...routes.listScorerVersions, request: SC.ListScorerVersions, response: SC.ScorersResponse },
  getScorer: { ...routes.getScorer, request: SC.ScorerVersionRequest, response: SC.GetScorerResponse },
  deleteScorer: { ...routes.deleteScorer, request: SC.ScorerVersionRequest, response: E.Empty },
  getOnlineScoringConfigs: {
    ...routes.getOnlineScoringConfigs,
    request: SC.GetOnlineScoringConfigs,
    response: SC.OnlineScoringConfigsResponse,
  },
  upsertOnlineScoringConfig: {
    ...routes.upsertOnlineScoringConfig,
    request: SC.UpsertOnlineScoringConfig,
    response: SC.OnlineScoringConfigResponse,
  },
  createPromptOptimizationJob: {
    ...routes.createPromptOptimizationJob,
    request: PO.CreatePromptOptimizationJob,
    response: PO.PromptOptimizationJobResponse,
  },
  searchPromptOptimizationJobs: {
    ...routes.searchPromptOptimizationJobs,
    request: PO.SearchPromptOptimizationJobs,
    response: PO.SearchPromptOptimizationJobsResponse,
  },
  getPromptOptimizationJob: {
    ...routes.getPromptOptimizationJob,
    request: PO.PromptOptimizationJobPathOnly,
    response: PO.PromptOptimizationJobResponse,
  },
  deletePromptOptimizationJob: {
    ...routes.deletePromptOptimizationJob,
    request: PO.PromptOptimizationJobPathOnly,
    response: E.Empty,
  },
  cancelPromptOptimizationJob: {
    ...routes.cancelPromptOptimizationJob,
    request: PO.PromptOptimizationJobPathOnly,
    response: PO.PromptOptimizationJobResponse,
  },
  createPromptlabRun: {
    ...routes.createPromptlabRun,
    request: PL.CreatePromptlabRun,
    response: PL.CreatePromptlabRunResponse,
  },
  invokeScorer: { ...routes.invokeScorer, request: SC.InvokeScorer, response: SC.InvokeScorerResponse },
  // Review: label schemas, review queues, issues.
  createLabelSchema: { ...routes.createLabelSchema, request: LS.CreateLabelSchema, response: LS.LabelSchemaResponse },
  deleteLabelSchema: { ...routes.deleteLabelSchema, request: LS.LabelSchemaIdRequest, response: E.Empty },
  getLabelSchema: { ...routes.getLabelSchema, request: LS.LabelSchemaIdRequest, response: LS.LabelSchemaResponse },
  getLabelSchemaByName: {
    ...routes.getLabelSchemaByName,
    request: LS.GetLabelSchemaByName,
    response: LS.LabelSchemaResponse,
  },
  listLabelSchemas: {
    ...routes.listLabelSchemas,
    request: LS.ListLabelSchemas,
    response: LS.ListLabelSchemasResponse,
  },
  updateLabelSchema: { ...routes.updateLabelSchema, request: LS.UpdateLabelSchema, response: LS.LabelSchemaResponse },
  createReviewQueue: { ...routes.createReviewQueue, request: RQ.CreateReviewQueue, response: RQ.ReviewQueueResponse },
  deleteReviewQueue: { ...routes.deleteReviewQueue, request: RQ.QueueIdRequest, response: E.Empty },
  getReviewQueue: { ...routes.getReviewQueue, request: RQ.QueueIdRequest, response: RQ.ReviewQueueResponse },
  getReviewQueueByName: {
    ...routes.getReviewQueueByName,
    request: RQ.GetReviewQueueByName,
    response: RQ.ReviewQueueResponse,
  },
  getOrCreateUserQueue: {
    ...routes.getOrCreateUserQueue,
    request: RQ.GetOrCreateUserQueue,
    response: RQ.ReviewQueueResponse,
  },
  addItemsToReviewQueue: {
    ...routes.addItemsToReviewQueue,
    request: RQ.AddItemsToReviewQueue,
    response: RQ.ReviewQueueItemsResponse,
  },
  listReviewQueueItems: {
    ...routes.listReviewQueueItems,
    request: RQ.ListReviewQueueItems,
    response: RQ.ListReviewQueueItemsResponse,
  },
  removeItemsFromReviewQueue: {
    ...routes.removeItemsFromReviewQueue,
    request: RQ.RemoveItemsFromReviewQueue,
    response: E.Empty,
  },
  setReviewQueueItemStatus: {
    ...routes.setReviewQueueItemStatus,
    request: RQ.SetReviewQueueItemStatus,
    response: RQ.ReviewQueueItemResponse,
  },
  listReviewQueues: { ...routes.listReviewQueues, request: RQ.ListReviewQueues, response: RQ.ListReviewQueuesResponse },
  updateReviewQueue: { ...routes.updateReviewQueue, request: RQ.UpdateReviewQueue, response: RQ.ReviewQueueResponse },
  createIssue: { ...routes.createIssue, request: IS.CreateIssue, response: IS.IssueResponse },
  searchIssues: { ...routes.searchIssues, request: IS.SearchIssues, response: IS.SearchIssuesResponse },
  getIssue: { ...routes.getIssue, request: IS.GetIssue, response: IS.IssueResponse },
  updateIssue: { ...routes.updateIssue, request: IS.UpdateIssue, response: IS.IssueResponse },
} as const satisfies Record<string, Endpoint>;

export type Endpoints = typeof endpoints;
export type EndpointName = keyof Endpoints;
/** What a client sends to an endpoint (before parsing). */
export type RequestOf<N extends EndpointName> = z.input<Endpoints[N]["request"]>;
/** What the server receives after parsing. */
export type ParsedRequestOf<N extends EndpointName> = z.output<Endpoints[N]["request"]>;
/** What the endpoint answers. */
export type ResponseOf<N extends EndpointName> = z.infer<Endpoints[N]["response"]>;

// Every route has its schemas and no endpoint lacks a route.
type SameNames = [EndpointName, RouteName] extends [RouteName, EndpointName] ? true : never;
true satisfies SameNames;
