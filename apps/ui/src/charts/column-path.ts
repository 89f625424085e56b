/**
 * Line paths at pixel resolution: however many cells a line has, it becomes at most four vertices per pixel column.
 * Pure (the path is any object with moveTo/lineTo, a Path2D in the browser): tested in Node.
 */

type Cell = number | null;

/** Where path vertices go: a Path2D, or a recorder in tests. */
export interface PathSink {
  moveTo(x: number, y: number): void;
  lineTo(x: number, y: number): void;
}

/** Cells i0.. and their pixel columns: `xs[k]` is the (whole) canvas x of cell `i0 + k`, ascending. */
export interface PixelColumns {
  i0: number;
  xs: Float64Array;
}

/**
 * A line through `v` (nulls spanned) reduced to at most four vertices per pixel column: where it enters the column,
 * its lowest and highest point there, and where it leaves — the same pixels as every point drawn, at a cost bounded
 * by the plot's width. `low`/`high` (decimated cells) widen a cell to the lowest and highest value it stands for.
 */
export function columnPath<P extends PathSink>(
  cols: PixelColumns,
  v: readonly Cell[],
  low: readonly Cell[] | null | undefined,
  high: readonly Cell[] | null | undefined,
  y: (v: number) => number,
  p: P,
): P {
  const { xs, i0 } = cols;
  let col = Number.NaN;
  let first = 0;
  let lo = 0;
  let hi = 0;
  let last = 0;
  let started = false;
  for (let k = 0; k < xs.length; k++) {
    const val = v[i0 + k];
    if (val === null || val === undefined) continue;
    const l = low?.[i0 + k] ?? val;
    const h = high?.[i0 + k] ?? val;
    const px = xs[k] as number;
    if (px !== col) {
      if (!Number.isNaN(col)) {
        column(p, started, col, first, lo, hi, last, y);
        started = true;
      }
      col = px;
      // A decimated cell's own first point is not kept: enter at the extreme nearer the line's last position.
      first = l === h ? val : Math.abs(l - last) <= Math.abs(h - last) ? l : h;
      lo = Math.min(l, val);
      hi = Math.max(h, val);
    } else {
      if (l < lo) lo = l;
      if (h > hi) hi = h;
    }
    last = val;
  }
  if (!Number.isNaN(col)) column(p, started, col, first, lo, hi, last, y);
  return p;
}

/** One pixel column's vertices: the entry, the nearer extreme, the other one, the exit (repeats left out). */
function column(
  p: PathSink,
  started: boolean,
  x: number,
  first: number,
  lo: number,
  hi: number,
  last: number,
  y: (v: number) => number,
) {
  if (started) p.lineTo(x, y(first));
  else p.moveTo(x, y(first));
  const loFirst = first - lo <= hi - first;
  const a = loFirst ? lo : hi;
  const b = loFirst ? hi : lo;
  if (a !== first) p.lineTo(x, y(a));
  if (b !== a) p.lineTo(x, y(b));
  if (last !== b) p.lineTo(x, y(last));
}
