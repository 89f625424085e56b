/**
 * `tracklite import`: the shapes every source produces and the sink consumes.
 *
 * Each entity is MLflow's own REST JSON (the `@tracklite/schemas` types, snake_case as the reference answers), so the
 * REST source passes answers through, and the database and FileStore sources build what the reference's `to_proto`
 * would. What REST hides but a database holds (a run's deleted_time, a version's storage location…) rides in the
 * optional extra fields. Metric histories are the one high-volume stream: they come as batches of compact points.
 *
 * Order: the importer asks for experiments, then per experiment its runs (each with its metric history), logged
 * models and traces; then GenAI datasets, the registry, webhooks, auth. A parent is always written before its children.
 */
import type {
  Assessment,
  EvaluationDataset,
  Experiment,
  LoggedModel,
  ModelVersion,
  RegisteredModel,
  Run,
  ScorerWire,
  Span,
  TraceInfoV3,
  Webhook,
} from "@tracklite/schemas";

/** One metric point. `value` may be NaN or ±Infinity (the JSON "NaN"/"Infinity" strings are decoded by the source). */
export interface MetricPoint {
  key: string;
  value: number;
  timestamp: number;
  step: number;
  dataset_name?: string;
  dataset_digest?: string;
  model_id?: string;
}

/** A run as get-run answers it (with its latest metrics left out: the sink derives them from the history). */
export interface ImportRun {
  run: Run;
  /** Set when lifecycle_stage is "deleted" and the source knows when (databases do; REST does not). */
  deleted_time?: number;
}

/** A logged model (MLflow 3) as get-logged-model answers it; `deleted` is true for one the source holds as deleted. */
export interface ImportLoggedModel {
  model: LoggedModel;
  deleted?: boolean;
}

/** A trace: its v3 info (with assessments inside `trace_info.assessments`), its spans and where it is linked. */
export interface ImportTrace {
  trace: { trace_info: TraceInfoV3; spans: Span[] };
  /** Assessments also in trace_info.assessments are not repeated here; this holds the ones a source lists apart. */
  assessments?: Assessment[];
  /** Runs the trace is linked to (MLflow 3's entity_associations / the `mlflow.sourceRun` metadata). */
  linked_run_ids?: string[];
}

/** A GenAI evaluation dataset with its records (records are streamed in batches). */
export interface ImportEvaluationDataset {
  dataset: EvaluationDataset;
  experiment_ids: string[];
  /** Each record as the reference's get-dataset-records answers it (dataset_record_id, inputs, expectations…). */
  records: () => AsyncIterable<Record<string, unknown>[]>;
}

/** A registered model or prompt with every version (versions carry their tags and aliases). */
export interface ImportRegisteredModel {
  model: RegisteredModel;
  /** Stage, description, tags, aliases — all versions, including deleted ones the source still holds. */
  versions: ModelVersion[];
  /** MLflow 3 link of a version to its logged model (model_versions.model_id / the `model_id` field). */
  version_model_ids?: Record<string, string>;
  /** Where a version's files live in the source (model_versions.storage_location), keyed by version. */
  version_storage_locations?: Record<string, string>;
}

/** A webhook; `secret` only when the source can read it (a database with the encryption key at hand). */
export interface ImportWebhook {
  webhook: Webhook;
  secret?: string;
}

/** A scorer with its versions (MLflow 3). */
export interface ImportScorer {
  experiment_id: string;
  versions: ScorerWire[];
}

/** A basic-auth user from MLflow's `basic_auth.db`, with the password hash as stored (werkzeug format). */
export interface ImportAuthUser {
  username: string;
  password_hash: string;
  is_admin: boolean;
  experiment_permissions: { experiment_id: string; permission: string }[];
  registered_model_permissions: { name: string; permission: string }[];
  /** Other permission tables of newer MLflow versions (scorers, gateway…), as rows: table name → rows. */
  other_permissions?: Record<string, Record<string, unknown>[]>;
}

/** One file under an artifact root, as the source lists it (path relative to the listed URI). */
export interface ArtifactFile {
  path: string;
  size?: number;
}

/** Reading a source's artifacts: local folders, S3, or the source server's artifact proxy. */
export interface ArtifactReader {
  /** Every file under `uri` (a run's artifact_uri, a logged model's, a version's storage location), recursively. */
  list(uri: string): AsyncIterable<ArtifactFile>;
  /** The bytes of `path` under `uri`. */
  open(uri: string, path: string): Promise<ReadableStream<Uint8Array>>;
}

