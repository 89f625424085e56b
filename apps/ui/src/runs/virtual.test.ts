import { describe, expect, it } from "vitest";
import { columnWindow, offsets, rowWindow } from "./virtual.js";

describe("rowWindow", () => {
  it("covers the viewport plus overscan, clamped to the rows", () => {
    expect(rowWindow(0, 280, 28, 10_000, 5)).toEqual({ start: 0, end: 15 });
    expect(rowWindow(2800, 280, 28, 10_000, 5)).toEqual({ start: 95, end: 115 });
    expect(rowWindow(279_000, 280, 28, 10_000, 5)).toEqual({ start: 9959, end: 9980 });
    expect(rowWindow(279_720, 280, 28, 10_000, 5)).toEqual({ start: 9985, end: 10_000 });
    expect(rowWindow(0, 280, 28, 0)).toEqual({ start: 0, end: 0 });
  });
});

describe("columnWindow", () => {
  const edges = offsets([100, 100, 100, 100, 100]);
  it("computes edges", () => {
    expect(edges).toEqual([0, 100, 200, 300, 400, 500]);
  });
  it("finds the columns overlapping the viewport", () => {
    expect(columnWindow(edges, 0, 150, 0)).toEqual({ start: 0, end: 2 });
    expect(columnWindow(edges, 250, 100, 0)).toEqual({ start: 2, end: 4 });
    expect(columnWindow(edges, 250, 100, 60)).toEqual({ start: 1, end: 5 });
    expect(columnWindow(edges, 0, 5000, 0)).toEqual({ start: 0, end: 5 });
    expect(columnWindow([0], 0, 100)).toEqual({ start: 0, end: 0 });
  });
});
