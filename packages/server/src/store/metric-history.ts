import type { InValue } from "@libsql/client";
import { encodeOffsetToken } from "../search/index.js";
import type { DbHandle } from "./db.js";
import { POINT_TEXT_SQL, realSql, storedValue } from "./metric-sql.js";

/**
 * JSON text of metric points in pieces, each one or more JSON objects joined by commas. The generator's return value
 * is the next page token, if there is one.
 */
export type MetricPieces = AsyncGenerator<string, string | undefined, undefined>;

/**
 * Orders of one metric's points. `step` is the primary key's, read straight off it; `time` is get-history's, the same
 * sequence whenever timestamps do not go back along the steps (latest_metrics.ts_ordered), otherwise sorted per read.
 */
export const PointOrder = {
  step: ["step", "timestamp", "value", "is_nan"],
  time: ["timestamp", "step", "value", "is_nan"],
} as const;
export type PointOrder = (typeof PointOrder)[keyof typeof PointOrder];

const TRIPLE = /([^,]+),([^,]+),([^,]+)/g;

/**
 * Points as POINT_TEXT_SQL writes them, joined by commas, as JSON objects joined by commas: `head` opens each object
 * up to its value and `tail` closes it after the step. The numbers are formatted by JSON.stringify itself (one
 * parse and one stringify of the whole list), so the bytes are those of JSON.stringify on Metric objects; the objects
 * are then written by one native replace rather than by string concatenation per point.
 */
export function pointsJson(points: string, head: string, tail: string): string {
  const numbers = JSON.stringify(JSON.parse(`[${points}]`)).slice(1, -1);
  const literal = (s: string) => s.replaceAll("$", "$$$$");
  return numbers.replace(TRIPLE, `${literal(head)}$1,"timestamp":$2,"step":$3${literal(tail)}`);
}

/**
 * Points per piece of JSON. Pieces stay small (under V8's large-object size) so that they die young; one large read
 * from SQLite is cut into several pieces.
 */
const PIECE = 1000;

/** `points` (POINT_TEXT_SQL texts joined by commas) cut into runs of at most `size` points. */
function* slices(points: string, size: number): Generator<string> {
  let start = 0;
  while (start < points.length) {
    let end = start - 1;
    for (let commas = 0; commas < 3 * size && end < points.length; commas++) {
      end = points.indexOf(",", end + 1);
      if (end === -1) end = points.length;
    }
    yield points.slice(start, end);
    start = end + 1;
  }
}

/** `{"key":…,"value":` for a metric's objects. */
export const pointHead = (key: string) => `{"key":${JSON.stringify(key)},"value":`;

export interface HistoryRead {
  runId: number;
  key: string;
  order: PointOrder;
  /** Points per query. */
  chunk: number;
  /** Points to skip first (the reference's page token). */
  offset: number;
  maxResults: number | undefined;
}

/** The condition "after the last point of `points`" in `order`, as SQL and arguments. */
function after(points: string, order: PointOrder): { sql: string; args: InValue[] } {
  const end = points.lastIndexOf(",", points.lastIndexOf(",") - 1);
  const start = points.lastIndexOf(",", end - 1) + 1;
  const [token, timestamp, step] = points.slice(start).split(",");
  const { value, isNan } = storedValue(token as string);
  const field = { timestamp: Number(timestamp), step: Number(step) };
  const args: InValue[] = [];
  const values = order.map((column) => {
    if (column === "value") return realSql(value, args);
    args.push(column === "is_nan" ? isNan : field[column]);
    return "?";
  });
  return { sql: `AND (${order.join(", ")}) > (${values.join(", ")})`, args };
}

/**
 * One metric's history in `order`, `chunk` points per query: the first query skips `offset` points, the next ones
 * start after the last point read (keyset paging, which walks the primary key for the step order). With `maxResults`,
 * a last probe for one point more says whether to give the next page token. Points logged while the history is being
 * read appear in it when they sort after the points already sent.
 */
export async function* readHistory(h: DbHandle, read: HistoryRead): AsyncGenerator<string, string | undefined> {
  const { runId, key, order, chunk, offset, maxResults } = read;
  const head = pointHead(key);
  const select = (cursor: { sql: string; args: InValue[] } | undefined, expr: string, limit: number, skip: number) =>
    h.client.execute({
      sql: `SELECT count(*) AS n, group_concat(t, ',') AS t FROM (
              SELECT ${expr} AS t FROM metrics WHERE run_id = ? AND key = ? ${cursor?.sql ?? ""}
              ORDER BY ${order.join(", ")} LIMIT ? OFFSET ?)`,
      args: [runId, key, ...(cursor?.args ?? []), limit, skip],
    });
  let left = maxResults ?? Number.POSITIVE_INFINITY;
  let cursor: { sql: string; args: InValue[] } | undefined;
  for (let skip = offset; left > 0; skip = 0) {
    const limit = Math.min(chunk, left);
    const rs = await select(cursor, POINT_TEXT_SQL, limit, skip);
    const points = rs.rows[0]?.t as string | null | undefined;
    if (!points) return undefined;
    const count = rs.rows[0]?.n as number;
    if (count <= PIECE) yield pointsJson(points, head, "}");
    else for (const piece of slices(points, PIECE)) yield pointsJson(piece, head, "}");
    if (count < limit) return undefined;
    left -= count;
    cursor = after(points, order);
  }
  const more = await select(cursor, "1", 1, 0);
  return more.rows[0]?.t ? encodeOffsetToken(offset + (maxResults as number)) : undefined;
}
