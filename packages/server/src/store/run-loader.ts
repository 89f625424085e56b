import type { Run, RunInfo } from "@tracklite/schemas";
import type { DbHandle } from "./db.js";

/** A `runs` row as the loader reads it. */
export interface RunRow {
  id: number;
  run_uuid: string;
  experiment_id: number;
  name: string;
  user_id: string;
  status: string;
  start_time: number;
  end_time: number | null;
  lifecycle_stage: string;
  artifact_uri: string;
}

export const RUN_COLUMNS =
  "r.id, r.run_uuid, r.experiment_id, r.name, r.user_id, r.status, r.start_time, r.end_time, r.lifecycle_stage, r.artifact_uri";

export function toRunInfo(r: RunRow): RunInfo {
  return {
    run_uuid: r.run_uuid,
    experiment_id: String(r.experiment_id),
    run_name: r.name,
    user_id: r.user_id,
    status: r.status as RunInfo["status"],
    start_time: r.start_time,
    ...(r.end_time !== null ? { end_time: r.end_time } : {}),
    artifact_uri: r.artifact_uri,
    lifecycle_stage: r.lifecycle_stage,
    run_id: r.run_uuid,
  };
}

/** What a caller wants besides info and data. */
export interface LoadShape {
  /** runs/get and runs/search carry `outputs`; the runs/create answer does not. */
  outputs: boolean;
  /** runs/get lists model inputs; runs/search does not. */
  modelInputs: boolean;
}

/**
 * A stored metric value as JSON text, as `toWireDouble` writes it: NaN is flagged by is_nan, infinities are real
 * SQLite infinities (printf would write them as `Inf`, which is no JSON). `%!.17g` gives 17 significant digits, which
 * read back as exactly the stored double; SQLite's JSON functions write only 15.
 */
const METRIC_VALUE_JSON =
  "CASE WHEN is_nan THEN 'NaN' WHEN value = 9e999 THEN 'Infinity' WHEN value = -9e999 THEN '-Infinity' " +
  "ELSE json(printf('%!.17g', value)) END";

/**
 * A JSON array of `element` over the rows of `rows`, in their order. The order comes from the subquery, not from an
 * ORDER BY inside the aggregate: sqld's SQL parser refuses that form (SQLite 3.44+).
 */
const jsonList = (element: string, rows: string) => `(SELECT json_group_array(${element}) FROM (${rows}))`;

/** A key/value child table of the run `r` as a JSON array of `{key, value}`, in the order the rows were written. */
const keyValueList = (table: string) =>
  jsonList(
    "json_object('key', key, 'value', value)",
    `SELECT key, value FROM ${table} WHERE run_id = r.id ORDER BY rowid`,
  );

/**
 * The whole run `r` as one JSON array built by SQLite: its `runs` row, then its child lists. One text value per run
 * instead of a row per child row is what makes wide runs cheap to read, since libSQL's client builds an object per row
 * and per column it returns. Children come in the order they were written, i.e. rowid order (so these tables must
 * keep their rowids), dataset inputs in logging order. A dataset is a tuple, as its optional fields must be dropped
 * when null, which JSON objects built in SQL cannot do. The pieces are joined as text, so nothing depends on SQLite
 * passing JSON subtypes out of subqueries.
 */
const RUN_JSON = [
  "json_object('id', r.id, 'run_uuid', r.run_uuid, 'experiment_id', r.experiment_id, 'name', r.name, 'user_id', r.user_id, 'status', r.status, 'start_time', r.start_time, 'end_time', r.end_time, 'lifecycle_stage', r.lifecycle_stage, 'artifact_uri', r.artifact_uri)",
  jsonList(
    `json_object('key', key, 'value', ${METRIC_VALUE_JSON}, 'timestamp', timestamp, 'step', step)`,
    "SELECT key, value, is_nan, timestamp, step FROM latest_metrics WHERE run_id = r.id ORDER BY rowid",
  ),
  keyValueList("params"),
  keyValueList("tags"),
  jsonList(
    "json_array(name, digest, source_type, source, schema, profile, json(tags))",
    `SELECT d.name, d.digest, d.source_type, d.source, d.schema, d.profile, ${jsonList(
      "json_object('key', key, 'value', value)",
      "SELECT key, value FROM run_dataset_input_tags t WHERE t.run_id = i.run_id AND t.dataset_id = i.dataset_id ORDER BY rowid",
    )} AS tags
    FROM run_dataset_inputs i JOIN datasets d ON d.id = i.dataset_id WHERE i.run_id = r.id ORDER BY i.position`,
  ),
  jsonList(
    "json_object('model_id', model_id)",
    "SELECT model_id FROM run_model_inputs WHERE run_id = r.id ORDER BY rowid",
  ),
  jsonList(
    "json_object('model_id', model_id, 'step', step)",
    "SELECT model_id, step FROM run_model_outputs WHERE run_id = r.id ORDER BY rowid",
  ),
].join(" || ',' || ");

type KeyValue = { key: string; value: string };
type DatasetTuple = [string, string, string, string, string | null, string | null, KeyValue[]];
type RunTuple = [
  RunRow,
  NonNullable<Run["data"]["metrics"]>,
  KeyValue[],
  KeyValue[],
  DatasetTuple[],
  { model_id: string }[],
  { model_id: string; step: number }[],
];

function toDatasetInput([name, digest, source_type, source, schema, profile, tags]: DatasetTuple) {
  return {
    ...(tags.length > 0 ? { tags } : {}),
    dataset: {
      name,
      digest,
      source_type,
      source,
      ...(schema !== null ? { schema } : {}),
      ...(profile !== null ? { profile } : {}),
    },
  };
}

/** A run from its JSON tuple; empty lists are left out, as MLflow does. */
function toRun(json: string, shape: LoadShape): Run {
  const [row, metrics, params, tags, datasets, modelInputs, modelOutputs] = JSON.parse(json) as RunTuple;
  return {
    info: toRunInfo(row),
    data: {
      ...(metrics.length > 0 ? { metrics } : {}),
      ...(params.length > 0 ? { params } : {}),
      ...(tags.length > 0 ? { tags } : {}),
    },
    inputs: {
      ...(datasets.length > 0 ? { dataset_inputs: datasets.map(toDatasetInput) } : {}),
      ...(shape.modelInputs && modelInputs.length > 0 ? { model_inputs: modelInputs } : {}),
    },
    ...(shape.outputs ? { outputs: modelOutputs.length > 0 ? { model_outputs: modelOutputs } : {} } : {}),
  };
}

/**
 * Loads whole runs (info, latest metrics, params, tags, inputs, outputs) by row id, in the order given (ids with no
 * run are skipped), with one statement whatever the number of runs.
 */
export async function loadRuns(h: DbHandle, ids: readonly number[], shape: LoadShape): Promise<Run[]> {
  if (ids.length === 0) return [];
  // One bound JSON array rather than a placeholder per id: a page may hold more runs than SQLite takes variables.
  const rs = await h.client.execute({
    sql: `SELECT r.id, '[' || ${RUN_JSON} || ']' AS run FROM runs r WHERE r.id IN (SELECT value FROM json_each(?))`,
    args: [JSON.stringify(ids)],
  });
  const byId = new Map<number, string>();
  for (const row of rs.rows) byId.set(row.id as number, row.run as string);
  const runs: Run[] = [];
  for (const id of ids) {
    const json = byId.get(id);
    if (json !== undefined) runs.push(toRun(json, shape));
  }
  return runs;
}
