import type { InStatement } from "@libsql/client";
import type { EvaluationDataset } from "@tracklite/schemas";
import { notFound } from "../errors.js";
import type { DatasetOrderTerm } from "../search/dataset-grammar.js";
import type { FilterClause } from "../search/identifiers.js";
import type { SqlArg } from "../search/keyset.js";
import { encodeOffsetToken } from "../search/registry-page-token.js";
import { stringComparison } from "../search/sql-compare.js";
import { PyFloat, type PyJson, pyJsonDumps } from "../traces/py-json.js";
import {
  DATASET_SOURCE,
  type DatasetRow,
  datasetDigest,
  datasetsToWire,
  datasetToWire,
  EXPERIMENT_DESTINATION,
  findDataset,
  linkedExperimentIds,
  loadDatasetTags,
  newAssociationId,
  newDatasetId,
  requireAccessible,
} from "./dataset-rows.js";
import type { DbHandle } from "./db.js";
import { decodeOffsetToken } from "./page-token.js";
import { type RunDatasetSummary, runDatasetSummaries } from "./run-dataset-summaries.js";
import { inWorkspace, writeWorkspace } from "./workspace-scope.js";

/**
 * GenAI evaluation datasets: their rows, tags, experiment links and search. Records are in dataset-records.ts.
 * @see mlflow/store/tracking/sqlalchemy_store.py create_dataset … remove_dataset_from_experiments
 */

export interface SearchDatasetsArgs {
  experimentIds?: readonly string[];
  filter: readonly FilterClause[];
  orderBy: readonly DatasetOrderTerm[];
  maxResults: number;
  pageToken?: string;
}

/** A tag value as CreateDataset stores it: the value as its String column holds what Python binds. */
function createdTagValue(v: PyJson): string | null {
  if (v === null) return null;
  if (typeof v === "string") return v;
  if (typeof v === "boolean") return v ? "1" : "0";
  if (v instanceof PyFloat || typeof v === "number") return pyJsonDumps(v);
  return pyJsonDumps(v);
}

/** A tag value as SetDatasetTags stores it: `str(value)`. */
function setTagValue(v: PyJson): string {
  if (typeof v === "string") return v;
  if (typeof v === "boolean") return v ? "True" : "False";
  return pyJsonDumps(v);
}

/** Sets a tag; an existing one keeps its place in the tags' order. */
const UPSERT_TAG = `INSERT INTO evaluation_dataset_tags (dataset_id, key, value) VALUES (?, ?, ?)
  ON CONFLICT (dataset_id, key) DO UPDATE SET value = excluded.value`;

const ATTRIBUTE_COLUMNS: Readonly<Record<string, string>> = {
  name: "d.name",
  created_time: "d.created_time",
  last_update_time: "d.last_update_time",
  created_by: "d.created_by",
  last_updated_by: "d.last_updated_by",
};

function clauseSql(c: FilterClause, args: SqlArg[]): string {
  if (c.type === "tag") {
    args.push(c.key);
    const cmp = stringComparison("t.value", c.comparator, c.value as string, args);
    return `EXISTS (SELECT 1 FROM evaluation_dataset_tags t WHERE t.dataset_id = d.dataset_id AND t.key = ? AND ${cmp})`;
  }
  const column = ATTRIBUTE_COLUMNS[c.key] as string;
  if (typeof c.value === "number") {
    args.push(c.value);
    return `${column} ${c.comparator} ?`;
  }
  return stringComparison(column, c.comparator, c.value as string | readonly string[], args);
}

export class DatasetStore {
  constructor(private readonly h: DbHandle) {}

