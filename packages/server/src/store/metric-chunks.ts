/**
 * A metric series (one run's one key) is stored as chunks: rows of up to CHUNK_POINTS points each, the points packed
 * in one blob (steps, timestamps and values as float64, NaN and ±Infinity as themselves) in MLflow's point order
 * (step, timestamp, value, with NaN as value 0 after a real 0). A 1,000-point log-batch becomes a few rows, and a
 * million-point history about a thousand rows decoded at memory speed.
 *
 * Writes add a chunk per (write, series) without reading anything; a compaction (metric-compaction.ts) later merges a
 * series' small chunks into sealed ones of CHUNK_POINTS points. A sealed chunk keeps its get-history JSON text
 * (gzip) once a read has built it. Chunks of a
 * series may overlap (points logged out of order, a retried batch): readers merge them and drop identical points,
 * so every read answers as if each point were stored once, as MLflow's primary key keeps it.
 */

/** Points per sealed chunk. */
export const CHUNK_POINTS = 1000;

/** One series' points in MLflow's point order, as parallel columns. */
export interface SeriesPoints {
  steps: Float64Array;
  timestamps: Float64Array;
  values: Float64Array;
}

export const EMPTY_POINTS: SeriesPoints = {
  steps: new Float64Array(0),
  timestamps: new Float64Array(0),
  values: new Float64Array(0),
};

/** A value's place in the point order: NaN counts as 0 and comes after a real 0 (is_nan is the last key column). */
function valueKey(v: number): number {
  return Number.isNaN(v) ? 0 : v;
}

/** Compares two points in MLflow's point order (step, timestamp, value, is_nan); 0 means the same point. */
export function comparePoints(s1: number, t1: number, v1: number, s2: number, t2: number, v2: number): number {
  if (s1 !== s2) return s1 < s2 ? -1 : 1;
  if (t1 !== t2) return t1 < t2 ? -1 : 1;
  const k1 = valueKey(v1);
  const k2 = valueKey(v2);
  if (k1 !== k2) return k1 < k2 ? -1 : 1;
  const n1 = Number.isNaN(v1);
  const n2 = Number.isNaN(v2);
  return n1 === n2 ? 0 : n1 ? 1 : -1;
}

/** Points given in any order, sorted into the point order with identical points kept once. */
export function sortPoints(steps: ArrayLike<number>, timestamps: ArrayLike<number>, values: ArrayLike<number>) {
  const n = steps.length;
  const order = new Uint32Array(n);
  let sorted = true;
  for (let i = 0; i < n; i++) {
    order[i] = i;
    if (
      i > 0 &&
      comparePoints(steps[i - 1]!, timestamps[i - 1]!, values[i - 1]!, steps[i]!, timestamps[i]!, values[i]!) >= 0
    )
      sorted = false;
  }
  if (!sorted) {
    order.sort((a, b) => comparePoints(steps[a]!, timestamps[a]!, values[a]!, steps[b]!, timestamps[b]!, values[b]!));
  }
  const out = { steps: new Float64Array(n), timestamps: new Float64Array(n), values: new Float64Array(n) };
  let m = 0;
  for (let j = 0; j < n; j++) {
    const i = order[j]!;
    if (
      m > 0 &&
      comparePoints(
        out.steps[m - 1]!,
        out.timestamps[m - 1]!,
        out.values[m - 1]!,
        steps[i]!,
        timestamps[i]!,
        values[i]!,
      ) === 0
    )
      continue;
    out.steps[m] = steps[i]!;
    out.timestamps[m] = timestamps[i]!;
    out.values[m] = values[i]!;
    m++;
  }
  return m === n ? out : slicePoints(out, 0, m);
}

/** Points `from`..`to` (exclusive) of `p`, sharing its memory. */
export function slicePoints(p: SeriesPoints, from: number, to: number): SeriesPoints {
  return {
    steps: p.steps.subarray(from, to),
    timestamps: p.timestamps.subarray(from, to),
    values: p.values.subarray(from, to),
  };
}

/** The chunk blob of sorted points: steps, then timestamps, then values, each n float64. */
export function encodePoints(p: SeriesPoints): Uint8Array {
  const n = p.steps.length;
  const all = new Float64Array(3 * n);
  all.set(p.steps, 0);
  all.set(p.timestamps, n);
  all.set(p.values, 2 * n);
  return new Uint8Array(all.buffer);
}

