import type { ArtifactReader, ImportFilter, ImportSource, SkippedItem, SourceCounts } from "@tracklite/server/import";
import { readBasicAuthDb } from "./auth-users.js";
import { countEvaluationDatasets, readEvaluationDatasets } from "./evaluation-datasets.js";
import { countExperiments, readExperiments } from "./experiments.js";
import { countLoggedModels, readLoggedModels } from "./logged-models.js";
import { countMetricPoints, readMetricHistory } from "./metric-history.js";
import { openConnection } from "./open-connection.js";
import { countRegistry, readRegisteredModels } from "./registry.js";
import { countRuns, readRuns } from "./runs.js";
import { readSchemaInfo, type SchemaInfo } from "./schema-info.js";
import { readScorers } from "./scorers.js";
import { countTraces, readTraces } from "./traces.js";
import { parseSqlUri } from "./uri.js";
import { readWebhooks, WEBHOOK_KEY_ENV } from "./webhooks.js";

export interface SqlSourceOptions {
  /** MLflow's basic-auth database URI (`--auth-db`), read for `authUsers()`. */
  authDb?: string;
  /** Reads the artifact roots the database's URIs point at (the artifacts owner's readers). */
  artifacts?: ArtifactReader;
  /** The source server's webhook-secret key; defaults to `MLFLOW_WEBHOOK_SECRET_ENCRYPTION_KEY`. */
  webhookSecretKey?: string;
}

/**
 * An MLflow tracking database (SQLite, PostgreSQL, MySQL; schema revisions of MLflow 2.0–3.17.2) as an import source.
 * @throws Error with a one-line message when the URI, the connection or the schema revision is not usable.
 */
export async function openSqlSource(uri: string, options: SqlSourceOptions = {}): Promise<ImportSource> {
  const target = parseSqlUri(uri);
  /** Every failure names the database (password masked), once. */
  const named = (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    return new Error(message.startsWith(target.label) ? message : `${target.label}: ${message}`);
  };
  const db = await openConnection(target).catch((error: unknown) => {
    throw named(error);
  });
  let schema: SchemaInfo;
  try {
    schema = await readSchemaInfo(db, target.label);
  } catch (error) {
    await db.close().catch(() => {});
    throw named(error);
  }
  const skipped: SkippedItem[] = [];

  /** The experiment ids a filter picks, or undefined for all (so counts can use one cheap COUNT). */
  async function pickedIds(filter: ImportFilter): Promise<string[] | undefined> {
    if (filter.experiments === undefined) return undefined;
    const ids: string[] = [];
    for await (const experiment of readExperiments(db, schema, filter)) ids.push(experiment.experiment_id);
    return ids;
  }

  return {
    async describe() {
      return { kind: target.dialect, label: target.label, version: schema.revision };
    },
    async counts(filter): Promise<SourceCounts> {
      const ids = await pickedIds(filter);
      const webhooks = schema.has("webhooks")
        ? Number((await db.all("SELECT COUNT(*) AS n FROM webhooks WHERE deleted_timestamp IS NULL", []))[0]?.n ?? 0)
        : 0;
      return {
        experiments: await countExperiments(db, filter),
        runs: await countRuns(db, ids),
        metric_points: await countMetricPoints(db, ids),
        logged_models: await countLoggedModels(db, schema, ids),
        traces: await countTraces(db, schema, ids),
        evaluation_datasets: await countEvaluationDatasets(db, schema),
        ...(await countRegistry(db, schema)),
        webhooks,
      };
    },
    experiments: (filter) => readExperiments(db, schema, filter),
    runs: (experimentId) => readRuns(db, schema, experimentId),
    metricHistory: (runId) => readMetricHistory(db, runId),
    loggedModels: (experimentId) => readLoggedModels(db, schema, experimentId),
    traces: (experimentId) => readTraces(db, schema, experimentId, options.artifacts, skipped),
    scorers: (experimentId) => readScorers(db, schema, experimentId),
    evaluationDatasets: (filter) => readEvaluationDatasets(db, schema, filter, pickedIds),
    registeredModels: () => readRegisteredModels(db, schema),
    webhooks: () =>
      readWebhooks(db, schema, options.webhookSecretKey ?? process.env[WEBHOOK_KEY_ENV] ?? undefined, skipped),
    authUsers: () => (options.authDb ? readBasicAuthDb(options.authDb) : empty()),
    artifacts: () => options.artifacts,
    skipped: () => [...skipped],
    close: () => db.close(),
  };
}

async function* empty<T>(): AsyncIterable<T> {}
