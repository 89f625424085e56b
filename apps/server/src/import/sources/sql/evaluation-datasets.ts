/**
 * GenAI evaluation datasets (MLflow 3) as search-evaluation-datasets answers them (`EvaluationDataset.to_proto`: the
 * tags as Python's `json.dumps` of the tag rows), their experiment links (`entity_associations`), and their records as
 * get-dataset-records answers them (`DatasetRecord.to_dict`: the JSON columns decoded, outputs unwrapped).
 * @see mlflow/store/tracking/dbmodels/models.py SqlEvaluationDataset, SqlEvaluationDatasetRecord
 */
import type { EvaluationDataset } from "@tracklite/schemas";
import { type ImportEvaluationDataset, type ImportFilter, pyJsonDumps } from "@tracklite/server/import";
import type { SqlConnection, SqlRow } from "./connection.js";
import type { SchemaInfo } from "./schema-info.js";
import { num, text } from "./values.js";

/** Datasets per page, and records per streamed batch. */
const DATASETS_PAGE = 100;
const RECORDS_PAGE = 1000;
/** The key MLflow wraps a record's outputs under. @see mlflow/entities/dataset_record.py */
const WRAPPED_OUTPUT = "mlflow_wrapped";

/** A JSON column: SQLite hands it over as text, PostgreSQL (`json`) and MySQL (`JSON`) already decoded. */
function json(value: unknown): unknown {
  if (value !== null && typeof value === "object") return value;
  const s = text(value);
  return s === undefined ? undefined : JSON.parse(s);
}

function record(row: SqlRow): Record<string, unknown> {
  const out: Record<string, unknown> = {
    dataset_record_id: String(row.dataset_record_id),
    dataset_id: String(row.dataset_id),
    inputs: json(row.inputs) ?? {},
  };
  const expectations = json(row.expectations);
  if (expectations !== undefined && expectations !== null) out.expectations = expectations;
  const tags = json(row.tags);
  if (tags !== undefined && tags !== null) out.tags = tags;
  const source = json(row.source) as { source_type?: string } | null | undefined;
  if (source) {
    out.source = source;
    if (source.source_type) out.source_type = source.source_type;
  }
  const sourceId = text(row.source_id);
  if (sourceId !== undefined) out.source_id = sourceId;
  out.created_time = num(row.created_time);
  out.last_update_time = num(row.last_update_time);
  const createdBy = text(row.created_by);
  if (createdBy !== undefined) out.created_by = createdBy;
  const updatedBy = text(row.last_updated_by);
  if (updatedBy !== undefined) out.last_updated_by = updatedBy;
  const wrapped = json(row.outputs) as Record<string, unknown> | null | undefined;
  const outputs = wrapped ? wrapped[WRAPPED_OUTPUT] : undefined;
  if (outputs !== undefined && outputs !== null) out.outputs = outputs;
  return out;
}

async function* records(db: SqlConnection, datasetId: string): AsyncIterable<Record<string, unknown>[]> {
  let after = "";
  for (;;) {
    const rows = await db.all(
      `SELECT * FROM evaluation_dataset_records WHERE dataset_id = ? AND dataset_record_id > ?
        ORDER BY dataset_record_id LIMIT ${RECORDS_PAGE}`,
      [datasetId, after],
    );
    if (rows.length === 0) return;
    after = String(rows[rows.length - 1]?.dataset_record_id);
    yield rows.map(record);
  }
}

/** Every dataset linked to a picked experiment (all of them without a filter), paged on the dataset id. */
export async function* readEvaluationDatasets(
  db: SqlConnection,
  schema: SchemaInfo,
  filter: ImportFilter,
  pickedIds: (filter: ImportFilter) => Promise<string[] | undefined>,
): AsyncIterable<ImportEvaluationDataset> {
  if (!schema.has("evaluation_datasets")) return;
  const picked = await pickedIds(filter);
  if (picked?.length === 0) return;
  const wanted = picked ? new Set(picked) : undefined;
  const hasLinks = schema.has("entity_associations");
  let after = "";
  for (;;) {
    const rows = await db.all(
      `SELECT * FROM evaluation_datasets WHERE dataset_id > ? ORDER BY dataset_id LIMIT ${DATASETS_PAGE}`,
      [after],
    );
    if (rows.length === 0) return;
    after = String(rows[rows.length - 1]?.dataset_id);
    const ids = rows.map((r) => String(r.dataset_id));
    const marks = ids.map(() => "?").join(", ");
    const [tagRows, linkRows] = await Promise.all([
      db.all(`SELECT dataset_id, key, value FROM evaluation_dataset_tags WHERE dataset_id IN (${marks})`, ids),
      hasLinks
        ? db.all(
            `SELECT source_id, destination_id FROM entity_associations
              WHERE source_type = 'evaluation_dataset' AND destination_type = 'experiment' AND source_id IN (${marks})
              ORDER BY created_time, destination_id`,
            ids,
          )
        : Promise.resolve([]),
    ]);
    for (const row of rows) {
      const id = String(row.dataset_id);
      const experimentIds = linkRows.filter((l) => String(l.source_id) === id).map((l) => String(l.destination_id));
      if (wanted && !experimentIds.some((e) => wanted.has(e))) continue;
      const tags = tagRows
        .filter((t) => String(t.dataset_id) === id)
        .map((t): [string, { t: "str"; v: string } | { t: "null" }] => {
          const value = text(t.value);
          return [String(t.key), value === undefined ? { t: "null" } : { t: "str", v: value }];
        });
      const dataset: EvaluationDataset = {
        dataset_id: id,
        name: String(row.name),
        tags: pyJsonDumps({ t: "dict", v: tags }, true),
      } as EvaluationDataset;
      const extra = dataset as Record<string, unknown>;
      const schemaText = text(row.schema);
      if (schemaText !== undefined) extra.schema = schemaText;
      const profile = text(row.profile);
      if (profile !== undefined) extra.profile = profile;
      extra.digest = text(row.digest) ?? "";
      extra.created_time = num(row.created_time);
      extra.last_update_time = num(row.last_update_time);
      const createdBy = text(row.created_by);
      if (createdBy !== undefined) extra.created_by = createdBy;
      const updatedBy = text(row.last_updated_by);
      if (updatedBy !== undefined) extra.last_updated_by = updatedBy;
      yield { dataset, experiment_ids: experimentIds, records: () => records(db, id) };
    }
  }
}

/** Datasets in the database (all: they are linked to experiments, not owned by one). */
export async function countEvaluationDatasets(db: SqlConnection, schema: SchemaInfo): Promise<number> {
  if (!schema.has("evaluation_datasets")) return 0;
  return Number((await db.all("SELECT COUNT(*) AS n FROM evaluation_datasets", []))[0]?.n ?? 0);
}
