import { describe, expect, it } from "vitest";
import type { MlflowError } from "../errors.js";
import { parseTraceComparisons } from "./trace-grammar.js";
import { sortSets, TRACE_FILTER_GOLDEN } from "./trace-grammar-golden.test-helpers.js";

function parsed(filter: string) {
  try {
    return parseTraceComparisons(filter).map((c) => [c.type, c.key, c.comparator, c.value]);
  } catch (e) {
    return { error: sortSets((e as MlflowError).message) };
  }
}

describe("parseTraceComparisons against the reference's parser", () => {
  it.each(TRACE_FILTER_GOLDEN)("%s", (filter, expected) => {
    const want = "error" in expected ? { error: sortSets(expected.error) } : expected;
    expect(parsed(filter)).toEqual(want);
  });
});
