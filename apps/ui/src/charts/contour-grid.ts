/**
 * The surface a contour chart shades: a metric (z) over two columns (x, y) known only at the runs' points,
 * interpolated onto a grid by inverse-distance weighting in axis space (0..1 each way, so log and category axes work
 * alike). Pure: tested in Node.
 */

export interface Sample {
  /** Positions on the axes, 0..1. */
  px: number;
  py: number;
  z: number;
}

/**
 * z at each cell centre of a `cols` × `rows` grid (row 0 at the bottom) spanning `lo`..`hi` of axis space both ways
 * (a little beyond 0..1, so points on the edge are not cut), IDW with power 2; an exact hit wins.
 */
export function idwGrid(samples: readonly Sample[], cols: number, rows: number, lo = 0, hi = 1): number[][] {
  const out: number[][] = [];
  for (let r = 0; r < rows; r++) {
    const row: number[] = [];
    const y = lo + ((r + 0.5) / rows) * (hi - lo);
    for (let c = 0; c < cols; c++) {
      const x = lo + ((c + 0.5) / cols) * (hi - lo);
      let num = 0;
      let den = 0;
      let exact: number | undefined;
      for (const s of samples) {
        const d2 = (s.px - x) ** 2 + (s.py - y) ** 2;
        if (d2 < 1e-12) {
          exact = s.z;
          break;
        }
        const w = 1 / d2;
        num += w * s.z;
        den += w;
      }
      row.push(exact ?? (den ? num / den : Number.NaN));
    }
    out.push(row);
  }
  return out;
}

/** Stops of a perceptually even, colour-blind-safe ramp (viridis, low to high). */
const RAMP = [
  [68, 1, 84],
  [59, 82, 139],
  [33, 145, 140],
  [94, 201, 98],
  [253, 231, 37],
] as const;

/** The ramp's colour at t in 0..1. */
export function rampColor(t: number): string {
  const u = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (RAMP.length - 1);
  const i = Math.min(RAMP.length - 2, Math.floor(u));
  const f = u - i;
  const a = RAMP[i] as readonly number[];
  const b = RAMP[i + 1] as readonly number[];
  const mix = (k: number) => Math.round((a[k] as number) + ((b[k] as number) - (a[k] as number)) * f);
  return `rgb(${mix(0)} ${mix(1)} ${mix(2)})`;
}
