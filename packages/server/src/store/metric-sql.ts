import type { InStatement, InValue } from "@libsql/client";
import {
  CHUNK_POINTS,
  type ChunkSummary,
  chunkBounds,
  encodePoints,
  type SeriesPoints,
  slicePoints,
  sortPoints,
  summarisePoints,
} from "./metric-chunks.js";

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

/** `VALUES` tuples of latest points of one run; `?1` is the run's row id, the first argument. */
function valuesClause(runId: number, points: readonly MetricPoint[]) {
  const args: InValue[] = [runId];
  const tuples = points.map((p) => {
    args.push(p.key, p.step, p.timestamp);
    const v = realSql(p.value, args);
    const rest = `${textSql(p.datasetName, args)},${textSql(p.datasetDigest, args)},${textSql(p.modelId, args)}`;
    return `(?1,?,?,?,${v},${Number.isNaN(p.value) ? 1 : 0},${rest})`;
  });
  return { sql: tuples.join(","), args };
}

const COLUMNS = "run_id, key, step, timestamp, value, is_nan, dataset_name, dataset_digest, model_id";

/** A chunk row ready to insert (metric-chunks.ts): its summary, its packed points, and whether it is full (sealed). */
export interface ChunkRow {
  key: string;
  summary: ChunkSummary;
  points: Uint8Array;
  sealed: boolean;
}

/**
 * Sorted points of one series as chunk rows: full chunks of CHUNK_POINTS are sealed (compaction leaves them be, and
 * the first get-history that sends one whole stores its JSON text, metric-history.ts); the rest, fewer points, is an
 * open chunk that a later compaction merges with what follows.
 */
export function chunkRows(key: string, p: SeriesPoints): ChunkRow[] {
  const bounds = chunkBounds(p);
  const rows: ChunkRow[] = [];
  for (let i = 0; i + 1 < bounds.length; i++) {
    const piece = slicePoints(p, bounds[i] as number, bounds[i + 1] as number);
    if (piece.steps.length === 0) continue;
    rows.push({
      key,
      summary: summarisePoints(piece),
      points: encodePoints(piece),
      sealed: piece.steps.length >= CHUNK_POINTS,
    });
  }
  return rows;
}

const CHUNK_COLUMNS =
  "run_id, key, lo_step, lo_ts, hi_step, hi_ts, n, min_value, max_value, sealed, ts_ordered, points";

/** An INSERT of chunk rows: `INSERT INTO metric_chunks (…) VALUES …`. */
export interface ChunkInsert {
  sql: string;
  args: InValue[];
}

/** INSERT statements for chunk rows of one run. */
export function chunkInserts(runId: number, rows: readonly ChunkRow[]): ChunkInsert[] {
  const stmts: ChunkInsert[] = [];
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
    const args: InValue[] = [runId];
    const tuples = rows.slice(i, i + ROWS_PER_STATEMENT).map((r) => {
      const s = r.summary;
      args.push(r.key, s.loStep, s.loTs, s.hiStep, s.hiTs, s.n);
      const lo = s.min === null ? "NULL" : realSql(s.min, args);
      const hi = s.max === null ? "NULL" : realSql(s.max, args);
      args.push(r.sealed ? 1 : 0, s.tsOrdered ? 1 : 0, r.points);
      return `(?1,?,?,?,?,?,?,${lo},${hi},?,?,?)`;
    });
    stmts.push({ sql: `INSERT INTO metric_chunks (${CHUNK_COLUMNS}) VALUES ${tuples.join(",")}`, args });
  }
  return stmts;
}

/** Points grouped by key, in the order keys first appear, each key's points sorted with identical ones kept once. */
export function pointsByKey(points: readonly MetricPoint[]): Map<string, SeriesPoints> {
  const byKey = new Map<string, MetricPoint[]>();
  for (const p of points) {
    const list = byKey.get(p.key);
    if (list) list.push(p);
    else byKey.set(p.key, [p]);
  }
  const out = new Map<string, SeriesPoints>();
  for (const [key, list] of byKey) {
    out.set(
      key,
      sortPoints(
        list.map((p) => p.step),
        list.map((p) => p.timestamp),
        list.map((p) => p.value),
      ),
    );
  }
  return out;
}

/** MLflow's "more recent" order for latest metrics: (step, timestamp, value), NaN counting as 0. */
function newer(a: MetricPoint, b: MetricPoint): boolean {
  if (a.step !== b.step) return a.step > b.step;
  if (a.timestamp !== b.timestamp) return a.timestamp > b.timestamp;
  const av = Number.isNaN(a.value) ? 0 : a.value;
  const bv = Number.isNaN(b.value) ? 0 : b.value;
  return av > bv;
}

/** Each key's latest point among `points` (MLflow's "more recent" order), keys in the order they first appear. */
function latestPoints(points: readonly MetricPoint[]): MetricPoint[] {
  const latest = new Map<string, MetricPoint>();
  for (const p of points) {
    const seen = latest.get(p.key);
    if (!seen || newer(p, seen)) latest.set(p.key, p);
  }
  return [...latest.values()];
}

/** The statements of a metric write, and the points per key it adds as open chunks (for MetricCompactor). */
export interface MetricWrite {
  statements: InStatement[];
  open: Map<string, number>;
}

/**
 * Statements that append metric points as chunks (one or more per key; readers keep identical points once) and move
 * each key's latest value forward when a point is more recent than the stored one.
 * Nothing is read: the statements are right whatever concurrent writes commit before them.
 */
export function metricWrite(runId: number, points: readonly MetricPoint[]): MetricWrite {
  const open = new Map<string, number>();
  if (points.length === 0) return { statements: [], open };
  const rows = [...pointsByKey(points)].flatMap(([key, p]) => chunkRows(key, p));
  for (const r of rows) if (!r.sealed) open.set(r.key, r.summary.n);
  const stmts: InStatement[] = chunkInserts(runId, rows);
  const latest = latestPoints(points);
  for (let i = 0; i < latest.length; i += ROWS_PER_STATEMENT) {
    const { sql, args } = valuesClause(runId, latest.slice(i, i + ROWS_PER_STATEMENT));
    stmts.push({
      sql: `INSERT INTO latest_metrics (${COLUMNS}) VALUES ${sql}
            ON CONFLICT (run_id, key) DO UPDATE SET step = excluded.step, timestamp = excluded.timestamp, value = excluded.value,
              is_nan = excluded.is_nan, dataset_name = excluded.dataset_name, dataset_digest = excluded.dataset_digest, model_id = excluded.model_id
            WHERE (excluded.step, excluded.timestamp, excluded.value) > (latest_metrics.step, latest_metrics.timestamp, latest_metrics.value)`,
      args,
    });
  }
  return { statements: stmts, open };
}
