import { describe, expect, it } from "vitest";
import type { SqlArg } from "./keyset.js";
import { likeToGlob, metricComparison, numberSql, stringComparison } from "./sql-compare.js";

describe("likeToGlob", () => {
  it.each([
    ["a%", "a*"],
    ["a_b", "a?b"],
    ["%*%", "*[*]*"],
    ["what?", "what[?]"],
    ["[x]", "[[]x]"],
    ["100\\%", "100\\*"],
  ])("%s -> %s", (like, glob) => expect(likeToGlob(like)).toBe(glob));
});

describe("comparison SQL", () => {
  it("binds finite numbers and writes infinities as literals", () => {
    const args: SqlArg[] = [];
    expect([
      numberSql(1.5, args),
      numberSql(Number.POSITIVE_INFINITY, args),
      numberSql(Number.NEGATIVE_INFINITY, args),
    ]).toEqual(["?", "9e999", "-9e999"]);
    expect(args).toEqual([1.5]);
  });

  it("uses GLOB for LIKE and lower() on both sides for ILIKE", () => {
    const args: SqlArg[] = [];
    expect(stringComparison("x", "LIKE", "a%", args)).toBe("x GLOB ?");
    expect(stringComparison("x", "ILIKE", "A_", args)).toBe("lower(x) GLOB lower(?)");
    expect(stringComparison("x", "NOT IN", ["a", "b"], args)).toBe("x NOT IN (?, ?)");
    expect(stringComparison("x", "!=", "v", args)).toBe("x != ?");
    expect(args).toEqual(["a*", "A?", "a", "b", "v"]);
  });

  it("lets NaN metrics satisfy only != and clamps only for values at the double limits", () => {
    const args: SqlArg[] = [];
    expect(metricComparison("f", "!=", 2, args)).toBe("(f.value != ? OR f.is_nan = 1)");
    expect(metricComparison("f", "<", 2, args)).toBe("f.value < ? AND f.is_nan = 0");
    expect(metricComparison("f", "=", Number.POSITIVE_INFINITY, args)).toBe(
      "MAX(MIN(f.value, 1.7976931348623157e+308), -1.7976931348623157e+308) = 9e999 AND f.is_nan = 0",
    );
    expect(args).toEqual([2, 2]);
  });
});