/** Which part of the history to import (`--experiments`). */
export interface ImportFilter {
  /** Experiment ids or names; undefined means all. */
  experiments?: string[];
}

/** What a source holds, for `--dry-run` and the progress bar's totals (a field left out: the source cannot count it cheaply). */
export interface SourceCounts {
  experiments?: number;
  runs?: number;
  metric_points?: number;
  logged_models?: number;
  traces?: number;
  evaluation_datasets?: number;
  registered_models?: number;
  model_versions?: number;
  webhooks?: number;
  users?: number;
  artifacts?: number;
}

/** Something the source holds that will not come across, and why: printed in the summary. */
export interface SkippedItem {
  what: string;
  reason: string;
}

export interface SourceDescription {
  /** "sqlite", "postgresql", "mysql", "file-store" or "rest". */
  kind: string;
  /** For printing: the URI with any password masked. */
  label: string;
  /** The database's alembic revision, or the server's version, when known. */
  version?: string;
}

/**
 * An MLflow history to import from. Every listing is a stream: a source never holds more than a page in memory.
 * A method a source cannot serve yields nothing and reports the gap through `skipped()`.
 */
export interface ImportSource {
  describe(): Promise<SourceDescription>;
  counts(filter: ImportFilter): Promise<SourceCounts>;
  /** Every experiment (active and deleted) that the filter picks, with its tags. */
  experiments(filter: ImportFilter): AsyncIterable<Experiment>;
  /** Every run (active and deleted) of one experiment, with params, tags, inputs and outputs. */
  runs(experimentId: string): AsyncIterable<ImportRun>;
  /** Every point of every metric of one run, in batches of a few thousand. */
  metricHistory(runId: string): AsyncIterable<MetricPoint[]>;
  loggedModels(experimentId: string): AsyncIterable<ImportLoggedModel>;
  traces(experimentId: string): AsyncIterable<ImportTrace>;
  scorers(experimentId: string): AsyncIterable<ImportScorer>;
  evaluationDatasets(filter: ImportFilter): AsyncIterable<ImportEvaluationDataset>;
  /** Registered models and prompts, with their versions. */
  registeredModels(): AsyncIterable<ImportRegisteredModel>;
  webhooks(): AsyncIterable<ImportWebhook>;
  /** Basic-auth users and permissions, when an auth database is reachable (`--auth-db`); else nothing. */
  authUsers(): AsyncIterable<ImportAuthUser>;
  /** The source's artifacts, or undefined when they cannot be read (then they are reported as skipped). */
  artifacts(): ArtifactReader | undefined;
  /** What this source could not read, gathered while it was read. */
  skipped(): SkippedItem[];
  close(): Promise<void>;
}

/**
 * Where the import writes: tracklite's own store. Every method is idempotent (writing the same entity twice changes
 * nothing) and keeps ids: experiment ids where free (else a new one, returned), run ids, model ids, trace ids,
 * version numbers. A run and its whole history are committed together with its checkpoint mark.
 */
export interface ImportSink {
  /** The tracklite experiment id the source's experiment landed on (the same id unless it was taken). */
  experiment(experiment: Experiment): Promise<string>;
  /** The run, its params/tags/inputs/outputs and every metric batch, committed as one unit. */
  run(experimentId: string, run: ImportRun, history: AsyncIterable<MetricPoint[]>): Promise<{ points: number }>;
  loggedModel(experimentId: string, model: ImportLoggedModel): Promise<void>;
  trace(experimentId: string, trace: ImportTrace): Promise<void>;
  scorer(experimentId: string, scorer: ImportScorer): Promise<void>;
  evaluationDataset(dataset: ImportEvaluationDataset, experimentIds: string[]): Promise<{ records: number }>;
  registeredModel(model: ImportRegisteredModel): Promise<void>;
  webhook(webhook: ImportWebhook): Promise<void>;
  authUser(user: ImportAuthUser): Promise<void>;
  /** Has this unit ("run:<id>", "trace:<id>", "model:<name>"…) been committed by an earlier, interrupted import? */
  isDone(unit: string): Promise<boolean>;
  /** Mark a unit done (units whose write is not a single commit, e.g. a run's artifacts once copied). */
  markDone(unit: string): Promise<void>;
  close(): Promise<void>;
}
