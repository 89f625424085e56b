import type { TraceInfoV3 } from "@tracklite/schemas";
import type { ServerObserver } from "../observe/server-observer.js";
import { archivedSpanTexts, archiveOpener, TraceArchiver } from "../traces/archival.js";
import type { TraceArchivalConfig } from "../traces/archival-config.js";
import { WebhookDispatcher } from "../webhooks/dispatcher.js";
import { deliveryPolicy, type WebhookOptions } from "../webhooks/options.js";
import { SecretBox } from "../webhooks/secret-box.js";
import { AssessmentStore, loadAssessments } from "./assessments.js";
import { DatasetRecordStore } from "./dataset-records.js";
import { DatasetStore } from "./datasets.js";
import { type DbHandle, type OpenOptions, openDatabase } from "./db.js";
import { mapDatabaseError, withDatabaseErrors } from "./db-errors.js";
import { ExperimentStore } from "./experiments.js";
import { IssueStore } from "./issues.js";
import { LabelSchemaStore } from "./label-schemas.js";
import { LoggedModelStore } from "./logged-models.js";
import { MetricCompactor } from "./metric-compaction.js";
import { MetricStore } from "./metrics.js";
import { AliasStore } from "./model-aliases.js";
import { ModelVersionStore } from "./model-versions.js";
import { OnlineScoringConfigStore } from "./online-scoring-configs.js";
import { openReadReplicaDatabase, type ReadReplicaOptions } from "./read-replica.js";
import { RegisteredModelStore } from "./registered-models.js";
import { ReviewQueueStore } from "./review-queues.js";
import { RunLogStore } from "./run-logging.js";
import { RunStore } from "./runs.js";
import { type MigrationJournal, openVerifiedDatabase } from "./schema-version.js";
import { ScorerStore } from "./scorers.js";
import { type SearchRunsArgs, searchRuns } from "./search-runs.js";
import { TraceMetricsStore } from "./trace-metrics.js";
import { TraceSpanStore } from "./trace-spans.js";
import { TraceStartStore } from "./trace-start.js";
import { TraceStore } from "./traces.js";
import { WebhookDeliveryStore } from "./webhook-deliveries.js";
import { WebhookStore } from "./webhooks.js";
import { refuseForeignWorkspaces, WorkspaceStore } from "./workspaces.js";

export interface StoreOptions extends OpenOptions {
  /** Root under which experiments get their artifact location, e.g. `mlflow-artifacts:/`. */
  defaultArtifactRoot: string;
  /** Cut param and tag values over MLflow's limits instead of refusing them; MLflow 3's default is on. */
  truncateLongValues?: boolean;
  /** Where webhooks may point and how they are delivered; the reference's defaults where left out. */
  webhooks?: WebhookOptions;
  /** MLflow 3's `--enable-workspaces`: experiments, registered models and webhooks are confined to a workspace. */
  enableWorkspaces?: boolean;
  /**
   * `--trace-archival-config`: when enabled, a periodic job moves old traces' spans to the archive location; `env`
   * holds the S3 settings for an `s3://` location.
   */
  traceArchival?: { config: TraceArchivalConfig; env?: Record<string, string | undefined> };
  // MLFLOW_CREATE_MODEL_VERSION_SOURCE_VALIDATION_REGEX, which every new version's source must match.
  modelVersionSourceRegex?: RegExp | undefined;
  /** The server's working folder: a relative local `artifact_location` is made absolute against it, as the reference does. */
  workingDirectory?: string;
  /** `--expose-prometheus`: told how many metric values and spans each write committed. */
  observer?: Pick<ServerObserver, "ingested">;
  /**
   * Workers: do not migrate; check that every migration of this journal is applied, else refuse with a 503 that says
   * to run `tracklite db upgrade`.
   */
  verifySchema?: MigrationJournal;
  /**
   * Workers: no work may outlive the request that started it (an isolate's I/O belongs to its request), so the merges
   * of metric chunks and the storing of a history's JSON are done before the answer instead of after it.
   */
  requestScopedWork?: boolean;
  /** `--read-replica-backend-store-uri`: reads from a local embedded replica of `url` (a libSQL server). */
  readReplica?: ReadReplicaOptions;
  /**
   * Send the webhook deliveries a shutdown kept in the database (by this or another process): at start and every this
   * many ms. Off when left out (in-process tests; Workers, which have no timers between requests).
   */
  webhookResumeIntervalMs?: number;
}

