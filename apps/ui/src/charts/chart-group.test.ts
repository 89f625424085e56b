import { describe, expect, it } from "vitest";
import { ChartGroup, type XWindow } from "./chart-group.js";

describe("ChartGroup", () => {
  it("zooms and resets every member once, with distinct sync keys per group", () => {
    const g = new ChartGroup();
    const seen: (XWindow | null)[] = [];
    const m = { applyZoom: (w: XWindow | null) => seen.push(w) };
    g.join(m);
    g.zoom(1, 5);
    g.zoom(1, 5);
    g.zoom(3, 3);
    g.reset();
    g.reset();
    g.leave(m);
    g.zoom(0, 1);
    expect(seen).toEqual([{ min: 1, max: 5 }, null]);
    expect(g.window).toEqual({ min: 0, max: 1 });
    expect(new ChartGroup().key).not.toBe(g.key);
  });
});
