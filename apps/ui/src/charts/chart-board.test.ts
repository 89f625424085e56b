import { describe, expect, it } from "vitest";
import {
  matchesSearch,
  moveItem,
  newChartId,
  orderKeys,
  parseBoard,
  reorderKeys,
  serializeBoard,
  specTitle,
} from "./chart-board.js";

describe("chart board in the URL", () => {
  it("round-trips added charts, overrides and order, and writes nothing for an empty board", () => {
    const board = {
      c: [
        { i: "c1", k: "bar" as const, m: ["acc"] },
        { i: "c2", k: "line" as const, m: ["loss"], x: "time" as const, log: true, smooth: 0.5 },
        { i: "c3", k: "difference" as const, b: "run1", d: true },
        { i: "c4", k: "images" as const, v: { mode: "logged" as const, keys: ["samples"], step: 5 } },
      ],
      o: { f1: { k: "line" as const } },
      r: ["f1", "acc"],
    };
    const text = serializeBoard(board);
    expect(parseBoard(text)).toEqual(board);
    expect(serializeBoard(parseBoard(""))).toBe("");
    expect(serializeBoard({ c: [], o: { x: {} }, r: [] })).toBe("");
  });

  it("drops what it cannot read instead of failing", () => {
    expect(parseBoard("{not json")).toEqual({ c: [], o: {}, r: [] });
    const b = parseBoard(
      JSON.stringify({
        c: [
          { i: "a", k: "pie" },
          { k: "bar" },
          { i: "b", k: "bar", m: ["acc", 3], x: "bogus", smooth: 7 },
          { i: "b", k: "line" },
        ],
        o: { acc: { k: "scatter", log: "yes" }, f1: { k: "bar", x: "relative" } },
        r: ["a", 1, "a"],
      }),
    );
    expect(b).toEqual({ c: [{ i: "b", k: "bar", m: ["acc"] }], o: { f1: { k: "bar", x: "relative" } }, r: ["a"] });
  });

  it("orders keys: the dragged ones first, the rest as given", () => {
    expect(orderKeys(["a", "b", "c", "d"], ["c", "x", "a"])).toEqual(["c", "a", "b", "d"]);
    expect(moveItem(["a", "b", "c", "d"], "d", "b")).toEqual(["a", "d", "b", "c"]);
    expect(moveItem(["a", "b", "c", "d"], "a", "c")).toEqual(["b", "c", "a", "d"]);
    expect(moveItem(["a", "b"], "a", "zz")).toEqual(["a", "b"]);
  });

  it("writes down a section's order only up to the last card moved, keeping other sections' order", () => {
    expect(reorderKeys(["train/x"], ["a", "b", "c", "d", "e"], "c", "a")).toEqual(["c", "a", "train/x"]);
    expect(reorderKeys([], ["a", "b", "c", "d"], "a", "c")).toEqual(["b", "c", "a"]);
    const order = reorderKeys([], ["a", "b", "c"], "a", "b");
    expect(orderKeys(["a", "b", "c"], order)).toEqual(["b", "a", "c"]);
  });

  it("names charts, gives new ids and matches search words anywhere, in any case", () => {
    expect(specTitle({ i: "c1", k: "scatter", c: ["p:lr", "m:acc"] })).toBe("acc vs lr");
    expect(specTitle({ i: "c1", k: "contour", c: ["p:lr", "p:depth", "m:acc"] })).toBe("acc over lr × depth");
    expect(specTitle({ i: "c1", k: "bar", m: ["f1"] })).toBe("f1");
    expect(
      newChartId({
        c: [
          { i: "c1", k: "bar" },
          { i: "c3", k: "bar" },
        ],
        o: {},
        r: [],
      }),
    ).toBe("c4");
    expect(matchesSearch("VAL acc", "val/accuracy")).toBe(true);
    expect(matchesSearch("val loss", "val/accuracy")).toBe(false);
    expect(matchesSearch("  ", "anything")).toBe(true);
  });
});
