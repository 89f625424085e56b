import { blob, index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/**
 * tracklite's tables. Runs get an integer row id that every child table references, so the hot tables (metrics,
 * latest_metrics) key on small integers; MLflow's 32-hex run id lives only in `runs`.
 * Non-finite metric values: NaN is stored as value 0 with is_nan = 1 (as MLflow's SQL store does); ±Infinity are
 * stored as real SQLite infinities (written as the literals 9e999 / -9e999, since libSQL cannot bind them).
 */

/**
 * MLflow 3's workspaces (`--enable-workspaces`): the default one always exists. Experiments, registered models and
 * webhooks carry their workspace's name (runs, metrics and logged models belong to their experiment's); the column
 * defaults to 'default', so a database made before workspaces keeps working unchanged.
 */
export const workspaces = sqliteTable("workspaces", {
  name: text("name").primaryKey(),
  description: text("description"),
  defaultArtifactRoot: text("default_artifact_root"),
});

/** The workspace column of a scoped table; 'default' when workspaces are off. */
const workspaceColumn = () => text("workspace").notNull().default("default");

export const experiments = sqliteTable(
  "experiments",
  {
    experimentId: integer("experiment_id").primaryKey({ autoIncrement: true }),
    name: text("name").notNull(),
    artifactLocation: text("artifact_location").notNull(),
    lifecycleStage: text("lifecycle_stage").notNull().default("active"),
    creationTime: integer("creation_time").notNull(),
    lastUpdateTime: integer("last_update_time").notNull(),
    workspace: workspaceColumn(),
  },
  // Names are unique per workspace, as in the reference (uq_experiments_workspace_name); the index also serves the
  // workspace filter of searches.
  (t) => [uniqueIndex("experiments_workspace_name").on(t.workspace, t.name)],
);

export const experimentTags = sqliteTable(
  "experiment_tags",
  {
    experimentId: integer("experiment_id").notNull(),
    key: text("key").notNull(),
    value: text("value").notNull(),
  },
  (t) => [primaryKey({ columns: [t.experimentId, t.key] })],
);

export const runs = sqliteTable(
  "runs",
  {
    id: integer("id").primaryKey(),
    runUuid: text("run_uuid").notNull(),
    experimentId: integer("experiment_id").notNull(),
    name: text("name").notNull(),
    userId: text("user_id").notNull(),
    status: text("status").notNull(),
    startTime: integer("start_time").notNull(),
    endTime: integer("end_time"),
    lifecycleStage: text("lifecycle_stage").notNull().default("active"),
    artifactUri: text("artifact_uri").notNull(),
    deletedTime: integer("deleted_time"),
  },
  (t) => [
    uniqueIndex("runs_uuid").on(t.runUuid),
    index("runs_experiment_start").on(t.experimentId, t.startTime, t.runUuid),
  ],
);

/** A run's key/value rows: params and tags. */
const runKeyValue = () => ({
  runId: integer("run_id").notNull(),
  key: text("key").notNull(),
  value: text("value").notNull(),
});

export const params = sqliteTable("params", runKeyValue(), (t) => [
  primaryKey({ columns: [t.runId, t.key] }),
  index("params_key_value").on(t.key, t.value),
]);

export const tags = sqliteTable("tags", runKeyValue(), (t) => [
  primaryKey({ columns: [t.runId, t.key] }),
  index("tags_key_value").on(t.key, t.value),
]);

/** The columns of a metric point (latest_metrics; before migration 0010 also the `metrics` table's). */
const metricPoint = () => ({
  runId: integer("run_id").notNull(),
  key: text("key").notNull(),
  step: integer("step").notNull(),
  timestamp: integer("timestamp").notNull(),
  value: real("value").notNull(),
  isNan: integer("is_nan").notNull().default(0),
  datasetName: text("dataset_name"),
  datasetDigest: text("dataset_digest"),
  modelId: text("model_id"),
});

/**
 * Metric points as chunks (store/metric-chunks.ts): each row holds up to 1,000 points of one (run, key) packed in
 * `points`, with the first and last point's (step, timestamp), the count and the min/max of the non-NaN values.
 * Sealed chunks (full ones) keep their get-history JSON text, gzip-compressed, in `json` once a read has built it. Until migration 0010 the points were
 * rows of a `metrics` table; the store converts such rows at start (metric-conversion.ts) and drops that table.
 * The blobs come last so that reading a chunk's summary never touches their overflow pages.
 */
export const metricChunks = sqliteTable(
  "metric_chunks",
  {
    id: integer("id").primaryKey(),
    runId: integer("run_id").notNull(),
    key: text("key").notNull(),
    loStep: integer("lo_step").notNull(),
    loTs: integer("lo_ts").notNull(),
    hiStep: integer("hi_step").notNull(),
    hiTs: integer("hi_ts").notNull(),
    n: integer("n").notNull(),
    minValue: real("min_value"),
    maxValue: real("max_value"),
    sealed: integer("sealed").notNull().default(0),
    /** 1 when the chunk's timestamps never go back along its points (then its step order is get-history's order). */
    tsOrdered: integer("ts_ordered").notNull().default(1),
    points: blob("points").notNull(),
    json: blob("json"),
  },
  (t) => [index("metric_chunks_series").on(t.runId, t.key, t.loStep, t.loTs)],
);

/**
 * The latest point per (run, key): highest (step, timestamp, value), kept up to date on every write. `ts_ordered` is
 * no longer written or read (before chunks it said whether a history could stream in step order; each chunk now says
 * so for itself, `metric_chunks.ts_ordered`) and keeps its default.
 */
export const latestMetrics = sqliteTable(
  "latest_metrics",
  { ...metricPoint(), tsOrdered: integer("ts_ordered").notNull().default(1) },
  (t) => [primaryKey({ columns: [t.runId, t.key] }), index("latest_metrics_key_value").on(t.key, t.value)],
);

export const datasets = sqliteTable(
  "datasets",
  {
    id: integer("id").primaryKey(),
    experimentId: integer("experiment_id").notNull(),
    name: text("name").notNull(),
    digest: text("digest").notNull(),
    sourceType: text("source_type").notNull(),
    source: text("source").notNull(),
    schema: text("schema"),
    profile: text("profile"),
  },
  (t) => [uniqueIndex("datasets_experiment_name_digest").on(t.experimentId, t.name, t.digest)],
);

export const runDatasetInputs = sqliteTable(
  "run_dataset_inputs",
  {
    runId: integer("run_id").notNull(),
    datasetId: integer("dataset_id").notNull(),
    position: integer("position").notNull(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.datasetId] })],
);

