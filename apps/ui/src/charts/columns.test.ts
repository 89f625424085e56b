import { describe, expect, it } from "vitest";
import { columnId, differs, logTicks, makeScale, niceTicks, parseColumnId, position, scaleTicks } from "./columns.js";

describe("column ids", () => {
  it("round-trips kinds and keys with colons", () => {
    expect(columnId("param", "lr")).toBe("p:lr");
    expect(parseColumnId(columnId("metric", "val/acc:top1"))).toEqual({ kind: "metric", key: "val/acc:top1" });
    expect(parseColumnId("x:y")).toBeUndefined();
  });
});

describe("differs", () => {
  it("compares as strings and counts missing values", () => {
    expect(differs(["1", 1, "1"])).toBe(false);
    expect(differs(["1", "2"])).toBe(true);
    expect(differs(["a", undefined])).toBe(true);
    expect(differs(["a"])).toBe(false);
  });
});

describe("scales", () => {
  it("uses a linear scale for numbers given as strings", () => {
    const s = makeScale(["0.1", "0.3", undefined, 0.2]);
    expect(s).toEqual({ kind: "linear", min: 0.1, max: 0.3 });
    expect(position(s!, "0.2")).toBeCloseTo(0.5);
    expect(position(s!, undefined)).toBeUndefined();
  });
  it("puts positive values spanning two decades on a log axis", () => {
    const s = makeScale(["0.0001", "0.01", "0.001"]);
    expect(s).toEqual({ kind: "linear", min: 0.0001, max: 0.01, log: true });
    expect(position(s!, "0.001")).toBeCloseTo(0.5);
    expect(scaleTicks(s!).map(([, v]) => v)).toEqual([0.0001, 0.0002, 0.0005, 0.001, 0.002, 0.005, 0.01]);
    expect(logTicks(0.5, 5000)).toEqual([1, 10, 100, 1000]);
    expect(makeScale([1, 50])).toEqual({ kind: "linear", min: 1, max: 50 });
  });
  it("widens a single value", () => {
    expect(makeScale([5, "5"])).toEqual({ kind: "linear", min: 4.5, max: 5.5 });
    expect(makeScale([0])).toEqual({ kind: "linear", min: -1, max: 1 });
  });
  it("uses categories in natural order for anything else", () => {
    const s = makeScale(["adam", "sgd", "adam", "", "lamb10", "lamb2"]);
    expect(s).toEqual({ kind: "ordinal", categories: ["", "adam", "lamb2", "lamb10", "sgd"] });
    expect(position(s!, "adam")).toBe(0.25);
    expect(position(s!, "rmsprop")).toBeUndefined();
    expect(position({ kind: "ordinal", categories: ["x"] }, "x")).toBe(0.5);
  });
  it("is undefined without values", () => {
    expect(makeScale([undefined])).toBeUndefined();
  });
});

describe("ticks", () => {
  it("picks round steps inside the range", () => {
    expect(niceTicks(0, 1, 5)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(0.13, 0.87, 4)).toEqual([0.2, 0.4, 0.6, 0.8]);
    expect(niceTicks(-3, 1017, 5)).toEqual([0, 500, 1000]);
    expect(niceTicks(2, 2)).toEqual([2]);
  });
  it("places scale ticks and thins many categories", () => {
    expect(scaleTicks({ kind: "linear", min: 0, max: 10 }, 2)).toEqual([
      [0, 0],
      [0.5, 5],
      [1, 10],
    ]);
    const cats = Array.from({ length: 30 }, (_, i) => `c${i}`);
    expect(scaleTicks({ kind: "ordinal", categories: cats }, 5, 10).length).toBe(10);
  });
});
