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

/**
 * Rows per multi-row INSERT. libSQL's client prepares every statement anew (about 2-3 µs per row of a multi-row
 * VALUES, measured) and around 100 rows per statement was the cheapest per row.
 */
const ROWS_PER_STATEMENT = 100;

/**
 * The SQL text of a stored metric value, pushing its argument when it needs one. libSQL cannot bind NaN or ±Infinity,
 * so NaN becomes 0 (is_nan = 1 says what it was, MLflow's encoding) and infinities are written as the literals
 * 9e999 / -9e999, which SQLite reads as real infinities.
 */
export function realSql(v: number, args: InValue[]): string {
  if (v === Number.POSITIVE_INFINITY) return "9e999";
  if (v === Number.NEGATIVE_INFINITY) return "-9e999";
  args.push(Number.isNaN(v) ? 0 : v);
  return "?";
}

/** The optional text columns: the literal NULL when unset (most points), which keeps statements short. */
function textSql(v: string | undefined, args: InValue[]): string {
  if (v === undefined) return "NULL";
  args.push(v);
  return "?";
}

/** `VALUES` tuples for points of one run; `?1` is the run's row id, the first argument. */
function valuesClause(runId: number, points: readonly MetricPoint[], extra?: (i: number) => string) {
  const args: InValue[] = [runId];
  const tuples = points.map((p, i) => {
    args.push(p.key, p.step, p.timestamp);
    const v = realSql(p.value, args);
    const rest = `${textSql(p.datasetName, args)},${textSql(p.datasetDigest, args)},${textSql(p.modelId, args)}`;
    return `(?1,?,?,?,${v},${Number.isNaN(p.value) ? 1 : 0},${rest}${extra ? `,${extra(i)}` : ""})`;
  });
  return { sql: tuples.join(","), args };
}

const COLUMNS = "run_id, key, step, timestamp, value, is_nan, dataset_name, dataset_digest, model_id";

/** MLflow's "more recent" order for latest metrics: (step, timestamp, value), NaN counting as 0. */
function newer(a: MetricPoint, b: MetricPoint): boolean {
  if (a.step !== b.step) return a.step > b.step;
  if (a.timestamp !== b.timestamp) return a.timestamp > b.timestamp;
  const av = Number.isNaN(a.value) ? 0 : a.value;
  const bv = Number.isNaN(b.value) ? 0 : b.value;
  return av > bv;
}

/** One key's points in a write: the latest, the earliest in (step, timestamp) order, and whether they are ts-ordered. */
interface KeySummary {
  latest: MetricPoint;
  first: MetricPoint;
  ordered: boolean;
}

function summarise(points: readonly MetricPoint[]): KeySummary[] {
  const byKey = new Map<string, MetricPoint[]>();
  for (const p of points) {
    const list = byKey.get(p.key);
    if (list) list.push(p);
    else byKey.set(p.key, [p]);
  }
  return [...byKey.values()].map((list) => {
    let latest = list[0] as MetricPoint;
    for (const p of list) if (newer(p, latest)) latest = p;
    const sorted = list.length === 1 ? list : [...list].sort((a, b) => a.step - b.step || a.timestamp - b.timestamp);
    const ordered = sorted.every((p, i) => i === 0 || p.timestamp >= (sorted[i - 1] as MetricPoint).timestamp);
    return { latest, first: sorted[0] as MetricPoint, ordered };
  });
}

/**
 * Clears `ts_ordered` of the keys this write takes out of order: points whose timestamps go back along their steps,
 * or an earliest point before the stored latest one in step or in timestamp. Runs before the latest values move.
 */
function orderStatement(runId: number, keys: readonly KeySummary[]): InStatement {
  const args: InValue[] = [];
  const rows = keys.map((k) => {
    args.push(k.first.key, k.ordered ? 1 : 0, k.first.step, k.first.timestamp);
    return "(?,?,?,?)";
  });
  args.push(runId);
  return {
    sql: `UPDATE latest_metrics SET ts_ordered = 0 FROM (VALUES ${rows.join(",")}) AS w
          WHERE latest_metrics.run_id = ?${args.length} AND latest_metrics.key = w.column1 AND latest_metrics.ts_ordered = 1
            AND (w.column2 = 0 OR w.column3 < latest_metrics.step OR w.column4 < latest_metrics.timestamp)`,
    args,
  };
}

/**
 * Statements that append metric points (identical points are stored once), keep each key's `ts_ordered` flag and
 * move its latest value forward when a point is more recent than the stored one.
 */
export function metricStatements(runId: number, points: readonly MetricPoint[]): InStatement[] {
  if (points.length === 0) return [];
  const stmts: InStatement[] = [];
  for (let i = 0; i < points.length; i += ROWS_PER_STATEMENT) {
    const { sql, args } = valuesClause(runId, points.slice(i, i + ROWS_PER_STATEMENT));
    stmts.push({ sql: `INSERT OR IGNORE INTO metrics (${COLUMNS}) VALUES ${sql}`, args });
  }
  const keys = summarise(points);
  for (let i = 0; i < keys.length; i += ROWS_PER_STATEMENT) {
    const part = keys.slice(i, i + ROWS_PER_STATEMENT);
    stmts.push(orderStatement(runId, part));
    const { sql, args } = valuesClause(
      runId,
      part.map((k) => k.latest),
      (j) => (part[j]?.ordered ? "1" : "0"),
    );
    stmts.push({
      sql: `INSERT INTO latest_metrics (${COLUMNS}, ts_ordered) VALUES ${sql}
            ON CONFLICT (run_id, key) DO UPDATE SET step = excluded.step, timestamp = excluded.timestamp, value = excluded.value,
              is_nan = excluded.is_nan, dataset_name = excluded.dataset_name, dataset_digest = excluded.dataset_digest, model_id = excluded.model_id
            WHERE (excluded.step, excluded.timestamp, excluded.value) > (latest_metrics.step, latest_metrics.timestamp, latest_metrics.value)`,
      args,
    });
  }
  return stmts;
}

/**
 * A stored point as text, `value,timestamp,step`, for building JSON without a result row per point (libSQL's client
 * builds an object per row and per column). The value is `%!.17g`, which reads back as the same double; NaN and the
 * infinities are the JSON strings the wire uses.
 */
export const POINT_TEXT_SQL = `CASE WHEN is_nan THEN '"NaN"' WHEN abs(value) < 9e999 THEN printf('%!.17g', value)
  WHEN value > 0 THEN '"Infinity"' ELSE '"-Infinity"' END || ',' || timestamp || ',' || step`;

/** A value token of POINT_TEXT_SQL as stored: NaN is 0 with is_nan = 1. */
export function storedValue(token: string): { value: number; isNan: number } {
  if (token === '"NaN"') return { value: 0, isNan: 1 };
  if (token === '"Infinity"') return { value: Number.POSITIVE_INFINITY, isNan: 0 };
  if (token === '"-Infinity"') return { value: Number.NEGATIVE_INFINITY, isNan: 0 };
  return { value: Number(token), isNan: 0 };
}