/** The tracking store and model registry: every read and write of their data, and all the SQL. */
export interface Store {
  readonly experiments: ExperimentStore;
  readonly runs: RunStore;
  readonly logging: RunLogStore;
  readonly metrics: MetricStore;
  readonly loggedModels: LoggedModelStore;
  readonly registeredModels: RegisteredModelStore;
  readonly modelVersions: ModelVersionStore;
  readonly modelAliases: AliasStore;
  readonly webhooks: WebhookStore;
  /** Feedback and expectations on traces. */
  readonly assessments: AssessmentStore;
  /** Trace analytics: metrics over traces, spans and assessments; filter correlation. */
  readonly traceMetrics: TraceMetricsStore;
  /** MLflow Tracing: trace infos, spans, tags, links. */
  readonly traces: TraceStore;
  /** Span ingest (`/v1/traces`) and StartTraceV3: the trace write path of MLflow Tracing. */
  readonly traceSpans: TraceSpanStore;
  readonly traceStarts: TraceStartStore;
  /** Sends registry events to webhooks, and `/test` payloads. */
  readonly webhookDelivery: WebhookDispatcher;
  /** The workspaces themselves (their CRUD); usable whether workspaces are on or off. */
  readonly workspaces: WorkspaceStore;
  /** Whether the server runs with `--enable-workspaces`. */
  readonly workspacesEnabled: boolean;
  /**
   * The same store confined to one workspace: every read and write of the view stays in it. With workspaces off,
   * the store itself (nothing is filtered; every row is in 'default').
   */
  in(workspace: string | undefined): Store;
  searchRuns(args: SearchRunsArgs): ReturnType<typeof searchRuns>;
  close(): void;
  /** Resolves once the writer queue is empty: every accepted write committed (or refused), before `close`. */
  drainWrites(): Promise<void>;
  /** Writes waiting for the one writer or being committed (`--expose-prometheus`'s queue depth). */
  writerQueueDepth(): number;
  // GenAI evaluation datasets: the datasets, their tags and experiments; their records.
  readonly datasets: DatasetStore;
  readonly datasetRecords: DatasetRecordStore;
  // Scorers.
  /** Registered scorers and their versions, per experiment. */
  readonly scorers: ScorerStore;
  /** The online scoring configurations of registered scorers. */
  readonly onlineScoringConfigs: OnlineScoringConfigStore;
  // Review: label schemas, review queues, issues.
  readonly labelSchemas: LabelSchemaStore;
  readonly reviewQueues: ReviewQueueStore;
  readonly issues: IssueStore;
}

/**
 * Opens the database (migrating it) and makes sure the Default experiment exists. Without workspaces, a database that
 * holds another workspace's data is refused, as the reference refuses it.
 */
