import { describe, expect, it } from "vitest";
import { type GridOptions, gridModel, type RunImageData, spread } from "./image-grid-model.js";
import { groupLoggedImages } from "./logged-images.js";

const img = (key: string, step: number, run: string) =>
  [
    `images/${key}+step+${step}+timestamp+${1000 + step}+${run}-${step}.png`,
    `images/${key}+step+${step}+timestamp+${1000 + step}+${run}-${step}+compressed.webp`,
  ] as const;
const data = (run: string, entries: [string, number][], files: string[] = []): RunImageData => ({
  logged: groupLoggedImages(entries.flatMap(([k, s]) => img(k, s, run))),
  files,
});
const opts = (o: Partial<GridOptions> = {}): GridOptions => ({
  mode: "logged",
  across: "keys",
  keys: undefined,
  files: undefined,
  step: undefined,
  maxSteps: 10,
  ...o,
});

const a = data("a", [
  ["pred", 0],
  ["pred", 1],
  ["pred", 2],
  ["mask", 0],
]);
const b = data("b", [
  ["pred", 0],
  ["pred", 2],
  ["pred", 4],
]);

describe("gridModel, logged images across keys", () => {
  it("starts at the last step; each run shows its own image at or before it", () => {
    const m = gridModel([a, b], opts());
    expect(m.columns.map((c) => c.id)).toEqual(["mask", "pred"]);
    expect(m.steps).toEqual([0, 1, 2, 4]);
    expect(m.step).toBe(4);
    expect(m.cells.map((row) => row.map((c) => c?.step))).toEqual([
      [0, 2],
      [undefined, 4],
    ]);
    expect(m.cells[1]?.[1]).toMatchObject({ path: img("pred", 4, "b")[0], thumbnail: img("pred", 4, "b")[1] });
  });

  it("follows the chosen step and keys, in the order given; unknown keys are dropped", () => {
    const m = gridModel([a, b, undefined], opts({ step: 1, keys: ["pred", "nope"] }));
    expect(m.columns.map((c) => c.id)).toEqual(["pred"]);
    expect(m.cells.map((row) => row.map((c) => c?.path))).toEqual([
      [img("pred", 1, "a")[0]],
      [img("pred", 0, "b")[0]],
      [undefined],
    ]);
    expect(m.allKeys).toEqual(["mask", "pred"]);
  });
});

describe("gridModel, other views", () => {
  it("across steps: a column per step of the first key, empty where a run has none", () => {
    const m = gridModel([a, b], opts({ across: "steps", keys: ["pred"] }));
    expect(m.columns.map((c) => c.label)).toEqual(["Step 0", "Step 1", "Step 2", "Step 4"]);
    expect(m.cells.map((row) => row.map((c) => c?.step))).toEqual([
      [0, 1, 2, undefined],
      [0, undefined, 2, 4],
    ]);
    expect(m.steps).toEqual([]);
  });

  it("artifacts: a column per image file, the file itself as its own thumbnail", () => {
    const x = data("x", [], ["plots/cm.png", "roc.png"]);
    const y = data("y", [], ["roc.png"]);
    const m = gridModel([x, y], opts({ mode: "artifacts" }));
    expect(m.columns.map((c) => c.id)).toEqual(["plots/cm.png", "roc.png"]);
    expect(m.cells.map((row) => row.map((c) => c?.thumbnail))).toEqual([
      ["plots/cm.png", "roc.png"],
      [undefined, "roc.png"],
    ]);
  });
});

describe("spread", () => {
  it("keeps the first and last and spreads the rest evenly", () => {
    expect(spread([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 3)).toEqual([0, 5, 10]);
    expect(spread([1, 2], 5)).toEqual([1, 2]);
    expect(spread([1, 2, 3], 1)).toEqual([3]);
  });
});
