import { describe, expect, it } from "vitest";
import { formatRate, runIdFilter, stepsPerSecond } from "./live.js";

describe("stepsPerSecond", () => {
  it("divides the step change by the metric time change", () => {
    expect(stepsPerSecond({ step: 10, timestamp: 1000 }, { step: 30, timestamp: 3000 })).toBe(10);
  });
  it("is undefined without progress or time", () => {
    expect(stepsPerSecond({ step: 10, timestamp: 1000 }, { step: 10, timestamp: 3000 })).toBeUndefined();
    expect(stepsPerSecond({ step: 10, timestamp: 1000 }, { step: 20, timestamp: 1000 })).toBeUndefined();
    expect(stepsPerSecond(undefined, { step: 20, timestamp: 1000 })).toBeUndefined();
  });
  it("formats rates", () => {
    expect(formatRate(12.34)).toBe("12 steps/s");
    expect(formatRate(2.345)).toBe("2.3 steps/s");
    expect(formatRate(0.25)).toBe("0.25 steps/s");
    expect(formatRate(1234)).toBe("1.2k steps/s");
  });
  it("builds a run-id filter", () => {
    expect(runIdFilter(["a", "b'c"])).toBe("attributes.run_id IN ('a', 'bc')");
  });
});
