import { describe, expect, it } from "vitest";
import { MlflowError } from "../errors.js";
import { parseRunFilter } from "./run-grammar.js";

/**
 * Filters the reference rejects, with its error code and message. Recorded from MLflow 3.17.2; where the reference
 * prints a Python set (in a per-process random order) the expectation has tracklite's fixed order.
 */
const REJECTED: [string, string, string][] = [
  [
    '"metrics".acc = 1',
    "INVALID_PARAMETER_VALUE",
    "Invalid entity type '\"metrics\"'. Valid values are ['metric', 'parameter', 'tag', 'attribute', 'dataset']",
  ],
  ["metrics.acc = 0x10", "INVALID_PARAMETER_VALUE", "Invalid clause(s) in filter string: 'metrics.acc', '=', '0x10'"],
  ["metrics.acc = NaN", "INVALID_PARAMETER_VALUE", "Expected numeric value type for metric. Found NaN"],
  ["metrics.acc = 'nan'", "INVALID_PARAMETER_VALUE", "Expected numeric value type for metric. Found 'nan'"],
  [
    "metrics.acc LIKE 1",
    "INVALID_PARAMETER_VALUE",
    "Invalid comparator 'LIKE' not one of '{'>', '>=', '!=', '=', '<', '<='}",
  ],
  [
    "metrics.acc <> 1",
    "INVALID_PARAMETER_VALUE",
    "Invalid comparator '<>' not one of '{'>', '>=', '!=', '=', '<', '<='}",
  ],
  [
    "metrics.acc == 1",
    "INVALID_PARAMETER_VALUE",
    "Invalid comparator '==' not one of '{'>', '>=', '!=', '=', '<', '<='}",
  ],
  [
    "params.p = a",
    "INVALID_PARAMETER_VALUE",
    "Parameter value is either not quoted or unidentified quote types used for string value a. Use either single or double quotes.",
  ],
  [
    "params.p = 1",
    "INVALID_PARAMETER_VALUE",
    "Expected a quoted string value for parameter (e.g. 'my-value'). Got value 1",
  ],
  [
    "params.p NOT LIKE '%a%'",
    "INVALID_PARAMETER_VALUE",
    "Invalid comparator 'NOT LIKE' not one of '{'!=', '=', 'LIKE', 'ILIKE', 'IS NULL', 'IS NOT NULL'}'",
  ],
  [
    "params.p IN ('a')",
    "INVALID_PARAMETER_VALUE",
    "Expected a quoted string value for parameter (e.g. 'my-value'). Got value ('a')",
  ],
  [
    "params.p > 'a'",
    "INVALID_PARAMETER_VALUE",
    "Invalid comparator '>' not one of '{'!=', '=', 'LIKE', 'ILIKE', 'IS NULL', 'IS NOT NULL'}'",
  ],
  [
    "attributes.status IN ('FINISHED')",
    "INVALID_PARAMETER_VALUE",
    "Only ['run_id'] attributes support comparison with a list of quoted string values.",
  ],
  [
    "attributes.run_id IN ()",
    "INVALID_PARAMETER_VALUE",
    "While parsing a list in the query, expected a non-empty list of string values, but got empty list",
  ],
  [
    "attributes.run_id IN (1, 2)",
    "INVALID_PARAMETER_VALUE",
    "While parsing a list in the query, expected string value, punctuation, or whitespace, but got different type in list: (1, 2)",
  ],
  [
    "attributes.start_time > '5'",
    "INVALID_PARAMETER_VALUE",
    "Expected numeric value type for numeric attribute: start_time. Found '5'",
  ],
  [
    "attributes.end_time IS NULL",
    "INVALID_PARAMETER_VALUE",
    "IS NULL / IS NOT NULL is only supported for tags and params, not for 'attribute' 'end_time'",
  ],
  [
    "attributes.lifecycle_stage = 'active'",
    "INVALID_PARAMETER_VALUE",
    "Invalid attribute key 'lifecycle_stage' specified. Valid keys are '{'artifact_uri', 'end_time', 'run_id', 'run_name', 'start_time', 'status', 'user_id', 'created', 'Created', 'run name', 'Run name', 'Run Name'}'",
  ],
  [
    "attributes.experiment_id = '1'",
    "INVALID_PARAMETER_VALUE",
    "Invalid attribute key 'experiment_id' specified. Valid keys are '{'artifact_uri', 'end_time', 'run_id', 'run_name', 'start_time', 'status', 'user_id', 'created', 'Created', 'run name', 'Run name', 'Run Name'}'",
  ],
  [
    "attributes.foo = 'x'",
    "INVALID_PARAMETER_VALUE",
    "Invalid attribute key 'foo' specified. Valid keys are '{'artifact_uri', 'end_time', 'run_id', 'run_name', 'start_time', 'status', 'user_id', 'created', 'Created', 'run name', 'Run name', 'Run Name'}'",
  ],
  [
    "attributes.status > 'x'",
    "INVALID_PARAMETER_VALUE",
    "Invalid comparator '>' not one of '{'!=', '=', 'LIKE', 'ILIKE', 'IN', 'NOT IN'}'",
  ],
  [
    "attributes.start_time LIKE 5",
    "INVALID_PARAMETER_VALUE",
    "Invalid comparator 'LIKE' not one of '{'!=', '=', 'LIKE', 'ILIKE', 'IN', 'NOT IN'}",
  ],
  [
    "datasets.source = 'x'",
    "INVALID_PARAMETER_VALUE",
    "Invalid dataset key 'source' specified. Valid keys are '{'context', 'digest', 'name'}'",
  ],
  [
    "datasets.name > 'x'",
    "INVALID_PARAMETER_VALUE",
    "Invalid comparator '>' not one of '{'!=', '=', 'LIKE', 'ILIKE', 'IN', 'NOT IN'}",
  ],
  [
    "datasets.name = 5",
    "INVALID_PARAMETER_VALUE",
    "Expected a quoted string value for dataset attributes. Got value 5",
  ],
  [
    "foo.bar = 1",
    "INVALID_PARAMETER_VALUE",
    "Invalid entity type 'foo'. Valid values are ['metric', 'parameter', 'tag', 'attribute', 'dataset']",
  ],
  ["metrics.acc > 1 OR params.p = 'a'", "INVALID_PARAMETER_VALUE", "Invalid clause(s) in filter string: 'OR'"],
  ["(metrics.acc > 1)", "INVALID_PARAMETER_VALUE", "Invalid clause(s) in filter string: '(metrics.acc > 1)'"],
  [
    "metrics.acc > 1; params.p = 'a'",
    "INVALID_PARAMETER_VALUE",
    "Search filter contained multiple expression \"metrics.acc > 1; params.p = 'a'\". Provide AND-ed expression list.",
  ],
  ["metrics.acc", "INVALID_PARAMETER_VALUE", "Invalid clause(s) in filter string: 'metrics.acc'"],
  ["metrics.acc >", "INVALID_PARAMETER_VALUE", "Invalid clause(s) in filter string: 'metrics.acc', '>'"],
  ["> 1", "INVALID_PARAMETER_VALUE", "Invalid clause(s) in filter string: '>', '1'"],
  ["metrics.acc 1", "INVALID_PARAMETER_VALUE", "Invalid clause(s) in filter string: 'metrics.acc', '1'"],
  [
    "params.p = 'unterminated",
    "INVALID_PARAMETER_VALUE",
    "Invalid clause(s) in filter string: 'params.p', '=', ''', 'unterminated'",
  ],
  ["metrics.my metric > 1", "INVALID_PARAMETER_VALUE", "Invalid clause(s) in filter string: 'metrics.my'"],
  [
    "metrics.my-metric > 1",
    "INVALID_PARAMETER_VALUE",
    "Invalid comparison clause. Expected 'Identifier' found 'metrics.my-metric'",
  ],
  [" ", "INVALID_PARAMETER_VALUE", "Invalid filter ' '. Could not be parsed."],
  [";", "INVALID_PARAMETER_VALUE", "Invalid clause(s) in filter string: ';'"],
  ["metrics.acc > 1;", "INVALID_PARAMETER_VALUE", "Invalid clause(s) in filter string: ';'"],
  ["metrics.acc > 1 ;", "INVALID_PARAMETER_VALUE", "Invalid clause(s) in filter string: ';'"],
  [
    "metrics .acc > 1",
    "INVALID_PARAMETER_VALUE",
    "Invalid entity type 'metrics '. Valid values are ['metric', 'parameter', 'tag', 'attribute', 'dataset']",
  ],
  ["metrics.acc > 1e+5", "INVALID_PARAMETER_VALUE", "Expected numeric value type for metric. Found 1e+5"],
  ["metrics.acc > 1abc", "INVALID_PARAMETER_VALUE", "Expected numeric value type for metric. Found 1abc"],
  ["metrics.acc > 1e5abc", "INVALID_PARAMETER_VALUE", "Invalid clause(s) in filter string: 'metrics.acc > 1e5abc'"],
  ["metrics.acc > - 1", "INVALID_PARAMETER_VALUE", "Invalid clause(s) in filter string: 'metrics.acc', '>', '-', '1'"],
  ["metrics.acc > +1", "INVALID_PARAMETER_VALUE", "Invalid clause(s) in filter string: 'metrics.acc', '>', '+', '1'"],
  ["metrics.acc > 1.5.5", "INVALID_PARAMETER_VALUE", "Invalid clause(s) in filter string: '.5'"],
  [
    "params.my-param = 'x'",
    "INVALID_PARAMETER_VALUE",
    "Invalid comparison clause. Expected 'Identifier' found 'params.my-param'",
  ],
  [
    "metrics.a/b > 1",
    "INVALID_PARAMETER_VALUE",
    "Invalid comparison clause. Expected 'Identifier' found 'metrics.a/b'",
  ],
  ["tags.a:b = 'x'", "INVALID_PARAMETER_VALUE", "Invalid clause(s) in filter string: 'tags.a', ':'"],
  ["tags.a b = 'x'", "INVALID_PARAMETER_VALUE", "Invalid clause(s) in filter string: 'tags.a'"],
  [
    "STATUS = 'x'",
    "INVALID_PARAMETER_VALUE",
    "Invalid attribute key 'STATUS' specified. Valid keys are '{'artifact_uri', 'end_time', 'run_id', 'run_name', 'start_time', 'status', 'user_id', 'created', 'Created', 'run name', 'Run name', 'Run Name'}'",
  ],
  [
    "Status = 'x'",
    "INVALID_PARAMETER_VALUE",
    "Invalid attribute key 'Status' specified. Valid keys are '{'artifact_uri', 'end_time', 'run_id', 'run_name', 'start_time', 'status', 'user_id', 'created', 'Created', 'run name', 'Run name', 'Run Name'}'",
  ],
  [
    "ATTRIBUTES.status = 'x'",
    "INVALID_PARAMETER_VALUE",
    "Invalid entity type 'ATTRIBUTES'. Valid values are ['metric', 'parameter', 'tag', 'attribute', 'dataset']",
  ],
  [
    "Metrics.acc > 1",
    "INVALID_PARAMETER_VALUE",
    "Invalid entity type 'Metrics'. Valid values are ['metric', 'parameter', 'tag', 'attribute', 'dataset']",
  ],
  [
    "METRICS.acc > 1",
    "INVALID_PARAMETER_VALUE",
    "Invalid entity type 'METRICS'. Valid values are ['metric', 'parameter', 'tag', 'attribute', 'dataset']",
  ],
  [
    "`attributes.status` = 'x'",
    "INVALID_PARAMETER_VALUE",
    "Invalid entity type '`attributes'. Valid values are ['metric', 'parameter', 'tag', 'attribute', 'dataset']",
  ],
  [
    "\"attributes\".status = 'x'",
    "INVALID_PARAMETER_VALUE",
    "Invalid entity type '\"attributes\"'. Valid values are ['metric', 'parameter', 'tag', 'attribute', 'dataset']",
  ],
  [
    "metrics.acc > 1 AND (params.p = 'a')",
    "INVALID_PARAMETER_VALUE",
    "Invalid clause(s) in filter string: '(params.p = 'a')'",
  ],
  ["metrics.acc > 1 AND NOT params.p = 'a'", "INVALID_PARAMETER_VALUE", "Invalid clause(s) in filter string: 'NOT'"],
  [
    "metrics.acc > 1 && params.p = 'a'",
    "INVALID_PARAMETER_VALUE",
    "Invalid comparison clause. Expected 'Identifier' found 'metrics.acc > 1 && params.p'",
  ],
  ["params.p = 'a' 'b'", "INVALID_PARAMETER_VALUE", "Invalid clause(s) in filter string: ''b''"],
  ["params.p = 'a' AND 'b'", "INVALID_PARAMETER_VALUE", "Invalid clause(s) in filter string: ''b''"],
  ['params.p = "a"b"', "INVALID_PARAMETER_VALUE", "Invalid clause(s) in filter string: 'params.p = \"a\"b', '\"'"],
  ["params.p IS 'a'", "INVALID_PARAMETER_VALUE", "Invalid clause(s) in filter string: 'params.p', 'IS', ''a''"],
  [
    "params.p IS NOT 'a'",
    "INVALID_PARAMETER_VALUE",
    "Invalid clause(s) in filter string: 'params.p', 'IS', 'NOT', ''a''",
  ],
  [
    "params.p IS NOT   NULL",
    "INVALID_PARAMETER_VALUE",
    "Invalid clause(s) in filter string: 'params.p', 'IS', 'NOT   NULL'",
  ],
  ["params.p ISNULL", "INVALID_PARAMETER_VALUE", "Invalid clause(s) in filter string: 'params.p', 'ISNULL'"],
  [
    "params.p = NULL",
    "INVALID_PARAMETER_VALUE",
    "Expected a quoted string value for parameter (e.g. 'my-value'). Got value NULL",
  ],
  [
    "params.p != NULL",
    "INVALID_PARAMETER_VALUE",
    "Expected a quoted string value for parameter (e.g. 'my-value'). Got value NULL",
  ],
  [
    "metrics.acc IS NULL",
    "INVALID_PARAMETER_VALUE",
    "IS NULL / IS NOT NULL is only supported for tags and params, not for 'metric' 'acc'",
  ],
  [
    "datasets.name IS NULL",
    "INVALID_PARAMETER_VALUE",
    "IS NULL / IS NOT NULL is only supported for tags and params, not for 'dataset' 'name'",
  ],
  [
    "attributes.run_id IN ('a', 1)",
    "INVALID_PARAMETER_VALUE",
    "While parsing a list in the query, expected string value, punctuation, or whitespace, but got different type in list: ('a', 1)",
  ],
  [
    "attributes.run_id IN 'a'",
    "INVALID_PARAMETER_VALUE",
    "Invalid clause(s) in filter string: 'attributes.run_id', 'IN', ''a''",
  ],
  [
    "attributes.run_id IN ('a'",
    "INVALID_PARAMETER_VALUE",
    "Invalid clause(s) in filter string: 'attributes.run_id', 'IN', '(', ''a''",
  ],
  ["attributes.run_id IN ('a')) ", "INVALID_PARAMETER_VALUE", "Invalid clause(s) in filter string: ')'"],
  [
    "attributes.run_id IN (None)",
    "INVALID_PARAMETER_VALUE",
    "While parsing a list in the query, expected string value, punctuation, or whitespace, but got different type in list: (None,)",
  ],
  [
    "attributes.run_id IN ('a', None)",
    "INVALID_PARAMETER_VALUE",
    "While parsing a list in the query, expected string value, punctuation, or whitespace, but got different type in list: ('a', None)",
  ],
  [
    "attributes.run_id IN ([1])",
    "INVALID_PARAMETER_VALUE",
    "While parsing a list in the query, expected string value, punctuation, or whitespace, but got different type in list: ([1],)",
  ],
  [
    "datasets.name IN ()",
    "INVALID_PARAMETER_VALUE",
    "While parsing a list in the query, expected a non-empty list of string values, but got empty list",
  ],
  [
    "datasets.name IN (1)",
    "INVALID_PARAMETER_VALUE",
    "While parsing a list in the query, expected string value, punctuation, or whitespace, but got different type in list: (1,)",
  ],
  [
    "datasets.name LIKE 5",
    "INVALID_PARAMETER_VALUE",
    "Expected a quoted string value for dataset attributes. Got value 5",
  ],
  [
    "params.p NOT ILIKE 'a'",
    "INVALID_PARAMETER_VALUE",
    "Invalid comparator 'NOT ILIKE' not one of '{'!=', '=', 'LIKE', 'ILIKE', 'IS NULL', 'IS NOT NULL'}'",
  ],
  [
    "params.p RLIKE 'a'",
    "INVALID_PARAMETER_VALUE",
    "Invalid comparator 'RLIKE' not one of '{'!=', '=', 'LIKE', 'ILIKE', 'IS NULL', 'IS NOT NULL'}'",
  ],
  [
    "params.p REGEXP 'a'",
    "INVALID_PARAMETER_VALUE",
    "Invalid comparator 'REGEXP' not one of '{'!=', '=', 'LIKE', 'ILIKE', 'IS NULL', 'IS NOT NULL'}'",
  ],
  [
    "params.p not   like 'a'",
    "INVALID_PARAMETER_VALUE",
    "Invalid comparator 'NOT   LIKE' not one of '{'!=', '=', 'LIKE', 'ILIKE', 'IS NULL', 'IS NOT NULL'}'",
  ],
  ["params.p LIKE", "INVALID_PARAMETER_VALUE", "Invalid clause(s) in filter string: 'params.p', 'LIKE'"],
  [
    "params.p = 'a' = 'b'",
    "INVALID_PARAMETER_VALUE",
    "Invalid comparison clause. Expected 'Identifier' found 'params.p = 'a''",
  ],
  [
    "metrics.acc > 1 > 2",
    "INVALID_PARAMETER_VALUE",
    "Invalid comparison clause. Expected 'Identifier' found 'metrics.acc > 1'",
  ],
  ["1 < metrics.acc", "INVALID_PARAMETER_VALUE", "Invalid comparison clause. Expected 'Identifier' found '1'"],
  ["'a' = params.p", "INVALID_PARAMETER_VALUE", "Invalid comparison clause. Expected 'Identifier' found ''a''"],
  [
    "params.p = params.q",
    "INVALID_PARAMETER_VALUE",
    "Parameter value is either not quoted or unidentified quote types used for string value params.q. Use either single or double quotes.",
  ],
  ["metrics.acc = metrics.b", "INVALID_PARAMETER_VALUE", "Expected numeric value type for metric. Found metrics.b"],
  [
    'attributes.start_time = "1"',
    "INVALID_PARAMETER_VALUE",
    'Expected numeric value type for numeric attribute: start_time. Found "1"',
  ],
  [
    "attributes.start_time IN (1)",
    "INVALID_PARAMETER_VALUE",
    "Expected numeric value type for numeric attribute: start_time. Found (1)",
  ],
  ["metrics.acc > 1 -- comment", "INVALID_PARAMETER_VALUE", "Invalid clause(s) in filter string: '-- comment'"],
  ["metrics.acc > 1 /* c */", "INVALID_PARAMETER_VALUE", "Invalid clause(s) in filter string: '/* c */'"],
  ["metrics.acc = 1_000", "INVALID_PARAMETER_VALUE", "Expected numeric value type for metric. Found 1_000"],
  ["tags.``t`` = 'x'", "INVALID_PARAMETER_VALUE", "Invalid clause(s) in filter string: 'tags.``t'"],
];