export const runDatasetInputTags = sqliteTable(
  "run_dataset_input_tags",
  {
    runId: integer("run_id").notNull(),
    datasetId: integer("dataset_id").notNull(),
    key: text("key").notNull(),
    value: text("value").notNull(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.datasetId, t.key] })],
);

export const runModelInputs = sqliteTable(
  "run_model_inputs",
  { runId: integer("run_id").notNull(), modelId: text("model_id").notNull() },
  (t) => [primaryKey({ columns: [t.runId, t.modelId] })],
);

export const runModelOutputs = sqliteTable(
  "run_model_outputs",
  { runId: integer("run_id").notNull(), modelId: text("model_id").notNull(), step: integer("step").notNull() },
  (t) => [primaryKey({ columns: [t.runId, t.modelId, t.step] })],
);

/**
 * MLflow 3's logged models. Children reference the integer row id; the `m-<32 hex>` id lives only here. Column names
 * are the reference's, since its search grammar filters on them by name (`status` is the proto enum's number, as
 * there, so `status = 2` finds READY models).
 */
export const loggedModels = sqliteTable(
  "logged_models",
  {
    id: integer("id").primaryKey(),
    modelId: text("model_id").notNull(),
    experimentId: integer("experiment_id").notNull(),
    name: text("name").notNull(),
    artifactLocation: text("artifact_location").notNull(),
    creationTimestampMs: integer("creation_timestamp_ms").notNull(),
    lastUpdatedTimestampMs: integer("last_updated_timestamp_ms").notNull(),
    status: integer("status").notNull(),
    lifecycleStage: text("lifecycle_stage").notNull().default("active"),
    modelType: text("model_type"),
    sourceRunId: text("source_run_id"),
    statusMessage: text("status_message"),
  },
  (t) => [
    uniqueIndex("logged_models_model_id").on(t.modelId),
    index("logged_models_experiment_creation").on(t.experimentId, t.creationTimestampMs),
  ],
);

/** A logged model's key/value rows: params and tags. */
const modelKeyValue = () => ({
  modelId: integer("model_id").notNull(),
  key: text("key").notNull(),
  value: text("value").notNull(),
});

