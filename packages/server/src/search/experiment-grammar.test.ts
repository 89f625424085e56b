import { describe, expect, it } from "vitest";
import { MlflowError } from "../errors.js";
import { parseExperimentFilter } from "./experiment-grammar.js";

/**
 * The experiments grammar, recorded from MLflow 3.17.2 (SearchExperimentsUtils.parse_search_filter, then the SQL
 * store's checks); Python sets in messages are printed in tracklite's fixed order, experiment ids parsed to numbers.
 */
const ACCEPTED: [string, unknown[][]][] = [
  ["name = 'x'", [["attribute", "name", "=", "x"]]],
  ["name LIKE 'x%'", [["attribute", "name", "LIKE", "x%"]]],
  ["name ILIKE 'x%'", [["attribute", "name", "ILIKE", "x%"]]],
  ["name != 'x'", [["attribute", "name", "!=", "x"]]],
  ["attribute.name = 'x'", [["attribute", "name", "=", "x"]]],
  ["experiment_id = '1'", [["attribute", "experiment_id", "=", 1]]],
  ["experiment_id IN ('1','2')", [["attribute", "experiment_id", "IN", [1, 2]]]],
  ["experiment_id NOT IN ('1')", [["attribute", "experiment_id", "NOT IN", [1]]]],
  ["creation_time > 5", [["attribute", "creation_time", ">", 5]]],
  ["last_update_time <= 5", [["attribute", "last_update_time", "<=", 5]]],
  ["tags.t = 'x'", [["tag", "t", "=", "x"]]],
  ["tag.t = 'x'", [["tag", "t", "=", "x"]]],
  ["tags.t IS NULL", [["tag", "t", "IS NULL", null]]],
  ["tags.t IS NOT NULL", [["tag", "t", "IS NOT NULL", null]]],
  ["tags.t LIKE 'x%'", [["tag", "t", "LIKE", "x%"]]],
  ["tags.`a.b` = 'x'", [["tag", "a.b", "=", "x"]]],
  [
    "name = 'x' AND tags.t = 'y'",
    [
      ["attribute", "name", "=", "x"],
      ["tag", "t", "=", "y"],
    ],
  ],
  ["experiment_id = ' 2 '", [["attribute", "experiment_id", "=", 2]]],
  ["experiment_id = '+2'", [["attribute", "experiment_id", "=", 2]]],
  ["experiment_id = '1_0'", [["attribute", "experiment_id", "=", 10]]],
  ["creation_time < -5", [["attribute", "creation_time", "<", -5]]],
  ["tags.team is not null", [["tag", "team", "IS NOT NULL", null]]],
  ["tags.team ILIKE 'A'", [["tag", "team", "ILIKE", "A"]]],
  ["tags.\"a b\" = 'x'", [["tag", "a b", "=", "x"]]],
  ['attribute.`name` = "x"', [["attribute", "name", "=", "x"]]],
  ["name = 'x' AND", [["attribute", "name", "=", "x"]]],
  [
    "name = 'x' name = 'y'",
    [
      ["attribute", "name", "=", "x"],
      ["attribute", "name", "=", "y"],
    ],
  ],
];