  async create(
    name: string,
    experimentIds: readonly string[],
    tags: Record<string, PyJson>,
  ): Promise<EvaluationDataset> {
    const id = newDatasetId();
    const now = Date.now();
    const user = tags["mlflow.user"];
    const createdBy = user === undefined ? null : createdTagValue(user);
    const row: DatasetRow = {
      dataset_id: id,
      name,
      schema: null,
      profile: null,
      digest: datasetDigest(name, now),
      created_time: now,
      last_update_time: now,
      created_by: createdBy,
      last_updated_by: createdBy,
    };
    const stmts: InStatement[] = [
      {
        sql: `INSERT INTO evaluation_datasets (dataset_id, workspace, name, schema, profile, digest, created_time,
          last_update_time, created_by, last_updated_by) VALUES (?, ?, ?, NULL, NULL, ?, ?, ?, ?, ?)`,
        args: [id, writeWorkspace(this.h), name, row.digest, now, now, createdBy, createdBy],
      },
    ];
    for (const [k, v] of Object.entries(tags)) {
      stmts.push({ sql: UPSERT_TAG, args: [id, k, createdTagValue(v)] });
    }
    for (const exp of experimentIds) stmts.push(this.link(id, exp, now));
    await this.h.writer.run(() => this.h.client.batch(stmts, "write"));
    // The reference answers with the tag values as sent (`5`, not the stored "5").
    return datasetToWire(row, Object.entries(tags), experimentIds);
  }

  private link(datasetId: string, experimentId: string, now: number): InStatement {
    return {
      sql: `INSERT OR IGNORE INTO entity_associations (association_id, source_type, source_id, destination_type,
        destination_id, created_time) VALUES (?, ?, ?, ?, ?, ?)`,
      args: [newAssociationId(), DATASET_SOURCE, datasetId, EXPERIMENT_DESTINATION, experimentId, now],
    };
  }

  async get(datasetId: string): Promise<EvaluationDataset> {
    const row = await findDataset(this.h, datasetId);
    if (!row) throw notFound(`Evaluation dataset with id '${datasetId}' not found`);
    return datasetToWire(row, (await loadDatasetTags(this.h, [datasetId])).get(datasetId) ?? []);
  }

  /** Deletes the dataset with its tags, records and links; an unknown one is no error. */
  async delete(datasetId: string): Promise<void> {
    await this.h.writer.run(async () => {
      if (!(await findDataset(this.h, datasetId))) return;
      await this.h.client.batch(
        [
          {
            sql: `DELETE FROM entity_associations WHERE (source_type = ? AND source_id = ?)
              OR (destination_type = ? AND destination_id = ?)`,
            args: [DATASET_SOURCE, datasetId, DATASET_SOURCE, datasetId],
          },
          { sql: "DELETE FROM evaluation_dataset_records WHERE dataset_id = ?", args: [datasetId] },
          { sql: "DELETE FROM evaluation_dataset_tags WHERE dataset_id = ?", args: [datasetId] },
          { sql: "DELETE FROM evaluation_datasets WHERE dataset_id = ?", args: [datasetId] },
        ],
        "write",
      );
    });
  }

  async search(args: SearchDatasetsArgs): Promise<{ datasets: EvaluationDataset[]; nextPageToken?: string }> {
    const offset = decodeOffsetToken(args.pageToken);
    const sqlArgs: SqlArg[] = [];
    const where: string[] = [];
    const scope = inWorkspace(this.h, "d.workspace");
    if (args.experimentIds && args.experimentIds.length > 0) {
      where.push(`d.dataset_id IN (SELECT source_id FROM entity_associations WHERE source_type = ?
        AND destination_type = ? AND destination_id IN (SELECT value FROM json_each(?)))`);
      sqlArgs.push(DATASET_SOURCE, EXPERIMENT_DESTINATION, JSON.stringify(args.experimentIds));
    }
    for (const c of args.filter) where.push(clauseSql(c, sqlArgs));
    const order = args.orderBy.map((t) => `d.${t.column} ${t.ascending ? "ASC" : "DESC"}`).join(", ");
    const rs = await this.h.client.execute({
      sql: `SELECT d.dataset_id, d.name, d.schema, d.profile, d.digest, d.created_time, d.last_update_time,
        d.created_by, d.last_updated_by FROM evaluation_datasets d WHERE 1 = 1${scope.sql}
        ${where.map((w) => ` AND ${w}`).join("")} ORDER BY ${order} LIMIT ? OFFSET ?`,
      args: [...scope.args, ...sqlArgs, args.maxResults + 1, offset],
    });
    const rows = rs.rows.slice(0, args.maxResults);
    const datasets = await datasetsToWire(this.h, rows);
    return rs.rows.length > args.maxResults
      ? { datasets, nextPageToken: encodeOffsetToken(offset + args.maxResults) }
      : { datasets };
  }