export const loggedModelParams = sqliteTable("logged_model_params", modelKeyValue(), (t) => [
  primaryKey({ columns: [t.modelId, t.key] }),
]);

export const loggedModelTags = sqliteTable("logged_model_tags", modelKeyValue(), (t) => [
  primaryKey({ columns: [t.modelId, t.key] }),
]);

/**
 * Metrics logged to a run with a `model_id`, as the model sees them: one point per (model, key, timestamp, step, run),
 * as in the reference's logged_model_metrics (a second value for the same point is refused). NaN is value 0 with
 * is_nan = 1, infinities are real SQLite infinities (see the metrics tables above).
 */
export const loggedModelMetrics = sqliteTable(
  "logged_model_metrics",
  {
    modelId: integer("model_id").notNull(),
    key: text("key").notNull(),
    timestamp: integer("timestamp").notNull(),
    step: integer("step").notNull(),
    runId: integer("run_id").notNull(),
    value: real("value").notNull(),
    isNan: integer("is_nan").notNull().default(0),
    datasetName: text("dataset_name"),
    datasetDigest: text("dataset_digest"),
  },
  (t) => [
    primaryKey({ columns: [t.modelId, t.key, t.timestamp, t.step, t.runId] }),
    index("logged_model_metrics_key_value").on(t.key, t.value),
  ],
);

/**
 * The model registry. Registered models and versions get integer row ids that their children reference, so renaming a
 * model touches one row. Deleted versions stay (stage `Deleted_Internal`, details redacted) so that version numbers
 * are never reused, as in the reference; `storage_location` is where a `models:/` source's files really are.
 */
export const registeredModels = sqliteTable(
  "registered_models",
  {
    id: integer("id").primaryKey(),
    name: text("name").notNull(),
    creationTime: integer("creation_time").notNull(),
    lastUpdatedTime: integer("last_updated_time").notNull(),
    description: text("description"),
    workspace: workspaceColumn(),
  },
  (t) => [uniqueIndex("registered_models_workspace_name").on(t.workspace, t.name)],
);

/** Tags read back in the order they were first set (rowid), as the reference returns them. */
export const registeredModelTags = sqliteTable(
  "registered_model_tags",
  {
    modelId: integer("model_id").notNull(),
    key: text("key").notNull(),
    value: text("value").notNull(),
  },
  (t) => [primaryKey({ columns: [t.modelId, t.key] }), index("registered_model_tags_key_value").on(t.key, t.value)],
);

export const registeredModelAliases = sqliteTable(
  "registered_model_aliases",
  {
    modelId: integer("model_id").notNull(),
    alias: text("alias").notNull(),
    version: integer("version").notNull(),
  },
  (t) => [primaryKey({ columns: [t.modelId, t.alias] })],
);

export const modelVersions = sqliteTable(
  "model_versions",
  {
    id: integer("id").primaryKey(),
    modelId: integer("model_id").notNull(),
    version: integer("version").notNull(),
    creationTime: integer("creation_time").notNull(),
    lastUpdatedTime: integer("last_updated_time").notNull(),
    description: text("description"),
    userId: text("user_id"),
    currentStage: text("current_stage").notNull(),
    source: text("source"),
    storageLocation: text("storage_location"),
    runId: text("run_id"),
    runLink: text("run_link"),
    status: text("status").notNull(),
    statusMessage: text("status_message"),
  },
  (t) => [
    uniqueIndex("model_versions_model_version").on(t.modelId, t.version),
    index("model_versions_run_id").on(t.runId),
  ],
);

export const modelVersionTags = sqliteTable(
  "model_version_tags",
  {
    versionId: integer("version_id").notNull(),
    key: text("key").notNull(),
    value: text("value").notNull(),
  },
  (t) => [primaryKey({ columns: [t.versionId, t.key] }), index("model_version_tags_key_value").on(t.key, t.value)],
);

/**
 * Webhooks on registry events. `webhook_id` is the public UUID; events reference the integer row. A secret is stored
 * Fernet-encrypted when the server has MLFLOW_WEBHOOK_SECRET_ENCRYPTION_KEY (`secret_encrypted` = 1), else as given.
 * Deleting a webhook removes it (the reference keeps a soft-deleted row nobody can read).
 */
