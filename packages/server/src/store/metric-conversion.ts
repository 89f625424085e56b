import type { Client, InValue } from "@libsql/client";
import { logError } from "../log.js";
import { CHUNK_POINTS, chunkBounds, concatPoints, type SeriesPoints, slicePoints } from "./metric-chunks.js";
import { chunkInserts, chunkRows, realSql } from "./metric-sql.js";
import { nativeTransaction, preparedStatements } from "./native-db.js";

/** Rows read per query while converting: bounds the memory of a long series. */
const PAGE = 50_000;

/** Whether the database still has the point-per-row `metrics` table of migrations before 0010. */
export async function hasMetricRows(client: Pick<Client, "execute">): Promise<boolean> {
  const rs = await client.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'metrics'");
  return rs.rows.length > 0;
}

/** Reads and writes of one conversion transaction: `all` answers rows, `run` executes a write. */
interface ConversionTx {
  all(sql: string, args: InValue[]): Promise<Row[]>;
  run(stmt: { sql: string; args: InValue[] }): Promise<void>;
}

/** Where the conversion runs its transactions: one per run. */
interface ConversionDb {
  transaction<T>(work: (tx: ConversionTx) => Promise<T>): Promise<T>;
  close(): void;
}

/** A local file through the `libsql` package's synchronous API, each statement prepared once (native-db.ts). */
async function nativeConversionDb(path: string): Promise<ConversionDb> {
  // A CommonJS module: its constructor is the namespace's default export at run time.
  const Database = ((await import("libsql")) as unknown as { default: typeof import("libsql") }).default;
  const db = new Database(path, { timeout: 10_000 });
  db.exec("PRAGMA synchronous = NORMAL");
  const prepared = preparedStatements(db);
  const tx: ConversionTx = {
    all: async (sql, args) => prepared(sql).all(args) as Row[],
    run: async (stmt) => {
      prepared(stmt.sql).run(stmt.args);
    },
  };
  return { transaction: (work) => nativeTransaction(db, () => work(tx)), close: () => db.close() };
}

/** Any other database (a libSQL server) through the client's interactive transactions. */
function clientConversionDb(client: Client): ConversionDb {
  return {
    async transaction(work) {
      const t = await client.transaction("write");
      try {
        const result = await work({
          all: async (sql, args) => (await t.execute({ sql, args })).rows as unknown as Row[],
          run: async (stmt) => {
            await t.execute(stmt);
          },
        });
        await t.commit();
        return result;
      } finally {
        t.close();
      }
    },
    close: () => undefined,
  };
}

/** The file of a plain `file:` URL (no query options), or undefined. */
function filePath(url: string | undefined): string | undefined {
  if (!url?.startsWith("file:") || url.includes("?")) return undefined;
  return url.slice("file:".length);
}

/**
 * Moves the points of the `metrics` table (one row per point, before migration 0010) into chunks, then drops that
 * table. Each run is converted in one transaction (its chunks written, its rows deleted), so a conversion stopped
 * half-way (a kill, a full disk) goes on where it stopped at the next start, and no point is lost or doubled. Reports
 * its progress on stderr when there is anything to convert. `url` is the database's, to convert a local file through
 * the native driver.
 */
export async function convertMetricRows(client: Client, url?: string): Promise<void> {
  if (!(await hasMetricRows(client))) return;
  const total = Number((await client.execute("SELECT count(*) AS n FROM metrics")).rows[0]?.n ?? 0);
  const started = Date.now();
  if (total > 0) logError(`tracklite: converting ${total.toLocaleString("en-US")} metric points to chunks…`);
  const path = filePath(url);
  const db = total > 0 && path !== undefined ? await nativeConversionDb(path) : clientConversionDb(client);
  try {
    let done = 0;
    let reported = started;
    for (;;) {
      const next = await client.execute("SELECT run_id FROM metrics LIMIT 1");
      const runId = next.rows[0]?.run_id as number | undefined;
      if (runId === undefined) break;
      done += await db.transaction(async (tx) => {
        const points = await chunkPointRows(tx.all, tx.run, "metrics", runId);
        await tx.run({ sql: "DELETE FROM metrics WHERE run_id = ?", args: [runId] });
        return points;
      });
      if (total > 0 && Date.now() - reported > 5000) {
        reported = Date.now();
        logError(`tracklite: ${done.toLocaleString("en-US")} of ${total.toLocaleString("en-US")} points converted`);
      }
    }
  } finally {
    db.close();
  }
  await client.execute("DROP TABLE metrics");
  if (total > 0) {
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    logError(`tracklite: converted ${total.toLocaleString("en-US")} metric points in ${seconds} s`);
  }
}

