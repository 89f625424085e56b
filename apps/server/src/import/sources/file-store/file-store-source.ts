/**
 * `tracklite import ./mlruns`: an ImportSource over MLflow's FileStore folder, as MLflow 2.x and 3.x write it. Reads
 * files only (no MLflow needed), one experiment, run or metric file at a time: memory stays flat whatever the size.
 * What a FileStore cannot hold (GenAI datasets, scorers, webhooks, users) is simply absent.
 * @see mlflow/store/tracking/file_store.py, mlflow/store/model_registry/file_store.py, mlflow/store/fs2db/
 */
import { dirname, join } from "node:path";
import type { Experiment } from "@tracklite/schemas";
import type {
  ArtifactReader,
  ImportAuthUser,
  ImportEvaluationDataset,
  ImportFilter,
  ImportLoggedModel,
  ImportRegisteredModel,
  ImportRun,
  ImportScorer,
  ImportSource,
  ImportTrace,
  ImportWebhook,
  MetricPoint,
  SkippedItem,
  SourceCounts,
  SourceDescription,
} from "@tracklite/server/import";
import { createArtifactReader } from "../../artifacts/index.js";
import { relocatingArtifactReader } from "./artifacts.js";
import { type ExperimentDir, experimentPicked, listExperimentDirs, readExperiment } from "./experiments.js";
import { filesUnder, readYaml, resolveMlruns, subdirs } from "./layout.js";
import { readLoggedModels } from "./logged-models.js";
import { DEFAULT_BATCH_SIZE, readMetricHistory } from "./metric-history.js";
import { countLines } from "./metric-lines.js";
import { readRegisteredModels } from "./registry.js";
import { listRunDirs, readRun } from "./runs.js";
import { readTraces } from "./traces.js";

export interface FileStoreSourceOptions {
  /**
   * Reads the stored artifact locations (default: the import's reader of local folders and `s3://` with MLflow's S3
   * variables from the environment, relative locations taken from the folder holding `mlruns/`).
   */
  artifactReader?: ArtifactReader;
  /** Metric points per history batch (default 5000). */
  batchSize?: number;
}

/** Opens the FileStore at `folder` (a path, a `file:` URI, or a folder holding `mlruns/`). Throws when it is none. */
export function openFileStoreSource(folder: string, options: FileStoreSourceOptions = {}): ImportSource {
  return new FileStoreSource(resolveMlruns(folder), options);
}

class FileStoreSource implements ImportSource {
  /** What was left out, each item once (a listing may run twice: counts, then the import). */
  private readonly skippedItems = new Map<string, SkippedItem>();
  private readonly skips = {
    push: (item: SkippedItem) => {
      this.skippedItems.set(`${item.what}\u0000${item.reason}`, item);
    },
  };
  /** Run id → its folder, filled while runs are listed so that metricHistory(runId) needs no search. */
  private readonly runDirs = new Map<string, string>();
  private experimentDirs: Map<string, ExperimentDir> | undefined;
  private readonly reader: ArtifactReader;

  constructor(
    private readonly root: string,
    private readonly options: FileStoreSourceOptions,
  ) {
    const reader = options.artifactReader ?? createArtifactReader({ baseDir: dirname(root), env: process.env });
    this.reader = relocatingArtifactReader(root, reader);
  }

  async describe(): Promise<SourceDescription> {
    return { kind: "file-store", label: this.root };
  }

  async counts(filter: ImportFilter): Promise<SourceCounts> {
    // Metric points are counted by lines, without parsing them (a malformed line, later skipped, is counted too).
    const counts: SourceCounts = { experiments: 0, runs: 0, metric_points: 0, logged_models: 0, traces: 0 };
    for await (const experiment of this.experiments(filter)) {
      const dir = (await this.experimentDir(experiment.experiment_id)).dir;
      counts.experiments = (counts.experiments ?? 0) + 1;
      for (const name of await listRunDirs(dir)) {
        if ((await readYaml(join(dir, name))) === undefined) continue;
        counts.runs = (counts.runs ?? 0) + 1;
        const metricsDir = join(dir, name, "metrics");
        for (const file of await filesUnder(metricsDir)) {
          counts.metric_points = (counts.metric_points ?? 0) + (await countLines(join(metricsDir, file)));
        }
      }
      counts.logged_models = (counts.logged_models ?? 0) + (await subdirs(join(dir, "models"))).length;
      counts.traces = (counts.traces ?? 0) + (await subdirs(join(dir, "traces"))).length;
    }
    counts.registered_models = 0;
    counts.model_versions = 0;
    for (const name of await subdirs(join(this.root, "models"))) {
      counts.registered_models++;
      counts.model_versions += (await subdirs(join(this.root, "models", name))).filter((n) =>
        n.startsWith("version-"),
      ).length;
    }
    counts.evaluation_datasets = 0;
    counts.webhooks = 0;
    counts.users = 0;
    return counts;
  }