export const webhooks = sqliteTable(
  "webhooks",
  {
    id: integer("id").primaryKey(),
    webhookId: text("webhook_id").notNull(),
    name: text("name").notNull(),
    description: text("description"),
    url: text("url").notNull(),
    status: text("status").notNull(),
    secret: text("secret"),
    secretEncrypted: integer("secret_encrypted").notNull().default(0),
    creationTime: integer("creation_time").notNull(),
    lastUpdatedTime: integer("last_updated_time").notNull(),
    workspace: workspaceColumn(),
  },
  (t) => [
    uniqueIndex("webhooks_webhook_id").on(t.webhookId),
    index("webhooks_creation_time").on(t.creationTime),
    index("webhooks_workspace").on(t.workspace),
  ],
);

/** The events a webhook subscribes to, as the lower-case `entity` and `action` of `entity.action`. */
export const webhookEvents = sqliteTable(
  "webhook_events",
  {
    webhookRow: integer("webhook_row").notNull(),
    entity: text("entity").notNull(),
    action: text("action").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.webhookRow, t.entity, t.action] }),
    index("webhook_events_event").on(t.entity, t.action),
  ],
);

/**
 * Webhook deliveries a server could not finish before it shut down, kept so that a replica (or the server once
 * restarted) sends them. The delivery id and the event's time are the original ones, so a receiver that dedupes on
 * X-MLflow-Delivery-Id sees one delivery. A row is claimed (`claimed_by`, `claimed_at`) by one process with one
 * UPDATE before it is sent, and deleted once sent; a claim older than the delivery's longest retry span is stale (its
 * process died) and may be taken again.
 */
export const webhookDeliveries = sqliteTable(
  "webhook_deliveries",
  {
    deliveryId: text("delivery_id").primaryKey(),
    webhookId: text("webhook_id").notNull(),
    event: text("event").notNull(),
    /** The event's `data`, as JSON. */
    payload: text("payload").notNull(),
    /** When the event happened (ms): the payload's `timestamp`. */
    createdAt: integer("created_at").notNull(),
    claimedBy: text("claimed_by"),
    claimedAt: integer("claimed_at"),
  },
  (t) => [index("webhook_deliveries_created_at").on(t.createdAt)],
);

/**
 * MLflow Tracing. A trace gets an integer row id (`id`) that its tags, metadata, spans and assessments reference, as
 * runs do; MLflow's `tr-<32 hex>` id (its `request_id`) lives only here. `trace_name`, `session_id` and the token counts
 * are copied out of the tags / metadata so the Traces table sorts and filters on them without joins.
 * @see mlflow/store/tracking/dbmodels/models.py SqlTraceInfo
 */
export const traceInfo = sqliteTable(
  "trace_info",
  {
    id: integer("id").primaryKey(),
    requestId: text("request_id").notNull(),
    experimentId: integer("experiment_id").notNull(),
    timestampMs: integer("timestamp_ms").notNull(),
    executionTimeMs: integer("execution_time_ms"),
    /** TraceInfoV3.State: OK, ERROR, IN_PROGRESS or STATE_UNSPECIFIED. */
    status: text("status").notNull(),
    clientRequestId: text("client_request_id"),
    requestPreview: text("request_preview"),
    responsePreview: text("response_preview"),
    traceName: text("trace_name"),
    sessionId: text("session_id"),
    inputTokens: integer("input_tokens"),
    outputTokens: integer("output_tokens"),
    totalTokens: integer("total_tokens"),
  },
  (t) => [
    uniqueIndex("trace_info_request_id").on(t.requestId),
    // The search's order (newest first) and its keyset pages.
    index("trace_info_experiment_timestamp").on(t.experimentId, t.timestampMs, t.id),
    index("trace_info_experiment_session").on(t.experimentId, t.sessionId),
  ],
);

/** A trace's tags and its request metadata: the same shape, keyed by the trace's row. */
const traceKeyValue = () => ({
  traceRow: integer("trace_row").notNull(),
  key: text("key").notNull(),
  value: text("value"),
});

export const traceTags = sqliteTable("trace_tags", traceKeyValue(), (t) => [
  primaryKey({ columns: [t.traceRow, t.key] }),
  index("trace_tags_key_value").on(t.key, t.value),
]);

export const traceRequestMetadata = sqliteTable("trace_request_metadata", traceKeyValue(), (t) => [
  primaryKey({ columns: [t.traceRow, t.key] }),
  index("trace_request_metadata_key_value").on(t.key, t.value),
]);

