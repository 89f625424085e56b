import { describe, expect, it } from "vitest";
import {
  alignRuns,
  type BucketRow,
  cellsForWidth,
  ema,
  extent,
  groupBuckets,
  lowerBound,
  plotModel,
  positiveOnly,
  type RunPoints,
  stepWindow,
  withAlpha,
  xValues,
} from "./transform.js";

const pts = (steps: number[], values: number[], t0 = 1000): RunPoints => ({
  step: steps,
  time: steps.map((s) => t0 + s * 1000),
  value: values,
  min: values.slice(),
  max: values.slice(),
});

describe("groupBuckets", () => {
  it("groups rows by run, sorts by step and parses numbers", () => {
    const rows: BucketRow[] = [
      { run_id: "b", step: 1, timestamp: 5, value: 2, min: 1, max: 3 },
      { run_id: "a", step: "2", timestamp: "7", value: "NaN" },
      { run_id: "a", step: 0, timestamp: 6, value: 0.5, min: 0.1, max: 0.9 },
    ];
    const g = groupBuckets(rows);
    expect([...g.keys()]).toEqual(["b", "a"]);
    const a = g.get("a") as RunPoints;
    expect(a.step).toEqual([0, 2]);
    expect(a.time).toEqual([6, 7]);
    expect(a.value[0]).toBe(0.5);
    expect(Number.isNaN(a.value[1])).toBe(true);
    expect(a.min).toEqual([0.1, Number.NaN]);
    expect(g.get("b")?.max).toEqual([3]);
  });
});

describe("xValues", () => {
  const p = pts([0, 1, 2], [1, 2, 3], 5000);
  it("gives steps, wall seconds or seconds since the first point", () => {
    expect(xValues(p, "step")).toEqual([0, 1, 2]);
    expect(xValues(p, "time")).toEqual([5, 6, 7]);
    expect(xValues(p, "relative")).toEqual([0, 1, 2]);
    expect(xValues(p, "relative", 3000)).toEqual([2, 3, 4]);
  });
});

describe("alignRuns", () => {
  it("shares the x array when runs have the same steps", () => {
    const a = pts([0, 1, 2], [1, 2, 3]);
    const b = pts([0, 1, 2], [4, Number.NaN, 6]);
    const r = alignRuns([a, b], [a.step, b.step]);
    expect(r.x).toEqual([0, 1, 2]);
    expect(r.value).toEqual([
      [1, 2, 3],
      [4, null, 6],
    ]);
    expect(r.snapped).toBe(false);
  });

  it("joins different steps with nulls where a run has no point", () => {
    const a = pts([0, 2, 4], [1, 2, 3]);
    const b = pts([1, 2, 5], [7, 8, 9]);
    const r = alignRuns([a, b], [a.step, b.step]);
    expect(r.x).toEqual([0, 1, 2, 4, 5]);
    expect(r.value[0]).toEqual([1, null, 2, 3, null]);
    expect(r.value[1]).toEqual([null, 7, 8, null, 9]);
  });

  it("sorts unsorted x and merges duplicate x (last value, min and max of all)", () => {
    const p: RunPoints = { step: [0, 1, 2], time: [0, 0, 0], value: [5, 1, 3], min: [5, 1, 3], max: [5, 1, 3] };
    const r = alignRuns([p], [[2, 1, 1]]);
    expect(r.x).toEqual([1, 2]);
    expect(r.value[0]).toEqual([3, 5]);
    expect(r.min[0]).toEqual([1, 5]);
    expect(r.max[0]).toEqual([3, 5]);
  });

  it("snaps to a grid when the union is too long, keeping spikes in min/max", () => {
    const n = 1000;
    const steps = Array.from({ length: n }, (_, i) => i);
    const values = steps.map((s) => (s === 501 ? 100 : 1));
    const a = pts(steps, values);
    const b = pts(
      steps.map((s) => s + 0.5),
      steps.map(() => 2),
    );
    const r = alignRuns([a, b], [a.step, b.step], 100);
    expect(r.snapped).toBe(true);
    expect(r.x.length).toBeLessThanOrEqual(100);
    expect(r.x[r.x.length - 1]).toBe(999.5);
    expect(Math.max(...(r.max[0] as number[]))).toBe(100);
    expect(r.value[0]?.every((v) => v === 1 || v === 100)).toBe(true);
    expect(r.value[1]?.every((v) => v === 2)).toBe(true);
    for (let i = 1; i < r.x.length; i++) expect(r.x[i]).toBeGreaterThan(r.x[i - 1] as number);
    // The line's own extent keeps the spike too (it is drawn through low/high), not only the band.
    expect(Math.max(...((r.high?.[0] ?? []) as number[]))).toBe(100);
    expect(Math.min(...((r.low?.[0] ?? []) as number[]))).toBe(1);
  });

  it("decimates runs that share more steps than cells instead of drawing every one", () => {
    const steps = Array.from({ length: 10_000 }, (_, i) => i);
    const a = pts(
      steps,
      steps.map((s) => (s === 4321 ? -5 : s)),
    );
    const r = alignRuns([a, a], [a.step, a.step], 500);
    expect(r.snapped).toBe(true);
    expect(r.x.length).toBe(500);
    expect(r.x[r.x.length - 1]).toBe(9999);
    expect(r.value[0]?.[r.x.length - 1]).toBe(9999);
    expect(Math.min(...((r.low?.[1] ?? []) as number[]))).toBe(-5);
    // Shared steps up to the cell count stay exact (no low/high).
    const few = alignRuns([a], [a.step], 10_000);
    expect(few.snapped).toBe(false);
    expect(few.low).toBeNull();
    expect(few.x.length).toBe(10_000);
  });
});