/** The points of a chunk blob (copied when the blob is not 8-byte aligned). */
export function decodePoints(blob: ArrayBuffer | Uint8Array): SeriesPoints {
  const bytes = blob instanceof Uint8Array ? blob : new Uint8Array(blob);
  const aligned =
    bytes.byteOffset % 8 === 0
      ? bytes
      : new Uint8Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const all = new Float64Array(aligned.buffer, aligned.byteOffset, aligned.byteLength / 8);
  const n = all.length / 3;
  return { steps: all.subarray(0, n), timestamps: all.subarray(n, 2 * n), values: all.subarray(2 * n) };
}

/** Points concatenated (each list sorted and every one after the one before). */
export function concatPoints(parts: readonly SeriesPoints[]): SeriesPoints {
  if (parts.length === 1) return parts[0] as SeriesPoints;
  const n = parts.reduce((s, p) => s + p.steps.length, 0);
  const out = { steps: new Float64Array(n), timestamps: new Float64Array(n), values: new Float64Array(n) };
  let at = 0;
  for (const p of parts) {
    out.steps.set(p.steps, at);
    out.timestamps.set(p.timestamps, at);
    out.values.set(p.values, at);
    at += p.steps.length;
  }
  return out;
}

/** A chunk row's summary columns: first and last point's (step, timestamp), count, and min/max of non-NaN values. */
export interface ChunkSummary {
  loStep: number;
  loTs: number;
  hiStep: number;
  hiTs: number;
  n: number;
  min: number | null;
  max: number | null;
  /** The timestamps never go back along the points: the chunk's order is also get-history's. */
  tsOrdered: boolean;
}

export function summarisePoints(p: SeriesPoints): ChunkSummary {
  const n = p.steps.length;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let seen = false;
  let tsOrdered = true;
  for (let i = 1; i < n && tsOrdered; i++)
    if ((p.timestamps[i] as number) < (p.timestamps[i - 1] as number)) tsOrdered = false;
  for (let i = 0; i < n; i++) {
    const v = p.values[i]!;
    if (Number.isNaN(v)) continue;
    seen = true;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return {
    loStep: p.steps[0]!,
    loTs: p.timestamps[0]!,
    hiStep: p.steps[n - 1]!,
    hiTs: p.timestamps[n - 1]!,
    n,
    min: seen ? min : null,
    max: seen ? max : null,
    tsOrdered,
  };
}

/**
 * Where to cut sorted points into chunks of about CHUNK_POINTS: never between two points of the same (step,
 * timestamp), so that consecutive chunks never share one and stay disjoint as readers check it.
 */
export function chunkBounds(p: SeriesPoints, size = CHUNK_POINTS): number[] {
  const n = p.steps.length;
  const bounds = [0];
  let at = size;
  while (at < n) {
    while (at < n && p.steps[at] === p.steps[at - 1] && p.timestamps[at] === p.timestamps[at - 1]) at++;
    if (at >= n) break;
    bounds.push(at);
    at += size;
  }
  bounds.push(n);
  return bounds;
}

/**
 * get-history's JSON objects for sorted points, joined by commas, as JSON.stringify writes Metric objects: the key,
 * then the value (NaN and ±Infinity as the strings the wire uses), timestamp and step. The numbers of a column are
 * formatted by one JSON.stringify of the column (much faster than one conversion per number).
 */
export function pointsJsonText(key: string, p: SeriesPoints, tail = "}"): string {
  const n = p.steps.length;
  if (n === 0) return "";
  const head = `{"key":${JSON.stringify(key)},"value":`;
  const values = JSON.stringify(Array.from(p.values, wireValue)).slice(1, -1).split(",");
  const timestamps = JSON.stringify(Array.from(p.timestamps)).slice(1, -1).split(",");
  const steps = JSON.stringify(Array.from(p.steps)).slice(1, -1).split(",");
  const out = new Array<string>(n);
  for (let i = 0; i < n; i++) out[i] = `${head}${values[i]},"timestamp":${timestamps[i]},"step":${steps[i]}${tail}`;
  return out.join(",");
}

/** A value as the wire writes it: NaN and ±Infinity as strings (JSON has no such numbers). */
function wireValue(v: number): number | string {
  if (Number.isFinite(v)) return v;
  if (Number.isNaN(v)) return "NaN";
  return v > 0 ? "Infinity" : "-Infinity";
}