export async function createStore(options: StoreOptions): Promise<Store> {
  const { readReplica, verifySchema } = options;
  const opened = verifySchema
    ? await openVerifiedDatabase(options, verifySchema)
    : readReplica
      ? await openReadReplicaDatabase({ ...options, readReplica })
      : await openDatabase(options);
  const base: DbHandle = { ...opened, observer: options.observer, requestScopedWork: options.requestScopedWork };
  const enabled = options.enableWorkspaces ?? false;
  if (!enabled) await refuseForeignWorkspaces(base);
  const policy = deliveryPolicy(options.webhooks);
  const secretKey = options.webhooks?.secretKey;
  const secretBox = secretKey ? await SecretBox.fromKey(secretKey) : undefined;
  const views = new Map<string, Store>();
  const viewOf = (workspace: string | undefined): Store => {
    if (!enabled || workspace === undefined) return root;
    let view = views.get(workspace);
    if (!view) {
      view = build({ ...base, workspace });
      views.set(workspace, view);
    }
    return view;
  };
  // The registry tells the dispatcher about its writes; the dispatcher asks the registry which models are prompts.
  const webhookDelivery: WebhookDispatcher = new WebhookDispatcher(
    {
      subscribers: (event, workspace) => viewOf(workspace).webhooks.subscribers(event),
      isPrompt: (name, workspace): Promise<boolean> => viewOf(workspace).registeredModels.isPrompt(name),
      webhook: (webhookId) => root.webhooks.subscriber(webhookId),
    },
    policy,
    new WebhookDeliveryStore(base),
  );
  const workspaceStore = new WorkspaceStore(base, (name) => views.delete(name));
  const compactor = new MetricCompactor(base);

  // An archived trace's spans, from the archive location its tags name.
  const openArchive = archiveOpener(options.traceArchival?.env);
  const readArchive = (info: TraceInfoV3) => archivedSpanTexts(info, openArchive);

  /** The sub-stores over one handle (the unscoped one, or a workspace's). */
  function build(h: DbHandle): Store {
    const notify = webhookDelivery.sinkFor(h.workspace);
    const experiments = new ExperimentStore(h, options.defaultArtifactRoot, enabled, options.workingDirectory);
    const runs = new RunStore(h, experiments);
    const loggedModels = new LoggedModelStore(h, experiments);
    const modelAliases = new AliasStore(h, notify);
    // Database failures that are the server's condition (a full disk) reach clients as the reference's 503.
    const guard = withDatabaseErrors;
    return {
      experiments: guard(experiments),
      runs: guard(runs),
      logging: guard(new RunLogStore(h, runs, options.truncateLongValues ?? true, compactor)),
      metrics: guard(new MetricStore(h)),
      loggedModels: guard(loggedModels),
      registeredModels: guard(new RegisteredModelStore(h, notify)),
      modelVersions: guard(
        new ModelVersionStore(h, {
          runs,
          loggedModels,
          aliases: modelAliases,
          notify,
          sourceRegex: options.modelVersionSourceRegex,
        }),
      ),
      modelAliases: guard(modelAliases),
      webhooks: guard(new WebhookStore(h, policy, secretBox)),
      traceSpans: guard(new TraceSpanStore(h, experiments)),
      traceStarts: guard(new TraceStartStore(h, experiments)),
      assessments: guard(new AssessmentStore(h)),
      traceMetrics: guard(new TraceMetricsStore(h)),
      traces: guard(new TraceStore(h, experiments, loadAssessments, readArchive)),
      webhookDelivery,
      workspaces: guard(workspaceStore),
      workspacesEnabled: enabled,
      in: viewOf,
      searchRuns: (args) => searchRuns(h, args).catch((e: unknown) => Promise.reject(mapDatabaseError(e))),
      close: () => {
        webhookDelivery.stopResuming();
        void archiver?.stop();
        base.client.close();
      },
      drainWrites: () => base.writer.idle(),
      writerQueueDepth: () => base.writer.depth,
      // GenAI evaluation datasets.
      datasets: guard(new DatasetStore(h)),
      datasetRecords: guard(new DatasetRecordStore(h)),
      // Scorers.
      scorers: guard(new ScorerStore(h, experiments)),
      onlineScoringConfigs: guard(new OnlineScoringConfigStore(h)),
      // Review: label schemas, review queues, issues.
      ...reviewStores(h, experiments),
    };
  }

  const archival = options.traceArchival;
  const archiver = archival?.config.enabled
    ? new TraceArchiver(base.client, archival.config, archiveOpener(archival.env))
    : undefined;
  const root = build(base);
  await root.experiments.ensureDefault();
  archiver?.start();
  if (options.webhookResumeIntervalMs !== undefined) webhookDelivery.startResuming(options.webhookResumeIntervalMs);
  return root;
}

export type { SearchRunsArgs };

/** The review sub-stores (label schemas, review queues, issues) over one handle. */
function reviewStores(h: DbHandle, experiments: ExperimentStore) {
  const labelSchemas = new LabelSchemaStore(h, experiments);
  return {
    labelSchemas: withDatabaseErrors(labelSchemas),
    reviewQueues: withDatabaseErrors(new ReviewQueueStore(h, experiments, labelSchemas)),
    issues: withDatabaseErrors(new IssueStore(h, experiments)),
  };
}