describe("alignRuns on long integer steps", () => {
  it("snaps losslessly when the steps span fewer than maxPoints", () => {
    const steps = Array.from({ length: 3000 }, (_, i) => i);
    const a = pts(
      steps,
      steps.map((s) => s * 2),
    );
    const b = pts(steps.slice(0, 1000), steps.slice(0, 1000));
    const r = alignRuns([a, a, b], [a.step, a.step, b.step]);
    expect(r.snapped).toBe(true);
    expect(r.x).toEqual(steps);
    expect(r.value[0]?.[2999]).toBe(5998);
    expect(r.value[2]?.[999]).toBe(999);
    expect(r.value[2]?.[1000] ?? null).toBeNull();
  });
});

describe("ema", () => {
  it("is debiased: a constant series stays constant", () => {
    expect(ema([3, 3, 3], 0.9).map((v) => Number(v?.toFixed(10)))).toEqual([3, 3, 3]);
  });
  it("smooths towards the running mean and skips gaps", () => {
    const out = ema([0, null, 10, Number.NaN, 10], 0.5);
    expect(out[0]).toBe(0);
    expect(out[1]).toBe(null);
    // after 0 then 10 with w=0.5: last = 5, debias 1-0.25 = 0.75
    expect(out[2]).toBeCloseTo(5 / 0.75);
    expect(Number.isNaN(out[3])).toBe(true);
    expect(out[4]).toBeCloseTo(7.5 / 0.875);
  });
  it("returns the input for weight 0", () => {
    expect(ema([1, 5, 2], 0)).toEqual([1, 5, 2]);
  });
});

describe("extent, lowerBound, positiveOnly", () => {
  it("finds the visible extent ignoring nulls and, for log, non-positive values", () => {
    const a = [null, -1, 2, 8];
    const b = [0.5, null, 3, 100];
    expect(extent([a, b], 0, 2)).toEqual([-1, 3]);
    expect(extent([a, b], 0, 2, true)).toEqual([0.5, 3]);
    expect(extent([[null]], 0, 0)).toBeUndefined();
  });
  it("binary-searches x", () => {
    expect(lowerBound([0, 2, 4, 6], 3)).toBe(2);
    expect(lowerBound([0, 2, 4, 6], -1)).toBe(0);
    expect(lowerBound([0, 2, 4, 6], 7)).toBe(4);
  });
  it("turns non-positive values into gaps", () => {
    expect(positiveOnly([1, 0, -2, null, 3])).toEqual([1, null, null, null, 3]);
  });
});

describe("stepWindow", () => {
  it("maps an x window to steps, widened by one point each side", () => {
    const a = pts([0, 10, 20, 30, 40], [1, 1, 1, 1, 1]);
    expect(stepWindow([a], [a.step], 15, 25)).toEqual({ start: 10, end: 30 });
    expect(stepWindow([a], [xValues(a, "relative")], 15, 25)).toEqual({ start: 10, end: 30 });
    expect(stepWindow([a], [a.step], 100, 200)).toBeUndefined();
  });
});

describe("withAlpha", () => {
  it("converts hex colours to rgba", () => {
    expect(withAlpha("#3b7be8", 0.2)).toBe("rgba(59,123,232,0.2)");
    expect(withAlpha("#fff", 1)).toBe("rgba(255,255,255,1)");
    expect(withAlpha("red", 0.5)).toBe("red");
  });
});

describe("plotModel", () => {
  const a = alignRuns([pts([0, 1, 2], [0, 2, 4])], [[0, 1, 2]]);
  it("keeps raw values without smoothing", () => {
    const m = plotModel(a, 0, false);
    expect(m.lines).toEqual([[0, 2, 4]]);
    expect(m.raw).toBeNull();
  });
  it("smooths lines and keeps the raw values for the faint line", () => {
    const m = plotModel(a, 0.5, false);
    expect(m.raw).toEqual([[0, 2, 4]]);
    expect(m.lines[0]?.[2]).not.toBe(4);
  });
  it("drops non-positive values on a log scale", () => {
    const m = plotModel(a, 0, true);
    expect(m.lines).toEqual([[null, 2, 4]]);
    expect(m.min).toEqual([[null, 2, 4]]);
    expect(m.low).toBeNull();
  });
  it("passes the decimated cells' low/high through, without non-positive values on a log scale", () => {
    const steps = [0, 1, 2, 3];
    const d = alignRuns([pts(steps, [-1, 3, 5, 7])], [steps], 2);
    expect(d.snapped).toBe(true);
    expect(plotModel(d, 0, false).low).toEqual([[-1, 5]]);
    expect(plotModel(d, 0, true).low).toEqual([[null, 5]]);
    expect(plotModel(d, 0, true).high).toEqual([[3, 7]]);
  });
});

describe("cellsForWidth", () => {
  it("gives one x cell per device pixel column, between 200 and 4,000", () => {
    expect(cellsForWidth(100)).toBe(200);
    expect(cellsForWidth(900)).toBe(900);
    expect(cellsForWidth(1248.4)).toBe(1248);
    expect(cellsForWidth(900, 2)).toBe(1800);
    expect(cellsForWidth(900, 0.5)).toBe(900);
    expect(cellsForWidth(3000, 2)).toBe(4000);
  });
});
