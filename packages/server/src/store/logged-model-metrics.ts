import type { InStatement, InValue } from "@libsql/client";
import { MlflowError } from "../errors.js";
import type { DbHandle } from "./db.js";
import type { MetricPoint } from "./metric-sql.js";

/**
 * The model side of metrics logged with a `model_id`: each such point is also a point of that model (the reference's
 * logged_model_metrics), keyed by (model, key, timestamp, step, run).
 * @see mlflow/store/tracking/sqlalchemy_store.py SqlAlchemyStore._log_model_metrics
 */

/** The reference lets its database's constraint errors through as BAD_REQUEST; same code, same leading text. */
const constraintError = (detail: string) => new MlflowError(`(sqlite3.IntegrityError) ${detail}`, "BAD_REQUEST");

const sameValue = (a: number, b: number) => a === b || (Number.isNaN(a) && Number.isNaN(b));

interface StoredPoint {
  model_id: number;
  key: string;
  timestamp: number;
  step: number;
  value: number;
  is_nan: number;
  dataset_name: string | null;
  dataset_digest: string | null;
}

const identity = (modelRowId: number, p: MetricPoint) => JSON.stringify([modelRowId, p.key, p.timestamp, p.step]);

/**
 * Statements adding the model points among `points` (those with a model id) for the run `runRowId`. An unknown model
 * and a second value for a stored point are refused as the reference's database refuses them; a point logged again
 * unchanged is kept once.
 */
export async function modelMetricStatements(
  h: DbHandle,
  runRowId: number,
  points: readonly MetricPoint[],
): Promise<InStatement[]> {
  const withModel = points.filter((p) => p.modelId);
  if (withModel.length === 0) return [];
  const modelIds = [...new Set(withModel.map((p) => p.modelId as string))];
  const models = await h.client.execute({
    sql: `SELECT id, model_id FROM logged_models WHERE model_id IN (${modelIds.map(() => "?").join(",")})`,
    args: modelIds,
  });
  const rowIdOf = new Map(models.rows.map((r) => [r.model_id as string, Number(r.id)]));
  if (rowIdOf.size < modelIds.length) throw constraintError("FOREIGN KEY constraint failed");

  const rowIds = [...new Set(rowIdOf.values())];
  const keys = [...new Set(withModel.map((p) => p.key))];
  const stored = await h.client.execute({
    sql: `SELECT model_id, key, timestamp, step, value, is_nan, dataset_name, dataset_digest FROM logged_model_metrics
          WHERE run_id = ? AND model_id IN (${rowIds.map(() => "?").join(",")}) AND key IN (${keys.map(() => "?").join(",")})`,
    args: [runRowId, ...rowIds, ...keys],
  });
  const existing = new Map<string, MetricPoint>();
  for (const r of stored.rows as unknown as StoredPoint[]) {
    existing.set(JSON.stringify([r.model_id, r.key, r.timestamp, r.step]), {
      key: r.key,
      timestamp: r.timestamp,
      step: r.step,
      value: r.is_nan ? Number.NaN : r.value,
      datasetName: r.dataset_name ?? undefined,
      datasetDigest: r.dataset_digest ?? undefined,
    });
  }

  const args: InValue[] = [];
  const tuples: string[] = [];
  for (const p of withModel) {
    const modelRowId = rowIdOf.get(p.modelId as string) as number;
    const id = identity(modelRowId, p);
    const prior = existing.get(id);
    if (prior) {
      const same =
        sameValue(prior.value, p.value) &&
        (prior.datasetName ?? null) === (p.datasetName ?? null) &&
        (prior.datasetDigest ?? null) === (p.datasetDigest ?? null);
      if (same) continue;
      throw constraintError(
        "UNIQUE constraint failed: logged_model_metrics.model_id, logged_model_metrics.metric_name, logged_model_metrics.metric_timestamp_ms, logged_model_metrics.metric_step, logged_model_metrics.run_id",
      );
    }
    existing.set(id, p);
    args.push(modelRowId, p.key, p.timestamp, p.step, runRowId);
    const value = Number.isNaN(p.value) ? "0" : p.value === Infinity ? "9e999" : p.value === -Infinity ? "-9e999" : "?";
    if (value === "?") args.push(p.value);
    args.push(Number.isNaN(p.value) ? 1 : 0, p.datasetName ?? null, p.datasetDigest ?? null);
    tuples.push(`(?, ?, ?, ?, ?, ${value}, ?, ?, ?)`);
  }
  if (tuples.length === 0) return [];
  return [
    {
      sql: `INSERT INTO logged_model_metrics (model_id, key, timestamp, step, run_id, value, is_nan, dataset_name, dataset_digest)
            VALUES ${tuples.join(",")}`,
      args,
    },
  ];
}
