import { openDatabase } from "../store/db.js";
import type {
  ImportAuthUser,
  ImportEvaluationDataset,
  ImportLoggedModel,
  ImportRegisteredModel,
  ImportRun,
  ImportScorer,
  ImportSink,
  ImportTrace,
  ImportWebhook,
  MetricPoint,
} from "./model.js";
import { clientSinkDb, nativeSinkDb, type SinkDb, type SinkTx } from "./sink-db.js";
import { writeExperiment } from "./sink-experiments.js";
import { writeRun } from "./sink-runs.js";

/** Whose artifact URI the sink is writing, for `rewriteUri`. */
export interface UriOwner {
  kind: "experiment" | "run" | "logged-model" | "model-version";
  /** The experiment id, run id, model id, or `name/version`. */
  id: string;
  /** tracklite's experiment id, for runs and logged models. */
  experimentId?: string;
}

export interface ImportSinkOptions {
  /** tracklite's database: `file:…` (written through the fast local path) or a libSQL server URL. */
  url: string;
  authToken?: string;
  /** Folder of drizzle-kit's migrations; the shipped one by default. */
  migrationsFolder?: string;
  /**
   * Where an imported artifact URI points in tracklite (the artifact copier's rule); URIs are kept as the source
   * has them when left out.
   */
  rewriteUri?: (uri: string, owner: UriOwner) => string;
  /** Users of the auth database (`importAuthUser`); without it, importing users is refused. */
  authUser?: (user: ImportAuthUser) => Promise<void>;
  /** "client" writes a file through @libsql/client too (tests compare both roads). */
  driver?: "native" | "client";
}

/** The unit names of the checkpoint table, as the orchestrator (apps/server/src/import/units.ts) names them. */
export const sinkUnit = {
  run: (runId: string) => `run:${runId}`,
  loggedModel: (modelId: string) => `logged-model:${modelId}`,
  trace: (traceId: string) => `trace:${traceId}`,
  scorer: (experimentId: string, name: string) => `scorer:${experimentId}:${name}`,
  evaluationDataset: (datasetId: string) => `dataset:${datasetId}`,
  registeredModel: (name: string) => `model:${name}`,
  webhook: (webhookId: string) => `webhook:${webhookId}`,
} as const;

/**
 * Opens tracklite's store as `tracklite import`'s target: migrates it (migration 0009 adds the checkpoint and id-map
 * tables), then writes each unit with its checkpoint mark in one transaction. No Default experiment is made here: the
 * source's own experiment 0 comes across as it is, and a server creates one at start when none came.
 */
export async function createImportSink(options: ImportSinkOptions): Promise<ImportSink> {
  const handle = await openDatabase(options);
  const local = options.url.startsWith("file:") && options.driver !== "client";
  if (local) handle.client.close();
  const db = local ? nativeSinkDb(filePath(options.url)) : clientSinkDb(handle.client);
  return new TrackliteSink(db, options);
}

/** The path of a `file:` URL (`file:x.db`, `file:///abs/x.db`), without its query. */
function filePath(url: string): string {
  const rest = url.slice("file:".length).split("?")[0] ?? "";
  return rest.startsWith("//") ? decodeURIComponent(new URL(url).pathname) : rest;
}

const markSql = "INSERT OR IGNORE INTO import_checkpoints (unit, done_time) VALUES (?, ?)";

/** Writes into tracklite's tables; see ImportSink for the contract. */
class TrackliteSink implements ImportSink {
  constructor(
    private readonly db: SinkDb,
    private readonly options: ImportSinkOptions,
  ) {}

  private uri(uri: string | undefined, owner: UriOwner): string {
    if (!uri) return "";
    return this.options.rewriteUri ? this.options.rewriteUri(uri, owner) : uri;
  }

  /** Runs `work` and marks `unit` done in the same transaction. */
  private unit<T>(unit: string, work: (tx: SinkTx) => Promise<T>): Promise<T> {
    return this.db.transaction(async (tx) => {
      const result = await work(tx);
      await tx.run(markSql, [unit, Date.now()]);
      return result;
    });
  }

  experiment(experiment: Parameters<ImportSink["experiment"]>[0]): Promise<string> {
    const location = this.uri(experiment.artifact_location, { kind: "experiment", id: experiment.experiment_id });
    return this.db.transaction((tx) => writeExperiment(tx, { ...experiment, artifact_location: location }));
  }

  async run(experimentId: string, run: ImportRun, history: AsyncIterable<MetricPoint[]>): Promise<{ points: number }> {
    const info = run.run.info;
    const runId = info.run_id || info.run_uuid;
    const artifactUri = this.uri(info.artifact_uri, { kind: "run", id: runId, experimentId });
    const written = await this.unit(sinkUnit.run(runId), (tx) =>
      writeRun(tx, Number(experimentId), run, history, artifactUri),
    );
    return written ?? { points: 0 };
  }

  async loggedModel(_experimentId: string, _model: ImportLoggedModel): Promise<void> {
    throw new Error("Importing logged models is not supported yet.");
  }

  async trace(_experimentId: string, _trace: ImportTrace): Promise<void> {
    throw new Error("Importing traces is not supported yet.");
  }

  async scorer(_experimentId: string, _scorer: ImportScorer): Promise<void> {
    throw new Error("Importing scorers is not supported yet.");
  }

  async evaluationDataset(_dataset: ImportEvaluationDataset, _experimentIds: string[]): Promise<{ records: number }> {
    throw new Error("Importing evaluation datasets is not supported yet.");
  }

  async registeredModel(_model: ImportRegisteredModel): Promise<void> {
    throw new Error("Importing registered models is not supported yet.");
  }

  async webhook(_webhook: ImportWebhook): Promise<void> {
    throw new Error("Importing webhooks is not supported yet.");
  }

  async authUser(user: ImportAuthUser): Promise<void> {
    if (!this.options.authUser) throw new Error("Importing users is not supported yet: no auth database was given.");
    await this.options.authUser(user);
  }

  async isDone(unit: string): Promise<boolean> {
    const rows = await this.db.all("SELECT 1 FROM import_checkpoints WHERE unit = ?", [unit]);
    return rows.length > 0;
  }

  async markDone(unit: string): Promise<void> {
    await this.db.transaction((tx) => tx.run(markSql, [unit, Date.now()]));
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
