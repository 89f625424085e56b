import type { Client, InValue, Transaction } from "@libsql/client";
import Database from "libsql";

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
  /** Appends metric points of one run (identical points kept once, as in `metrics`'s primary key). */
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
/** Rows per prepared multi-row INSERT: one statement call per 100 points was ~3x cheaper than one per point. */
const ROWS = 100;
const FIELDS = 9;
const tuple = `(${Array.from({ length: FIELDS }, () => "?").join(",")})`;
const insertMetrics = (rows: number) =>
  `INSERT OR IGNORE INTO metrics (${METRIC_COLUMNS}) VALUES ${Array.from({ length: rows }, () => tuple).join(",")}`;

/** Binds one point at `o` of `args` (NaN is stored as 0 with is_nan = 1, as everywhere in tracklite). */
function bindPoint(args: unknown[], o: number, runRowId: number, p: SinkPoint): void {
  const nan = Number.isNaN(p.value);
  args[o] = runRowId;
  args[o + 1] = p.key;
  args[o + 2] = p.step;
  args[o + 3] = p.timestamp;
  args[o + 4] = nan ? 0 : p.value;
  args[o + 5] = nan ? 1 : 0;
  args[o + 6] = p.dataset_name ?? null;
  args[o + 7] = p.dataset_digest ?? null;
  args[o + 8] = p.model_id ?? null;
}

/**
 * A local database file through the `libsql` package's synchronous API (the engine under @libsql/client): statements
 * are prepared once and reused, and ±Infinity bind as real values. This is the metric path's fast road; the client's
 * execute prepares every statement anew.
 */
export function nativeSinkDb(path: string): SinkDb {
  const db = new Database(path, { timeout: 10_000 });
  db.exec("PRAGMA journal_mode = WAL");
  const cache = new Map<string, ReturnType<typeof db.prepare>>();
  const prepared = (sql: string) => {
    let stmt = cache.get(sql);
    if (!stmt) {
      stmt = db.prepare(sql);
      cache.set(sql, stmt);
    }
    return stmt;
  };
  const many = db.prepare(insertMetrics(ROWS));
  const one = db.prepare(insertMetrics(1));
  const manyArgs: unknown[] = new Array(ROWS * FIELDS);
  const oneArgs: unknown[] = new Array(FIELDS);
  const tx: SinkTx = {
    run: async (sql, args = []) => prepared(sql).run(args).changes,
    all: async <T>(sql: string, args: InValue[] = []) => prepared(sql).all(args) as T[],
    metrics: async (runRowId, points) => {
      let i = 0;
      for (; i + ROWS <= points.length; i += ROWS) {
        for (let j = 0; j < ROWS; j++) bindPoint(manyArgs, j * FIELDS, runRowId, points[i + j] as SinkPoint);
        many.run(manyArgs);
      }
      for (; i < points.length; i++) {
        bindPoint(oneArgs, 0, runRowId, points[i] as SinkPoint);
        one.run(oneArgs);
      }
    },
  };
  return {
    async transaction(work) {
      db.exec("BEGIN IMMEDIATE");
      try {
        const result = await work(tx);
        db.exec("COMMIT");
        return result;
      } catch (e) {
        if (db.inTransaction) db.exec("ROLLBACK");
        throw e;
      }
    },
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

/**
 * Any other target (a libSQL server, or a file when asked) through @libsql/client's interactive transaction. Metric
 * points travel as one JSON parameter per batch, unpacked by `json_each`: one statement per batch instead of one per
 * hundred points.
 */
export function clientSinkDb(client: Client): SinkDb {
  const wrap = (t: Transaction): SinkTx => ({
    run: async (sql, args = []) => (await t.execute({ sql, args })).rowsAffected,
    all: async <T>(sql: string, args: InValue[] = []) => (await t.execute({ sql, args })).rows as unknown as T[],
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
        sql: `INSERT OR IGNORE INTO metrics (${METRIC_COLUMNS})
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
