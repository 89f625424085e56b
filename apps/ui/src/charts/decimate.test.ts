import { describe, expect, it } from "vitest";
import { binRuns, type SeriesValues } from "./decimate.js";

/** A run's cells with its holes (nothing in a cell) as null, for comparing. */
const row = (r: readonly (number | null)[] | undefined) => Array.from(r ?? [], (v) => v ?? null);

const series = (value: number[], spread = 0): SeriesValues => ({
  value,
  min: value.map((v) => v - spread),
  max: value.map((v) => v + spread),
});

describe("binRuns", () => {
  it("keeps per cell the last value, the lowest and highest value, and the band", () => {
    // Cells of width 10 over [0, 40): points 0..39.
    const x = Array.from({ length: 40 }, (_, i) => i);
    const v = x.map((i) => (i === 13 ? 100 : i === 27 ? -100 : i));
    const b = binRuns([series(v, 0.5)], [x], 4, 0, 40);
    expect(b.x).toEqual([9, 19, 29, 39]);
    expect(row(b.value[0])).toEqual([9, 19, 29, 39]);
    expect(row(b.low[0])).toEqual([0, 10, -100, 30]);
    expect(row(b.high[0])).toEqual([9, 100, 29, 39]);
    expect(row(b.min[0])).toEqual([-0.5, 9.5, -100.5, 29.5]);
    expect(row(b.max[0])).toEqual([9.5, 100.5, 29.5, 39.5]);
  });

  it("gives unsorted input the same answer as sorted, the later of equal x winning", () => {
    const x = [0, 1, 2, 3, 4, 5, 6, 7];
    const v = [5, 1, 7, 3, 2, 8, 4, 6];
    const sorted = binRuns([series(v)], [x], 3, 0, 7);
    const perm = [5, 0, 7, 2, 1, 6, 3, 4];
    const shuffled = binRuns([series(perm.map((i) => v[i] as number))], [perm.map((i) => x[i] as number)], 3, 0, 7);
    expect(shuffled).toEqual(sorted);
    // Two points on one x: the later one is the cell's value (MLflow keeps both; the chart shows the last logged).
    const dup = binRuns([series([1, 2, 3])], [[0, 5, 5]], 2, 0, 5);
    expect(row(dup.value[0])).toEqual([1, 3]);
    expect(row(dup.low[0])).toEqual([1, 2]);
  });

  it("drops points with a non-finite x; non-finite values are gaps that still place their cell", () => {
    const b = binRuns(
      [{ value: [1, Number.NaN, 3, Number.POSITIVE_INFINITY], min: [1, 0, 3, 4], max: [1, 9, 3, 4] }],
      [[0, 5, Number.NaN, 9]],
      2,
      0,
      10,
    );
    // Cell 1 holds x 5 (value NaN, min 0, max 9) and x 9 (value Infinity, min/max 4): no value, but a band.
    expect(b.x).toEqual([0, 9]);
    expect(row(b.value[0])).toEqual([1, null]);
    expect(row(b.low[0])).toEqual([1, null]);
    expect(row(b.min[0])).toEqual([1, 0]);
    expect(row(b.max[0])).toEqual([1, 9]);
  });

  it("shares one x array between runs: each occupied cell once, a run's empty cells null", () => {
    const b = binRuns([series([1, 2]), series([3])], [[0, 10], [4]], 10, 0, 10);
    expect(b.x).toEqual([0, 4, 10]);
    expect(b.value.map(row)).toEqual([
      [1, null, 2],
      [null, 3, null],
    ]);
  });

  it("puts a cell's x at the largest x seen in it, across runs", () => {
    const b = binRuns([series([1]), series([2])], [[0.2], [0.7]], 1, 0, 1);
    expect(b.x).toEqual([0.7]);
    expect(b.value).toEqual([[1], [2]]);
  });

  it("bins 100 runs × 10,000 points into the cells asked for, every spike kept", () => {
    const n = 10_000;
    const x = Array.from({ length: n }, (_, i) => i * 4);
    const runs = Array.from({ length: 100 }, (_, r) =>
      series(
        x.map((s) => (s === r * 400 + 4 ? 50 + r : 1)),
        0,
      ),
    );
    const b = binRuns(
      runs,
      runs.map(() => x),
      800,
      0,
      (n - 1) * 4,
    );
    expect(b.x.length).toBe(800);
    for (const [r, h] of b.high.entries()) expect(Math.max(...(h as number[]))).toBe(50 + r);
    for (const v of b.value) expect(v.every((y) => y === 1 || (y !== null && y >= 50))).toBe(true);
  });
});
