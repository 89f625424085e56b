import { createHash, randomUUID } from "node:crypto";
import type { InValue, Row } from "@libsql/client";
import type { EvaluationDataset } from "@tracklite/schemas";
import { notFound } from "../errors.js";
import { pyJsonDumps } from "../traces/py-json.js";
import type { DbHandle } from "./db.js";
import { inWorkspace } from "./workspace-scope.js";

/**
 * What the evaluation-dataset stores share: the dataset row as the wire writes it, its lookups confined to the
 * request's workspace, its ids and digest.
 * @see mlflow/entities/evaluation_dataset.py EvaluationDataset.to_proto
 */

export const DATASET_SOURCE = "evaluation_dataset";
export const EXPERIMENT_DESTINATION = "experiment";

export interface DatasetRow {
  dataset_id: string;
  name: string;
  schema: string | null;
  profile: string | null;
  digest: string | null;
  created_time: number;
  last_update_time: number;
  created_by: string | null;
  last_updated_by: string | null;
}

export const newDatasetId = () => `d-${randomUUID().replaceAll("-", "")}`;
export const newRecordId = () => `dr-${randomUUID().replaceAll("-", "")}`;
export const newAssociationId = () => randomUUID().replaceAll("-", "");

/** The first 8 hex digits of SHA-256 over `name:last_update_time`: every change gives a new digest. */
export const datasetDigest = (name: string, lastUpdateTime: number): string =>
  createHash("sha256").update(`${name}:${lastUpdateTime}`).digest("hex").slice(0, 8);

/** The dataset's row in the handle's workspace, or undefined. */
export async function findDataset(h: DbHandle, datasetId: string): Promise<DatasetRow | undefined> {
  const scope = inWorkspace(h, "workspace");
  const rs = await h.client.execute({
    sql: `SELECT dataset_id, name, schema, profile, digest, created_time, last_update_time, created_by, last_updated_by
      FROM evaluation_datasets WHERE dataset_id = ?${scope.sql}`,
    args: [datasetId, ...scope.args],
  });
  return rs.rows[0] as unknown as DatasetRow | undefined;
}

/**
 * With workspaces on, the reference refuses record calls on a dataset outside the request's workspace; with them
 * off it lets the database decide. @see sqlalchemy_workspace_store.py _validate_dataset_accessible
 */
export async function requireAccessible(h: DbHandle, datasetId: string): Promise<void> {
  if (h.workspace === undefined) return;
  if (!(await findDataset(h, datasetId))) throw notFound(`Dataset '${datasetId}' not found.`);
}

/** The tags of datasets, by dataset id, in the order they were first set (the reference reads them unordered). */
export async function loadDatasetTags(h: DbHandle, ids: readonly string[]): Promise<Map<string, [string, unknown][]>> {
  const out = new Map<string, [string, unknown][]>();
  if (ids.length === 0) return out;
  const rs = await h.client.execute({
    sql: "SELECT dataset_id, key, value FROM evaluation_dataset_tags WHERE dataset_id IN (SELECT value FROM json_each(?)) ORDER BY rowid",
    args: [JSON.stringify(ids)],
  });
  for (const r of rs.rows) {
    const id = String(r.dataset_id);
    let list = out.get(id);
    if (!list) {
      list = [];
      out.set(id, list);
    }
    list.push([String(r.key), r.value ?? null]);
  }
  return out;
}

/** The dataset as the wire has it; `experiment_ids` only where the reference sends them (CreateDataset). */
export function datasetToWire(
  row: DatasetRow,
  tags: readonly [string, unknown][],
  experimentIds?: readonly string[],
): EvaluationDataset {
  const out: EvaluationDataset = {
    dataset_id: row.dataset_id,
    name: row.name,
    tags: pyJsonDumps(Object.fromEntries(tags)),
  };
  if (row.schema !== null) out.schema = row.schema;
  if (row.profile !== null) out.profile = row.profile;
  out.digest = row.digest ?? "";
  out.created_time = row.created_time;
  out.last_update_time = row.last_update_time;
  if (row.created_by !== null) out.created_by = row.created_by;
  if (row.last_updated_by !== null) out.last_updated_by = row.last_updated_by;
  if (experimentIds && experimentIds.length > 0) out.experiment_ids = [...experimentIds];
  return out;
}

/** Reads datasets' rows and tags into their wire form, in the rows' order. */
export async function datasetsToWire(h: DbHandle, rows: readonly Row[]): Promise<EvaluationDataset[]> {
  const typed = rows as unknown as DatasetRow[];
  const tags = await loadDatasetTags(
    h,
    typed.map((r) => r.dataset_id),
  );
  return typed.map((r) => datasetToWire(r, tags.get(r.dataset_id) ?? []));
}

/** The experiment ids linked to a dataset, oldest link first. */
export async function linkedExperimentIds(h: DbHandle, datasetId: string): Promise<string[]> {
  const rs = await h.client.execute({
    sql: `SELECT destination_id FROM entity_associations WHERE source_type = ? AND source_id = ? AND destination_type = ?
      ORDER BY created_time, destination_id`,
    args: [DATASET_SOURCE, datasetId, EXPERIMENT_DESTINATION] as InValue[],
  });
  return rs.rows.map((r) => String(r.destination_id));
}
