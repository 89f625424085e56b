/**
 * Decimation onto pixel columns: many runs' points binned into equal x cells (about one per pixel column) in one pass
 * per run. Per cell and run it keeps the last point (the value the cursor reads), the lowest and highest value (where
 * the line has to reach: a spike between two kept points stays visible) and the band (lowest min, highest max). A
 * chart then draws a few points per pixel column whatever arrives: 100 runs × 100,000 points cost one pass over the
 * numbers, not ten million path vertices. Pure: tested in Node.
 */

type Cell = number | null;

/** The numbers of one run's points (a `RunPoints` fits). */
export interface SeriesValues {
  value: readonly number[];
  min: readonly number[];
  max: readonly number[];
}

/**
 * Runs on one ascending x array of occupied cells; `value[r][i]` etc. are holes (undefined) where run r has no
 * finite figure in cell i (see scatter).
 */
export interface Binned {
  /** Each occupied cell's largest x (a real x of some point, so the cursor reads a logged step or time). */
  x: number[];
  /** The last finite value of the cell (largest x; of equal x, the later one). */
  value: Cell[][];
  /** The band: lowest of the finite mins and values, highest of the finite maxes and values. */
  min: Cell[][];
  max: Cell[][];
  /** The lowest and highest finite value: the extent the line covers in the cell. */
  low: Cell[][];
  high: Cell[][];
  /** Points with a finite x outside [lo, hi], left out. */
  outside: number;
}

/** One run's occupied cells, ascending, and what it keeps there (NaN / ±Infinity: nothing finite). */
interface RunCells {
  cell: Int32Array;
  /** Five figures per occupied cell, in FIGURES order (one allocation a run: a thousand runs make few objects). */
  figures: Float64Array;
}

/** The figures a run keeps per cell, in their order in `RunCells.figures`. */
const FIGURES = ["value", "min", "max", "low", "high"] as const;

/** Scratch per cell, reused for every run; `stamp[c] === r` says run r has touched cell c. */
class Scratch {
  readonly stamp: Int32Array;
  readonly lastX: Float64Array;
  readonly value: Float64Array;
  readonly low: Float64Array;
  readonly high: Float64Array;
  readonly min: Float64Array;
  readonly max: Float64Array;
  constructor(cells: number) {
    this.stamp = new Int32Array(cells).fill(-1);
    this.lastX = new Float64Array(cells);
    this.value = new Float64Array(cells);
    this.low = new Float64Array(cells);
    this.high = new Float64Array(cells);
    this.min = new Float64Array(cells);
    this.max = new Float64Array(cells);
  }
}

/**
 * Bins every run's points with x in [lo, hi] into `cells` equal cells (points outside are left out and counted).
 * Points with a non-finite x are dropped;
 * non-finite values are gaps (they place the cell but hold no value). Order of the input does not matter: the last
 * point of a cell is the one with the largest x, so unsorted histories give the same answer as sorted ones.
 */