/**
 * One span of a trace. `content` is the span as the API sends it (OpenTelemetry's JSON form, ids base64, times as
 * exact integers), stored once and sent as is. The nanosecond times exceed 2^53: never select them as numbers (the
 * libSQL client refuses such integers); order by them in SQL and read the exact values from `content`.
 * @see mlflow/store/tracking/dbmodels/models.py SqlSpan
 */
export const spans = sqliteTable(
  "spans",
  {
    traceRow: integer("trace_row").notNull(),
    /** Hex, as MLflow's span ids are written outside the OTLP JSON (16 hex digits). */
    spanId: text("span_id").notNull(),
    parentSpanId: text("parent_span_id"),
    name: text("name"),
    /** mlflow.spanType: LLM, CHAT_MODEL, TOOL, … */
    type: text("type"),
    /** The span's status code: OK, ERROR or UNSET. */
    status: text("status").notNull(),
    startTimeUnixNano: integer("start_time_unix_nano").notNull(),
    endTimeUnixNano: integer("end_time_unix_nano"),
    durationNs: integer("duration_ns"),
    content: text("content").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.traceRow, t.spanId] }),
    index("spans_trace_start").on(t.traceRow, t.startTimeUnixNano),
  ],
);

/**
 * Feedback and expectations on traces (and their spans).
 * @see mlflow/store/tracking/dbmodels/models.py SqlAssessments
 */
export const assessments = sqliteTable(
  "assessments",
  {
    assessmentId: text("assessment_id").primaryKey(),
    traceRow: integer("trace_row").notNull(),
    name: text("name").notNull(),
    /** "feedback" or "expectation". */
    assessmentType: text("assessment_type").notNull(),
    /** The value as JSON. */
    value: text("value").notNull(),
    /** An AssessmentError as JSON. */
    error: text("error"),
    createdTimestamp: integer("created_timestamp").notNull(),
    lastUpdatedTimestamp: integer("last_updated_timestamp").notNull(),
    sourceType: text("source_type").notNull(),
    sourceId: text("source_id"),
    runId: text("run_id"),
    spanId: text("span_id"),
    rationale: text("rationale"),
    overrides: text("overrides"),
    valid: integer("valid").notNull().default(1),
    /** The assessment's metadata map as JSON. */
    metadata: text("assessment_metadata"),
  },
  (t) => [index("assessments_trace_created").on(t.traceRow, t.createdTimestamp), index("assessments_name").on(t.name)],
);

/**
 * Links between entities: traces ↔ runs (`link-to-run`) and traces ↔ prompt versions (`link-prompts`).
 * @see mlflow/store/tracking/dbmodels/models.py SqlEntityAssociation
 */
export const entityAssociations = sqliteTable(
  "entity_associations",
  {
    associationId: text("association_id").primaryKey(),
    sourceType: text("source_type").notNull(),
    sourceId: text("source_id").notNull(),
    destinationType: text("destination_type").notNull(),
    destinationId: text("destination_id").notNull(),
    createdTime: integer("created_time").notNull(),
  },
  (t) => [
    uniqueIndex("entity_associations_link").on(t.sourceType, t.sourceId, t.destinationType, t.destinationId),
    index("entity_associations_destination").on(t.destinationType, t.destinationId),
  ],
);

// ---- GenAI evaluation datasets ----

/**
 * MLflow 3's evaluation datasets. Their tags and records hang off `dataset_id`; their experiments are rows of
 * `entity_associations` (source `evaluation_dataset`, destination `experiment`), as in the reference.
 * @see mlflow/store/tracking/dbmodels/models.py SqlEvaluationDataset, SqlEvaluationDatasetTag, SqlEvaluationDatasetRecord
 */
export const evaluationDatasets = sqliteTable(
  "evaluation_datasets",
  {
    datasetId: text("dataset_id").primaryKey(),
    workspace: workspaceColumn(),
    name: text("name").notNull(),
    /** The inferred field types, as JSON text. */
    schema: text("schema"),
    /** `{"num_records": N}` as JSON text. */
    profile: text("profile"),
    digest: text("digest"),
    createdTime: integer("created_time").notNull(),
    lastUpdateTime: integer("last_update_time").notNull(),
    createdBy: text("created_by"),
    lastUpdatedBy: text("last_updated_by"),
  },
  (t) => [
    index("evaluation_datasets_name").on(t.name),
    index("evaluation_datasets_created_time").on(t.createdTime),
    index("evaluation_datasets_workspace").on(t.workspace),
  ],
);

