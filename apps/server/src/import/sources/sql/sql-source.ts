import type { ArtifactReader, ImportFilter, ImportSource, SkippedItem, SourceCounts } from "@tracklite/server/import";
import { countExperiments, readExperiments } from "./experiments.js";
import { countMetricPoints, readMetricHistory } from "./metric-history.js";
import { openConnection } from "./open-connection.js";
import { countRuns, readRuns } from "./runs.js";
import { readSchemaInfo } from "./schema-info.js";
import { parseSqlUri } from "./uri.js";

export interface SqlSourceOptions {
  /** MLflow's basic-auth database URI (`--auth-db`), read for `authUsers()`. */
  authDb?: string;
  /** Reads the artifact roots the database's URIs point at (the artifacts owner's readers). */
  artifacts?: ArtifactReader;
}

/**
 * An MLflow tracking database (SQLite, PostgreSQL, MySQL; schema revisions of MLflow 2.0–3.17.2) as an import source.
 * @throws Error with a one-line message when the URI, the connection or the schema revision is not usable.
 */
export async function openSqlSource(uri: string, options: SqlSourceOptions = {}): Promise<ImportSource> {
  const target = parseSqlUri(uri);
  const db = await openConnection(target);
  let schema: Awaited<ReturnType<typeof readSchemaInfo>>;
  try {
    schema = await readSchemaInfo(db, target.label);
  } catch (error) {
    await db.close();
    throw error;
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
      return {
        experiments: await countExperiments(db, filter),
        runs: await countRuns(db, ids),
        metric_points: await countMetricPoints(db, ids),
      };
    },
    experiments: (filter) => readExperiments(db, schema, filter),
    runs: (experimentId) => readRuns(db, schema, experimentId),
    metricHistory: (runId) => readMetricHistory(db, runId),
    loggedModels: () => empty(),
    traces: () => empty(),
    scorers: () => empty(),
    evaluationDatasets: () => empty(),
    registeredModels: () => empty(),
    webhooks: () => empty(),
    authUsers: () => empty(),
    artifacts: () => options.artifacts,
    skipped: () => [...skipped],
    close: () => db.close(),
  };
}

async function* empty<T>(): AsyncIterable<T> {}
