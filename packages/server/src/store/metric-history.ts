import { encodeOffsetToken } from "../search/index.js";
import type { DbHandle } from "./db.js";
import { decodePoints, pointsJsonText, type SeriesPoints, slicePoints } from "./metric-chunks.js";
import {
  type ChunkHead,
  chunkBlobs,
  disjoint,
  headsPoints,
  inTimeOrder,
  reorder,
  StaleChunks,
  seriesHeads,
  timeOrder,
} from "./metric-series.js";

/**
 * JSON text of metric points in pieces, each one or more JSON objects joined by commas (as text, or as UTF-8 bytes
 * when a sealed chunk's stored text is sent as it is). The generator's return value is the next page token, if any.
 */
export type MetricPieces = AsyncGenerator<string | Uint8Array, string | undefined, undefined>;

/** Points per piece of JSON built here: pieces stay small (under V8's large-object size) so that they die young. */
const PIECE = 1000;

/** `points` as JSON pieces of at most PIECE points; `tail` closes each object after its step. */
export function* pointPieces(key: string, points: SeriesPoints, tail = "}"): Generator<string> {
  for (let i = 0; i < points.steps.length; i += PIECE) {
    yield pointsJsonText(key, slicePoints(points, i, Math.min(i + PIECE, points.steps.length)), tail);
  }
}

export interface HistoryRead {
  runId: number;
  key: string;
  /** Points to skip first (the reference's page token). */
  offset: number;
  maxResults: number | undefined;
}

/**
 * One metric's history in get-history's order (timestamp, step, value, NaN last), from `offset`, at most
 * `maxResults` points; returns the next page token when points remain. When timestamps follow the steps and the
 * chunks do not overlap (the common case), the history is the chunks one after the other: sealed ones send the JSON
 * they keep, and blobs are read a few chunks at a time, so a million-point history never sits in memory whole.
 * Otherwise the points are merged and sorted here. Points logged while the history is being read appear in it when
 * they sort after the points already sent.
 */
export async function* readHistory(h: DbHandle, read: HistoryRead): MetricPieces {
  const { offset, maxResults } = read;
  let sent = 0;
  for (let attempt = 0; ; attempt++) {
    try {
      const left = maxResults === undefined ? undefined : maxResults - sent;
      const more = yield* historyFrom(h, read, offset + sent, left, (n) => {
        sent += n;
      });
      return more ? encodeOffsetToken(offset + (maxResults as number)) : undefined;
    } catch (err) {
      // A compaction replaced chunks under the read: go on from the points already sent.
      if (!(err instanceof StaleChunks) || attempt >= 3) throw err;
    }
  }
}

/** Pieces from point `from`, at most `max`; `counted` is told of each piece's points; returns whether more remain. */
async function* historyFrom(
  h: DbHandle,
  read: HistoryRead,
  from: number,
  max: number | undefined,
  counted: (n: number) => void,
): AsyncGenerator<string | Uint8Array, boolean> {
  const heads = await seriesHeads(h, read.runId, read.key);
  if (disjoint(heads) && inTimeOrder(heads)) return yield* inChunkOrder(h, read.key, heads, from, max, counted);
  let points = await headsPoints(h, heads);
  const order = timeOrder(points);
  if (order) points = reorder(points, order);
  const end = max === undefined ? points.steps.length : Math.min(points.steps.length, from + max);
  for (const piece of pointPieces(read.key, slicePoints(points, Math.min(from, end), end))) {
    yield piece;
    counted(Math.min(PIECE, end - from));
    from += PIECE;
  }
  return max !== undefined && points.steps.length > end;
}

/** Sealed chunks whose built JSON is compressed and stored together. */
const STORE_EVERY = 16;

/**
 * Keeps the JSON text of sealed chunks a read has just built, gzip-compressed (about 16 bytes a point instead of 80),
 * so that later reads send it instead of building it again (formatting numbers is most of a long history's time).
 * Compressed (awaited, so that a long first read holds a few chunks' text at a time), then written once through the
 * writer without waiting for it; a chunk replaced meanwhile, or a read-only database, just keeps none.
 */
async function storeJson(h: DbHandle, built: readonly { id: number; text: string }[]): Promise<void> {
  if (built.length === 0) return;
  try {
    const rows = await Promise.all(built.map(async ({ id, text }) => ({ id, gz: await gzipped(text) })));
    const stored = h.writer
      .submit(async () =>
        rows.map(({ id, gz }) => ({
          sql: "UPDATE metric_chunks SET json = ? WHERE id = ? AND json IS NULL",
          args: [gz, id],
        })),
      )
      .catch(() => undefined);
    if (h.requestScopedWork) await stored;
  } catch {
    // Not kept: the next read builds it again.
  }
}

/** Bytes through a (de)compression stream: the web's, which every runtime tracklite runs on has (Workers included). */
async function through(bytes: Uint8Array | ArrayBuffer, transform: CompressionStream | DecompressionStream) {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(transform);
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** `text` gzip-compressed (the runtime's zlib, off the main thread on Node). */
const gzipped = (text: string) => through(new TextEncoder().encode(text), new CompressionStream("gzip"));

/** A stored JSON text, decompressed. */
const gunzipped = (bytes: ArrayBuffer) => through(bytes, new DecompressionStream("gzip"));

/** The history of disjoint, ts-ordered chunks: whole sealed chunks as their stored JSON, the rest built here. */
async function* inChunkOrder(
  h: DbHandle,
  key: string,
  heads: readonly ChunkHead[],
  from: number,
  max: number | undefined,
  counted: (n: number) => void,
): AsyncGenerator<string | Uint8Array, boolean> {
  const window = new Map<number, { from: number; to: number }>();
  const picked: ChunkHead[] = [];
  let skip = from;
  let left = max ?? Number.POSITIVE_INFINITY;
  let total = 0;
  for (const c of heads) {
    total += c.n;
    if (skip >= c.n) {
      skip -= c.n;
      continue;
    }
    if (left <= 0) continue;
    const take = Math.min(c.n - skip, left);
    window.set(c.id, { from: skip, to: skip + take });
    picked.push(c);
    skip = 0;
    left -= take;
  }
  const whole = (c: ChunkHead) => {
    const w = window.get(c.id);
    return c.sealed && w !== undefined && w.from === 0 && w.to === c.n;
  };
  let formatted: { id: number; text: string }[] = [];
  for await (const { head, points, json } of chunkBlobs(h, picked, whole)) {
    const w = window.get(head.id) as { from: number; to: number };
    if (json) yield await gunzipped(json);
    else if (whole(head)) {
      const text = pointsJsonText(key, decodePoints(points as ArrayBuffer));
      formatted.push({ id: head.id, text });
      yield text;
      // Kept a few at a time, so that a long first read never holds all its text.
      if (formatted.length >= STORE_EVERY) {
        await storeJson(h, formatted);
        formatted = [];
      }
    } else yield* pointPieces(key, slicePoints(decodePoints(points as ArrayBuffer), w.from, w.to));
    counted(w.to - w.from);
  }
  await storeJson(h, formatted);
  return max !== undefined && total > from + max;
}
