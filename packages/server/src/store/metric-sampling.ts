import type { InValue } from "@libsql/client";
import type { DbHandle } from "./db.js";
import { POINT_TEXT_SQL, storedValue } from "./metric-sql.js";

/** The point order of a run's metric in the primary key, and so of every answer here. */
const STEP_ORDER = "step, timestamp, value, is_nan";

/**
 * The minimum (`sign` 1) or maximum (`sign` -1) point of a bucket as POINT_TEXT_SQL text, NULL for an empty one.
 * NaN is compared as text, above every number, so it is chosen only when the bucket holds nothing else. With exactly
 * one min() in the query SQLite takes the bare columns from the row holding the minimum, and on ties from the first
 * such row in scan order (the primary key's): the first point of the bucket.
 */
const bucketPick = (where: string, sign: 1 | -1) =>
  `(SELECT iif(min(CASE WHEN is_nan THEN 'nan' ELSE ${sign === 1 ? "value" : "-value"} END) IS NULL, NULL, ${POINT_TEXT_SQL})
    FROM metrics WHERE ${where} AND step >= b.lo AND step < b.hi)`;

/** Sort key of a POINT_TEXT_SQL point, to order two points of one bucket. */
function sortKey(point: string): [number, number, number, number] {
  const [v, timestamp, step] = point.split(",");
  const { value, isNan } = storedValue(v as string);
  return [Number(step), Number(timestamp), value, isNan];
}

const stepOf = (point: string) => Number(point.slice(point.lastIndexOf(",") + 1));

/** Whether point `a` comes before `b` in step order; mostly decided by their steps alone. */
function before(a: string, b: string): boolean {
  const sa = stepOf(a);
  const sb = stepOf(b);
  if (sa !== sb) return sa < sb;
  const x = sortKey(a);
  const y = sortKey(b);
  for (let i = 1; i < 4; i++) if (x[i] !== y[i]) return (x[i] as number) < (y[i] as number);
  return false;
}

/**
 * Up to `max` points of one run's metric in step order, as POINT_TEXT_SQL texts joined by commas ("" for none), read
 * off the primary key without sorting: all of them when they fit; else the last point for max 1, the first and last
 * for max 2, and otherwise the first and last points plus the minimum and maximum point of each of `(max - 2) / 2`
 * buckets of equal step width (bucket of a step: floor((step - first) × buckets / span), in exact integer arithmetic).
 * Each bucket is two range seeks on the primary key, so the cost is one pass over the points, twice.
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
            (SELECT ${POINT_TEXT_SQL} FROM metrics WHERE ${where} ORDER BY ${STEP_ORDER} LIMIT 1) AS first,
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
  const first = row?.first as string;
  const last = row?.last as string;
  if (max === 1) return last;
  if (max === 2) return `${first},${last}`;
  const s0 = stepOf(first);
  const buckets = Math.max(1, Math.floor((max - 2) / 2));
  const picks = await h.client.execute({
    sql: `WITH RECURSIVE p(s0, span, nb) AS (SELECT CAST(?${next} AS INTEGER), CAST(?${next + 1} AS INTEGER), CAST(?${next + 2} AS INTEGER)),
          b(i, lo, hi) AS (
            SELECT 0, s0, s0 + (span + nb - 1) / nb FROM p
            UNION ALL SELECT b.i + 1, b.hi, p.s0 + ((b.i + 2) * p.span + p.nb - 1) / p.nb FROM b, p WHERE b.i + 1 < p.nb)
          SELECT group_concat(lo || ';' || hi, ';') AS t FROM (
            SELECT ${bucketPick(where, 1)} AS lo, ${bucketPick(where, -1)} AS hi FROM b WHERE b.lo < b.hi)`,
    args: [...args, s0, stepOf(last) - s0 + 1, buckets],
  });
  // Each bucket's two picks, in order; the first and last points bound them all, so duplicates are neighbours.
  const kept = [first];
  const pairs = ((picks.rows[0]?.t as string | null) ?? "").split(";");
  for (let i = 0; i + 1 < pairs.length; i += 2) {
    const lo = pairs[i] as string;
    const hi = pairs[i + 1] as string;
    for (const point of before(hi, lo) ? [hi, lo] : [lo, hi]) if (point !== kept.at(-1)) kept.push(point);
  }
  if (last !== kept.at(-1)) kept.push(last);
  return kept.join(",");
}
