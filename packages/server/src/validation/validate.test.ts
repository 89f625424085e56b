import { describe, expect, it } from "vitest";
import { normpath } from "./posix-path.js";
import {
  validateBatchLimits,
  validateMetric,
  validateParam,
  validateParamKeysUnique,
  validateTag,
} from "./validate.js";

describe("normpath (Python posixpath.normpath)", () => {
  it.each([
    ["", "."],
    ["a/b", "a/b"],
    ["a//b", "a/b"],
    ["a/./b", "a/b"],
    ["a/b/", "a/b"],
    ["a/../b", "b"],
    ["../a", "../a"],
    ["/../a", "/a"],
    ["//a", "//a"],
    ["///a", "/a"],
    [".", "."],
  ])("%j -> %j", (input, expected) => expect(normpath(input)).toBe(expected));
});

describe("key validation", () => {
  it("accepts MLflow's key charset", () => {
    expect(() => validateParam("lr/layer 1:x-y.z_w", "v")).not.toThrow();
    expect(() => validateTag("größe", "v")).not.toThrow();
  });
  it("rejects bad characters with the reference wording", () => {
    expect(() => validateParam("a!b", "v")).toThrow(
      `Invalid value "a!b" for parameter 'key' supplied: Names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), colon(:) and slashes (/).`,
    );
  });
  it("rejects names that resolve to other names", () => {
    expect(() => validateTag("a//b", "v")).toThrow("This name would resolve to 'a/b'");
    expect(() => validateTag("../a", "v")).toThrow("resolve to '../a'");
    expect(() => validateTag("/a", "v")).toThrow("resolve to '/a'");
  });
  it("limits lengths", () => {
    expect(() => validateParam("k", "x".repeat(6000))).not.toThrow();
    expect(() => validateParam("k", "x".repeat(6001))).toThrow(
      "'Param value' exceeds the maximum length of 6000 characters",
    );
    expect(() => validateTag("k".repeat(251), "v")).toThrow("'key' exceeds the maximum length of 250 characters");
    expect(() => validateTag("k", "v".repeat(8001), "tags[3]")).toThrow(
      "'tags[3].value' exceeds the maximum length of 8000",
    );
  });
  it("checks metric timestamps and names", () => {
    expect(() => validateMetric({ key: "m", value: 1, timestamp: -1, step: 0 })).toThrow(
      "Timestamp must be a nonnegative long",
    );
    expect(() => validateMetric({ value: 1, timestamp: 1, step: 0 }, "metrics[0]")).toThrow(
      `Invalid value null for parameter 'metrics[0].name' supplied: Metric name cannot be None. A key name must be provided.`,
    );
  });
  it("enforces batch limits and unique param keys", () => {
    expect(() => validateBatchLimits(1000, 0, 0)).not.toThrow();
    expect(() => validateBatchLimits(1001, 0, 0)).toThrow(
      "A batch logging request can contain at most 1000 metrics. Got 1001 metrics.",
    );
    expect(() => validateBatchLimits(900, 100, 1)).toThrow("at most 1000 metrics, params, and tags");
    expect(() => validateParamKeysUnique(["a", "b", "a"])).toThrow(
      "Duplicate parameter keys have been submitted: ['a']",
    );
  });
});
