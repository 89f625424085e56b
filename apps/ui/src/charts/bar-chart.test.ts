// @vitest-environment happy-dom
import { describe, expect, it } from "vitest";
import { barLayout } from "./bar-chart.js";
import { probeOf } from "./single-value.js";

describe("bar chart layout", () => {
  it("starts bars at zero and spans the values with round ticks", () => {
    const L = barLayout([0.91, 0.87, undefined], 500);
    expect(L.ticks[0]).toBe(0);
    expect(L.ticks.length).toBeGreaterThanOrEqual(3);
    expect(L.x(0)).toBeLessThan(L.x(0.87));
    expect(L.x(0.87)).toBeLessThan(L.x(0.91));
    // The longest bar leaves room for its value after it.
    expect(L.x(0.91)).toBeLessThanOrEqual(500 - 60);
    expect(L.height).toBeCloseTo(4 + 3 * L.rowHeight + 22);
  });

  it("puts zero inside the range for negative values", () => {
    const L = barLayout([-2, 3], 400);
    expect(L.x(-2)).toBeLessThan(L.x(0));
    expect(L.x(0)).toBeLessThan(L.x(3));
  });
});

describe("single-value probe", () => {
  const pts = (steps: number[], values: number[]) => ({
    step: steps,
    time: steps,
    value: values,
    min: values,
    max: values,
  });

  it("calls a metric single-valued when no run has more than one point, with each run's last value", () => {
    const p = probeOf(
      new Map([
        ["a", pts([0], [0.9])],
        ["b", pts([0], [0.8])],
      ]),
    );
    expect(p.single).toBe(true);
    expect([...p.last]).toEqual([
      ["a", 0.9],
      ["b", 0.8],
    ]);
    const q = probeOf(
      new Map([
        ["a", pts([0], [0.9])],
        ["b", pts([0, 49], [1, 0.2])],
      ]),
    );
    expect(q.single).toBe(false);
    expect(q.last.get("b")).toBe(0.2);
  });
});
