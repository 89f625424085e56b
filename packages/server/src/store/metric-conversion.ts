import type { Client, InValue } from "@libsql/client";
import { logError } from "../log.js";
import { CHUNK_POINTS, chunkBounds, concatPoints, type SeriesPoints, slicePoints } from "./metric-chunks.js";
import { chunkInserts, chunkRows, realSql } from "./metric-sql.js";

/** Rows read per query while converting: bounds the memory of a long series. */
const PAGE = 50_000;

/** Whether the database still has the point-per-row `metrics` table of migrations before 0010. */
export async function hasMetricRows(client: Pick<Client, "execute">): Promise<boolean> {
  const rs = await client.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'metrics'");
  return rs.rows.length > 0;
}

/**
 * Moves the points of the `metrics` table (one row per point, before migration 0010) into chunks, then drops that
 * table. Each run is converted in one transaction (its chunks written, its rows deleted), so a conversion stopped
 * half-way (a kill, a full disk) goes on where it stopped at the next start, and no point is lost or doubled. Reports
 * its progress on stderr when there is anything to convert.
 */
export async function convertMetricRows(client: Client): Promise<void> {
  if (!(await hasMetricRows(client))) return;
  const total = Number((await client.execute("SELECT count(*) AS n FROM metrics")).rows[0]?.n ?? 0);
  const started = Date.now();
  if (total > 0) logError(`tracklite: converting ${total.toLocaleString("en-US")} metric points to chunks…`);
  let done = 0;
  for (;;) {
    const next = await client.execute("SELECT run_id FROM metrics LIMIT 1");
    const runId = next.rows[0]?.run_id as number | undefined;
    if (runId === undefined) break;
    done += await convertRun(client, runId);
    if (total > 0 && Date.now() - started > 5000) {
      logError(`tracklite: ${done.toLocaleString("en-US")} of ${total.toLocaleString("en-US")} points converted`);
    }
  }
  await client.execute("DROP TABLE metrics");
  if (total > 0) {
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    logError(`tracklite: converted ${total.toLocaleString("en-US")} metric points in ${seconds} s`);
  }
}

/** Converts one run's points in one transaction; returns how many. */
async function convertRun(client: Client, runId: number): Promise<number> {
  const tx = await client.transaction("write");
  try {
    const points = await chunkPointRows(
      async (sql, args) => (await tx.execute({ sql, args })).rows as unknown as PointRow[],
      async (stmt) => {
        await tx.execute(stmt);
      },
      "metrics",
      runId,
    );
    await tx.execute({ sql: "DELETE FROM metrics WHERE run_id = ?", args: [runId] });
    await tx.commit();
    return points;
  } finally {
    tx.close();
  }
}

/** A row of a point-per-row table (`metrics` before migration 0010, the import's staging table). */
export interface PointRow {
  key: string;
  step: number;
  timestamp: number;
  value: number;
  is_nan: number;
}

/**
 * Writes the points of run `runId` held one per row in `table` (keyed like the old `metrics` table: run, key, step,
 * timestamp, value, is_nan) as chunks. Rows are read in that key's order, PAGE at a time, so each series arrives
 * sorted with identical points once, and memory stays bounded however long a series is. Returns the points written.
 */
export async function chunkPointRows(
  all: (sql: string, args: InValue[]) => Promise<PointRow[]>,
  run: (stmt: { sql: string; args: InValue[] }) => Promise<void>,
  table: string,
  runId: number,
): Promise<number> {
  let points = 0;
  let key: string | undefined;
  let parts: SeriesPoints[] = [];
  // Full chunks are written once complete; the rest of a key waits for its next points, or is its open tail.
  const flush = async (final: boolean) => {
    if (key === undefined || parts.length === 0) return;
    const p = concatPoints(parts);
    const bounds = chunkBounds(p);
    const lastStart = bounds[bounds.length - 2] as number;
    const cut = final || p.steps.length - lastStart >= CHUNK_POINTS ? p.steps.length : lastStart;
    for (const s of chunkInserts(runId, chunkRows(key, slicePoints(p, 0, cut)))) await run(s);
    parts = cut < p.steps.length ? [slicePoints(p, cut, p.steps.length)] : [];
  };
  let cursor: { sql: string; args: InValue[] } | undefined;
  for (;;) {
    const rows = await all(
      `SELECT key, step, timestamp, value, is_nan FROM ${table} WHERE run_id = ? ${cursor?.sql ?? ""}
       ORDER BY key, step, timestamp, value, is_nan LIMIT ${PAGE}`,
      [runId, ...(cursor?.args ?? [])],
    );
    if (rows.length === 0) break;
    let start = 0;
    const take = (end: number) => {
      if (end <= start) return;
      const slice = rows.slice(start, end);
      parts.push({
        steps: Float64Array.from(slice, (r) => r.step),
        timestamps: Float64Array.from(slice, (r) => r.timestamp),
        values: Float64Array.from(slice, (r) => (r.is_nan ? Number.NaN : r.value)),
      });
      start = end;
    };
    for (let i = 0; i < rows.length; i++) {
      const k = (rows[i] as PointRow).key;
      if (k !== key) {
        take(i);
        await flush(true);
        key = k;
      }
    }
    take(rows.length);
    await flush(false);
    points += rows.length;
    const last = rows.at(-1) as PointRow;
    const args: InValue[] = [last.key, last.step, last.timestamp];
    const value = realSql(last.value, args);
    args.push(last.is_nan);
    cursor = { sql: `AND (key, step, timestamp, value, is_nan) > (?, ?, ?, ${value}, ?)`, args };
  }
  await flush(true);
  return points;
}
