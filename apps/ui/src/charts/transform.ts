/**
 * Pure chart-data transforms: bucket rows into per-run series, x values for each x mode, alignment of many runs onto
 * one x array (uPlot's data shape) with grid snapping when the union gets too long, debiased EMA smoothing, and the
 * y extent of what is visible. No DOM, no uPlot: tested in Node.
 */
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

type Cell = number | null;

/** Several runs on one x array: `value[r][i]` is run r's value at `x[i]` (null where it has no point). */
export interface Aligned {
  x: number[];
  value: Cell[][];
  min: Cell[][];
  max: Cell[][];
  /** True when x values were snapped to a grid because the union of all x values was longer than allowed. */
  snapped: boolean;
}

const finite = (v: number | undefined): Cell => (v !== undefined && Number.isFinite(v) ? v : null);
const lower = (a: Cell, b: Cell): Cell => (a === null ? b : b === null ? a : a < b ? a : b);
const upper = (a: Cell, b: Cell): Cell => (a === null ? b : b === null ? a : a > b ? a : b);

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
 * Aligns runs onto one ascending x array (uPlot draws every series against the same x). When there are more than
 * `maxPoints` points in all (wall time: every run has its own timestamps), x is snapped to `maxPoints` equal cells
 * instead of joined exactly: each run keeps the last point of a cell and the min/max of all its points there, and a
 * cell's x is the largest x seen in it — at most one cell width off, under a pixel at chart sizes (and exact for
 * integer steps spanning fewer than `maxPoints`).
 */
export function alignRuns(runs: readonly RunPoints[], xs: readonly number[][], maxPoints = 4000): Aligned {
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
      snapped: false,
    };
  }
  let total = 0;
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const x of xs) {
    total += x.length;
    for (const v of x) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  const snapped = total > maxPoints;
  // Slot of an x value: its index in the exact union, or its grid cell.
  let slotOf: (x: number) => number;
  let cellX: number[];
  if (!snapped) {
    const all = Float64Array.from(xs.flat()).sort();
    cellX = [];
    for (const v of all) if (Number.isFinite(v) && v !== cellX[cellX.length - 1]) cellX.push(v);
    const index = new Map(cellX.map((v, i) => [v, i]));
    slotOf = (x) => index.get(x) ?? -1;
  } else {
    const cells = maxPoints;
    const span = hi - lo || 1;
    const grid = (x: number) => Math.min(cells - 1, Math.floor(((x - lo) / span) * cells));
    const top = new Float64Array(cells).fill(Number.NaN);
    for (const x of xs) {
      for (const v of x) {
        if (!Number.isFinite(v)) continue;
        const c = grid(v);
        if (!(v <= (top[c] as number))) top[c] = v; // NaN compares false: the first value sets it
      }
    }
    const compact = new Int32Array(cells).fill(-1);
    cellX = [];
    for (let c = 0; c < cells; c++) {
      if (!Number.isNaN(top[c])) {
        compact[c] = cellX.length;
        cellX.push(top[c] as number);
      }
    }
    slotOf = (x) => compact[grid(x)] as number;
  }
  const n = cellX.length;
  const value: Cell[][] = [];
  const min: Cell[][] = [];
  const max: Cell[][] = [];
  runs.forEach((p, r) => {
    const x = xs[r] as number[];
    const vr: Cell[] = new Array(n).fill(null);
    const lr: Cell[] = new Array(n).fill(null);
    const ur: Cell[] = new Array(n).fill(null);
    const ord = order(x);
    for (let k = 0; k < x.length; k++) {
      const i = ord ? (ord[k] as number) : k;
      const xv = x[i] as number;
      if (!Number.isFinite(xv)) continue;
      const s = slotOf(xv);
      if (s < 0) continue;
      const v = finite(p.value[i]);
      if (v !== null) vr[s] = v;
      const a = lower(finite(p.min[i]), v);
      const b = upper(finite(p.max[i]), v);
      const curLo = lr[s] as Cell;
      const curHi = ur[s] as Cell;
      if (a !== null && (curLo === null || a < curLo)) lr[s] = a;
      if (b !== null && (curHi === null || b > curHi)) ur[s] = b;
    }
    value.push(vr);
    min.push(lr);
    max.push(ur);
  });
  return { x: cellX, value, min, max, snapped };
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
  };
}
