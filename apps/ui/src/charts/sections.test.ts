import { describe, expect, it } from "vitest";
import { metricSections } from "./sections.js";

describe("metricSections", () => {
  it("groups by prefix with train and val first, system last, plain keys under Metrics", () => {
    const s = metricSections([
      "system/cpu_utilization_percentage",
      "loss",
      "val/acc",
      "zeta/x",
      "train/loss",
      "alpha/y",
      "accuracy",
      "train/lr",
      "loss",
    ]);
    expect(s.map((x) => x.title)).toEqual(["train/", "val/", "alpha/", "zeta/", "Metrics", "system/"]);
    expect(s[0]?.keys).toEqual(["train/loss", "train/lr"]);
    expect(s.find((x) => x.title === "Metrics")?.keys).toEqual(["accuracy", "loss"]);
  });
  it("sorts keys naturally", () => {
    expect(metricSections(["l/layer10", "l/layer2"])[0]?.keys).toEqual(["l/layer2", "l/layer10"]);
  });
  it("keeps a leading slash key under Metrics", () => {
    expect(metricSections(["/odd"])[0]?.title).toBe("Metrics");
  });
});
