import type { InValue } from "@libsql/client";
import { type Run, type RunInfo, toWireDouble } from "@tracklite/schemas";
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

/** Reads a metric value back: NaN is flagged, infinities are real SQLite infinities. */
export function metricValue(value: number, isNan: number) {
  return toWireDouble(isNan ? Number.NaN : value);
}

interface KeyValueRow {
  run_id: number;
  key: string;
  value: string;
}
interface MetricRow {
  run_id: number;
  key: string;
  value: number;
  timestamp: number;
  step: number;
  is_nan: number;
}
interface DatasetRow {
  run_id: number;
  dataset_id: number;
  name: string;
  digest: string;
  source_type: string;
  source: string;
  schema: string | null;
  profile: string | null;
}

function group<T>(rows: T[], key: (row: T) => number): Map<number, T[]> {
  const out = new Map<number, T[]>();
  for (const row of rows) {
    const k = key(row);
    const list = out.get(k);
    if (list) list.push(row);
    else out.set(k, [row]);
  }
  return out;
}

/**
 * Loads whole runs (info, latest metrics, params, tags, inputs, outputs) for the given rows, with one query per child
 * table whatever the number of runs.
 */
export interface LoadShape {
  /** runs/get and runs/search carry `outputs`; the runs/create answer does not. */
  outputs: boolean;
  /** runs/get lists model inputs; runs/search does not. */
  modelInputs: boolean;
}

export async function loadRuns(h: DbHandle, rows: RunRow[], shape: LoadShape): Promise<Run[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const inList = `(${ids.map(() => "?").join(",")})`;
  const args: InValue[] = ids;
  const results = await h.client.batch(
    [
      {
        sql: `SELECT run_id, key, value, timestamp, step, is_nan FROM latest_metrics WHERE run_id IN ${inList} ORDER BY run_id, rowid`,
        args,
      },
      { sql: `SELECT run_id, key, value FROM params WHERE run_id IN ${inList} ORDER BY run_id, rowid`, args },
      { sql: `SELECT run_id, key, value FROM tags WHERE run_id IN ${inList} ORDER BY run_id, rowid`, args },
      {
        sql: `SELECT i.run_id, i.dataset_id, d.name, d.digest, d.source_type, d.source, d.schema, d.profile
              FROM run_dataset_inputs i JOIN datasets d ON d.id = i.dataset_id
              WHERE i.run_id IN ${inList} ORDER BY i.run_id, i.position`,
        args,
      },
      {
        sql: `SELECT run_id, dataset_id, key, value FROM run_dataset_input_tags WHERE run_id IN ${inList} ORDER BY rowid`,
        args,
      },
      { sql: `SELECT run_id, model_id FROM run_model_inputs WHERE run_id IN ${inList} ORDER BY rowid`, args },
      { sql: `SELECT run_id, model_id, step FROM run_model_outputs WHERE run_id IN ${inList} ORDER BY rowid`, args },
    ],
    "read",
  );
  const rowsOf = <T>(i: number) => (results[i]?.rows ?? []) as unknown as T[];
  const byRun = <T extends { run_id: number }>(i: number) => group(rowsOf<T>(i), (r) => r.run_id);
  const metrics = byRun<MetricRow>(0);
  const params = byRun<KeyValueRow>(1);
  const tags = byRun<KeyValueRow>(2);
  const inputs = byRun<DatasetRow>(3);
  const inputTags = byRun<KeyValueRow & { dataset_id: number }>(4);
  const modelIns = byRun<{ run_id: number; model_id: string }>(5);
  const modelOuts = byRun<{ run_id: number; model_id: string; step: number }>(6);

  return rows.map((r) => {
    const m = metrics.get(r.id);
    const p = params.get(r.id);
    const t = tags.get(r.id);
    const dsTags = group(inputTags.get(r.id) ?? [], (x) => x.dataset_id);
    const ds = inputs.get(r.id)?.map((d) => {
      const dt = dsTags.get(d.dataset_id);
      return {
        ...(dt ? { tags: dt.map((x) => ({ key: x.key, value: x.value })) } : {}),
        dataset: {
          name: d.name,
          digest: d.digest,
          source_type: d.source_type,
          source: d.source,
          ...(d.schema !== null ? { schema: d.schema } : {}),
          ...(d.profile !== null ? { profile: d.profile } : {}),
        },
      };
    });
    const mi = shape.modelInputs ? modelIns.get(r.id) : undefined;
    const mo = modelOuts.get(r.id);
    const run: Run = {
      info: toRunInfo(r),
      data: {
        ...(m
          ? {
              metrics: m.map((x) => ({
                key: x.key,
                value: metricValue(x.value, x.is_nan),
                timestamp: x.timestamp,
                step: x.step,
              })),
            }
          : {}),
        ...(p ? { params: p.map((x) => ({ key: x.key, value: x.value })) } : {}),
        ...(t ? { tags: t.map((x) => ({ key: x.key, value: x.value })) } : {}),
      },
      inputs: {
        ...(ds ? { dataset_inputs: ds } : {}),
        ...(mi ? { model_inputs: mi.map((x) => ({ model_id: x.model_id })) } : {}),
      },
      ...(shape.outputs
        ? { outputs: mo ? { model_outputs: mo.map((x) => ({ model_id: x.model_id, step: x.step })) } : {} }
        : {}),
    };
    return run;
  });
}
