import type { InStatement } from "@libsql/client";
import { logError } from "../log.js";
import type { DbHandle } from "./db.js";
import { CHUNK_POINTS, concatPoints, decodePoints, sortPoints } from "./metric-chunks.js";
import { type ChunkInsert, chunkInserts, chunkRows } from "./metric-sql.js";

/** Open chunks a series may gather before they are merged, whatever their points. */
const MAX_OPEN_CHUNKS = 32;

/**
 * Merges each series' open chunks (the small ones writes add) into sealed chunks of CHUNK_POINTS points, once a series
 * has gathered a chunk's worth of points or MAX_OPEN_CHUNKS chunks since its last merge. Merges go through the writer
 * after the writes that prompted them, never delaying their answers. What is counted lives in this process only: after
 * a restart, a series' leftover open chunks are merged with the next ones (there are at most MAX_OPEN_CHUNKS).
 */
export class MetricCompactor {
  readonly #open = new Map<string, { chunks: number; points: number }>();
  readonly #scheduled = new Set<string>();

  constructor(private readonly h: DbHandle) {}

  /** Told of open chunks just committed: `points` per key of run `runId`. */
  written(runId: number, points: ReadonlyMap<string, number>): void {
    for (const [key, n] of points) {
      const id = JSON.stringify([runId, key]);
      const open = this.#open.get(id) ?? { chunks: 0, points: 0 };
      open.chunks++;
      open.points += n;
      this.#open.set(id, open);
      if (open.chunks >= MAX_OPEN_CHUNKS || open.points >= CHUNK_POINTS) this.#schedule(id, runId, key);
    }
  }

  #schedule(id: string, runId: number, key: string): void {
    if (this.#scheduled.has(id)) return;
    this.#scheduled.add(id);
    this.#open.delete(id);
    this.h.writer
      .submit(() => compactionStatements(this.h, runId, key))
      .catch((err: unknown) => logError(`metric compaction of run ${runId} key ${JSON.stringify(key)} failed:`, err))
      .finally(() => this.#scheduled.delete(id));
  }
}

/**
 * Statements merging a series' open chunks, with the sealed chunks they overlap (points logged out of order), into
 * chunks of CHUNK_POINTS points: identical points kept once, the remainder left open. Guarded: when another writer
 * (a replica on the same database) changed those chunks since they were read, the statements change nothing.
 */
export async function compactionStatements(h: DbHandle, runId: number, key: string): Promise<InStatement[]> {
  const open = await h.client.execute({
    sql: `SELECT id, lo_step, lo_ts, hi_step, hi_ts, points FROM metric_chunks
          WHERE run_id = ? AND key = ? AND sealed = 0 ORDER BY lo_step, lo_ts, id`,
    args: [runId, key],
  });
  if (open.rows.length < 2) return [];
  const lo = [open.rows[0]?.lo_step as number, open.rows[0]?.lo_ts as number];
  let hi = lo;
  for (const r of open.rows) {
    const end = [r.hi_step as number, r.hi_ts as number];
    if (end[0]! > hi[0]! || (end[0] === hi[0] && end[1]! > hi[1]!)) hi = end;
  }
  const sealed = await h.client.execute({
    sql: `SELECT id, points FROM metric_chunks WHERE run_id = ? AND key = ? AND sealed = 1
            AND (lo_step, lo_ts) <= (?, ?) AND (hi_step, hi_ts) >= (?, ?)`,
    args: [runId, key, hi[0]!, hi[1]!, lo[0]!, lo[1]!],
  });
  const rows = [...sealed.rows, ...open.rows];
  const all = concatPoints(rows.map((r) => decodePoints(r.points as ArrayBuffer)));
  const merged = sortPoints(all.steps, all.timestamps, all.values);
  const ids = rows.map((r) => r.id as number);
  const idList = ids.map(() => "?").join(",");
  const unchanged = `(SELECT count(*) FROM metric_chunks WHERE id IN (${idList})) = ${ids.length}`;
  const inserts = chunkInserts(runId, chunkRows(key, merged)).map((s) => guarded(s, unchanged, ids));
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
