/**
 * Pure chart-data transforms: bucket rows into per-run series, x values for each x mode, alignment of many runs onto
 * one x array (uPlot's data shape) with grid snapping when the union gets too long, debiased EMA smoothing, and the
 * y extent of what is visible. No DOM, no uPlot: tested in Node.
 */
import { binRuns } from "./decimate.js";
import type { ChartSettings } from "./settings.js";

/** One run's points of one metric, ordered by step: the last point of each bucket and the bucket's min and max. */
export interface RunPoints {
  step: number[];
  /** Wall time, ms since the epoch. */
  time: number[];
  value: number[];
  min: number[];
  max: number[];
}

/** A row of getMetricBuckets (numbers may arrive as strings such as "NaN"). */
export interface BucketRow {
  run_id: string;
  step: number | string;
  timestamp: number | string;
  value: number | string;
  min?: number | string;
  max?: number | string;
}

const num = (v: number | string | undefined): number => (v === undefined ? Number.NaN : Number(v));

/** Groups bucket rows by run, each run ordered by step. */
export function groupBuckets(rows: readonly BucketRow[]): Map<string, RunPoints> {
  const byRun = new Map<string, BucketRow[]>();
  for (const r of rows) {
    let list = byRun.get(r.run_id);
    if (!list) {
      list = [];
      byRun.set(r.run_id, list);
    }
    list.push(r);
  }
  const out = new Map<string, RunPoints>();
  for (const [runId, list] of byRun) {
    list.sort((a, b) => num(a.step) - num(b.step));
    const p: RunPoints = { step: [], time: [], value: [], min: [], max: [] };
    for (const r of list) {
      const v = num(r.value);
      p.step.push(num(r.step));
      p.time.push(num(r.timestamp));
      p.value.push(v);
      p.min.push(r.min === undefined ? v : num(r.min));
      p.max.push(r.max === undefined ? v : num(r.max));
    }
    out.set(runId, p);
  }
  return out;
}

/**
 * The x value of each point for an x mode: the step, the wall time in seconds (uPlot's time unit), or seconds since
 * `origin` (the run's first timestamp unless given).
 */
export function xValues(p: RunPoints, mode: ChartSettings["x"], origin?: number): number[] {
  if (mode === "step") return p.step;
  if (mode === "time") return p.time.map((t) => t / 1000);
  const t0 = origin ?? firstTime(p);
  return p.time.map((t) => (t - t0) / 1000);
}

/** The smallest finite timestamp of a run (its origin for relative time). */
export function firstTime(p: RunPoints): number {
  let t0 = Number.POSITIVE_INFINITY;
  for (const t of p.time) if (t < t0) t0 = t;
  return Number.isFinite(t0) ? t0 : 0;
}

export type Cell = number | null;

/** Several runs on one x array: `value[r][i]` is run r's value at `x[i]` (null where it has no point). */
export interface Aligned {
  x: number[];
  value: Cell[][];
  min: Cell[][];
  max: Cell[][];
  /**
   * Per cell, the lowest and highest value of the run's points there, when cells hold several points (decimated):
   * the line is drawn through them so spikes between kept points stay. Null when every cell holds one point a run.
   */
  low: Cell[][] | null;
  high: Cell[][] | null;
  /** True when x values were snapped to a grid because the union of all x values was longer than allowed. */
  snapped: boolean;
}

const finite = (v: number | undefined): Cell => (v !== undefined && Number.isFinite(v) ? v : null);

/** Indexes of `xs` in ascending x order (stable), or undefined when `xs` is already sorted. */
function order(xs: readonly number[]): number[] | undefined {
  for (let i = 1; i < xs.length; i++) {
    if ((xs[i] as number) < (xs[i - 1] as number)) {
      return xs.map((_, k) => k).sort((a, b) => (xs[a] as number) - (xs[b] as number));
    }
  }
  return undefined;
}

/** The values with NaN and ±Infinity as gaps; the array itself (no copy) when every value is finite. */
function finiteOnly(values: number[]): Cell[] {
  for (const v of values) if (!Number.isFinite(v)) return values.map(finite);
  return values;
}

