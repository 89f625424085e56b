import type {
  ArtifactReader,
  ImportAuthUser,
  ImportEvaluationDataset,
  ImportFilter,
  ImportLoggedModel,
  ImportRegisteredModel,
  ImportRun,
  ImportScorer,
  ImportSink,
  ImportSource,
  ImportTrace,
  ImportWebhook,
  MetricPoint,
  SkippedItem,
  SourceCounts,
} from "@tracklite/server/import";

/**
 * An ImportSource over arrays: our own interface served from memory, so that the orchestrator, the command and the
 * sink can be tested without a database or a server on the source side. Histories are given, or generated on the fly
 * (never held), in batches, with an optional pause per batch so that a test can kill an import half-way.
 */

type Experiment = Parameters<ImportSink["experiment"]>[0];

export interface ArrayExperiment {
  experiment: Experiment;
  /** Each run with its history: the points given, or `points` generated over `metrics` (see historyOf). */
  runs: { run: ImportRun; points?: number; metrics?: string[]; history?: MetricPoint[] }[];
  loggedModels?: ImportLoggedModel[];
  traces?: ImportTrace[];
  scorers?: ImportScorer[];
}

export interface ArrayData {
  experiments: ArrayExperiment[];
  evaluationDatasets?: ImportEvaluationDataset[];
  registeredModels?: ImportRegisteredModel[];
  webhooks?: ImportWebhook[];
  users?: ImportAuthUser[];
  skipped?: SkippedItem[];
}

export interface ArraySourceOptions {
  /** Points per metric batch (default 1000). */
  batch?: number;
  /** Milliseconds to wait before each batch. */
  pauseMs?: number;
  /** The source's artifacts (default: none readable). */
  artifacts?: ArtifactReader;
  /** Leave these out of `counts()`, as a source that cannot count them cheaply. */
  uncounted?: (keyof SourceCounts)[];
}

/** The points of one run's history: `points` spread over its metrics, step i at time 1000 + i, value i / 2. */
export function* historyOf(runId: string, points: number, metrics = ["loss"]): Generator<MetricPoint> {
  for (let i = 0; i < points; i++) {
    const key = metrics[i % metrics.length] ?? "loss";
    const step = Math.floor(i / metrics.length);
    yield { key, value: runId.length + step / 2, timestamp: 1_000 + step, step };
  }
}

const pointsOf = (run: ArrayExperiment["runs"][number]) => run.history?.length ?? run.points ?? 0;

export function arraySource(data: ArrayData, options: ArraySourceOptions = {}): ImportSource & { reads: string[] } {
  const batchSize = options.batch ?? 1000;
  const reads: string[] = [];
  const byId = new Map(data.experiments.map((e) => [e.experiment.experiment_id, e]));
  const runs = new Map(data.experiments.flatMap((e) => e.runs.map((r) => [r.run.run.info.run_id, r] as const)));
  const picked = (filter: ImportFilter) =>
    data.experiments.filter(
      (e) =>
        filter.experiments === undefined ||
        filter.experiments.includes(e.experiment.experiment_id) ||
        filter.experiments.includes(e.experiment.name),
    );
  async function* each<T>(items: T[] | undefined): AsyncIterable<T> {
    for (const item of items ?? []) yield item;
  }
  return {
    reads,
    describe: async () => ({ kind: "arrays", label: "in-test source", version: "test" }),
    async counts(filter) {
      const exps = picked(filter);
      const all: SourceCounts = {
        experiments: exps.length,
        runs: exps.reduce((n, e) => n + e.runs.length, 0),
        metric_points: exps.reduce((n, e) => n + e.runs.reduce((m, r) => m + pointsOf(r), 0), 0),
        logged_models: exps.reduce((n, e) => n + (e.loggedModels?.length ?? 0), 0),
        traces: exps.reduce((n, e) => n + (e.traces?.length ?? 0), 0),
        registered_models: data.registeredModels?.length ?? 0,
        webhooks: data.webhooks?.length ?? 0,
        users: data.users?.length ?? 0,
      };
      for (const key of options.uncounted ?? []) delete all[key];
      return all;
    },
    experiments: (filter) => each(picked(filter).map((e) => e.experiment)),
    runs: (id) => each(byId.get(id)?.runs.map((r) => r.run)),
    async *metricHistory(runId) {
      reads.push(`history:${runId}`);
      const run = runs.get(runId);
      if (!run) return;
      let batch: MetricPoint[] = [];
      for (const point of run.history ?? historyOf(runId, run.points ?? 0, run.metrics)) {
        batch.push(point);
        if (batch.length === batchSize) {
          if (options.pauseMs) await new Promise((r) => setTimeout(r, options.pauseMs));
          yield batch;
          batch = [];
        }
      }
      if (batch.length > 0) yield batch;
    },
    loggedModels: (id) => each(byId.get(id)?.loggedModels),
    traces: (id) => each(byId.get(id)?.traces),
    scorers: (id) => each(byId.get(id)?.scorers),
    evaluationDatasets: () => each(data.evaluationDatasets),
    registeredModels: () => each(data.registeredModels),
    webhooks: () => each(data.webhooks),
    authUsers: () => each(data.users),
    artifacts: () => options.artifacts,
    skipped: () => data.skipped ?? [],
    close: async () => undefined,
  };
}

/** A history of `experiments` experiments with `runs` runs each, every run with `points` metric points. */
export function sampleData(experiments: number, runs: number, points: number): ArrayData {
  return {
    experiments: Array.from({ length: experiments }, (_, e) => ({
      experiment: {
        experiment_id: String(e + 1),
        name: `exp-${e + 1}`,
        lifecycle_stage: "active",
        artifact_location: `mlflow-artifacts:/${e + 1}`,
        creation_time: 1_000,
        last_update_time: 1_000,
        tags: [{ key: "team", value: "a" }],
      },
      runs: Array.from({ length: runs }, (_, r) => {
        const runId = `run${String(e + 1).padStart(3, "0")}${String(r).padStart(5, "0")}`;
        return {
          points,
          metrics: ["loss", "acc"],
          run: {
            run: {
              info: {
                run_id: runId,
                run_uuid: runId,
                run_name: `r-${r}`,
                experiment_id: String(e + 1),
                status: "FINISHED" as const,
                start_time: 1_000,
                end_time: 2_000,
                lifecycle_stage: r === 0 ? "deleted" : "active",
                artifact_uri: `mlflow-artifacts:/${e + 1}/${runId}/artifacts`,
              },
              data: { params: [{ key: "lr", value: "0.1" }], tags: [{ key: "mlflow.runName", value: `r-${r}` }] },
            },
            ...(r === 0 ? { deleted_time: 3_000 } : {}),
          },
        };
      }),
    })),
    registeredModels: [
      {
        model: { name: "reg-model", creation_timestamp: 1_000 },
        versions: [{ name: "reg-model", version: "1", creation_timestamp: 1_000, run_id: "run00100000" }] as never,
      },
    ],
    users: [
      {
        username: "alice",
        password_hash: "pbkdf2:sha256:1$a$b",
        is_admin: false,
        experiment_permissions: [{ experiment_id: "1", permission: "READ" }],
        registered_model_permissions: [],
      },
    ],
    skipped: [{ what: "webhook 'w1' secret", reason: "not readable over REST" }],
  };
}
