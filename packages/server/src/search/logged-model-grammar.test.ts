import { describe, expect, it } from "vitest";
import { MlflowError } from "../errors.js";
import { parseLoggedModelFilter, pyFloatOf } from "./logged-model-grammar.js";

/** Filters the reference rejects while parsing, with its code and message (recorded from MLflow 3.17.2). */
const REJECTED: [string, string, string][] = [
  [
    "last_updated_time > 0",
    "INVALID_PARAMETER_VALUE",
    "Invalid comparison operator for attributes.last_updated_time: '>'. Expected one of ('=', '!=', 'LIKE', 'ILIKE', 'IN', 'NOT IN').",
  ],
  ["creation_timestamp > '5'", "INTERNAL_ERROR", `could not convert string to float: "'5'"`],
  [
    "creation_timestamp LIKE 5",
    "INVALID_PARAMETER_VALUE",
    "Invalid comparison operator for attributes.creation_timestamp_ms: 'LIKE'. Expected one of ('<', '<=', '>', '>=', '=', '!=').",
  ],
  ["metrics.acc > a", "INTERNAL_ERROR", "could not convert string to float: 'a'"],
  [
    "metrics.acc IN (1, 2)",
    "INVALID_PARAMETER_VALUE",
    "Invalid comparison operator for metrics.acc: 'IN'. Expected one of ('<', '<=', '>', '>=', '=', '!=').",
  ],
  [
    "name NOT LIKE 'a'",
    "INVALID_PARAMETER_VALUE",
    "Invalid comparison operator for attributes.name: 'NOT LIKE'. Expected one of ('=', '!=', 'LIKE', 'ILIKE', 'IN', 'NOT IN').",
  ],
  [
    "metric.acc > 1",
    "INVALID_PARAMETER_VALUE",
    "Invalid entity type: 'metric'. Expected one of ['attributes', 'metrics', 'params', 'tags'].",
  ],
  [
    '"metrics".acc > 1',
    "INVALID_PARAMETER_VALUE",
    `Invalid comparison operator for attributes."metrics".acc: '>'. Expected one of ('=', '!=', 'LIKE', 'ILIKE', 'IN', 'NOT IN').`,
  ],
  [
    "tags.team IS NULL",
    "INVALID_PARAMETER_VALUE",
    "Invalid comparison: tags.teamIS NULL. Expected a comparison with 3 tokens.",
  ],
  [
    "name = 'a' OR name = 'b'",
    "INVALID_PARAMETER_VALUE",
    `Invalid filter string: "name = 'a' OR name = 'b'". Expected a list of comparisons separated by 'AND' (e.g. 'metrics.loss > 0.1 AND params.lr = 0.01').`,
  ],
  [
    "name = 'a'; name = 'b'",
    "INVALID_PARAMETER_VALUE",
    `Invalid filter string: "name = 'a'; name = 'b'". Expected a single SQL expression.`,
  ],
  ["   ", "INVALID_PARAMETER_VALUE", "Invalid filter string: '   '. Expected a single SQL expression."],
  [
    "metrics.loss > -inf",
    "INVALID_PARAMETER_VALUE",
    "Invalid filter string: 'metrics.loss > -inf'. Expected a list of comparisons separated by 'AND' (e.g. 'metrics.loss > 0.1 AND params.lr = 0.01').",
  ],
  // comparisons are read in order: the first bad one decides
  ["metrics.x > 'y' AND metric.x > 1", "INTERNAL_ERROR", `could not convert string to float: "'y'"`],
];

describe("parseLoggedModelFilter", () => {
  it.each(REJECTED)("refuses %s", (filter, code, message) => {
    try {
      parseLoggedModelFilter(filter);
    } catch (e) {
      expect(e).toBeInstanceOf(MlflowError);
      expect([(e as MlflowError).code, (e as MlflowError).message]).toEqual([code, message]);
      return;
    }
    throw new Error("parsed");
  });

  it("reads entities, aliases, operators and values as the reference does", () => {
    expect(parseLoggedModelFilter("creation_time > 1e3 AND metrics.`val acc` <= .5 and params.lr in ('1')")).toEqual([
      { entity: "attributes", key: "creation_timestamp_ms", op: ">", value: { kind: "number", value: 1000 } },
      { entity: "metrics", key: "val acc", op: "<=", value: { kind: "number", value: 0.5 } },
      { entity: "params", key: "lr", op: "IN", value: { kind: "literal", value: { py: "tuple", items: ["1"] } } },
    ]);
    // unquoted and oddly quoted values are read from their text; double quotes stay
    const values = parseLoggedModelFilter(`name = alpha AND model_type = '''x''' AND tags.t = "q"`).map((c) => c.value);
    expect(values).toEqual([
      { kind: "text", value: "alpha" },
      { kind: "text", value: "x" },
      { kind: "text", value: '"q"' },
    ]);
    // unknown attributes parse: the reference only fails on them when building its query
    expect(parseLoggedModelFilter("foo = 'a'")[0]).toMatchObject({ entity: "attributes", key: "foo" });
    expect(parseLoggedModelFilter(undefined)).toEqual([]);
    expect(parseLoggedModelFilter("AND name = 'a' AND")).toHaveLength(1);
  });

  it("reads numbers as Python's float() does", () => {
    expect([pyFloatOf("1_0"), pyFloatOf("-2.5e-3"), pyFloatOf("Infinity"), pyFloatOf("-inf")]).toEqual([
      10,
      -0.0025,
      Infinity,
      -Infinity,
    ]);
    expect(pyFloatOf("nan")).toBeNaN();
    expect(() => pyFloatOf("1__0")).toThrow("could not convert string to float: '1__0'");
  });
});
