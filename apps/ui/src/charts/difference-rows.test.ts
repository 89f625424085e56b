import { describe, expect, it } from "vitest";
import { diffRows, formatDelta } from "./difference-rows.js";
import type { RunValues } from "./run-values.js";

const run = (params: Record<string, string>, metrics: Record<string, number>, status = "FINISHED"): RunValues => ({
  params,
  metrics,
  attrs: { Status: status },
  tags: { team: status === "FAILED" ? "b" : "a" },
});

describe("difference view rows", () => {
  const values = [
    run({ lr: "0.1", opt: "adam" }, { acc: 0.9, f1: 0.8 }),
    run({ lr: "0.01", opt: "adam" }, { acc: 0.95, f1: 0.8 }),
    run({ lr: "0.1" }, { acc: 0.85 }, "FAILED"),
  ];

  it("lists attributes, params and metrics with differences from the baseline", () => {
    const rows = diffRows(values, 0);
    expect(rows.map((r) => `${r.group}:${r.key}`)).toEqual([
      "Attributes:Status",
      "Params:lr",
      "Params:opt",
      "Metrics:acc",
      "Metrics:f1",
      "Tags:team",
    ]);
    const acc = rows.find((r) => r.key === "acc");
    expect(acc?.values).toEqual([0.9, 0.95, 0.85]);
    expect(acc?.deltas[0]).toBeUndefined();
    expect(acc?.deltas[1]).toBeCloseTo(0.05);
    expect(acc?.deltas[2]).toBeCloseTo(-0.05);
    const lr = rows.find((r) => r.key === "lr");
    expect(lr?.deltas[1]).toBeCloseTo(-0.09);
    expect(rows.find((r) => r.key === "opt")?.values).toEqual(["adam", "adam", undefined]);
  });

  it("leaves out rows where every run matches the baseline when asked, against any baseline", () => {
    const two = values.slice(0, 2);
    expect(diffRows(two, 1, true).map((r) => r.key)).toEqual(["lr", "acc"]);
    expect(diffRows(values, 0, true).map((r) => r.key)).toEqual(["Status", "lr", "opt", "acc", "f1", "team"]);
    expect(diffRows(two, 1)[3]?.deltas).toEqual([expect.closeTo(-0.05), undefined]);
  });

  it("formats a difference with its sign and percent", () => {
    expect(formatDelta(0.05, 0.9)).toBe("+0.05 (+5.56%)");
    expect(formatDelta(-2, 0)).toBe("−2");
    expect(formatDelta(0, 1)).toBe("±0 (±0%)");
  });
});
