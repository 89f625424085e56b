import { describe, expect, it } from "vitest";
import { idwGrid, rampColor } from "./contour-grid.js";

describe("contour surface", () => {
  it("interpolates between samples and keeps within their range", () => {
    const g = idwGrid(
      [
        { px: 0, py: 0, z: 0 },
        { px: 1, py: 1, z: 10 },
        { px: 1, py: 0, z: 5 },
      ],
      4,
      4,
    );
    expect(g).toHaveLength(4);
    expect(g[0]).toHaveLength(4);
    const all = g.flat();
    expect(Math.min(...all)).toBeGreaterThan(0);
    expect(Math.max(...all)).toBeLessThan(10);
    // Bottom-left cell is nearest the 0 sample, top-right nearest the 10 sample.
    expect(g[0]?.[0]).toBeLessThan(3);
    expect(g[3]?.[3]).toBeGreaterThan(7);
  });

  it("spans a wider range when asked", () => {
    const g = idwGrid(
      [
        { px: 0, py: 0, z: 1 },
        { px: 1, py: 1, z: 2 },
      ],
      2,
      1,
      -1,
      2,
    );
    // Cell centres at x = -0.25 and 1.25, y = 0.5: the left one is nearer the first sample.
    expect(g[0]?.[0]).toBeLessThan(1.5);
    expect(g[0]?.[1]).toBeGreaterThan(1.5);
  });

  it("takes a sample's value at its own cell centre and NaN with no samples", () => {
    expect(idwGrid([{ px: 0.5, py: 0.5, z: 3 }], 1, 1)).toEqual([[3]]);
    expect(idwGrid([], 1, 1)[0]?.[0]).toBeNaN();
  });

  it("maps 0..1 onto the viridis ramp, clamped", () => {
    expect(rampColor(0)).toBe("rgb(68 1 84)");
    expect(rampColor(1)).toBe("rgb(253 231 37)");
    expect(rampColor(5)).toBe(rampColor(1));
    expect(rampColor(Number.NaN)).toBe(rampColor(0));
  });
});
