import { describe, expect, it } from "vitest";
import { samplePoints } from "./metrics.js";

const series = (values: number[]) => values.map((value, step) => ({ step, value, is_nan: 0 }));

describe("samplePoints (get-history-bulk-interval)", () => {
  it("returns every point when they fit", () => {
    const rows = series([3, 1, 2]);
    expect(samplePoints(rows, 3)).toBe(rows);
  });

  it("keeps a one-step spike, the first and the last point, within the budget", () => {
    const values = Array.from({ length: 10_000 }, (_, i) => Math.sin(i / 500));
    values[4321] = 50;
    values[7777] = -50;
    for (const max of [5, 10, 100, 2500]) {
      const kept = samplePoints(series(values), max);
      expect(kept.length).toBeLessThanOrEqual(max);
      const steps = kept.map((r) => r.step);
      expect(steps).toContain(0);
      expect(steps).toContain(9999);
      expect(steps).toContain(4321);
      expect(steps).toContain(7777);
      expect(steps).toEqual([...steps].sort((a, b) => a - b));
    }
  });

  it("keeps only the last point for max 1 and both ends for max 2, as the reference does", () => {
    const rows = series([1, 2, 3, 4]);
    expect(samplePoints(rows, 1).map((r) => r.step)).toEqual([3]);
    expect(samplePoints(rows, 2).map((r) => r.step)).toEqual([0, 3]);
  });

  it("skips NaN points unless a bucket has nothing else", () => {
    const rows = series([1, 2, 3, 4, 5, 6]).map((r) => (r.step === 2 ? { ...r, is_nan: 1, value: 0 } : r));
    const kept = samplePoints(rows, 4);
    expect(kept.every((r) => r.is_nan === 0)).toBe(true);
  });
});