  /** Adds or replaces tags; None values are skipped. The dataset's times and digest stay. */
  async setTags(datasetId: string, tags: Record<string, PyJson>): Promise<void> {
    await this.h.writer.run(async () => {
      if (!(await findDataset(this.h, datasetId))) {
        throw notFound(`Could not find evaluation dataset with ID ${datasetId}`);
      }
      const stmts: InStatement[] = Object.entries(tags)
        .filter(([, v]) => v !== null)
        .map(([k, v]) => ({ sql: UPSERT_TAG, args: [datasetId, k, setTagValue(v)] }));
      if (stmts.length > 0) await this.h.client.batch(stmts, "write");
    });
  }

  /** Idempotent: an unknown dataset or tag is no error. */
  async deleteTag(datasetId: string, key: string): Promise<void> {
    await this.h.writer.run(async () => {
      if (!(await findDataset(this.h, datasetId))) return;
      await this.h.client.execute({
        sql: "DELETE FROM evaluation_dataset_tags WHERE dataset_id = ? AND key = ?",
        args: [datasetId, key],
      });
    });
  }

  async experimentIds(datasetId: string): Promise<string[]> {
    await requireAccessible(this.h, datasetId);
    return linkedExperimentIds(this.h, datasetId);
  }

  /** Links the dataset to experiments, each of which must exist (in the workspace). */
  async addExperiments(datasetId: string, experimentIds: readonly string[]): Promise<EvaluationDataset> {
    return this.h.writer.run(async () => {
      const row = await findDataset(this.h, datasetId);
      if (!row) throw notFound(`Dataset '${datasetId}' not found`);
      const ids = experimentIds.map(String);
      if (ids.length > 0) {
        const scope = inWorkspace(this.h, "workspace");
        const rs = await this.h.client.execute({
          sql: `SELECT experiment_id FROM experiments WHERE CAST(experiment_id AS TEXT) IN (SELECT value FROM json_each(?))${scope.sql}`,
          args: [JSON.stringify(ids), ...scope.args],
        });
        const found = new Set(rs.rows.map((r) => String(r.experiment_id)));
        const missing = ids.find((id) => !found.has(id));
        if (missing !== undefined) throw notFound(`No Experiment with id=${missing}`);
      }
      const now = Date.now();
      const stmts = ids.map((id) => this.link(datasetId, id, now));
      stmts.push({
        sql: "UPDATE evaluation_datasets SET last_update_time = ? WHERE dataset_id = ?",
        args: [now, datasetId],
      });
      await this.h.client.batch(stmts, "write");
      return this.wireOf({ ...row, last_update_time: now });
    });
  }

  /** Unlinks the dataset from experiments; links that do not exist are skipped. */
  async removeExperiments(datasetId: string, experimentIds: readonly string[]): Promise<EvaluationDataset> {
    return this.h.writer.run(async () => {
      const row = await findDataset(this.h, datasetId);
      if (!row) throw notFound(`Dataset '${datasetId}' not found`);
      const linked = new Set(await linkedExperimentIds(this.h, datasetId));
      const present = [...new Set(experimentIds.map(String))].filter((id) => linked.has(id));
      if (present.length === 0) return this.wireOf(row);
      const now = Date.now();
      await this.h.client.batch(
        [
          {
            sql: `DELETE FROM entity_associations WHERE source_type = ? AND source_id = ? AND destination_type = ?
              AND destination_id IN (SELECT value FROM json_each(?))`,
            args: [DATASET_SOURCE, datasetId, EXPERIMENT_DESTINATION, JSON.stringify(present)],
          },
          { sql: "UPDATE evaluation_datasets SET last_update_time = ? WHERE dataset_id = ?", args: [now, datasetId] },
        ],
        "write",
      );
      return this.wireOf({ ...row, last_update_time: now });
    });
  }

  /** The datasets the experiments' runs logged (the older `experiments/search-datasets`). */
  runSummaries(experimentIds: readonly string[]): Promise<RunDatasetSummary[]> {
    return runDatasetSummaries(this.h, experimentIds);
  }

  private async wireOf(row: DatasetRow): Promise<EvaluationDataset> {
    return datasetToWire(row, (await loadDatasetTags(this.h, [row.dataset_id])).get(row.dataset_id) ?? []);
  }
}