export const evaluationDatasetTags = sqliteTable(
  "evaluation_dataset_tags",
  { datasetId: text("dataset_id").notNull(), key: text("key").notNull(), value: text("value") },
  (t) => [primaryKey({ columns: [t.datasetId, t.key] })],
);

/**
 * A dataset's records, unique by the hash of their inputs (SHA-256 of `json.dumps(inputs, sort_keys=True)`). The JSON
 * columns hold Python's `json.dumps` text, so that ints and floats keep their spelling; `outputs` is wrapped as
 * `{"mlflow_wrapped": …}` as the reference stores it.
 */
export const evaluationDatasetRecords = sqliteTable(
  "evaluation_dataset_records",
  {
    datasetRecordId: text("dataset_record_id").primaryKey(),
    datasetId: text("dataset_id").notNull(),
    inputs: text("inputs").notNull(),
    outputs: text("outputs"),
    expectations: text("expectations"),
    tags: text("tags"),
    source: text("source"),
    sourceId: text("source_id"),
    sourceType: text("source_type"),
    createdTime: integer("created_time").notNull(),
    lastUpdateTime: integer("last_update_time").notNull(),
    createdBy: text("created_by"),
    lastUpdatedBy: text("last_updated_by"),
    inputHash: text("input_hash").notNull(),
  },
  (t) => [
    uniqueIndex("evaluation_dataset_records_input").on(t.datasetId, t.inputHash),
    index("evaluation_dataset_records_page").on(t.datasetId, t.createdTime, t.datasetRecordId),
  ],
);

// ---- Scorers ----

/**
 * Registered scorers: one row per (experiment, name), keyed by a uuid4 the versions and online configs reference.
 * @see mlflow/store/tracking/dbmodels/models.py SqlScorer
 */
export const scorers = sqliteTable(
  "scorers",
  {
    scorerId: text("scorer_id").primaryKey(),
    experimentId: integer("experiment_id").notNull(),
    scorerName: text("scorer_name").notNull(),
  },
  (t) => [uniqueIndex("scorers_experiment_name").on(t.experimentId, t.scorerName)],
);

/**
 * The versions of a scorer, numbered from 1; `serialized_scorer` is the client's JSON text as it was sent.
 * @see mlflow/store/tracking/dbmodels/models.py SqlScorerVersion
 */
export const scorerVersions = sqliteTable(
  "scorer_versions",
  {
    scorerId: text("scorer_id").notNull(),
    scorerVersion: integer("scorer_version").notNull(),
    serializedScorer: text("serialized_scorer").notNull(),
    creationTime: integer("creation_time").notNull(),
  },
  (t) => [primaryKey({ columns: [t.scorerId, t.scorerVersion] })],
);

/**
 * A scorer's online scoring configuration (at most one per scorer: an upsert replaces it).
 * @see mlflow/store/tracking/dbmodels/models.py SqlOnlineScoringConfig
 */
export const onlineScoringConfigs = sqliteTable(
  "online_scoring_configs",
  {
    onlineScoringConfigId: text("online_scoring_config_id").primaryKey(),
    scorerId: text("scorer_id").notNull(),
    sampleRate: real("sample_rate").notNull(),
    experimentId: integer("experiment_id").notNull(),
    filterString: text("filter_string"),
  },
  (t) => [index("online_scoring_configs_scorer").on(t.scorerId)],
);

// ---------------------------------------------------------------------------------------------------------------
// Review: label schemas, review queues, issues (GenAI human feedback). Each belongs to its experiment's workspace.
// ---------------------------------------------------------------------------------------------------------------

/**
 * The questions reviewers answer, per experiment; `input_config` is the input variant's fields as JSON.
 * @see mlflow/store/tracking/dbmodels/models.py SqlLabelSchema
 */
export const labelSchemas = sqliteTable(
  "label_schemas",
  {
    schemaId: text("schema_id").primaryKey(),
    experimentId: integer("experiment_id").notNull(),
    name: text("name").notNull(),
    /** "feedback" or "expectation". */
    type: text("type").notNull(),
    instruction: text("instruction"),
    enableComment: integer("enable_comment").notNull().default(0),
    /** "pass_fail", "categorical", "numeric" or "text". */
    inputType: text("input_type").notNull(),
    inputConfig: text("input_config").notNull(),
    createdBy: text("created_by"),
    createdTime: integer("created_time").notNull(),
    lastUpdateTime: integer("last_update_time").notNull(),
    /** The experiment's protected default question (at most one per experiment). */
    isDefault: integer("is_default").notNull().default(0),
  },
  (t) => [uniqueIndex("label_schemas_experiment_name").on(t.experimentId, t.name)],
);

