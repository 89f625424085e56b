import { describe, expect, it } from "vitest";
import { formatSeconds, formatStep, formatTick, formatValue } from "./axis-format.js";

describe("formatTick", () => {
  it("uses SI suffixes for large values", () => {
    expect(formatTick(1200, 100)).toBe("1.2k");
    expect(formatTick(2000, 1000)).toBe("2k");
    expect(formatTick(3_400_000, 100_000)).toBe("3.4M");
    expect(formatTick(1.25e9, 0.05e9)).toBe("1.25G");
    expect(formatTick(-5000, 1000)).toBe("-5k");
  });

  it("keeps enough decimals for the tick increment", () => {
    expect(formatTick(0.25, 0.05)).toBe("0.25");
    expect(formatTick(0.3, 0.1)).toBe("0.3");
    expect(formatTick(12, 2)).toBe("12");
    expect(formatTick(1500, 250)).toBe("1.5k");
    expect(formatTick(1250, 250)).toBe("1.25k");
    expect(formatTick(0, 0.1)).toBe("0");
  });

  it("uses exponents for tiny values", () => {
    expect(formatTick(1e-5, 1e-5)).toBe("1e-5");
    expect(formatTick(2.5e-4, 0.5e-4)).toBe("2.5e-4");
  });
});

describe("formatValue", () => {
  it("gives 4 significant digits", () => {
    expect(formatValue(0.123456)).toBe("0.1235");
    expect(formatValue(1)).toBe("1");
    expect(formatValue(12345)).toBe("12.35k");
    expect(formatValue(2e-5)).toBe("2.000e-5");
  });
  it("spells out missing and special values", () => {
    expect(formatValue(null)).toBe("–");
    expect(formatValue(Number.NaN)).toBe("NaN");
    expect(formatValue(Number.NEGATIVE_INFINITY)).toBe("-Infinity");
  });
});

describe("formatSeconds and formatStep", () => {
  it("formats short durations", () => {
    expect(formatSeconds(0)).toBe("0s");
    expect(formatSeconds(2.5)).toBe("2.5s");
    expect(formatSeconds(45)).toBe("45s");
    expect(formatSeconds(120)).toBe("2m");
    expect(formatSeconds(90)).toBe("1m30s");
    expect(formatSeconds(3900)).toBe("1h5m");
    expect(formatSeconds(2 * 86400 + 3 * 3600)).toBe("2d3h");
    expect(formatSeconds(-30)).toBe("-30s");
  });
  it("separates thousands in steps", () => {
    expect(formatStep(12345)).toBe("12,345");
  });
});
