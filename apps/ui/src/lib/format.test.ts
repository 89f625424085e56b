import { describe, expect, it } from "vitest";
import {
  contrast,
  formatAgo,
  formatBytes,
  formatDuration,
  formatNumber,
  formatTime,
  RUN_PALETTE,
  runColor,
  runColorIndex,
  tagRecord,
  withTag,
} from "./format.js";

const rgb = (hex: string) => [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16));

describe("formatDuration", () => {
  it("humanises with padded minor units", () => {
    expect(formatDuration(120)).toBe("120ms");
    expect(formatDuration(5_240)).toBe("5.2s");
    expect(formatDuration(184_000)).toBe("3m 04s");
    expect(formatDuration(3_720_000)).toBe("1h 02m");
    expect(formatDuration(2 * 86_400_000 + 3 * 3_600_000)).toBe("2d 03h");
  });
  it("is empty when unknown", () => {
    expect(formatDuration(undefined)).toBe("");
    expect(formatDuration(-1)).toBe("");
    expect(formatDuration(Number.NaN)).toBe("");
  });
});

describe("formatAgo", () => {
  const now = 1_800_000_000_000;
  it("uses coarse relative units", () => {
    expect(formatAgo(now - 3_000, now)).toBe("just now");
    expect(formatAgo(now + 5_000, now)).toBe("just now");
    expect(formatAgo(now - 42_000, now)).toBe("42 s ago");
    expect(formatAgo(now - 3 * 60_000, now)).toBe("3 min ago");
    expect(formatAgo(now - 5 * 3_600_000, now)).toBe("5 h ago");
    expect(formatAgo(now - 86_400_000, now)).toBe("1 day ago");
    expect(formatAgo(now - 12 * 86_400_000, now)).toBe("12 days ago");
    expect(formatAgo(now - 100 * 86_400_000, now)).toBe("3 months ago");
    expect(formatAgo(now - 800 * 86_400_000, now)).toBe("2 years ago");
  });
  it("is empty for no time", () => {
    expect(formatAgo(undefined, now)).toBe("");
    expect(formatAgo(0, now)).toBe("");
  });
});

describe("formatNumber / formatBytes / formatTime / tagRecord", () => {
  it("formats metric values", () => {
    expect(formatNumber(0.123456789)).toBe("0.123457");
    expect(formatNumber(12_345_678)).toBe("1.235e+7");
    expect(formatNumber("NaN")).toBe("NaN");
    expect(formatNumber(Number.NEGATIVE_INFINITY)).toBe("-Infinity");
    expect(formatNumber(undefined)).toBe("");
  });
  it("formats sizes", () => {
    expect(formatBytes(512)).toBe("512 B");
    expect(formatBytes(1536)).toBe("1.5 KB");
    expect(formatBytes(undefined)).toBe("");
  });
  it("formats local times", () => {
    expect(formatTime(new Date(2026, 10, 27, 9, 5, 3).getTime())).toBe("2026-11-27 09:05:03");
    expect(formatTime(0)).toBe("");
  });
  it("turns tag lists into records", () => {
    expect(tagRecord([{ key: "a", value: "1" }, { key: "b" }])).toEqual({ a: "1", b: "" });
    expect(tagRecord(undefined)).toEqual({});
  });
  it("sets, replaces and removes a tag in a list", () => {
    const tags = [
      { key: "a", value: "1" },
      { key: "b", value: "2" },
    ];
    expect(withTag(tags, "a", "3")).toEqual([
      { key: "b", value: "2" },
      { key: "a", value: "3" },
    ]);
    expect(withTag(tags, "a")).toEqual([{ key: "b", value: "2" }]);
    expect(withTag(undefined, "c", "")).toEqual([{ key: "c", value: "" }]);
    expect(tags).toHaveLength(2);
  });
});

describe("runColor", () => {
  const ids = Array.from({ length: 200 }, (_, i) => `${(i * 2654435761).toString(16).padStart(8, "0")}abcdef${i}`);

  it("is stable per run id and theme", () => {
    for (const id of ids.slice(0, 20)) {
      expect(runColor(id, "light")).toBe(runColor(id, "light"));
      expect(runColor(id, "dark")).toBe(runColor(id, "dark"));
    }
  });
  it("spreads run ids over the whole palette", () => {
    const used = new Set(ids.map(runColorIndex));
    expect(used.size).toBe(RUN_PALETTE.length);
  });
  it("keeps at least 3:1 contrast against both backgrounds", () => {
    for (const id of ids) {
      expect(contrast(rgb(runColor(id, "light")), [255, 255, 255])).toBeGreaterThanOrEqual(3);
      expect(contrast(rgb(runColor(id, "dark")), [21, 24, 30])).toBeGreaterThanOrEqual(3);
    }
  });
  it("leaves palette colours that already contrast untouched", () => {
    const blue = ids.find((id) => runColorIndex(id) === 0) ?? "";
    expect(runColor(blue, "light")).toBe(RUN_PALETTE[0]);
    expect(runColor(blue, "dark")).toBe(RUN_PALETTE[0]);
  });
  it("keeps distinct colours distinct after the contrast adjustment", () => {
    for (const theme of ["light", "dark"] as const) {
      const colours = new Set(
        RUN_PALETTE.map((_, i) => runColor(ids.find((id) => runColorIndex(id) === i) ?? "", theme)),
      );
      expect(colours.size).toBe(RUN_PALETTE.length);
    }
  });
});