function errorOf(filter: string): [string, string] {
  try {
    parseRunFilter(filter);
  } catch (e) {
    if (e instanceof MlflowError) return [e.code, e.message];
    throw e;
  }
  throw new Error(`accepted: ${filter}`);
}

describe("runs filter grammar: rejected", () => {
  it.each(REJECTED)("%s", (filter, code, message) => expect(errorOf(filter)).toEqual([code, message]));

  it("refuses lists compared with = (the reference fails binding the tuple)", () => {
    expect(errorOf("attributes.run_id = ('a')")[0]).toBe("BAD_REQUEST");
    expect(errorOf("datasets.name LIKE ('a', 'b')")[0]).toBe("BAD_REQUEST");
  });

  it("reports ill-formed IN lists as INVALID_PARAMETER_VALUE (the reference raises a 500 for bare names)", () => {
    expect(errorOf("attributes.run_id IN (a)")).toEqual([
      "INVALID_PARAMETER_VALUE",
      "While parsing a list in the query, expected a non-empty list of string values, but got ill-formed list.",
    ]);
  });

  it("parses every clause before checking any comparator, as the reference does", () => {
    expect(errorOf("metrics.m LIKE 1 AND params.p = a")[1]).toMatch(/^Parameter value is either not quoted/);
    expect(errorOf("metrics.m LIKE 1 AND params.p = 'a'")[1]).toMatch(/^Invalid comparator 'LIKE'/);
  });

  it("refuses pathological filters like sqlparse's limits do", () => {
    const deep = `${"(".repeat(101)}1${")".repeat(101)}`;
    expect(errorOf(`run_id IN ${deep}`)).toEqual([
      "INVALID_PARAMETER_VALUE",
      `Error on parsing filter 'run_id IN ${deep}'`,
    ]);
    const long = Array.from({ length: 2600 }, () => "tags.t = 'x'").join(" AND ");
    expect(errorOf(long)[1]).toBe(`Error on parsing filter '${long}'`);
  });
});
