import type { InValue } from "@libsql/client";
import { type MetricBucket, type MetricSummary, toWireDouble } from "@tracklite/schemas";
import { invalidParameter } from "../errors.js";
import { placeholders } from "../search/sql-compare.js";
import type { DbHandle } from "./db.js";

/** At most this many runs per call, as MLflow's bulk history calls allow. */
const MAX_RUNS = 100;
/** Buckets per run when the caller gives none, and the most it may ask for. */
const DEFAULT_BUCKETS = 500;
const MAX_BUCKETS = 2500;

/** A value column with NaN (stored as 0 with is_nan = 1) left out of min/max. */
const NUMBER = "CASE WHEN m.is_nan THEN NULL ELSE m.value END";
const wire = (v: unknown, isNan = 0) => toWireDouble(isNan ? Number.NaN : (v as number));
/** `{ min, max }` from aggregates that are NULL when every value was NaN. */
const bounds = (lo: unknown, hi: unknown) => ({
  ...(lo === null ? {} : { min: toWireDouble(lo as number) }),
  ...(hi === null ? {} : { max: toWireDouble(hi as number) }),
});

function checkRuns(runIds: string[]): void {
  if (runIds.length === 0) throw invalidParameter("At least one run_id must be given.");
  if (runIds.length > MAX_RUNS) {
    throw invalidParameter(`At most ${MAX_RUNS} run_ids may be given. Received ${runIds.length} run_ids.`);
  }
}

/**
 * Min, max, count and latest value per (run, key) for up to 100 runs: what a runs table shows when asked for more than
 * the latest value. One grouped pass over the runs' points (the primary key starts with run and key).
 */
export async function metricSummaries(h: DbHandle, runUuids: string[], keys?: string[]): Promise<MetricSummary[]> {
  checkRuns(runUuids);
  const args: InValue[] = [...runUuids, ...(keys ?? [])];
  const rs = await h.client.execute({
    sql: `SELECT r.run_uuid, m.key, count(*) AS n, min(${NUMBER}) AS lo, max(${NUMBER}) AS hi,
            l.value AS last, l.is_nan AS last_nan, l.step AS last_step, l.timestamp AS last_ts
          FROM runs r JOIN metrics m ON m.run_id = r.id
            JOIN latest_metrics l ON l.run_id = m.run_id AND l.key = m.key
          WHERE r.run_uuid IN (${placeholders(runUuids)})${keys?.length ? ` AND m.key IN (${placeholders(keys)})` : ""}
          GROUP BY m.run_id, m.key ORDER BY r.run_uuid, m.key`,
    args,
  });
  return rs.rows.map((r) => ({
    run_id: r.run_uuid as string,
    key: r.key as string,
    last: wire(r.last, r.last_nan as number),
    last_step: r.last_step as number,
    last_timestamp: r.last_ts as number,
    ...bounds(r.lo, r.hi),
    count: r.n as number,
  }));
}

/**
 * Each run's points of one metric cut into at most `buckets` equal step ranges (within `startStep`..`endStep` when
 * given): per bucket the last point in step order and the min, max and count of its values. Lines drawn through the
 * last points with a band from min to max keep every spike visible, whatever the zoom.
 */
export async function metricBuckets(
  h: DbHandle,
  runUuids: string[],
  key: string,
  opts: { buckets?: number | undefined; startStep?: number | undefined; endStep?: number | undefined },
): Promise<MetricBucket[]> {
  checkRuns(runUuids);
  const buckets = opts.buckets ?? DEFAULT_BUCKETS;
  if (buckets < 1 || buckets > MAX_BUCKETS) throw invalidParameter(`buckets must be between 1 and ${MAX_BUCKETS}.`);
  if ((opts.startStep === undefined) !== (opts.endStep === undefined)) {
    throw invalidParameter("If either start step or end step are specified, both must be specified.");
  }
  const range = opts.startStep !== undefined ? " AND m.step BETWEEN ?4 AND ?5" : "";
  const out: MetricBucket[] = [];
  for (const uuid of runUuids) {
    const args: InValue[] = [uuid, key, buckets, ...(range ? [opts.startStep ?? 0, opts.endStep ?? 0] : [])];
    // span: the run's steps within the range; g: per bucket its aggregates and last step; then the last point of that
    // step (latest timestamp; on a tie the row read last wins below) gives the line's value. CROSS JOIN fixes the
    // join order so that each bucket's point is a primary-key lookup (SQLite otherwise chose to scan the metric table
    // once per bucket: seconds for a 2,500-point run).
    const rs = await h.client.execute({
      sql: `WITH run AS (SELECT id FROM runs WHERE run_uuid = ?1),
            span AS (SELECT min(m.step) AS lo, max(m.step) - min(m.step) + 1 AS width
                     FROM metrics m, run WHERE m.run_id = run.id AND m.key = ?2${range}),
            g AS (SELECT CAST((m.step - span.lo) * ?3 / span.width AS INTEGER) AS b, count(*) AS n,
                    min(${NUMBER}) AS lo, max(${NUMBER}) AS hi, max(m.step) AS last_step
                  FROM metrics m, run, span WHERE m.run_id = run.id AND m.key = ?2${range} GROUP BY b)
            SELECT g.b, g.n, g.lo, g.hi, g.last_step, p.timestamp, p.value, p.is_nan
            FROM g CROSS JOIN run CROSS JOIN metrics p ON p.run_id = run.id AND p.key = ?2 AND p.step = g.last_step
            WHERE p.timestamp = (SELECT max(q.timestamp) FROM metrics q
                                 WHERE q.run_id = run.id AND q.key = ?2 AND q.step = g.last_step)
            ORDER BY g.b, p.value, p.is_nan`,
      args,
    });
    const byBucket = new Map<number, MetricBucket>();
    for (const r of rs.rows) {
      byBucket.set(r.b as number, {
        run_id: uuid,
        step: r.last_step as number,
        timestamp: r.timestamp as number,
        value: wire(r.value, r.is_nan as number),
        ...bounds(r.lo, r.hi),
        count: r.n as number,
      });
    }
    out.push(...byBucket.values());
  }
  return out;
}
