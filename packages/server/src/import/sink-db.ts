import type { Client, InValue, Transaction } from "@libsql/client";
import Database from "libsql";
import { nativeTransaction, preparedStatements } from "../store/native-db.js";

/** A stored metric point as the sink writes it (the contract's point, run row id given apart). */
export interface SinkPoint {
  key: string;
  value: number;
  timestamp: number;
  step: number;
  dataset_name?: string | undefined;
  dataset_digest?: string | undefined;
  model_id?: string | undefined;
}

/** The statements of one import unit, all inside one write transaction. */
export interface SinkTx {
  /** Executes a write; returns the rows it changed. */
  run(sql: string, args?: InValue[]): Promise<number>;
  all<T>(sql: string, args?: InValue[]): Promise<T[]>;
  /**
   * Stages metric points of one run in IMPORT_POINTS (identical points kept once, by its primary key); the run's
   * writer turns them into chunks at the end of the unit (sink-runs.ts).
   */
  metrics(runRowId: number, points: readonly SinkPoint[]): Promise<void>;
}

/** Where the sink writes: one write transaction at a time. */
export interface SinkDb {
  transaction<T>(work: (tx: SinkTx) => Promise<T>): Promise<T>;
  /** A read outside any transaction. */
  all<T>(sql: string, args?: InValue[]): Promise<T[]>;
  close(): void;
}

const METRIC_COLUMNS = "run_id, key, step, timestamp, value, is_nan, dataset_name, dataset_digest, model_id";

/**
 * A connection's staging table for one unit's points: a point per row, sorted and deduplicated by its primary key (the
 * `metrics` table's before chunks), from which the unit's latest values and chunks are derived and then cleared.
 */
export const IMPORT_POINTS = "temp.import_points";
const CREATE_IMPORT_POINTS = `CREATE TEMP TABLE IF NOT EXISTS import_points (run_id integer NOT NULL, key text NOT NULL,
  step integer NOT NULL, timestamp integer NOT NULL, value real NOT NULL, is_nan integer NOT NULL, dataset_name text,
  dataset_digest text, model_id text, PRIMARY KEY (run_id, key, step, timestamp, value, is_nan)) WITHOUT ROWID`;
/**
 * Rows per prepared multi-row INSERT. Measured on this machine (points per CPU-second of the import process): one
 * statement call per point ~95k, per 100 points with 9 parameters each ~330k, with the run id bound once (`?1`) and
 * the three optional columns as NULL literals ~460k; 500 rows per call was no better than 100.
 */
const ROWS = 100;
/** Parameters per point: key, step, timestamp, value, is_nan (+ dataset name, digest and model id when `wide`). */
const NARROW = 5;
const WIDE = 8;
const insertMetrics = (rows: number, wide: boolean) => {
  const tuple = wide ? "(?1,?,?,?,?,?,?,?,?)" : "(?1,?,?,?,?,?,NULL,NULL,NULL)";
  return `INSERT OR IGNORE INTO ${IMPORT_POINTS} (${METRIC_COLUMNS}) VALUES ${Array.from({ length: rows }, () => tuple).join(",")}`;
};

/** Binds one point at `o` of `args` (NaN is stored as 0 with is_nan = 1, as everywhere in tracklite). */
function bindPoint(args: unknown[], o: number, p: SinkPoint, wide: boolean): void {
  const nan = Number.isNaN(p.value);
  args[o] = p.key;
  args[o + 1] = p.step;
  args[o + 2] = p.timestamp;
  args[o + 3] = nan ? 0 : p.value;
  args[o + 4] = nan ? 1 : 0;
  if (!wide) return;
  args[o + 5] = p.dataset_name ?? null;
  args[o + 6] = p.dataset_digest ?? null;
  args[o + 7] = p.model_id ?? null;
}

const hasExtras = (p: SinkPoint) =>
  p.dataset_name !== undefined || p.dataset_digest !== undefined || p.model_id !== undefined;

/**
 * A local database file through the `libsql` package's synchronous API (the engine under @libsql/client): statements
 * are prepared once and reused, and ±Infinity bind as real values. This is the metric path's fast road; the client's
 * execute prepares every statement anew.
 */
