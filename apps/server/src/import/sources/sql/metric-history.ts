import type { MetricPoint } from "@tracklite/server/import";
import type { SqlConnection } from "./connection.js";

/** Points per batch handed to the sink: big enough to amortise its statements, small enough to keep memory flat. */
export const METRIC_BATCH = 5000;

/**
 * Every point of every metric of one run, straight off the `metrics` table (the run_uuid index), as
 * `SqlMetric.to_mlflow_entity`: NaN is stored as value 0 with is_nan set; ±Infinity was stored by MLflow as
 * ±1.7976931348623157e308 and comes back as that, as the reference answers it.
 */
export async function* readMetricHistory(db: SqlConnection, runId: string): AsyncIterable<MetricPoint[]> {
  const sql = `SELECT "key", "value", "timestamp", step, is_nan FROM metrics WHERE run_uuid = ?`;
  for await (const rows of db.iterate(sql, [runId], METRIC_BATCH)) {
    const points: MetricPoint[] = new Array(rows.length);
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i] as { key: string; value: number; timestamp: number; step: number; is_nan: unknown };
      const isNan = row.is_nan === 1 || row.is_nan === true || row.is_nan === "1";
      points[i] = {
        key: row.key,
        value: isNan ? Number.NaN : Number(row.value),
        timestamp: Number(row.timestamp),
        step: Number(row.step),
      };
    }
    yield points;
  }
}

/** How many points the picked runs hold (one COUNT: cheap on SQLite's run_uuid index, a scan elsewhere). */
export async function countMetricPoints(db: SqlConnection, experimentIds?: string[]): Promise<number> {
  if (experimentIds === undefined) {
    return Number((await db.all("SELECT COUNT(*) AS n FROM metrics", []))[0]?.n ?? 0);
  }
  if (experimentIds.length === 0) return 0;
  const rows = await db.all(
    `SELECT COUNT(*) AS n FROM metrics m JOIN runs r ON r.run_uuid = m.run_uuid
      WHERE r.experiment_id IN (${experimentIds.map(() => "?").join(", ")})`,
    experimentIds.map(Number),
  );
  return Number(rows[0]?.n ?? 0);
}
