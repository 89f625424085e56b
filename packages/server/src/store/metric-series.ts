import type { InValue } from "@libsql/client";
import type { DbHandle } from "./db.js";
import {
  concatPoints,
  decodePoints,
  EMPTY_POINTS,
  type SeriesPoints,
  slicePoints,
  sortPoints,
} from "./metric-chunks.js";

/** A chunk row's summary columns (schema.ts `metric_chunks`). */
export interface ChunkHead {
  id: number;
  loStep: number;
  loTs: number;
  hiStep: number;
  hiTs: number;
  n: number;
  sealed: boolean;
  tsOrdered: boolean;
}

/** A step range, both ends included. */
export interface StepRange {
  startStep: number;
  endStep: number;
}

/** Chunks whose blobs are fetched per query while a series is read: bounds the memory of a long history. */
const BLOBS_PER_QUERY = 32;

const HEAD_COLUMNS = "id, lo_step, lo_ts, hi_step, hi_ts, n, sealed, ts_ordered";

export const toHead = (r: Record<string, unknown>): ChunkHead => ({
  id: r.id as number,
  loStep: r.lo_step as number,
  loTs: r.lo_ts as number,
  hiStep: r.hi_step as number,
  hiTs: r.hi_ts as number,
  n: r.n as number,
  sealed: r.sealed === 1,
  tsOrdered: r.ts_ordered === 1,
});

/** The chunks of one series (those that reach into `range` when given), in point order of their first points. */
export async function seriesHeads(h: DbHandle, runId: number, key: string, range?: StepRange): Promise<ChunkHead[]> {
  const args: InValue[] = [runId, key];
  let where = "run_id = ? AND key = ?";
  if (range) {
    where += " AND hi_step >= ? AND lo_step <= ?";
    args.push(range.startStep, range.endStep);
  }
  const rs = await h.client.execute({
    sql: `SELECT ${HEAD_COLUMNS} FROM metric_chunks WHERE ${where} ORDER BY lo_step, lo_ts, id`,
    args,
  });
  return rs.rows.map(toHead);
}

/**
 * Whether the chunks (ordered by their first points) follow one another without overlap: each one's last (step,
 * timestamp) before the next one's first. Then the series in point order is the chunks' points one after the other,
 * and no point is in two chunks; otherwise (points logged out of order, a retried batch) they are merged.
 */
export function disjoint(heads: readonly ChunkHead[]): boolean {
  for (let i = 1; i < heads.length; i++) {
    const a = heads[i - 1] as ChunkHead;
    const b = heads[i] as ChunkHead;
    if (a.hiStep > b.loStep || (a.hiStep === b.loStep && a.hiTs >= b.loTs)) return false;
  }
  return true;
}

/**
 * Whether disjoint chunks (see `disjoint`) are also in get-history's order: each one's timestamps never go back, and
 * none starts before the one before it ends. Then the history is the chunks one after the other.
 */
export function inTimeOrder(heads: readonly ChunkHead[]): boolean {
  for (let i = 0; i < heads.length; i++) {
    const c = heads[i] as ChunkHead;
    if (!c.tsOrdered || (i > 0 && (heads[i - 1] as ChunkHead).hiTs > c.loTs)) return false;
  }
  return true;
}

/** A chunk's stored data: its packed points, or its get-history JSON (gzip) when asked for and stored. */
export interface ChunkBlob {
  head: ChunkHead;
  points?: ArrayBuffer;
  json?: ArrayBuffer;
}

/**
 * The blobs of `heads` in their order, a query per BLOBS_PER_QUERY chunks: a chunk's stored JSON when `json(head)`
 * says so and it has one, its points otherwise. Throws StaleChunks when a chunk is gone (a compaction replaced it
 * since `heads` was read).
 */