export function binRuns(
  runs: readonly SeriesValues[],
  xs: readonly (readonly number[])[],
  cells: number,
  lo: number,
  hi: number,
): Binned {
  const scale = cells / (hi - lo || 1);
  const top = new Float64Array(cells).fill(Number.NEGATIVE_INFINITY);
  const s = new Scratch(cells);
  const touched: number[] = [];
  const perRun: RunCells[] = [];
  let outside = 0;
  for (let r = 0; r < runs.length; r++) {
    const p = runs[r] as SeriesValues;
    const x = xs[r] ?? [];
    const { value: vs, min: mins, max: maxs } = p;
    touched.length = 0;
    // The cell being accumulated in locals (points of a sorted history arrive cell by cell) and its figures; plain
    // locals, not captured by a closure, so the hot loop keeps them in registers.
    let cur = -1;
    let top0 = 0;
    let lastX = 0;
    let val = 0;
    let vLo = 0;
    let vHi = 0;
    let bLo = 0;
    let bHi = 0;
    for (let k = 0; k < x.length; k++) {
      const xv = x[k] as number;
      if (!(xv >= lo && xv <= hi)) {
        if (xv - xv === 0) outside++;
        continue;
      }
      let c = Math.floor((xv - lo) * scale);
      if (c >= cells) c = cells - 1;
      if (c !== cur) {
        if (cur >= 0) flush(s, top, touched, r, cur, top0, lastX, val, vLo, vHi, bLo, bHi);
        cur = c;
        top0 = xv;
        lastX = Number.NEGATIVE_INFINITY;
        val = Number.NaN;
        vLo = bLo = Number.POSITIVE_INFINITY;
        vHi = bHi = Number.NEGATIVE_INFINITY;
      } else if (xv > top0) top0 = xv;
      const v = vs[k] as number;
      // x - x === 0 only for finite numbers (NaN and ±Infinity give NaN).
      if (v - v === 0) {
        if (xv >= lastX) {
          lastX = xv;
          val = v;
        }
        if (v < vLo) vLo = v;
        if (v > vHi) vHi = v;
        if (v < bLo) bLo = v;
        if (v > bHi) bHi = v;
      }
      const a = mins[k] as number;
      const b = maxs[k] as number;
      if (a - a === 0 && a < bLo) bLo = a;
      if (b - b === 0 && b > bHi) bHi = b;
    }
    if (cur >= 0) flush(s, top, touched, r, cur, top0, lastX, val, vLo, vHi, bLo, bHi);
    perRun.push(collect(s, touched));
  }
  // Occupied cells, compacted: cell c becomes column slot[c] of the shared x array.
  const slot = new Int32Array(cells).fill(-1);
  const x: number[] = [];
  for (let c = 0; c < cells; c++) {
    if (top[c] !== Number.NEGATIVE_INFINITY) {
      slot[c] = x.length;
      x.push(top[c] as number);
    }
  }
  const out: Binned = { x, value: [], min: [], max: [], low: [], high: [], outside };
  for (const rc of perRun) {
    FIGURES.forEach((f, k) => {
      out[f].push(scatter(rc.cell, rc.figures, k * rc.cell.length, slot, x.length));
    });
  }
  return out;
}

/** Stores (or, when run r has been in cell c before, merges) one stretch of points of a cell into the scratch. */
function flush(
  s: Scratch,
  top: Float64Array,
  touched: number[],
  r: number,
  c: number,
  top0: number,
  lastX: number,
  val: number,
  vLo: number,
  vHi: number,
  bLo: number,
  bHi: number,
) {
  if (top0 > (top[c] as number)) top[c] = top0;
  if (s.stamp[c] !== r) {
    s.stamp[c] = r;
    touched.push(c);
    s.lastX[c] = lastX;
    s.value[c] = val;
    s.low[c] = vLo;
    s.high[c] = vHi;
    s.min[c] = bLo;
    s.max[c] = bHi;
    return;
  }
  // The run comes back to a cell (unsorted x): merge; the later of two equal x wins, as it would sorted.
  if (lastX >= (s.lastX[c] as number)) {
    s.lastX[c] = lastX;
    s.value[c] = val;
  }
  if (vLo < (s.low[c] as number)) s.low[c] = vLo;
  if (vHi > (s.high[c] as number)) s.high[c] = vHi;
  if (bLo < (s.min[c] as number)) s.min[c] = bLo;
  if (bHi > (s.max[c] as number)) s.max[c] = bHi;
}

/** The touched cells of the run just binned, ascending, copied out of the scratch. */
function collect(s: Scratch, touched: number[]): RunCells {
  for (let i = 1; i < touched.length; i++) {
    if ((touched[i] as number) < (touched[i - 1] as number)) {
      touched.sort((a, b) => a - b);
      break;
    }
  }
  const n = touched.length;
  const figures = new Float64Array(5 * n);
  for (let i = 0; i < n; i++) {
    const c = touched[i] as number;
    figures[i] = s.value[c] as number;
    figures[n + i] = s.min[c] as number;
    figures[2 * n + i] = s.max[c] as number;
    figures[3 * n + i] = s.low[c] as number;
    figures[4 * n + i] = s.high[c] as number;
  }
  return { cell: Int32Array.from(touched), figures };
}

/**
 * A run's figures on the shared x array, a hole where it has no finite one. Holes read as undefined, which every
 * reader of cells (uPlot included) treats as it treats null; an array filled with null would hold every number boxed
 * (a thousand runs: millions of heap numbers for the garbage collector), one with holes keeps them unboxed.
 */
function scatter(cell: Int32Array, v: Float64Array, from: number, slot: Int32Array, n: number): Cell[] {
  const out: Cell[] = new Array(n);
  for (let i = 0; i < cell.length; i++) {
    const f = v[from + i] as number;
    if (f - f === 0) out[slot[cell[i] as number] as number] = f;
  }
  return out;
}