const REJECTED: [string, string, string][] = [
  [
    "name IN ('a')",
    "INVALID_PARAMETER_VALUE",
    "Only ['experiment_id'] attributes support comparison with a list of quoted string values.",
  ],
  [
    "name > 'x'",
    "INVALID_PARAMETER_VALUE",
    "Invalid comparator '>' not one of '{'!=', '=', 'LIKE', 'ILIKE', 'IN', 'NOT IN'}'",
  ],
  [
    "attributes.name = 'x'",
    "INVALID_PARAMETER_VALUE",
    "Invalid entity type 'attributes'. Valid entity types are ('attribute', 'tag', 'tags')",
  ],
  [
    "attr.name = 'x'",
    "INVALID_PARAMETER_VALUE",
    "Invalid entity type 'attr'. Valid entity types are ('attribute', 'tag', 'tags')",
  ],
  ["experiment_id = 1", "INVALID_PARAMETER_VALUE", "Expected a quoted string value for attributes. Got value 1"],
  ["experiment_id > '1'", "INVALID_PARAMETER_VALUE", "Invalid comparator for experiment_id: >"],
  [
    "experiment_id = 'abc'",
    "INVALID_PARAMETER_VALUE",
    "Invalid experiment ID 'abc'. Experiment ID must be a valid integer.",
  ],
  [
    "experiment_id IN ('a')",
    "INVALID_PARAMETER_VALUE",
    "Invalid experiment ID 'a'. Experiment ID must be a valid integer.",
  ],
  ["creation_time > 5.5", "INVALID_PARAMETER_VALUE", "Invalid value for numeric attribute 'creation_time': '5.5'"],
  [
    "creation_time > '5'",
    "INVALID_PARAMETER_VALUE",
    "Expected numeric value type for numeric attribute: creation_time. Found '5'",
  ],
  [
    "creation_time LIKE 5",
    "INVALID_PARAMETER_VALUE",
    "Invalid comparator 'LIKE' not one of '{'!=', '=', 'LIKE', 'ILIKE', 'IN', 'NOT IN'}",
  ],
  ["tags.t > 'x'", "INVALID_PARAMETER_VALUE", "Invalid comparator for tag: >"],
  [
    "tags.t IN ('x')",
    "INVALID_PARAMETER_VALUE",
    "Expected a quoted string value for tag (e.g. 'my-value'). Got value ('x')",
  ],
  [
    "metrics.m > 1",
    "INVALID_PARAMETER_VALUE",
    "Invalid entity type 'metrics'. Valid entity types are ('attribute', 'tag', 'tags')",
  ],
  [
    "params.p = 'x'",
    "INVALID_PARAMETER_VALUE",
    "Invalid entity type 'params'. Valid entity types are ('attribute', 'tag', 'tags')",
  ],
  [
    "name IS NULL",
    "INVALID_PARAMETER_VALUE",
    "IS NULL / IS NOT NULL is only supported for tags, not for attribute 'name'",
  ],
  [
    "foo = 'x'",
    "INVALID_PARAMETER_VALUE",
    "Invalid attribute key 'foo' specified. Valid keys are '{'creation_time', 'experiment_id', 'last_update_time', 'name'}'",
  ],
  [
    "lifecycle_stage = 'active'",
    "INVALID_PARAMETER_VALUE",
    "Invalid attribute key 'lifecycle_stage' specified. Valid keys are '{'creation_time', 'experiment_id', 'last_update_time', 'name'}'",
  ],
  ["name = 'x' OR tags.t = 'y'", "INVALID_PARAMETER_VALUE", "Invalid clause(s) in filter string: OR"],
  [
    "name like 'b%'",
    "INVALID_PARAMETER_VALUE",
    "Invalid comparator 'like' not one of '{'!=', '=', 'LIKE', 'ILIKE', 'IN', 'NOT IN'}'",
  ],
  ["experiment_id in ('1')", "INVALID_PARAMETER_VALUE", "Invalid comparator for experiment_id: in"],
  [
    "experiment_id IN ('x')",
    "INVALID_PARAMETER_VALUE",
    "Invalid experiment ID 'x'. Experiment ID must be a valid integer.",
  ],
  ["experiment_id LIKE '1'", "INVALID_PARAMETER_VALUE", "Invalid comparator for experiment_id: LIKE"],
  ["creation_time > 0.5", "INVALID_PARAMETER_VALUE", "Invalid value for numeric attribute 'creation_time': '0.5'"],
  [
    "creation_time like 5",
    "INVALID_PARAMETER_VALUE",
    "Invalid comparator 'like' not one of '{'!=', '=', 'LIKE', 'ILIKE', 'IN', 'NOT IN'}",
  ],
  ["creation_time = 1e3", "INVALID_PARAMETER_VALUE", "Invalid value for numeric attribute 'creation_time': '1000.0'"],
  ["creation_time = 1e999", "INVALID_PARAMETER_VALUE", "Invalid value for numeric attribute 'creation_time': 'inf'"],
  ["tags.team like 'b'", "INVALID_PARAMETER_VALUE", "Invalid comparator for tag: like"],
  [
    "name NOT LIKE 'b%'",
    "INVALID_PARAMETER_VALUE",
    "Invalid comparator 'NOT LIKE' not one of '{'!=', '=', 'LIKE', 'ILIKE', 'IN', 'NOT IN'}'",
  ],
  [
    "`tags`.t = 'x'",
    "INVALID_PARAMETER_VALUE",
    "Invalid entity type '`tags`'. Valid entity types are ('attribute', 'tag', 'tags')",
  ],
  [
    "name = 'x'; name = 'y'",
    "INVALID_PARAMETER_VALUE",
    "Search filter contained multiple expression \"name = 'x'; name = 'y'\". Provide AND-ed expression list.",
  ],
  ["(name = 'x')", "INVALID_PARAMETER_VALUE", "Invalid clause(s) in filter string: (name = 'x')"],
  [
    "experiment_id IN ()",
    "INVALID_PARAMETER_VALUE",
    "While parsing a list in the query, expected a non-empty list of string values, but got empty list",
  ],
  [
    "experiment_id IN (1)",
    "INVALID_PARAMETER_VALUE",
    "While parsing a list in the query, expected string value, punctuation, or whitespace, but got different type in list: (1,)",
  ],
  ["tags.t = 1", "INVALID_PARAMETER_VALUE", "Expected a quoted string value for tag (e.g. 'my-value'). Got value 1"],
  [
    "name = x",
    "INVALID_PARAMETER_VALUE",
    "Parameter value is either not quoted or unidentified quote types used for string value x. Use either single or double quotes.",
  ],
];

const clauses = (filter: string) => parseExperimentFilter(filter).map((c) => [c.type, c.key, c.comparator, c.value]);

function errorOf(filter: string): [string, string] {
  try {
    parseExperimentFilter(filter);
  } catch (e) {
    if (e instanceof MlflowError) return [e.code, e.message];
    throw e;
  }
  throw new Error(`accepted: ${filter}`);
}

describe("experiments filter grammar", () => {
  it.each(ACCEPTED)("accepts %s", (filter, expected) => expect(clauses(filter)).toEqual(expected));
  it.each(REJECTED)("rejects %s", (filter, code, message) => expect(errorOf(filter)).toEqual([code, message]));

  it("refuses a list compared with = (the reference fails binding the tuple)", () => {
    expect(errorOf("experiment_id = ('1')")[0]).toBe("BAD_REQUEST");
  });

  it("parses experiment ids like Python's int()", () => {
    expect(clauses("experiment_id IN (' 7 ', '-1', '1_000')")).toEqual([
      ["attribute", "experiment_id", "IN", [7, -1, 1000]],
    ]);
    expect(errorOf("experiment_id = '1__0'")[1]).toBe(
      "Invalid experiment ID '1__0'. Experiment ID must be a valid integer.",
    );
    expect(errorOf("experiment_id = '1.0'")[1]).toBe(
      "Invalid experiment ID '1.0'. Experiment ID must be a valid integer.",
    );
  });
});
