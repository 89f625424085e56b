import { describe, expect, it } from "vitest";
import { clickSelect } from "./selection.js";

const order = ["a", "b", "c", "d", "e"];

describe("clickSelect", () => {
  it("toggles one run and anchors there", () => {
    const r = clickSelect(new Set(), order, "b", { shift: false, anchor: undefined });
    expect([...r.selected]).toEqual(["b"]);
    expect(r.anchor).toBe("b");
    expect([...clickSelect(r.selected, order, "b", { shift: false, anchor: "b" }).selected]).toEqual([]);
  });

  it("selects a range on shift-click, in either direction", () => {
    expect([...clickSelect(new Set(["b"]), order, "d", { shift: true, anchor: "b" }).selected].sort()).toEqual([
      "b",
      "c",
      "d",
    ]);
    expect([...clickSelect(new Set(), order, "a", { shift: true, anchor: "c" }).selected].sort()).toEqual([
      "a",
      "b",
      "c",
    ]);
  });

  it("clears a range when the shift-clicked run was selected", () => {
    const all = new Set(order);
    expect([...clickSelect(all, order, "d", { shift: true, anchor: "b" }).selected]).toEqual(["a", "e"]);
  });

  it("falls back to a toggle when the anchor is gone", () => {
    expect([...clickSelect(new Set(), order, "c", { shift: true, anchor: "zz" }).selected]).toEqual(["c"]);
  });
});
