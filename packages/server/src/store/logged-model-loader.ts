import { LOGGED_MODEL_STATUSES, type LoggedModel, type Metric, toWireDouble } from "@tracklite/schemas";
import { sqlList } from "../sql/in-list.js";
import type { DbHandle } from "./db.js";

/** A `logged_models` row as the loader reads it. */
export interface ModelRow {
  id: number;
  model_id: string;
  experiment_id: number;
  name: string;
  artifact_location: string;
  creation_timestamp_ms: number;
  last_updated_timestamp_ms: number;
  status: number;
  lifecycle_stage: string;
  model_type: string | null;
  source_run_id: string | null;
  status_message: string | null;
}

export const MODEL_COLUMNS =
  "m.id, m.model_id, m.experiment_id, m.name, m.artifact_location, m.creation_timestamp_ms, m.last_updated_timestamp_ms, m.status, m.lifecycle_stage, m.model_type, m.source_run_id, m.status_message";

interface KeyValueRow {
  model_id: number;
  key: string;
  value: string;
}

interface MetricRow {
  model_id: number;
  key: string;
  value: number;
  timestamp: number;
  step: number;
  dataset_name: string | null;
  dataset_digest: string | null;
  run_uuid: string;
}

function byModel<T extends { model_id: number }>(rows: T[]): Map<number, T[]> {
  const out = new Map<number, T[]>();
  for (const row of rows) {
    const list = out.get(row.model_id);
    if (list) list.push(row);
    else out.set(row.model_id, [row]);
  }
  return out;
}

/**
 * Whole models (info, tags, params, metrics) for the given rows, one query per child table. Tags and params come in
 * key order and metrics in the order they were logged, as the reference reads them (through its primary-key index,
 * resp. its model_id index).
 */
export async function loadModels(h: DbHandle, rows: ModelRow[]): Promise<LoggedModel[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const { sql: inList, args } = sqlList(ids);
  const [tags, params, metrics] = await h.client.batch(
    [
      {
        sql: `SELECT model_id, key, value FROM logged_model_tags WHERE model_id IN ${inList} ORDER BY model_id, key`,
        args,
      },
      {
        sql: `SELECT model_id, key, value FROM logged_model_params WHERE model_id IN ${inList} ORDER BY model_id, key`,
        args,
      },
      {
        // The reference stores NaN as 0 in logged_model_metrics and answers 0; the flag keeps what was logged.
        sql: `SELECT lm.model_id, lm.key, lm.value, lm.timestamp, lm.step, lm.dataset_name, lm.dataset_digest, r.run_uuid
              FROM logged_model_metrics lm JOIN runs r ON r.id = lm.run_id
              WHERE lm.model_id IN ${inList} ORDER BY lm.model_id, lm.rowid`,
        args,
      },
    ],
    "read",
  );
  const tagsOf = byModel((tags?.rows ?? []) as unknown as KeyValueRow[]);
  const paramsOf = byModel((params?.rows ?? []) as unknown as KeyValueRow[]);
  const metricsOf = byModel((metrics?.rows ?? []) as unknown as MetricRow[]);
  return rows.map((r) => toWire(r, tagsOf.get(r.id), paramsOf.get(r.id), metricsOf.get(r.id)));
}

const pairs = (rows: KeyValueRow[]) => rows.map((x) => ({ key: x.key, value: x.value }));

function toWire(r: ModelRow, tags?: KeyValueRow[], params?: KeyValueRow[], metrics?: MetricRow[]): LoggedModel {
  return {
    info: {
      model_id: r.model_id,
      experiment_id: String(r.experiment_id),
      name: r.name,
      creation_timestamp_ms: r.creation_timestamp_ms,
      last_updated_timestamp_ms: r.last_updated_timestamp_ms,
      artifact_uri: r.artifact_location,
      status: LOGGED_MODEL_STATUSES[r.status] ?? "LOGGED_MODEL_STATUS_UNSPECIFIED",
      ...(r.model_type !== null ? { model_type: r.model_type } : {}),
      ...(r.source_run_id !== null ? { source_run_id: r.source_run_id } : {}),
      ...(r.status_message !== null ? { status_message: r.status_message } : {}),
      ...(tags ? { tags: pairs(tags) } : {}),
    },
    data: {
      ...(params ? { params: pairs(params) } : {}),
      ...(metrics ? { metrics: metrics.map((m) => toMetric(r.model_id, m)) } : {}),
    },
  };
}

function toMetric(modelId: string, m: MetricRow): Metric {
  return {
    key: m.key,
    value: toWireDouble(m.value),
    timestamp: m.timestamp,
    step: m.step,
    ...(m.dataset_name !== null ? { dataset_name: m.dataset_name } : {}),
    ...(m.dataset_digest !== null ? { dataset_digest: m.dataset_digest } : {}),
    model_id: modelId,
    run_id: m.run_uuid,
  };
}
