import { describe, expect, it } from "vitest";
import {
  clampSmoothing,
  DEFAULT_CHART_SETTINGS,
  readChartSettings,
  sameChartSettings,
  writeChartSettings,
} from "./settings.js";

describe("chart settings in the URL", () => {
  it("reads defaults from an empty query", () => {
    expect(readChartSettings(new URLSearchParams())).toEqual(DEFAULT_CHART_SETTINGS);
  });

  it("reads values under a prefix", () => {
    const q = new URLSearchParams("cx=time&clog=1&csmooth=0.6&px=relative");
    expect(readChartSettings(q)).toEqual({ x: "time", log: true, smoothing: 0.6 });
    expect(readChartSettings(q, "p")).toEqual({ x: "relative", log: false, smoothing: 0 });
  });

  it("falls back to defaults for invalid values and clamps smoothing", () => {
    const q = new URLSearchParams("cx=bogus&clog=yes&csmooth=abc");
    expect(readChartSettings(q)).toEqual(DEFAULT_CHART_SETTINGS);
    expect(readChartSettings(new URLSearchParams("csmooth=5")).smoothing).toBe(0.99);
    expect(readChartSettings(new URLSearchParams("csmooth=-1")).smoothing).toBe(0);
    expect(clampSmoothing(0.456)).toBe(0.46);
  });

  it("omits defaults when writing and keeps other keys", () => {
    const q = new URLSearchParams("filter=a&cx=time&clog=1&csmooth=0.5");
    writeChartSettings(q, DEFAULT_CHART_SETTINGS);
    expect(q.toString()).toBe("filter=a");
  });

  it("round-trips non-default settings", () => {
    const s = { x: "relative", log: true, smoothing: 0.8 } as const;
    const q = writeChartSettings(new URLSearchParams(), s, "k");
    expect(q.toString()).toBe("kx=relative&klog=1&ksmooth=0.8");
    expect(readChartSettings(q, "k")).toEqual(s);
    expect(sameChartSettings(readChartSettings(q, "k"), s)).toBe(true);
    expect(sameChartSettings(s, DEFAULT_CHART_SETTINGS)).toBe(false);
  });

  it("carries the chart board and search through the URL, left out when empty", () => {
    const s = {
      x: "step",
      log: false,
      smoothing: 0,
      board: '{"c":[{"i":"a","k":"bar","m":["acc"]}]}',
      search: "loss",
    } as const;
    const q = writeChartSettings(new URLSearchParams(), s);
    expect(q.get("cb")).toBe(s.board);
    expect(q.get("cq")).toBe("loss");
    expect(readChartSettings(q)).toEqual(s);
    expect(sameChartSettings(readChartSettings(q), s)).toBe(true);
    expect(sameChartSettings(s, { ...s, board: "" })).toBe(false);
    writeChartSettings(q, { ...s, board: "", search: "" });
    expect(q.toString()).toBe("");
  });
});
