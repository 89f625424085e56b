// @vitest-environment happy-dom
import { describe, expect, it } from "vitest";
import { defaultColumns } from "./chart-builder.js";
import type { RunValues } from "./run-values.js";
import { columnIds } from "./run-values.js";

describe("the builder's first choice of columns", () => {
  const v = (lr: string, depth: string, acc: number): RunValues => ({
    params: { lr, depth, seed: "1" },
    metrics: { acc, "system/cpu": 3 },
    attrs: {},
    tags: {},
  });
  const values = [v("0.1", "3", 0.9), v("0.01", "5", 0.8), v("0.001", "7", 0.7)];
  const ids = columnIds(values);

  it("lists params then metrics as column ids", () => {
    expect(ids).toEqual(["p:depth", "p:lr", "p:seed", "m:acc", "m:system/cpu"]);
  });

  it("takes params that vary and the main metrics (system metrics left out)", () => {
    expect(defaultColumns("scatter", ids, values)).toEqual(["p:depth", "p:lr"]);
    expect(defaultColumns("contour", ids, values)).toEqual(["p:depth", "p:lr", "m:acc"]);
    expect(defaultColumns("parallel", ids, values)).toEqual(["p:depth", "p:lr", "m:acc"]);
    expect(defaultColumns("difference", ids, values)).toEqual([]);
  });
});
