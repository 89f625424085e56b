import { describe, expect, it } from "vitest";
import { MAX_NAME_W, MIN_NAME_W, NAME_CHROME, nameColumnWidth } from "./name-width.js";

const mono = (t: string) => t.length * 7;

describe("nameColumnWidth", () => {
  it("fits the widest name with its indent", () => {
    const rows = [
      { name: "sweep", depth: 0 },
      { name: "random-forest-n_estimators-200", depth: 1 },
    ];
    expect(nameColumnWidth(rows, mono)).toBe(14 + 30 * 7 + NAME_CHROME);
  });
  it("stays between the minimum and the cap", () => {
    expect(nameColumnWidth([{ name: "a", depth: 0 }], mono)).toBe(MIN_NAME_W);
    expect(nameColumnWidth([], mono)).toBe(MIN_NAME_W);
    expect(nameColumnWidth([{ name: "x".repeat(200), depth: 0 }], mono)).toBe(MAX_NAME_W);
    expect(nameColumnWidth([{ name: "x".repeat(200), depth: 0 }], mono, 400)).toBe(400);
  });
  it("leaves room for the deleted tag", () => {
    const plain = nameColumnWidth([{ name: "x".repeat(20), depth: 0 }], mono);
    expect(nameColumnWidth([{ name: "x".repeat(20), depth: 0, deleted: true }], mono)).toBeGreaterThan(plain);
  });
});
