import type { InValue } from "@libsql/client";
import type { DbHandle } from "./db.js";
import { POINT_TEXT_SQL } from "./metric-sql.js";

/** The point order of a run's metric in the primary key, and so of every answer here. */
const STEP_ORDER = "step, timestamp, value, is_nan";

/**
 * Up to `max` points of one run's metric in step order, as POINT_TEXT_SQL texts joined by commas ("" for none),
 * sampled exactly as the reference samples get-history-bulk-interval: all points when they fit; otherwise the points
 * are cut into `max` NTILE buckets in step order (the first `n mod max` buckets one point longer), the first point of
 * each bucket is kept, and the last point of all replaces the last kept one when it is not already in. So 10 steps
 * with max 5 give steps 0, 2, 4, 6, 9, and max 1 gives the last point.
 * Spikes may fall between the kept points; tracklite's UI draws from `metrics/buckets`, which keeps them.
 * @see mlflow/store/tracking/sqlalchemy_store.py `_sample_rows_with_window_functions`
 */
export async function sampleRun(
  h: DbHandle,
  runId: number,
  key: string,
  range: { startStep: number; endStep: number } | undefined,
  max: number,
): Promise<string> {
  const args: InValue[] = [runId, key, ...(range ? [range.startStep, range.endStep] : [])];
  const where = `run_id = ?1 AND key = ?2${range ? " AND step >= ?3 AND step <= ?4" : ""}`;
  const next = args.length + 1;
  const ends = await h.client.execute({
    sql: `SELECT (SELECT count(*) FROM (SELECT 1 FROM metrics WHERE ${where} LIMIT ?${next})) AS n,
            (SELECT ${POINT_TEXT_SQL} FROM metrics WHERE ${where}
              ORDER BY step DESC, timestamp DESC, value DESC, is_nan DESC LIMIT 1) AS last`,
    args: [...args, max + 1],
  });
  const row = ends.rows[0];
  const n = Number(row?.n ?? 0);
  if (n === 0) return "";
  if (n <= max) {
    const all = await h.client.execute({
      sql: `SELECT group_concat(t, ',') AS t FROM (SELECT ${POINT_TEXT_SQL} AS t FROM metrics WHERE ${where} ORDER BY ${STEP_ORDER})`,
      args,
    });
    return all.rows[0]?.t as string;
  }
  // The first point of each bucket: ordered by the primary key, so one pass without a sort.
  const picks = await h.client.execute({
    sql: `SELECT ${POINT_TEXT_SQL} AS t FROM (
            SELECT step, timestamp, value, is_nan,
              row_number() OVER (PARTITION BY bucket ORDER BY ${STEP_ORDER}) AS rn
            FROM (SELECT step, timestamp, value, is_nan, ntile(?${next}) OVER (ORDER BY ${STEP_ORDER}) AS bucket
                  FROM metrics WHERE ${where}))
          WHERE rn = 1 ORDER BY ${STEP_ORDER}`,
    args: [...args, max],
  });
  const kept = picks.rows.map((r) => r.t as string);
  const last = row?.last as string;
  if (kept.at(-1) !== last) {
    if (kept.length >= max) kept[kept.length - 1] = last;
    else kept.push(last);
  }
  return kept.join(",");
}
