import { LOGGED_MODEL_STATUSES, type LoggedModel, type Metric } from "@tracklite/schemas";
import type { ImportLoggedModel } from "@tracklite/server/import";
import type { SqlConnection, SqlRow } from "./connection.js";
import type { SchemaInfo } from "./schema-info.js";
import { compact, num, text } from "./values.js";

/** Logged models per streamed batch; their tags, params and metrics come in one query each. */
const BATCH = 100;

type KeyValue = { key: string; value: string };

function group<T>(rows: SqlRow[], toValue: (row: SqlRow) => T): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const row of rows) {
    const id = String(row.model_id);
    const list = out.get(id) ?? [];
    list.push(toValue(row));
    out.set(id, list);
  }
  return out;
}

/**
 * Every logged model (MLflow 3) of one experiment, deleted ones too, as get-logged-model answers it
 * (`SqlLoggedModel.to_mlflow_entity().to_proto()`): the int status mapped to its proto name, tags in the info, params
 * and metrics (with run, dataset and model ids) in the data.
 */
export async function* readLoggedModels(
  db: SqlConnection,
  schema: SchemaInfo,
  experimentId: string,
): AsyncIterable<ImportLoggedModel> {
  if (!schema.has("logged_models")) return;
  const sql = `SELECT model_id, experiment_id, name, artifact_location, creation_timestamp_ms, last_updated_timestamp_ms,
                      status, lifecycle_stage, model_type, source_run_id, status_message
                 FROM logged_models WHERE experiment_id = ? ORDER BY model_id`;
  for await (const rows of db.iterate(sql, [Number(experimentId)], BATCH)) {
    const ids = rows.map((row) => String(row.model_id));
    const inIds = `model_id IN (${ids.map(() => "?").join(", ")})`;
    const [tagRows, paramRows, metricRows] = await Promise.all([
      db.all(`SELECT model_id, tag_key, tag_value FROM logged_model_tags WHERE ${inIds}`, ids),
      db.all(`SELECT model_id, param_key, param_value FROM logged_model_params WHERE ${inIds}`, ids),
      db.all(
        `SELECT model_id, metric_name, metric_timestamp_ms, metric_step, metric_value, run_id, dataset_name, dataset_digest
           FROM logged_model_metrics WHERE ${inIds}`,
        ids,
      ),
    ]);
    const tags = group(tagRows, (r): KeyValue => ({ key: String(r.tag_key), value: text(r.tag_value) ?? "" }));
    const params = group(paramRows, (r): KeyValue => ({ key: String(r.param_key), value: text(r.param_value) ?? "" }));
    const metrics = group(
      metricRows,
      (r): Metric =>
        compact({
          key: String(r.metric_name),
          value: num(r.metric_value) ?? Number.NaN,
          timestamp: num(r.metric_timestamp_ms) ?? 0,
          step: num(r.metric_step) ?? 0,
          run_id: text(r.run_id),
          dataset_name: text(r.dataset_name),
          dataset_digest: text(r.dataset_digest),
          model_id: String(r.model_id),
        }),
    );
    for (const row of rows) {
      const id = String(row.model_id);
      const model: LoggedModel = {
        info: compact({
          model_id: id,
          experiment_id: String(row.experiment_id),
          name: String(row.name),
          creation_timestamp_ms: num(row.creation_timestamp_ms) ?? 0,
          last_updated_timestamp_ms: num(row.last_updated_timestamp_ms) ?? 0,
          artifact_uri: String(row.artifact_location),
          status: LOGGED_MODEL_STATUSES[num(row.status) ?? 0] ?? "LOGGED_MODEL_STATUS_UNSPECIFIED",
          model_type: text(row.model_type),
          source_run_id: text(row.source_run_id),
          status_message: text(row.status_message),
        }),
        data: {},
      };
      const modelTags = tags.get(id);
      if (modelTags) model.info.tags = modelTags;
      const modelParams = params.get(id);
      if (modelParams) model.data.params = modelParams;
      const modelMetrics = metrics.get(id);
      if (modelMetrics) model.data.metrics = modelMetrics;
      yield row.lifecycle_stage === "deleted" ? { model, deleted: true } : { model };
    }
  }
}

/** Logged models of the picked experiments. */
export async function countLoggedModels(
  db: SqlConnection,
  schema: SchemaInfo,
  experimentIds?: string[],
): Promise<number> {
  if (!schema.has("logged_models")) return 0;
  if (experimentIds?.length === 0) return 0;
  const where = experimentIds ? ` WHERE experiment_id IN (${experimentIds.map(() => "?").join(", ")})` : "";
  const rows = await db.all(`SELECT COUNT(*) AS n FROM logged_models${where}`, (experimentIds ?? []).map(Number));
  return Number(rows[0]?.n ?? 0);
}