/**
 * Review queues; names are unique per experiment case-insensitively through `name_key` (the lower-cased name).
 * @see mlflow/store/tracking/dbmodels/models.py SqlReviewQueue
 */
export const reviewQueues = sqliteTable(
  "review_queues",
  {
    queueId: text("queue_id").primaryKey(),
    experimentId: integer("experiment_id").notNull(),
    name: text("name").notNull(),
    nameKey: text("name_key").notNull(),
    /** "user" or "custom". */
    queueType: text("queue_type").notNull(),
    createdBy: text("created_by"),
    creationTimeMs: integer("creation_time_ms").notNull(),
    lastUpdateTimeMs: integer("last_update_time_ms").notNull(),
  },
  (t) => [uniqueIndex("review_queues_experiment_name_key").on(t.experimentId, t.nameKey)],
);

/** A queue's assigned users (lower-cased). @see SqlReviewQueueUser */
export const reviewQueueUsers = sqliteTable(
  "review_queue_users",
  { queueId: text("queue_id").notNull(), userId: text("user_id").notNull() },
  (t) => [primaryKey({ columns: [t.queueId, t.userId] }), index("review_queue_users_user").on(t.userId)],
);

/** The traces attached to a queue and their review status. @see SqlReviewQueueItem */
export const reviewQueueItems = sqliteTable(
  "review_queue_items",
  {
    queueId: text("queue_id").notNull(),
    itemType: text("item_type").notNull(),
    itemId: text("item_id").notNull(),
    /** "pending", "complete" or "declined". */
    status: text("status").notNull(),
    completedBy: text("completed_by"),
    completedTimeMs: integer("completed_time_ms"),
    creationTimeMs: integer("creation_time_ms").notNull(),
    lastUpdateTimeMs: integer("last_update_time_ms").notNull(),
  },
  (t) => [primaryKey({ columns: [t.queueId, t.itemId] }), index("review_queue_items_item").on(t.itemId)],
);

/** The label schemas a custom queue asks (a soft reference: a deleted schema may linger). @see SqlReviewQueueLabelSchema */
export const reviewQueueLabelSchemas = sqliteTable(
  "review_queue_label_schemas",
  { queueId: text("queue_id").notNull(), schemaId: text("schema_id").notNull() },
  (t) => [primaryKey({ columns: [t.queueId, t.schemaId] })],
);

/**
 * Issues found in an experiment's traces; `root_causes` and `categories` are JSON lists.
 * @see mlflow/store/tracking/dbmodels/models.py SqlIssue
 */
export const issues = sqliteTable(
  "issues",
  {
    issueId: text("issue_id").primaryKey(),
    experimentId: integer("experiment_id").notNull(),
    name: text("name").notNull(),
    description: text("description").notNull(),
    status: text("status").notNull(),
    severity: text("severity"),
    rootCauses: text("root_causes"),
    sourceRunId: text("source_run_id"),
    categories: text("categories"),
    createdTimestamp: integer("created_timestamp").notNull(),
    lastUpdatedTimestamp: integer("last_updated_timestamp").notNull(),
    createdBy: text("created_by"),
  },
  (t) => [index("issues_experiment").on(t.experimentId, t.createdTimestamp)],
);

// ---- tracklite import (issue 17) ----

/**
 * Units of `tracklite import` already committed (`run:<id>`, `trace:<id>`, `model:<name>`…): a resumed import skips
 * them. A unit's mark is written in the same transaction as the unit itself, so a kill leaves either both or neither.
 */
export const importCheckpoints = sqliteTable("import_checkpoints", {
  unit: text("unit").primaryKey(),
  doneTime: integer("done_time").notNull(),
});

/**
 * Source ids that landed on another id in tracklite (an experiment whose id was taken), so that a resumed or repeated
 * import puts the experiment's runs, models and traces where the first one put the experiment.
 */
export const importIdMap = sqliteTable(
  "import_id_map",
  {
    kind: text("kind").notNull(),
    sourceId: text("source_id").notNull(),
    targetId: text("target_id").notNull(),
  },
  (t) => [primaryKey({ columns: [t.kind, t.sourceId] })],
);