function sameArray(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * How many x cells a plot `widthPx` CSS pixels wide gets: one per device pixel column (each cell keeps the lowest and
 * highest value of its points, so nothing is lost at that resolution), between 200 and 4,000.
 */
export function cellsForWidth(widthPx: number, pixelRatio = 1): number {
  return Math.min(MAX_CELLS, Math.max(200, Math.round(widthPx * Math.max(1, pixelRatio))));
}

/** The most x values a chart is given. */
const MAX_CELLS = 4000;

/**
 * Aligns runs onto one ascending x array (uPlot draws every series against the same x). Up to `maxPoints` x values
 * in all, the x values are joined exactly. Beyond that (long histories, or wall time where every run has its own
 * timestamps), the points are decimated onto `maxPoints` equal cells (see decimate.ts): each run keeps the last point
 * of a cell, the lowest and highest of its values there (`low`/`high`: the line reaches its spikes) and the min/max
 * band, and a cell's x is the largest x seen in it — at most one cell width off, under a pixel at chart sizes (and
 * exact for integer steps spanning fewer than `maxPoints`).
 */
export function alignRuns(runs: readonly RunPoints[], xs: readonly number[][], maxPoints = MAX_CELLS): Aligned {
  const first = xs[0] ?? [];
  // Fast path: every run has the same x values (steps logged in lockstep), already sorted and unique.
  if (
    first.length <= maxPoints &&
    xs.every((x) => sameArray(x, first)) &&
    first.every((v, i) => i === 0 || v > (first[i - 1] as number))
  ) {
    return {
      x: first.slice(),
      value: runs.map((p) => finiteOnly(p.value)),
      min: runs.map((p) => finiteOnly(p.min)),
      max: runs.map((p) => finiteOnly(p.max)),
      low: null,
      high: null,
      snapped: false,
    };
  }
  let total = 0;
  for (const x of xs) total += x.length;
  if (total > maxPoints) {
    // Sorted histories (the usual case) have their extent at their ends; a point outside it means one is not sorted,
    // and the extent is found by a full scan, then binned again.
    let [lo, hi] = extentOf(xs, true);
    let binned = lo <= hi ? binRuns(runs, xs, maxPoints, lo, hi) : undefined;
    if (!binned || binned.outside > 0) {
      [lo, hi] = extentOf(xs, false);
      if (!(lo <= hi)) return { x: [], value: [], min: [], max: [], low: null, high: null, snapped: true };
      binned = binRuns(runs, xs, maxPoints, lo, hi);
    }
    const { outside: _, ...cells } = binned;
    return { ...cells, snapped: true };
  }
  // The exact union of all x values; each point's index in it (-1: a non-finite x).
  const all = Float64Array.from(xs.flat()).sort();
  const cellX: number[] = [];
  for (const v of all) if (Number.isFinite(v) && v !== cellX[cellX.length - 1]) cellX.push(v);
  const index = new Map(cellX.map((v, i) => [v, i]));
  const slots = xs.map((x) => Int32Array.from(x, (v) => index.get(v) ?? -1));
  const n = cellX.length;
  const value: Cell[][] = [];
  const min: Cell[][] = [];
  const max: Cell[][] = [];
  runs.forEach((p, r) => {
    const x = xs[r] as number[];
    const slot = slots[r] as Int32Array;
    const vr: Cell[] = new Array(n).fill(null);
    const lr: Cell[] = new Array(n).fill(null);
    const ur: Cell[] = new Array(n).fill(null);
    const ord = order(x);
    for (let k = 0; k < x.length; k++) {
      const i = ord ? (ord[k] as number) : k;
      const s = slot[i] as number;
      if (s < 0) continue;
      // The point's value, and its bucket's min/max widened to include it; non-finite numbers are gaps.
      const v = p.value[i] as number;
      const hasV = Number.isFinite(v);
      if (hasV) vr[s] = v;
      let a = Number.isFinite(p.min[i]) ? (p.min[i] as number) : Number.NaN;
      let b = Number.isFinite(p.max[i]) ? (p.max[i] as number) : Number.NaN;
      if (hasV && !(a <= v)) a = v;
      if (hasV && !(b >= v)) b = v;
      const curLo = lr[s] as Cell;
      const curHi = ur[s] as Cell;
      if (!Number.isNaN(a) && (curLo === null || a < curLo)) lr[s] = a;
      if (!Number.isNaN(b) && (curHi === null || b > curHi)) ur[s] = b;
    }
    value.push(vr);
    min.push(lr);
    max.push(ur);
  });
  return { x: cellX, value, min, max, low: null, high: null, snapped: false };
}

/** The smallest and largest finite x of all runs: of every value, or (`ends`) of each run's first and last only. */
function extentOf(xs: readonly number[][], ends: boolean): [number, number] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const x of xs) {
    const values = ends ? [x[0] ?? Number.NaN, x[x.length - 1] ?? Number.NaN] : x;
    for (const v of values) {
      if (!Number.isFinite(v)) continue;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  return [lo, hi];
}

/**
 * Exponential moving average with TensorBoard's debiasing (the first values are not pulled towards 0). Nulls and
 * non-finite values pass through unchanged and do not move the average. `weight` 0 returns the input.
 */
export function ema(values: readonly Cell[], weight: number): Cell[] {
  if (!(weight > 0)) return values.slice();
  const w = Math.min(weight, 0.999);
  let last = 0;
  let wPow = 1; // w^count, kept as a running product (no pow per point)
  return values.map((v) => {
    if (v === null || !Number.isFinite(v)) return v;
    last = last * w + (1 - w) * v;
    wPow *= w;
    return last / (1 - wPow);
  });
}

/** For a log scale: values that are not positive become gaps. */
export function positiveOnly(values: readonly Cell[]): Cell[] {
  return values.map((v) => (v !== null && v > 0 ? v : null));
}

/** First index with `x[i] >= v` (x ascending). */
export function lowerBound(x: readonly number[], v: number): number {
  let lo = 0;
  let hi = x.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((x[mid] as number) < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The smallest and largest value of `arrays` between indexes i0 and i1 (inclusive), ignoring nulls (and values ≤ 0
 * for a log scale); undefined when there is none.
 */
export function extent(
  arrays: readonly (readonly Cell[])[],
  i0: number,
  i1: number,
  log = false,
): [number, number] | undefined {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const a of arrays) {
    const end = Math.min(i1, a.length - 1);
    for (let i = Math.max(0, i0); i <= end; i++) {
      const v = a[i];
      if (v === null || v === undefined || (log && v <= 0)) continue;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  return lo <= hi ? [lo, hi] : undefined;
}

/**
 * The step window to re-fetch for an x window: over all runs, the steps of the points whose x lies in [a, b], widened
 * by one point on each side so lines reach the chart's edges. Undefined when no point falls in the window.
 */
export function stepWindow(
  runs: readonly RunPoints[],
  xs: readonly number[][],
  a: number,
  b: number,
): { start: number; end: number } | undefined {
  let start = Number.POSITIVE_INFINITY;
  let end = Number.NEGATIVE_INFINITY;
  runs.forEach((p, r) => {
    const x = xs[r] ?? [];
    for (let i = 0; i < x.length; i++) {
      const xv = x[i] as number;
      const inside = xv >= a && xv <= b;
      const before = (x[i + 1] ?? Number.NaN) >= a && xv < a;
      const after = (x[i - 1] ?? Number.NaN) <= b && xv > b;
      if (!inside && !before && !after) continue;
      const s = p.step[i] as number;
      if (s < start) start = s;
      if (s > end) end = s;
    }
  });
  return start <= end ? { start, end } : undefined;
}

/** `#rrggbb` (or `#rgb`) with an alpha, as `rgba(...)`; other colour strings pass through. */
export function withAlpha(color: string, alpha: number): string {
  const m = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(color);
  if (!m) return color;
  let hex = m[1] as string;
  if (hex.length === 3) hex = [...hex].map((c) => c + c).join("");
  const n = Number.parseInt(hex, 16);
  return `rgba(${(n >> 16) & 255},${(n >> 8) & 255},${n & 255},${alpha})`;
}

/** What a chart draws: the lines (smoothed when smoothing is on), the faint raw lines, and the min/max band. */
export interface PlotModel {
  x: number[];
  lines: Cell[][];
  /** The unsmoothed values, drawn faint under the smoothed lines; null without smoothing. */
  raw: Cell[][] | null;
  min: Cell[][];
  max: Cell[][];
  /**
   * The lowest and highest raw value per cell where cells were decimated (null otherwise): the raw line (the line
   * itself without smoothing) is drawn through them.
   */
  low: Cell[][] | null;
  high: Cell[][] | null;
}

/** Applies smoothing and, for a log scale, turns non-positive values into gaps. */
export function plotModel(a: Aligned, smoothing: number, log: boolean): PlotModel {
  const fix = log ? positiveOnly : (v: Cell[]) => v;
  const raw = a.value.map(fix);
  return {
    x: a.x,
    lines: smoothing > 0 ? raw.map((v) => ema(v, smoothing)) : raw,
    raw: smoothing > 0 ? raw : null,
    min: a.min.map(fix),
    max: a.max.map(fix),
    low: a.low?.map(fix) ?? null,
    high: a.high?.map(fix) ?? null,
  };
}
