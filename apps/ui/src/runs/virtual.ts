/** Windowing for the runs table: which rows and columns are (nearly) on screen. */

export interface Range {
  /** First index drawn. */
  start: number;
  /** One past the last index drawn. */
  end: number;
}

/** Rows of a fixed height visible in a viewport, with `overscan` extra rows on each side. */
export function rowWindow(scrollTop: number, viewport: number, rowHeight: number, count: number, overscan = 8): Range {
  if (count <= 0 || rowHeight <= 0) return { start: 0, end: 0 };
  const first = Math.floor(Math.max(0, scrollTop) / rowHeight);
  const last = Math.ceil((Math.max(0, scrollTop) + Math.max(0, viewport)) / rowHeight);
  return { start: Math.max(0, Math.min(count, first - overscan)), end: Math.min(count, last + overscan) };
}

/** Left edges of columns of these widths, plus the total width at the end (length n + 1). */
export function offsets(widths: readonly number[]): number[] {
  const out = [0];
  let x = 0;
  for (const w of widths) {
    x += w;
    out.push(x);
  }
  return out;
}

/** The last index i with edges[i] ≤ x (edges ascending), clamped to [0, edges.length − 2]. */
function indexAt(edges: readonly number[], x: number): number {
  let lo = 0;
  let hi = edges.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((edges[mid] ?? 0) <= x) lo = mid;
    else hi = mid - 1;
  }
  return Math.max(0, lo);
}

/** Columns (by their edges from {@link offsets}) overlapping [left − overscan, left + viewport + overscan]. */
export function columnWindow(edges: readonly number[], left: number, viewport: number, overscan = 200): Range {
  const n = edges.length - 1;
  if (n <= 0) return { start: 0, end: 0 };
  const start = indexAt(edges, Math.max(0, left - overscan));
  const end = indexAt(edges, left + viewport + overscan) + 1;
  return { start, end: Math.min(n, end) };
}
