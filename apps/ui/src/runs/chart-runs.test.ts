import { describe, expect, it } from "vitest";
import { chartRunIds, metricKeysOf } from "./chart-runs.js";
import { fakeRun } from "./fake-runs.test-helpers.js";
import { indexRun } from "./run-fields.js";

const order = Array.from({ length: 15 }, (_, i) => `r${i}`);

describe("chartRunIds", () => {
  it("takes the first ten visible runs without a selection", () => {
    expect(chartRunIds(order, [], new Set())).toEqual(order.slice(0, 10));
    expect(chartRunIds(order, [], new Set(["r0", "r3"]))).toEqual([...order.slice(1, 3), ...order.slice(4, 12)]);
  });

  it("takes the selected visible runs in table order", () => {
    expect(chartRunIds(order, ["r9", "r2", "r5", "gone"], new Set(["r5"]))).toEqual(["r2", "r9"]);
  });
});

describe("metricKeysOf", () => {
  it("unions and sorts metric keys", () => {
    const rows = [
      indexRun(fakeRun("a", { metrics: { b: 1, a10: 1 } })),
      indexRun(fakeRun("b", { metrics: { a2: 1 } })),
    ];
    expect(metricKeysOf(rows)).toEqual(["a2", "a10", "b"]);
  });
});