export function nativeSinkDb(path: string): SinkDb {
  const db = new Database(path, { timeout: 10_000 });
  db.exec("PRAGMA journal_mode = WAL");
  // One fsync per checkpoint instead of one per unit (with FULL, the WAL's fsync at each run's commit was two thirds of
  // an import's time). A killed process still loses no committed unit; a power loss can roll back the last few, and
  // their checkpoint marks roll back with them (same transaction), so running the import again redoes exactly those.
  db.exec("PRAGMA synchronous = NORMAL");
  // A 32 MiB page cache (the default is 2 MiB) keeps the hot B-tree pages of the staged points and latest_metrics in memory.
  db.exec("PRAGMA cache_size = -32768");
  db.exec(CREATE_IMPORT_POINTS);
  const prepared = preparedStatements(db);
  // Per shape (narrow or wide) and size (a full chunk of ROWS, or one point for a batch's tail): statement and args.
  const writers = [false, true].map((wide) => {
    const width = wide ? WIDE : NARROW;
    return {
      wide,
      width,
      many: { stmt: db.prepare(insertMetrics(ROWS, wide)), args: new Array<unknown>(1 + ROWS * width) },
      one: { stmt: db.prepare(insertMetrics(1, wide)), args: new Array<unknown>(1 + width) },
    };
  });
  const tx: SinkTx = {
    run: async (sql, args = []) => prepared(sql).run(args).changes,
    all: async <T>(sql: string, args: InValue[] = []) => prepared(sql).all(args) as T[],
    metrics: async (runRowId, points) => {
      let i = 0;
      for (; i + ROWS <= points.length; i += ROWS) {
        let wide = false;
        for (let j = 0; j < ROWS && !wide; j++) wide = hasExtras(points[i + j] as SinkPoint);
        const w = writers[wide ? 1 : 0] as (typeof writers)[number];
        const { stmt, args } = w.many;
        args[0] = runRowId;
        for (let j = 0; j < ROWS; j++) bindPoint(args, 1 + j * w.width, points[i + j] as SinkPoint, wide);
        stmt.run(args);
      }
      for (; i < points.length; i++) {
        const p = points[i] as SinkPoint;
        const w = writers[hasExtras(p) ? 1 : 0] as (typeof writers)[number];
        w.one.args[0] = runRowId;
        bindPoint(w.one.args, 1, p, w.wide);
        w.one.stmt.run(w.one.args);
      }
    },
  };
  return {
    transaction: (work) => nativeTransaction(db, () => work(tx)),
    all: tx.all,
    close: () => db.close(),
  };
}

/** libSQL cannot bind ±Infinity through the client: they go in as the literals SQLite reads as infinities. */
function clientValue(v: number): string | number {
  if (v === Number.POSITIVE_INFINITY) return "9e999";
  if (v === Number.NEGATIVE_INFINITY) return "-9e999";
  return Number.isNaN(v) ? 0 : v;
}

/** An argument the client can bind: ±Infinity as text, which a REAL column's affinity turns into the infinity. */
const bindable = (v: InValue): InValue =>
  v === Number.POSITIVE_INFINITY ? "9e999" : v === Number.NEGATIVE_INFINITY ? "-9e999" : v;

/**
 * Any other target (a libSQL server, or a file when asked) through @libsql/client's interactive transaction. Metric
 * points travel as one JSON parameter per batch, unpacked by `json_each`: one statement per batch instead of one per
 * hundred points.
 */
export function clientSinkDb(client: Client): SinkDb {
  const wrap = (t: Transaction): SinkTx => ({
    run: async (sql, args = []) => (await t.execute({ sql, args: args.map(bindable) })).rowsAffected,
    all: async <T>(sql: string, args: InValue[] = []) =>
      (await t.execute({ sql, args: args.map(bindable) })).rows as unknown as T[],
    metrics: async (runRowId, points) => {
      if (points.length === 0) return;
      const rows = points.map((p) => [
        p.key,
        p.step,
        p.timestamp,
        clientValue(p.value),
        Number.isNaN(p.value) ? 1 : 0,
        p.dataset_name ?? null,
        p.dataset_digest ?? null,
        p.model_id ?? null,
      ]);
      await t.execute({
        sql: `INSERT OR IGNORE INTO ${IMPORT_POINTS} (${METRIC_COLUMNS})
              SELECT ?1, j.value ->> 0, j.value ->> 1, j.value ->> 2, CAST(j.value ->> 3 AS REAL), j.value ->> 4,
                j.value ->> 5, j.value ->> 6, j.value ->> 7 FROM json_each(?2) j`,
        args: [runRowId, JSON.stringify(rows)],
      });
    },
  });
  return {
    async transaction(work) {
      const t = await client.transaction("write");
      try {
        await t.execute(CREATE_IMPORT_POINTS);
        const result = await work(wrap(t));
        await t.commit();
        return result;
      } finally {
        t.close();
      }
    },
    all: async <T>(sql: string, args: InValue[] = []) => (await client.execute({ sql, args })).rows as unknown as T[],
    close: () => client.close(),
  };
}
