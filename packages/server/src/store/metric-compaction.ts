import type { InStatement } from "@libsql/client";
import { logError } from "../log.js";
import type { DbHandle } from "./db.js";
import { CHUNK_POINTS, concatPoints, decodePoints, type SeriesPoints, sortPoints } from "./metric-chunks.js";
import { type ChunkInsert, chunkInserts, chunkRows } from "./metric-sql.js";

/** Open chunks a series may gather before they are merged, whatever their points (one-point writes). */
const MAX_OPEN_CHUNKS = 128;
/**
 * Series counted at most, the least recently written forgotten first: memory stays bounded with millions of series.
 * A forgotten series' open chunks are merged with its next ones once those are due.
 */
const MAX_COUNTED = 20_000;

/**
 * Merges each series' open chunks (the small ones writes add) into sealed chunks of CHUNK_POINTS points, once a series
 * has gathered a chunk's worth of points or MAX_OPEN_CHUNKS chunks since its last merge. Merges go through the writer
 * after the writes that prompted them, never delaying their answers, one job per run for all its keys that are due.
 * What is counted lives in this process only: after a restart, a series' leftover open chunks are merged with the
 * next ones (there are at most MAX_OPEN_CHUNKS).
 */
export class MetricCompactor {
  readonly #open = new Map<string, { chunks: number; points: number }>();
  /** Keys due per run, waiting for their job. */
  readonly #due = new Map<number, Set<string>>();

  constructor(private readonly h: DbHandle) {}

  /**
   * Told of open chunks just committed: `points` per key of run `runId`. Resolves at once, or once the merge it
   * started is done when no work may outlive the request (Workers).
   */
  async written(runId: number, points: ReadonlyMap<string, number>): Promise<void> {
    const merge = this.#count(runId, points);
    if (merge && this.h.requestScopedWork) await merge;
  }

  #count(runId: number, points: ReadonlyMap<string, number>): Promise<void> | undefined {
    let merge: Promise<void> | undefined;
    for (const [key, n] of points) {
      const id = JSON.stringify([runId, key]);
      const open = this.#open.get(id) ?? { chunks: 0, points: 0 };
      open.chunks++;
      open.points += n;
      this.#open.delete(id);
      this.#open.set(id, open);
      if (this.#open.size > MAX_COUNTED) this.#open.delete(this.#open.keys().next().value as string);
      if (open.chunks < MAX_OPEN_CHUNKS && open.points < CHUNK_POINTS) continue;
      this.#open.delete(id);
      let keys = this.#due.get(runId);
      if (!keys) {
        keys = new Set();
        this.#due.set(runId, keys);
        merge = this.#schedule(runId);
      }
      keys.add(key);
    }
    return merge;
  }

  #schedule(runId: number): Promise<void> {
    return this.h.writer
      .submit(() => {
        const keys = [...(this.#due.get(runId) ?? [])];
        this.#due.delete(runId);
        return compactionStatements(this.h, runId, keys);
      })
      .catch((err: unknown) => logError(`metric compaction of run ${runId} failed:`, err));
  }
}

/** Chunk rows of one run as compaction reads them. */
interface CompactedRow {
  id: number;
  key: string;
  lo: [number, number];
  hi: [number, number];
}

const before = (a: [number, number], b: [number, number]) => a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);

/**
 * Statements merging, for each of `keys`, the series' open chunks with the sealed chunks they overlap (points logged
 * out of order) into chunks of CHUNK_POINTS points: identical points kept once, the remainder left open. Guarded: when
 * another writer (a replica on the same database) changed any of those chunks since they were read, the statements
 * change nothing, and a later compaction merges what is there then.
 */
export async function compactionStatements(
  h: DbHandle,
  runId: number,
  keys: readonly string[],
): Promise<InStatement[]> {
  if (keys.length === 0) return [];
  const keyList = keys.map(() => "?").join(",");
  const heads = await h.client.execute({
    sql: `SELECT id, key, lo_step, lo_ts, hi_step, hi_ts, sealed FROM metric_chunks
          WHERE run_id = ? AND key IN (${keyList}) ORDER BY key, lo_step, lo_ts, id`,
    args: [runId, ...keys],
  });
  const byKey = new Map<string, { open: CompactedRow[]; sealed: CompactedRow[] }>();
  for (const r of heads.rows) {
    const row: CompactedRow = {
      id: r.id as number,
      key: r.key as string,
      lo: [r.lo_step as number, r.lo_ts as number],
      hi: [r.hi_step as number, r.hi_ts as number],
    };
    let series = byKey.get(row.key);
    if (!series) {
      series = { open: [], sealed: [] };
      byKey.set(row.key, series);
    }
    (r.sealed === 1 ? series.sealed : series.open).push(row);
  }
  // Per key: its open chunks and the sealed ones within their span; a lone open chunk has nothing to merge with.
  const merging = new Map<string, CompactedRow[]>();
  for (const [key, { open, sealed }] of byKey) {
    if (open.length === 0) continue;
    let lo = open[0]?.lo as [number, number];
    let hi = lo;
    for (const c of open) {
      if (before(c.lo, lo)) lo = c.lo;
      if (before(hi, c.hi)) hi = c.hi;
    }
    const overlapping = sealed.filter((c) => !before(c.hi, lo) && !before(hi, c.lo));
    if (open.length === 1 && overlapping.length === 0) continue;
    merging.set(key, [...overlapping, ...open]);
  }
  const ids = [...merging.values()].flat().map((c) => c.id);
  if (ids.length === 0) return [];
  const idList = ids.map(() => "?").join(",");
  const blobs = await h.client.execute({
    sql: `SELECT id, points FROM metric_chunks WHERE id IN (${idList})`,
    args: ids,
  });
  const pointsOf = new Map(blobs.rows.map((r) => [r.id as number, decodePoints(r.points as ArrayBuffer)]));
  if (pointsOf.size < ids.length) return [];
  const rows = [...merging].flatMap(([key, chunks]) => {
    const all = concatPoints(chunks.map((c) => pointsOf.get(c.id) as SeriesPoints));
    return chunkRows(key, sortPoints(all.steps, all.timestamps, all.values));
  });
  const unchanged = `(SELECT count(*) FROM metric_chunks WHERE id IN (${idList})) = ${ids.length}`;
  const inserts = chunkInserts(runId, rows).map((s) => guarded(s, unchanged, ids));
  return [
    ...inserts,
    { sql: `DELETE FROM metric_chunks WHERE id IN (${idList}) AND ${unchanged}`, args: [...ids, ...ids] },
  ];
}

/** An `INSERT … VALUES …` made to insert only when `condition` (with its arguments `ids`) holds. */
function guarded(stmt: ChunkInsert, condition: string, ids: number[]): InStatement {
  const at = stmt.sql.indexOf(" VALUES ");
  return {
    sql: `${stmt.sql.slice(0, at)} SELECT * FROM (VALUES ${stmt.sql.slice(at + 8)}) WHERE ${condition}`,
    args: [...stmt.args, ...ids],
  };
}
