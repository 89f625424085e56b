/**
 * The per-field checks the reference server's handlers run before a request reaches the store
 * (`_assert_required`, `_assert_string`, … in mlflow/server/handlers.py). Type checks only run when the proto
 * parse failed, exactly as in the reference, so that its messages come out the same.
 */
export type FieldCheck =
  | "required"
  | "string"
  | "intlike"
  | "floatlike"
  | "bool"
  | "array"
  | "itemsString"
  | "mapKeyPresent"
  /** A value check that runs even when the proto parse succeeded: an integer of at most N (`int(x) <= N`). */
  | `max:${number}`;

/** Field name → checks, in the order the reference applies them. */
export type Checks = Readonly<Record<string, readonly FieldCheck[]>>;

const runId = { run_id: ["required", "string"] } as const;

// The registry handlers list `_assert_string` before `_assert_required`.
const name = { name: ["string", "required"] } as const;
const version = { ...name, version: ["string", "required"] } as const;
const alias = { ...name, alias: ["string", "required"] } as const;
const registrySearch = (max: number) =>
  ({
    filter: ["string"],
    max_results: ["intlike", `max:${max}`],
    order_by: ["array", "itemsString"],
    page_token: ["string"],
  }) as const;

/** Handler schemas by endpoint name. @see mlflow/server/handlers.py (`schema={...}` of each handler) */
export const CHECKS = {
  createExperiment: { name: ["required", "string"], artifact_location: ["string"], tags: ["array"] },
  getExperiment: { experiment_id: ["required", "string"] },
  getExperimentByName: { experiment_name: ["required", "string"] },
  searchExperiments: { max_results: ["intlike"], order_by: ["array"], page_token: ["string"] },
  updateExperiment: { experiment_id: ["required", "string"], new_name: ["required", "string"] },
  deleteExperiment: { experiment_id: ["required", "string"] },
  restoreExperiment: { experiment_id: ["required", "string"] },
  setExperimentTag: { experiment_id: ["required", "string"], key: ["required", "string"], value: ["string"] },
  deleteExperimentTag: { experiment_id: ["required", "string"], key: ["required", "string"] },
  createRun: {
    experiment_id: ["string"],
    user_id: ["string"],
    start_time: ["intlike"],
    tags: ["array"],
    run_name: ["string"],
  },
  getRun: runId,
  updateRun: { ...runId, end_time: ["intlike"], status: ["string"], run_name: ["string"] },
  deleteRun: runId,
  restoreRun: runId,
  searchRuns: {
    experiment_ids: ["array"],
    filter: ["string"],
    max_results: ["intlike"],
    order_by: ["array"],
    page_token: ["string"],
  },
  logMetric: {
    ...runId,
    key: ["required", "string"],
    value: ["required", "floatlike"],
    timestamp: ["required", "intlike"],
    step: ["intlike"],
    model_id: ["string"],
    dataset_name: ["string"],
    dataset_digest: ["string"],
  },
  logParam: { ...runId, key: ["required", "string"], value: ["string"] },
  setTag: { ...runId, key: ["required", "string"], value: ["string"] },
  deleteTag: { run_id: ["required", "string"], key: ["required", "string"] },
  logBatch: { run_id: ["required", "string"], metrics: ["array"], params: ["array"], tags: ["array"] },
  logModel: { run_id: ["required", "string"], model_json: ["required", "string"] },
  logInputs: { run_id: ["required", "string"], datasets: ["array"], models: ["array"] },
  logOutputs: { run_id: ["required", "string"], models: ["required", "array"] },
  getMetricHistory: { ...runId, metric_key: ["required", "string"], page_token: ["string"] },
  getMetricHistoryBulkInterval: {
    run_ids: ["required", "array", "itemsString"],
    metric_key: ["required", "string"],
    start_step: ["intlike"],
    end_step: ["intlike"],
    max_results: ["intlike"],
  },
  getMetricHistoryBulk: {},
  createLoggedModel: {
    experiment_id: ["string", "required"],
    name: ["string"],
    model_type: ["string"],
    source_run_id: ["string"],
    params: ["array"],
    tags: ["array"],
  },
  searchLoggedModels: {
    experiment_ids: ["array", "itemsString", "required"],
    filter: ["string"],
    datasets: ["array"],
    max_results: ["intlike"],
    order_by: ["array"],
    page_token: ["string"],
  },
  getLoggedModel: {},
  finalizeLoggedModel: { model_id: ["string", "required"], status: ["intlike", "required"] },
  deleteLoggedModel: {},
  setLoggedModelTags: { tags: ["array"] },
  deleteLoggedModelTag: {},
  logLoggedModelParams: { model_id: ["string", "required"], params: ["array"] },
  createRegisteredModel: { ...name, tags: ["array"], description: ["string"] },
  renameRegisteredModel: { ...name, new_name: ["string", "required"] },
  updateRegisteredModel: { ...name, description: ["string"] },
  deleteRegisteredModel: name,
  getRegisteredModel: name,
  searchRegisteredModels: registrySearch(1000),
  getLatestVersions: { ...name, stages: ["array", "itemsString"] },
  setRegisteredModelTag: { ...name, key: ["string", "required"], value: ["string"] },
  deleteRegisteredModelTag: { ...name, key: ["string", "required"] },
  setRegisteredModelAlias: { ...alias, version: ["string", "required"] },
  deleteRegisteredModelAlias: alias,
  getModelVersionByAlias: alias,
  createModelVersion: {
    ...name,
    source: ["string", "required"],
    run_id: ["string"],
    tags: ["array"],
    run_link: ["string"],
    description: ["string"],
    model_id: ["string"],
  },
  updateModelVersion: { ...version, description: ["string"] },
  transitionModelVersionStage: { ...version, stage: ["string", "required"], archive_existing_versions: ["bool"] },
  deleteModelVersion: version,
  getModelVersion: version,
  searchModelVersions: registrySearch(200_000),
  // The reference's handler has no schema here: its store reports a missing name or version.
  getModelVersionDownloadUri: {},
  setModelVersionTag: { ...version, key: ["string", "required"], value: ["string"] },
  deleteModelVersionTag: { ...version, key: ["string", "required"] },
  createWebhook: {
    name: ["string", "required"],
    url: ["string", "required"],
    events: ["array", "required"],
    description: ["string"],
    secret: ["string"],
    status: ["string"],
  },
  listWebhooks: { max_results: ["intlike"], page_token: ["string"] },
  getWebhook: {},
  updateWebhook: {
    name: ["string"],
    description: ["string"],
    url: ["string"],
    events: ["array"],
    secret: ["string"],
    status: ["string"],
  },
  deleteWebhook: {},
  // The reference's handler has no schema: the event's parse is all the checking there is.
  testWebhook: {},
  listWorkspaces: {},
  createWorkspace: { name: ["required", "string"], description: ["string"], default_artifact_root: ["string"] },
  getWorkspace: {},
  updateWorkspace: { description: ["string"], default_artifact_root: ["string"] },
  deleteWorkspace: {},
  // Tracing. @see mlflow/server/handlers.py _start_trace_v3 … _link_prompts_to_trace, _deprecated_*_v2
  startTraceV3: { trace: ["required"] },
  getTrace: { trace_id: ["string", "required"], allow_partial: ["bool"] },
  batchGetTraces: { trace_ids: ["array", "required", "itemsString"], experiment_ids: ["array", "itemsString"] },
  batchGetTraceInfos: { trace_ids: ["array", "required", "itemsString"], experiment_ids: ["array", "itemsString"] },
  searchTracesV3: {
    locations: ["array", "required"],
    filter: ["string"],
    max_results: ["intlike", "max:500"],
    order_by: ["array", "itemsString"],
    page_token: ["string"],
  },
  getTraceInfoV3: {},
  deleteTraces: {
    experiment_id: ["string", "required"],
    max_timestamp_millis: ["intlike"],
    max_traces: ["intlike"],
    request_ids: ["array", "itemsString"],
  },
  setTraceTag: { key: ["string", "required"], value: ["string"] },
  deleteTraceTag: { key: ["string", "required"] },
  linkTracesToRun: { trace_ids: ["array", "required", "itemsString"], run_id: ["string", "required"] },
  linkPromptsToTrace: { trace_id: ["string", "required"], prompt_versions: ["array", "required"] },
  startTraceV2: {
    experiment_id: ["string"],
    timestamp_ms: ["intlike"],
    request_metadata: ["mapKeyPresent"],
    tags: ["mapKeyPresent"],
  },
  searchTracesV2: {
    experiment_ids: ["array", "itemsString", "required"],
    filter: ["string"],
    max_results: ["intlike", "max:500"],
    order_by: ["array", "itemsString"],
    page_token: ["string"],
  },
  endTraceV2: {
    timestamp_ms: ["intlike"],
    status: ["string"],
    request_metadata: ["mapKeyPresent"],
    tags: ["mapKeyPresent"],
  },
  getTraceInfoV2: {},
  // @see mlflow/server/handlers.py _query_trace_metrics, _calculate_trace_filter_correlation
  queryTraceMetrics: {
    experiment_ids: ["array", "required", "itemsString"],
    view_type: ["required"],
    metric_name: ["string", "required"],
    aggregations: ["array", "required"],
    dimensions: ["array", "itemsString"],
    filters: ["array", "itemsString"],
    time_interval_seconds: ["intlike"],
    start_time_ms: ["intlike"],
    end_time_ms: ["intlike"],
    max_results: ["intlike"],
    page_token: ["string"],
  },
  calculateTraceFilterCorrelation: {
    experiment_ids: ["array", "required", "itemsString"],
    filter_string1: ["string", "required"],
    filter_string2: ["string", "required"],
    base_filter: ["string"],
  },
  // @see mlflow/server/handlers.py _create_assessment … _delete_assessment
  createAssessment: { assessment: ["required"] },
  getAssessment: {},
  updateAssessment: { assessment: ["required"], update_mask: ["required"] },
  deleteAssessment: {},
  // tracklite's own UI calls: the schemas' parse is the check.
  getMetricSummaries: {},
  getMetricBuckets: {},
  getTraceSpanTree: { trace_id: ["string", "required"], max_results: ["intlike"], page_token: ["string"] },
  getTraceSpans: { trace_id: ["string", "required"], span_ids: ["array", "itemsString"] },
  // GenAI evaluation datasets. @see mlflow/server/handlers.py _create_dataset_handler …
  searchEvaluationDatasets: {
    experiment_ids: ["array"],
    filter_string: ["string"],
    max_results: ["intlike"],
    order_by: ["array"],
    page_token: ["string"],
  },
  createDataset: { name: ["required", "string"], experiment_ids: ["array"], tags: ["string"] },
  getDataset: {},
  deleteDataset: {},
  upsertDatasetRecords: { records: ["required", "string"] },
  getDatasetRecords: { max_results: ["intlike"], page_token: ["string"] },
  deleteDatasetRecords: { dataset_record_ids: ["array"] },
  setDatasetTags: { tags: ["required", "string"] },
  deleteDatasetTag: {},
  getDatasetExperimentIds: {},
  addDatasetToExperiments: { experiment_ids: ["array"] },
  removeDatasetFromExperiments: { experiment_ids: ["array"] },
  searchDatasets: {},
  // Scorers and prompt optimization jobs. @see mlflow/server/handlers.py _register_scorer …
  registerScorer: {
    experiment_id: ["required", "string"],
    name: ["required", "string"],
    serialized_scorer: ["required", "string"],
  },
  listScorers: { experiment_id: ["string"], experiment_ids: ["array", "itemsString"] },
  listScorerVersions: { experiment_id: ["required", "string"], name: ["required", "string"] },
  getScorer: { experiment_id: ["required", "string"], name: ["required", "string"], version: ["intlike"] },
  deleteScorer: { experiment_id: ["required", "string"], name: ["required", "string"], version: ["intlike"] },
  getOnlineScoringConfigs: { scorer_ids: ["required", "array", "itemsString"] },
  upsertOnlineScoringConfig: {
    experiment_id: ["required", "string"],
    name: ["required", "string"],
    sample_rate: ["required"],
  },
  createPromptOptimizationJob: {
    experiment_id: ["string"],
    source_prompt_uri: ["string", "required"],
    config: ["required"],
    tags: ["array"],
  },
  searchPromptOptimizationJobs: { experiment_id: ["required", "string"] },
  getPromptOptimizationJob: {},
  deletePromptOptimizationJob: {},
  cancelPromptOptimizationJob: {},
  // Checked by the handler itself, in the reference's order.
  createPromptlabRun: {},
  invokeScorer: {},
  // Review. @see mlflow/server/handlers.py _create_label_schema … _set_review_queue_item_status, _create_issue …
  // The max_results range checks (1..50000, with their own message) run in the routes.
  createLabelSchema: { experiment_id: ["required", "string"], name: ["required", "string"] },
  deleteLabelSchema: { schema_id: ["required", "string"] },
  getLabelSchema: { schema_id: ["required", "string"] },
  getLabelSchemaByName: { experiment_id: ["required", "string"], name: ["required", "string"] },
  listLabelSchemas: { experiment_id: ["required", "string"], max_results: ["intlike"] },
  updateLabelSchema: { schema_id: ["required", "string"] },
  createReviewQueue: { experiment_id: ["required", "string"], name: ["required", "string"] },
  deleteReviewQueue: { queue_id: ["required", "string"] },
  getReviewQueue: { queue_id: ["required", "string"] },
  getReviewQueueByName: { experiment_id: ["required", "string"], name: ["required", "string"] },
  getOrCreateUserQueue: { experiment_id: ["required", "string"], user: ["required", "string"] },
  addItemsToReviewQueue: { queue_id: ["required", "string"] },
  listReviewQueueItems: { queue_id: ["required", "string"], max_results: ["intlike"] },
  removeItemsFromReviewQueue: { queue_id: ["required", "string"] },
  setReviewQueueItemStatus: { queue_id: ["required", "string"], item_id: ["required", "string"] },
  listReviewQueues: { experiment_id: ["required", "string"], max_results: ["intlike"] },
  updateReviewQueue: { queue_id: ["required", "string"] },
  createIssue: {
    name: ["required", "string"],
    description: ["required", "string"],
    experiment_id: ["required", "string"],
  },
  searchIssues: {},
  getIssue: {},
  updateIssue: { issue_id: ["required"] },
} as const satisfies Record<string, Checks>;
