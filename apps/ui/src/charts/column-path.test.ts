import { describe, expect, it } from "vitest";
import { columnPath, type PathSink } from "./column-path.js";

/** Records the vertices a path gets. */
class Recorder implements PathSink {
  readonly ops: string[] = [];
  moveTo(x: number, y: number) {
    this.ops.push(`M${x},${y}`);
  }
  lineTo(x: number, y: number) {
    this.ops.push(`L${x},${y}`);
  }
}

const y = (v: number) => v;
const cols = (xs: number[], i0 = 0) => ({ i0, xs: Float64Array.from(xs) });

describe("columnPath", () => {
  it("draws one vertex per cell when every cell has its own pixel column", () => {
    const p = columnPath(cols([0, 1, 2]), [5, 6, 7], null, null, y, new Recorder());
    expect(p.ops).toEqual(["M0,5", "L1,6", "L2,7"]);
  });

  it("reduces cells sharing a pixel column to entry, extremes and exit", () => {
    // Column 0 holds 5, 8, 1, 4: enter at 5, the nearer extreme (8), the other (1), leave at 4.
    const p = columnPath(cols([0, 0, 0, 0, 1]), [5, 8, 1, 4, 3], null, null, y, new Recorder());
    expect(p.ops).toEqual(["M0,5", "L0,8", "L0,1", "L0,4", "L1,3"]);
  });

  it("reaches a decimated cell's low and high (a spike between kept points)", () => {
    const p = columnPath(cols([0, 1, 2]), [1, 1, 1], [1, 1, 1], [1, 80, 1], y, new Recorder());
    expect(p.ops).toEqual(["M0,1", "L1,1", "L1,80", "L1,1", "L2,1"]);
  });

  it("spans nulls and starts at i0", () => {
    const p = columnPath(cols([10, 11, 12], 2), [9, 9, 1, null, 3], null, null, y, new Recorder());
    expect(p.ops).toEqual(["M10,1", "L12,3"]);
  });

  it("stays within four vertices a column however many cells it gets", () => {
    const n = 100_000;
    const xs = Array.from({ length: n }, (_, i) => Math.floor(i / 1000));
    const v = Array.from({ length: n }, (_, i) => Math.sin(i));
    const p = columnPath(cols(xs), v, null, null, y, new Recorder());
    expect(p.ops.length).toBeLessThanOrEqual(4 * 100);
  });
});