  async *experiments(filter: ImportFilter): AsyncIterable<Experiment> {
    for (const dir of (await this.loadExperimentDirs()).values()) {
      const experiment = await readExperiment(dir, this.skips);
      if (experiment !== undefined && experimentPicked(experiment, filter.experiments)) yield experiment;
    }
  }

  async *runs(experimentId: string): AsyncIterable<ImportRun> {
    const { dir } = await this.experimentDir(experimentId);
    for (const name of await listRunDirs(dir)) {
      const runDir = join(dir, name);
      const run = await readRun(experimentId, dir, runDir, this.skips);
      if (run === undefined) continue;
      this.runDirs.set(run.run.info.run_id, runDir);
      yield run;
    }
  }

  async *metricHistory(runId: string): AsyncIterable<MetricPoint[]> {
    const runDir = this.runDirs.get(runId) ?? (await this.findRunDir(runId));
    if (runDir === undefined) throw new Error(`Run ${runId} is not in ${this.root}.`);
    yield* readMetricHistory(runId, runDir, this.skips, this.options.batchSize ?? DEFAULT_BATCH_SIZE);
  }

  async *loggedModels(experimentId: string): AsyncIterable<ImportLoggedModel> {
    const { dir } = await this.experimentDir(experimentId);
    yield* readLoggedModels(experimentId, dir, this.skips);
  }

  async *traces(experimentId: string): AsyncIterable<ImportTrace> {
    const { dir } = await this.experimentDir(experimentId);
    yield* readTraces(experimentId, dir, this.reader, this.skips);
  }

  /** A FileStore has no scorers (the reference's FileStore refuses to register one). */
  async *scorers(_experimentId: string): AsyncIterable<ImportScorer> {}

  /** A FileStore has no GenAI evaluation datasets (`filestore_not_supported`). */
  async *evaluationDatasets(_filter: ImportFilter): AsyncIterable<ImportEvaluationDataset> {}

  async *registeredModels(): AsyncIterable<ImportRegisteredModel> {
    yield* readRegisteredModels(this.root, this.skips);
  }

  /** Webhooks need a database store in MLflow; a FileStore has none. */
  async *webhooks(): AsyncIterable<ImportWebhook> {}

  /** Basic-auth users live in their own database (`--auth-db`), never in the FileStore. */
  async *authUsers(): AsyncIterable<ImportAuthUser> {}

  artifacts(): ArtifactReader {
    return this.reader;
  }

  skipped(): SkippedItem[] {
    return [...this.skippedItems.values()];
  }

  async close(): Promise<void> {}

  private async loadExperimentDirs(): Promise<Map<string, ExperimentDir>> {
    if (this.experimentDirs !== undefined) return this.experimentDirs;
    const dirs = new Map<string, ExperimentDir>();
    for (const dir of await listExperimentDirs(this.root)) dirs.set(dir.id, dir);
    return dirs;
  }

  private async experimentDir(experimentId: string): Promise<ExperimentDir> {
    this.experimentDirs ??= await this.loadExperimentDirs();
    const dir = this.experimentDirs.get(experimentId);
    if (dir === undefined) throw new Error(`Experiment ${experimentId} is not in ${this.root}.`);
    return dir;
  }

  /** A run not listed yet: looked for in every experiment folder (as FileStore._find_run_root does). */
  private async findRunDir(runId: string): Promise<string | undefined> {
    this.experimentDirs ??= await this.loadExperimentDirs();
    for (const { dir } of this.experimentDirs.values()) {
      if ((await readYaml(join(dir, runId))) !== undefined) return join(dir, runId);
    }
    return undefined;
  }
}