export async function* chunkBlobs(
  h: DbHandle,
  heads: readonly ChunkHead[],
  json: (head: ChunkHead) => boolean = () => false,
): AsyncGenerator<ChunkBlob> {
  for (let i = 0; i < heads.length; i += BLOBS_PER_QUERY) {
    const part = heads.slice(i, i + BLOBS_PER_QUERY);
    const jsonIds = part.filter(json).map((c) => c.id);
    const wants = jsonIds.length > 0 ? `id IN (${jsonIds.map(() => "?").join(",")})` : "0";
    const rs = await h.client.execute({
      sql: `SELECT id, CASE WHEN ${wants} THEN json END AS j,
              CASE WHEN ${wants} AND json IS NOT NULL THEN NULL ELSE points END AS p
            FROM metric_chunks WHERE id IN (${part.map(() => "?").join(",")})`,
      args: [...jsonIds, ...jsonIds, ...part.map((c) => c.id)],
    });
    const byId = new Map(rs.rows.map((r) => [r.id as number, r]));
    for (const head of part) {
      const row = byId.get(head.id);
      if (row === undefined) throw new StaleChunks();
      yield row.j ? { head, json: row.j as ArrayBuffer } : { head, points: row.p as ArrayBuffer };
    }
  }
}

/** A series changed under a read (compaction replaced its chunks); the read starts over. */
export class StaleChunks extends Error {}

/** The points of the chunks `heads`, in point order with identical points once, cut to `range` when given. */
export async function headsPoints(h: DbHandle, heads: readonly ChunkHead[], range?: StepRange): Promise<SeriesPoints> {
  if (heads.length === 0) return EMPTY_POINTS;
  const parts: SeriesPoints[] = [];
  for await (const { points } of chunkBlobs(h, heads)) parts.push(decodePoints(points as ArrayBuffer));
  let all = concatPoints(parts);
  if (!disjoint(heads)) all = sortPoints(all.steps, all.timestamps, all.values);
  return range ? stepSlice(all, range) : all;
}

/** The points of one series in point order (step, timestamp, value), identical points once. */
export async function seriesPoints(h: DbHandle, runId: number, key: string, range?: StepRange): Promise<SeriesPoints> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await headsPoints(h, await seriesHeads(h, runId, key, range), range);
    } catch (err) {
      if (!(err instanceof StaleChunks) || attempt >= 3) throw err;
    }
  }
}

/** The points of sorted `p` whose steps are within `range`. */
function stepSlice(p: SeriesPoints, range: StepRange): SeriesPoints {
  let from = 0;
  while (from < p.steps.length && (p.steps[from] as number) < range.startStep) from++;
  let to = p.steps.length;
  while (to > from && (p.steps[to - 1] as number) > range.endStep) to--;
  return from === 0 && to === p.steps.length ? p : slicePoints(p, from, to);
}

/**
 * Indexes of sorted points in get-history's order (timestamp, step, value, NaN last); undefined when that is already
 * their order (timestamps never go back along the steps), the common case.
 */
export function timeOrder(p: SeriesPoints): Uint32Array | undefined {
  const n = p.steps.length;
  let ordered = true;
  for (let i = 1; i < n && ordered; i++)
    if ((p.timestamps[i] as number) < (p.timestamps[i - 1] as number)) ordered = false;
  if (ordered) return undefined;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  // Sorted points with equal timestamps are already in (step, value, NaN) order: a stable sort on timestamp suffices.
  return order.sort((a, b) => (p.timestamps[a] as number) - (p.timestamps[b] as number) || a - b);
}

/** Points `p` taken in `order`. */
export function reorder(p: SeriesPoints, order: Uint32Array): SeriesPoints {
  const n = order.length;
  const out = { steps: new Float64Array(n), timestamps: new Float64Array(n), values: new Float64Array(n) };
  for (let i = 0; i < n; i++) {
    const j = order[i] as number;
    out.steps[i] = p.steps[j] as number;
    out.timestamps[i] = p.timestamps[j] as number;
    out.values[i] = p.values[j] as number;
  }
  return out;
}
