import type { InValue } from "@libsql/client";
import { type MetricBucket, type MetricSummary, toWireDouble } from "@tracklite/schemas";
import { invalidParameter } from "../errors.js";
import { placeholders } from "../search/sql-compare.js";
import type { DbHandle } from "./db.js";
import { type SeriesPoints, slicePoints, summarisePoints } from "./metric-chunks.js";
import { type ChunkHead, disjoint, seriesPoints, toHead } from "./metric-series.js";

/** At most this many runs per call, as MLflow's bulk history calls allow. */
const MAX_RUNS = 100;
/** Buckets per run when the caller gives none, and the most it may ask for. */
const DEFAULT_BUCKETS = 500;
const MAX_BUCKETS = 2500;

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

/** The row ids of runs by their uuids (unknown ones left out). */
async function runIds(h: DbHandle, runUuids: string[]): Promise<Map<number, string>> {
  const rs = await h.client.execute({
    sql: `SELECT id, run_uuid FROM runs WHERE run_uuid IN (${placeholders(runUuids)})`,
    args: runUuids,
  });
  return new Map(rs.rows.map((r) => [r.id as number, r.run_uuid as string]));
}

/** min and max of the non-NaN values of sorted points (null when there are none). */
function pointBounds(p: SeriesPoints): { lo: number | null; hi: number | null } {
  const s = summarisePoints(p);
  return { lo: s.min, hi: s.max };
}

/**
 * Min, max, count and latest value per (run, key) for up to 100 runs: what a runs table shows when asked for more than
 * the latest value. Answered from the chunks' summaries; a series whose chunks overlap (points logged out of order)
 * is read whole so that a point stored twice counts once.
 */
export async function metricSummaries(h: DbHandle, runUuids: string[], keys?: string[]): Promise<MetricSummary[]> {
  checkRuns(runUuids);
  const ids = await runIds(h, runUuids);
  if (ids.size === 0) return [];
  const runList = [...ids.keys()];
  const keyFilter = keys?.length ? ` AND key IN (${placeholders(keys)})` : "";
  const args: InValue[] = [...runList, ...(keys?.length ? keys : [])];
  const [chunks, latest] = await Promise.all([
    h.client.execute({
      sql: `SELECT run_id, key, id, lo_step, lo_ts, hi_step, hi_ts, n, sealed, min_value, max_value FROM metric_chunks
            WHERE run_id IN (${placeholders(runList)})${keyFilter} ORDER BY run_id, key, lo_step, lo_ts, id`,
      args,
    }),
    h.client.execute({
      sql: `SELECT run_id, key, value, is_nan, step, timestamp FROM latest_metrics
            WHERE run_id IN (${placeholders(runList)})${keyFilter}`,
      args,
    }),
  ]);
  const series = new Map<
    string,
    { runId: number; key: string; heads: ChunkHead[]; lo: number | null; hi: number | null }
  >();
  for (const r of chunks.rows) {
    const id = JSON.stringify([r.run_id, r.key]);
    let s = series.get(id);
    if (!s) {
      s = { runId: r.run_id as number, key: r.key as string, heads: [], lo: null, hi: null };
      series.set(id, s);
    }
    s.heads.push(toHead(r));
    const lo = r.min_value as number | null;
    const hi = r.max_value as number | null;
    if (lo !== null && (s.lo === null || lo < s.lo)) s.lo = lo;
    if (hi !== null && (s.hi === null || hi > s.hi)) s.hi = hi;
  }
  const out: MetricSummary[] = [];
  for (const l of latest.rows) {
    const s = series.get(JSON.stringify([l.run_id, l.key]));
    if (!s) continue;
    let count = s.heads.reduce((n, c) => n + c.n, 0);
    let { lo, hi } = s;
    if (!disjoint(s.heads)) {
      // Read again whole (with the retry when a merge replaces the chunks meanwhile).
      const points = await seriesPoints(h, s.runId, s.key);
      count = points.steps.length;
      ({ lo, hi } = pointBounds(points));
    }
    out.push({
      run_id: ids.get(s.runId) as string,
      key: s.key,
      last: wire(l.value, l.is_nan as number),
      last_step: l.step as number,
      last_timestamp: l.timestamp as number,
      ...bounds(lo, hi),
      count,
    });
  }
  return out.sort((a, b) =>
    a.run_id < b.run_id ? -1 : a.run_id > b.run_id ? 1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0,
  );
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
  const range =
    opts.startStep !== undefined ? { startStep: opts.startStep, endStep: opts.endStep ?? opts.startStep } : undefined;
  const ids = await runIds(h, runUuids);
  const idOf = new Map([...ids].map(([id, uuid]) => [uuid, id]));
  const out: MetricBucket[] = [];
  for (const uuid of runUuids) {
    const id = idOf.get(uuid);
    if (id === undefined) continue;
    out.push(...bucketsOf(uuid, await seriesPoints(h, id, key, range), buckets));
  }
  return out;
}

/** Sorted points in `buckets` equal step ranges from their first step to their last. */
function bucketsOf(runUuid: string, p: SeriesPoints, buckets: number): MetricBucket[] {
  const n = p.steps.length;
  if (n === 0) return [];
  const lo = p.steps[0] as number;
  const width = (p.steps[n - 1] as number) - lo + 1;
  const out: MetricBucket[] = [];
  let start = 0;
  while (start < n) {
    const b = Math.floor((((p.steps[start] as number) - lo) * buckets) / width);
    let end = start + 1;
    while (end < n && Math.floor((((p.steps[end] as number) - lo) * buckets) / width) === b) end++;
    const last = end - 1;
    const { lo: min, hi: max } = pointBounds(slicePoints(p, start, end));
    out.push({
      run_id: runUuid,
      step: p.steps[last] as number,
      timestamp: p.timestamps[last] as number,
      value: toWireDouble(p.values[last] as number),
      ...bounds(min, max),
      count: end - start,
    });
    start = end;
  }
  return out;
}