/** A row as the reading callback gives it. */
export type Row = Record<string, unknown>;

/**
 * A stored point as JSON text `[step,timestamp,value]`: NaN (is_nan) as null, ±Infinity as ±1e999 (which JSON.parse
 * reads as infinities), other values as `%!.17g`, which reads back as the same double. One text per page instead of a
 * row object per point: the client's row objects cost about 6 µs a point.
 */
const POINT_JSON = `'[' || step || ',' || timestamp || ',' || CASE WHEN is_nan THEN 'null'
  WHEN value > 1.7976931348623157e308 THEN '1e999' WHEN value < -1.7976931348623157e308 THEN '-1e999'
  ELSE printf('%!.17g', value) END || ']'`;

/**
 * Writes the points of run `runId` held one per row in `table` (keyed like the old `metrics` table: run, key, step,
 * timestamp, value, is_nan) as chunks. Each key's rows are read in key order, PAGE at a time, so each series arrives
 * sorted with identical points once, and memory stays bounded however long a series is. Returns the points written.
 */
export async function chunkPointRows(
  all: (sql: string, args: InValue[]) => Promise<Row[]>,
  run: (stmt: { sql: string; args: InValue[] }) => Promise<void>,
  table: string,
  runId: number,
): Promise<number> {
  let points = 0;
  const keys = await all(`SELECT DISTINCT key FROM ${table} WHERE run_id = ?`, [runId]);
  for (const { key } of keys as { key: string }[]) {
    let parts: SeriesPoints[] = [];
    // Full chunks are written once complete; the rest waits for the key's next points, or is its open tail.
    const flush = async (final: boolean) => {
      if (parts.length === 0) return;
      const p = concatPoints(parts);
      const bounds = chunkBounds(p);
      const lastStart = bounds[bounds.length - 2] as number;
      const cut = final || p.steps.length - lastStart >= CHUNK_POINTS ? p.steps.length : lastStart;
      for (const s of chunkInserts(runId, chunkRows(key, slicePoints(p, 0, cut)))) await run(s);
      parts = cut < p.steps.length ? [slicePoints(p, cut, p.steps.length)] : [];
    };
    let cursor: { sql: string; args: InValue[] } | undefined;
    for (;;) {
      const [page] = await all(
        `SELECT count(*) AS n, group_concat(t, ',') AS t FROM (
           SELECT ${POINT_JSON} AS t FROM ${table} WHERE run_id = ? AND key = ? ${cursor?.sql ?? ""}
           ORDER BY step, timestamp, value, is_nan LIMIT ${PAGE})`,
        [runId, key, ...(cursor?.args ?? [])],
      );
      const n = Number(page?.n ?? 0);
      if (n === 0) break;
      const triples = JSON.parse(`[${page?.t as string}]`) as [number, number, number | null][];
      parts.push({
        steps: Float64Array.from(triples, (p) => p[0]),
        timestamps: Float64Array.from(triples, (p) => p[1]),
        values: Float64Array.from(triples, (p) => (p[2] === null ? Number.NaN : p[2])),
      });
      await flush(false);
      points += n;
      if (n < PAGE) break;
      const [step, timestamp, value] = triples.at(-1) as [number, number, number | null];
      const args: InValue[] = [step, timestamp];
      const v = realSql(value ?? 0, args);
      args.push(value === null ? 1 : 0);
      cursor = { sql: `AND (step, timestamp, value, is_nan) > (?, ?, ${v}, ?)`, args };
    }
    await flush(true);
  }
  return points;
}
