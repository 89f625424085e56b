import { openDatabase } from "../store/db.js";
import { SecretBox } from "../webhooks/secret-box.js";
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
import { writeEvaluationDataset } from "./sink-datasets.js";
import { clientSinkDb, nativeSinkDb, type SinkDb, type SinkTx } from "./sink-db.js";
import { writeExperiment } from "./sink-experiments.js";
import { writeLoggedModel } from "./sink-models.js";
import { writeRegisteredModel } from "./sink-registry.js";
import { writeRun } from "./sink-runs.js";
import { writeScorer } from "./sink-scorers.js";
import { writeTrace } from "./sink-traces.js";
import { writeWebhook } from "./sink-webhooks.js";

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
  /** MLFLOW_WEBHOOK_SECRET_ENCRYPTION_KEY of the target server: imported webhook secrets are sealed with it. */
  webhookSecretKey?: string;
  /** "client" writes a file through @libsql/client too (tests compare both roads). */
  driver?: "native" | "client";
}

/** The unit names of the checkpoint table; the orchestrator (apps/server/src/import/units.ts) adds its own to these. */
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
  private box: SecretBox | undefined;

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

  async loggedModel(experimentId: string, model: ImportLoggedModel): Promise<void> {
    const info = model.model.info;
    const uri = this.uri(info.artifact_uri, { kind: "logged-model", id: info.model_id, experimentId });
    await this.unit(sinkUnit.loggedModel(info.model_id), (tx) =>
      writeLoggedModel(tx, Number(experimentId), model, uri),
    );
  }

  async trace(experimentId: string, trace: ImportTrace): Promise<void> {
    const unit = sinkUnit.trace(trace.trace.trace_info.trace_id);
    await this.unit(unit, (tx) => writeTrace(tx, Number(experimentId), trace));
  }

  async scorer(experimentId: string, scorer: ImportScorer): Promise<void> {
    const unit = sinkUnit.scorer(scorer.experiment_id, scorer.versions[0]?.scorer_name ?? "");
    await this.unit(unit, (tx) => writeScorer(tx, Number(experimentId), scorer));
  }

  evaluationDataset(dataset: ImportEvaluationDataset, experimentIds: string[]): Promise<{ records: number }> {
    const unit = sinkUnit.evaluationDataset(dataset.dataset.dataset_id);
    return this.unit(unit, (tx) => writeEvaluationDataset(tx, dataset, experimentIds));
  }

  async registeredModel(model: ImportRegisteredModel): Promise<void> {
    const name = model.model.name;
    const storage = (uri: string, version: string) =>
      this.uri(uri, { kind: "model-version", id: `${name}/${version}` });
    await this.unit(sinkUnit.registeredModel(name), (tx) => writeRegisteredModel(tx, model, storage));
  }

  async webhook(webhook: ImportWebhook): Promise<void> {
    const sealed = await this.seal(webhook.secret);
    await this.unit(sinkUnit.webhook(webhook.webhook.webhook_id), (tx) => writeWebhook(tx, webhook, sealed));
  }

  /** A webhook secret as the target server stores it: sealed with its key when it has one. */
  private async seal(secret: string | undefined): Promise<[string | null, number]> {
    if (!secret) return [null, 0];
    if (!this.options.webhookSecretKey) return [secret, 0];
    this.box ??= await SecretBox.fromKey(this.options.webhookSecretKey);
    return [await this.box.seal(secret), 1];
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
