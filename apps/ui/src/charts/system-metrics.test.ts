import { describe, expect, it } from "vitest";
import { chartX, isSystemMetric } from "./system-metrics.js";

describe("chartX", () => {
  it("draws system metrics on wall time where the page says step", () => {
    expect(chartX("system/cpu_utilization_percentage", "step")).toBe("time");
    expect(chartX("system/gpu_0_memory_usage_megabytes", "relative")).toBe("relative");
    expect(chartX("system/cpu_utilization_percentage", "time")).toBe("time");
  });
  it("leaves other metrics on the page's axis", () => {
    expect(chartX("train/loss", "step")).toBe("step");
    expect(chartX("systemic", "step")).toBe("step");
    expect(isSystemMetric("val/system/x")).toBe(false);
  });
});
