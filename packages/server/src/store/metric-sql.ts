import type { InStatement, InValue } from "@libsql/client";

/** A metric point ready to store. */
export interface MetricPoint {
  key: string;
  value: number;
  timestamp: number;
  step: number;
  datasetName?: string | undefined;
  datasetDigest?: string | undefined;
  modelId?: string | undefined;
}

/** Rows per multi-row INSERT: statement count, not row count, is what libSQL pays for. */
const ROWS_PER_STATEMENT = 100;

/**
 * The SQL value of a metric. libSQL cannot bind NaN or ±Infinity, so NaN becomes 0 with is_nan = 1 (MLflow's
 * encoding) and infinities are written as the literals 9e999 / -9e999, which SQLite reads as real infinities.
 */
function valueSql(v: number, args: InValue[]): string {
  if (Number.isNaN(v)) {
    args.push(0);
    return "?";
  }
  if (v === Number.POSITIVE_INFINITY) return "9e999";
  if (v === Number.NEGATIVE_INFINITY) return "-9e999";
  args.push(v);
  return "?";
}

function valuesClause(runId: number, points: readonly MetricPoint[]): { sql: string; args: InValue[] } {
  const args: InValue[] = [];
  const tuples = points.map((p) => {
    args.push(runId, p.key, p.step, p.timestamp);
    const v = valueSql(p.value, args);
    args.push(Number.isNaN(p.value) ? 1 : 0, p.datasetName ?? null, p.datasetDigest ?? null, p.modelId ?? null);
    return `(?, ?, ?, ?, ${v}, ?, ?, ?, ?)`;
  });
  return { sql: tuples.join(","), args };
}

/** MLflow's "more recent" order for latest metrics: (step, timestamp, value), NaN counting as 0. */
function newer(a: MetricPoint, b: MetricPoint): boolean {
  if (a.step !== b.step) return a.step > b.step;
  if (a.timestamp !== b.timestamp) return a.timestamp > b.timestamp;
  const av = Number.isNaN(a.value) ? 0 : a.value;
  const bv = Number.isNaN(b.value) ? 0 : b.value;
  return av > bv;
}

/**
 * Statements that append metric points (identical points are stored once) and move each key's latest value forward
 * when a point is more recent than the stored one.
 */
export function metricStatements(runId: number, points: readonly MetricPoint[]): InStatement[] {
  if (points.length === 0) return [];
  const stmts: InStatement[] = [];
  for (let i = 0; i < points.length; i += ROWS_PER_STATEMENT) {
    const { sql, args } = valuesClause(runId, points.slice(i, i + ROWS_PER_STATEMENT));
    stmts.push({
      sql: `INSERT OR IGNORE INTO metrics (run_id, key, step, timestamp, value, is_nan, dataset_name, dataset_digest, model_id) VALUES ${sql}`,
      args,
    });
  }
  const latest = new Map<string, MetricPoint>();
  for (const p of points) {
    const cur = latest.get(p.key);
    if (!cur || newer(p, cur)) latest.set(p.key, p);
  }
  const latestPoints = [...latest.values()];
  for (let i = 0; i < latestPoints.length; i += ROWS_PER_STATEMENT) {
    const { sql, args } = valuesClause(runId, latestPoints.slice(i, i + ROWS_PER_STATEMENT));
    stmts.push({
      sql: `INSERT INTO latest_metrics (run_id, key, step, timestamp, value, is_nan, dataset_name, dataset_digest, model_id) VALUES ${sql}
            ON CONFLICT (run_id, key) DO UPDATE SET step = excluded.step, timestamp = excluded.timestamp, value = excluded.value,
              is_nan = excluded.is_nan, dataset_name = excluded.dataset_name, dataset_digest = excluded.dataset_digest, model_id = excluded.model_id
            WHERE (excluded.step, excluded.timestamp, excluded.value) > (latest_metrics.step, latest_metrics.timestamp, latest_metrics.value)`,
      args,
    });
  }
  return stmts;
}
