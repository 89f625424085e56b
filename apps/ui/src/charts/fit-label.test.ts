import { describe, expect, it } from "vitest";
import { fitLabel } from "./fit-label.js";

const mono = (text: string) => text.length * 7;

describe("fitLabel", () => {
  it("keeps a label that fits", () => {
    expect(fitLabel("accuracy", 56, mono)).toBe("accuracy");
  });
  it("cuts with an ellipsis to the room it has", () => {
    const s = fitLabel("n_estimators_per_tree", 70, mono);
    expect(s).toBe("n_estimat…");
    expect(mono(s)).toBeLessThanOrEqual(70);
  });
  it("keeps the prefix and the end of a path-like key, where the keys differ", () => {
    const s = fitLabel("val/classification_accuracy", 105, mono);
    expect(s).toBe("val/…n_accuracy");
    expect(mono(s)).toBeLessThanOrEqual(105);
  });
  it("gives nothing when not even an ellipsis fits", () => {
    expect(fitLabel("lr", 5, mono)).toBe("");
  });
});
