import { describe, expect, it } from "vitest";
import { parseRunFilter } from "./run-grammar.js";

/**
 * Filters the reference accepts, with the clauses it reads from them. Recorded from MLflow 3.17.2
 * (SearchUtils.parse_search_filter, then the SQL store's comparator checks); values normalised the way
 * parseRunFilter returns them (metric values as numbers, key aliases resolved, comparators upper-cased).
 */
const ACCEPTED: [string, unknown[][]][] = [
  ["metrics.acc > 0.5", [["metric", "acc", ">", 0.5]]],
  ["metric.acc >= 1", [["metric", "acc", ">=", 1]]],
  ["metrics.`acc` < -1", [["metric", "acc", "<", -1]]],
  ['metrics."acc" = 1e3', [["metric", "acc", "=", 1000]]],
  ["metrics.'acc' = 1", [["metric", "acc", "=", 1]]],
  ["`metrics`.acc = 1", [["metric", "acc", "=", 1]]],
  ["metrics.acc = 1E-3", [["metric", "acc", "=", 0.001]]],
  ["metrics.acc = .5", [["metric", "acc", "=", 0.5]]],
  ["metrics.acc = 5.", [["metric", "acc", "=", 5]]],
  ["metrics.acc = -.5", [["metric", "acc", "=", -0.5]]],
  ["metrics.acc = 1e999", [["metric", "acc", "=", Infinity]]],
  ["metrics.acc = -1e999", [["metric", "acc", "=", -Infinity]]],
  ["metrics.acc != 1", [["metric", "acc", "!=", 1]]],
  ["params.p = 'a'", [["parameter", "p", "=", "a"]]],
  ['params.p = "a"', [["parameter", "p", "=", "a"]]],
  ["params.p LIKE '%a%'", [["parameter", "p", "LIKE", "%a%"]]],
  ["params.p like '%a%'", [["parameter", "p", "LIKE", "%a%"]]],
  ["params.p ILIKE '%a%'", [["parameter", "p", "ILIKE", "%a%"]]],
  ["params.p IS NULL", [["parameter", "p", "IS NULL", null]]],
  ["params.p is null", [["parameter", "p", "IS NULL", null]]],
  ["params.p IS NOT NULL", [["parameter", "p", "IS NOT NULL", null]]],
  ["params.p is not null", [["parameter", "p", "IS NOT NULL", null]]],
  ["param.p = 'a'", [["parameter", "p", "=", "a"]]],
  ["parameter.p = 'a'", [["parameter", "p", "=", "a"]]],
  ["parameters.p = 'a'", [["parameter", "p", "=", "a"]]],
  ["tags.t = 'a'", [["tag", "t", "=", "a"]]],
  ["tag.t = 'a'", [["tag", "t", "=", "a"]]],
  ["tags.`mlflow.runName` = 'a'", [["tag", "mlflow.runName", "=", "a"]]],
  ["tags.\"mlflow.runName\" = 'a'", [["tag", "mlflow.runName", "=", "a"]]],
  ["tags.mlflow.runName = 'a'", [["tag", "mlflow.runName", "=", "a"]]],
  ["tags.t IS NULL", [["tag", "t", "IS NULL", null]]],
  ["attributes.status = 'FINISHED'", [["attribute", "status", "=", "FINISHED"]]],
  ["attribute.status = 'FINISHED'", [["attribute", "status", "=", "FINISHED"]]],
  ["attr.status = 'FINISHED'", [["attribute", "status", "=", "FINISHED"]]],
  ["run.status = 'FINISHED'", [["attribute", "status", "=", "FINISHED"]]],
  ["status = 'FINISHED'", [["attribute", "status", "=", "FINISHED"]]],
  ["attributes.run_id IN ('a', 'b')", [["attribute", "run_id", "IN", ["a", "b"]]]],
  ["attributes.run_id NOT IN ('a', 'b')", [["attribute", "run_id", "NOT IN", ["a", "b"]]]],
  ["attributes.run_id IN ('a',)", [["attribute", "run_id", "IN", ["a"]]]],
  ["attributes.run_id in ('a')", [["attribute", "run_id", "IN", ["a"]]]],
  ["attributes.run_id not in ('a')", [["attribute", "run_id", "NOT IN", ["a"]]]],
  ["run_id = 'abc'", [["attribute", "run_id", "=", "abc"]]],
  ["attributes.start_time > 5", [["attribute", "start_time", ">", 5]]],
  ["attributes.start_time > 5.5", [["attribute", "start_time", ">", 5.5]]],
  ["attributes.created > 5", [["attribute", "start_time", ">", 5]]],
  ["attributes.Created > 5", [["attribute", "start_time", ">", 5]]],
  ["attributes.end_time > 5", [["attribute", "end_time", ">", 5]]],
  ["attributes.`run name` = 'x'", [["attribute", "run_name", "=", "x"]]],
  ["attributes.`Run Name` = 'x'", [["attribute", "run_name", "=", "x"]]],
  ["attributes.\"Run name\" = 'x'", [["attribute", "run_name", "=", "x"]]],
  ["`Run name` = 'x'", [["attribute", "run_name", "=", "x"]]],
  ["attributes.run_name = 'x'", [["attribute", "run_name", "=", "x"]]],
  ["attributes.run_name LIKE 'x%'", [["attribute", "run_name", "LIKE", "x%"]]],
  ["datasets.name = 'x'", [["dataset", "name", "=", "x"]]],
  ["dataset.digest = 'x'", [["dataset", "digest", "=", "x"]]],
  ["datasets.context = 'train'", [["dataset", "context", "=", "train"]]],
  ["datasets.name IN ('a','b')", [["dataset", "name", "IN", ["a", "b"]]]],
  ["datasets.name NOT IN ('a','b')", [["dataset", "name", "NOT IN", ["a", "b"]]]],
  ["datasets.name LIKE 'x%'", [["dataset", "name", "LIKE", "x%"]]],
  [
    "metrics.acc > 1 AND params.p = 'a'",
    [
      ["metric", "acc", ">", 1],
      ["parameter", "p", "=", "a"],
    ],
  ],
  [
    "metrics.acc > 1 and params.p = 'a'",
    [
      ["metric", "acc", ">", 1],
      ["parameter", "p", "=", "a"],
    ],
  ],
  ["metrics.acc > 1 AND", [["metric", "acc", ">", 1]]],
  ["AND metrics.acc > 1", [["metric", "acc", ">", 1]]],
  [
    "metrics.acc > 1 params.p = 'a'",
    [
      ["metric", "acc", ">", 1],
      ["parameter", "p", "=", "a"],
    ],
  ],
  [
    "metrics.acc > 1 AND AND params.p = 'a'",
    [
      ["metric", "acc", ">", 1],
      ["parameter", "p", "=", "a"],
    ],
  ],
  ["params.p = 'a''b'", [["parameter", "p", "=", "a''b"]]],
  ["params.p = 'a\\'b'", [["parameter", "p", "=", "a\\'b"]]],
  ['params.p = "a""b"', [["parameter", "p", "=", 'a""b']]],
  ["params.p = 'it''s'", [["parameter", "p", "=", "it''s"]]],
  ["params.p = ''", [["parameter", "p", "=", ""]]],
  ["metrics.`my metric` > 1", [["metric", "my metric", ">", 1]]],
  ["metrics.acc>1", [["metric", "acc", ">", 1]]],
  ["params.p='a'", [["parameter", "p", "=", "a"]]],
  [
    "metrics.acc > 1 AND metrics.acc < 2 AND tags.t != 'x'",
    [
      ["metric", "acc", ">", 1],
      ["metric", "acc", "<", 2],
      ["tag", "t", "!=", "x"],
    ],
  ],
  ["metrics.acc\t>\t1", [["metric", "acc", ">", 1]]],
  [
    "tags.t = 'x' AND status = 'RUNNING'",
    [
      ["tag", "t", "=", "x"],
      ["attribute", "status", "=", "RUNNING"],
    ],
  ],
  ["metrics. acc > 1", [["metric", " acc", ">", 1]]],
  ["metrics.acc>-1", [["metric", "acc", ">", -1]]],
  ["metrics.`a.b` > 1", [["metric", "a.b", ">", 1]]],
  ["metrics.`a``b` > 1", [["metric", "a``b", ">", 1]]],
  ["tags.`a\"b` = 'x'", [["tag", 'a"b', "=", "x"]]],
  ["tags.\"a b\" = 'x'", [["tag", "a b", "=", "x"]]],
  ["tags.\"a'b\" = 'x'", [["tag", "a'b", "=", "x"]]],
  ["tags.'a b' = 'x'", [["tag", "a b", "=", "x"]]],
  ["created > 1", [["attribute", "start_time", ">", 1]]],
  ["start_time > 1", [["attribute", "start_time", ">", 1]]],
  ["end_time > 1", [["attribute", "end_time", ">", 1]]],
  ["user_id = 'x'", [["attribute", "user_id", "=", "x"]]],
  ["artifact_uri = 'x'", [["attribute", "artifact_uri", "=", "x"]]],
  ["run_name = 'x'", [["attribute", "run_name", "=", "x"]]],
  ["run_id = 'x'", [["attribute", "run_id", "=", "x"]]],
  ["status = 'x'", [["attribute", "status", "=", "x"]]],
  ["`attributes`.`status` = 'x'", [["attribute", "status", "=", "x"]]],
  [
    "metrics.acc > 1 AND params.p = 'a' AND",
    [
      ["metric", "acc", ">", 1],
      ["parameter", "p", "=", "a"],
    ],
  ],
  ["params.p = 'a\"b'", [["parameter", "p", "=", 'a"b']]],
  ['params.p = "a\'b"', [["parameter", "p", "=", "a'b"]]],
  [
    "params.p IS NULL AND tags.t IS NOT NULL",
    [
      ["parameter", "p", "IS NULL", null],
      ["tag", "t", "IS NOT NULL", null],
    ],
  ],
  ["params.p IS  NULL", [["parameter", "p", "IS NULL", null]]],
  ["attributes.run_id IN ('a', \"b\")", [["attribute", "run_id", "IN", ["a", "b"]]]],
  ['attributes.run_id IN ("a")', [["attribute", "run_id", "IN", ["a"]]]],
  ["attributes.run_id IN ('a' 'b')", [["attribute", "run_id", "IN", ["ab"]]]],
  ["attributes.run_id IN (('a'))", [["attribute", "run_id", "IN", ["a"]]]],
  ["attributes.run_id NOT  IN ('a')", [["attribute", "run_id", "NOT IN", ["a"]]]],
  [
    "attributes.run_id IN ('a') AND attributes.run_id NOT IN ('b')",
    [
      ["attribute", "run_id", "IN", ["a"]],
      ["attribute", "run_id", "NOT IN", ["b"]],
    ],
  ],
  ["run_id IN ('a')", [["attribute", "run_id", "IN", ["a"]]]],
  ["attributes.run_id IN ('a,b')", [["attribute", "run_id", "IN", ["a,b"]]]],
  ["attributes.run_id IN ('a\\'b')", [["attribute", "run_id", "IN", ["a'b"]]]],
  ["attributes.run_id IN ('a''b')", [["attribute", "run_id", "IN", ["ab"]]]],
  ["datasets.digest IN ('a')", [["dataset", "digest", "IN", ["a"]]]],
  ["datasets.context IN ('a')", [["dataset", "context", "IN", ["a"]]]],
  ['datasets.name = "x"', [["dataset", "name", "=", "x"]]],
  ['attributes.status = "FINISHED"', [["attribute", "status", "=", "FINISHED"]]],
  ["attributes.start_time = 1e3", [["attribute", "start_time", "=", 1000]]],
  ["attributes.start_time = -5", [["attribute", "start_time", "=", -5]]],
  ["attributes.start_time != 5", [["attribute", "start_time", "!=", 5]]],
  ["metrics.acc = 01", [["metric", "acc", "=", 1]]],
  ["tags.`t` = 'x'", [["tag", "t", "=", "x"]]],
  ["tags.`` = 'x'", [["tag", "", "=", "x"]]],
  ["tags. = 'x'", [["tag", "", "=", "x"]]],
  ["tags.* = 'x'", [["tag", "*", "=", "x"]]],
  [
    "metrics.acc > 1 AND params.p = 'a' AND tags.t = 'x' AND attributes.status = 'y' AND datasets.name = 'z'",
    [
      ["metric", "acc", ">", 1],
      ["parameter", "p", "=", "a"],
      ["tag", "t", "=", "x"],
      ["attribute", "status", "=", "y"],
      ["dataset", "name", "=", "z"],
    ],
  ],
];

const clauses = (filter: string) => parseRunFilter(filter).map((c) => [c.type, c.key, c.comparator, c.value]);

describe("runs filter grammar: accepted", () => {
  it.each(ACCEPTED)("%s", (filter, expected) => expect(clauses(filter)).toEqual(expected));

  it("returns no clauses for an empty or missing filter", () => {
    expect(parseRunFilter("")).toEqual([]);
    expect(parseRunFilter(undefined)).toEqual([]);
  });

  it("resolves every entity alias", () => {
    for (const [prefix, type] of [
      ["metric", "metric"],
      ["metrics", "metric"],
      ["param", "parameter"],
      ["params", "parameter"],
      ["parameter", "parameter"],
      ["parameters", "parameter"],
      ["tag", "tag"],
      ["tags", "tag"],
      ["dataset", "dataset"],
      ["datasets", "dataset"],
    ]) {
      const value = type === "metric" ? "1" : "'v'";
      const key = type === "dataset" ? "name" : "k";
      expect(clauses(`${prefix}.${key} = ${value}`)).toEqual([[type, key, "=", type === "metric" ? 1 : "v"]]);
    }
    for (const prefix of ["attribute", "attributes", "attr", "run", "`attributes`"]) {
      expect(clauses(`${prefix}.status = 'FINISHED'`)).toEqual([["attribute", "status", "=", "FINISHED"]]);
    }
  });

  it("accepts every runs attribute, translating the created and run name aliases", () => {
    const numeric = { start_time: "start_time", end_time: "end_time", created: "start_time", Created: "start_time" };
    for (const [key, canonical] of Object.entries(numeric))
      expect(clauses(`${key} > 5`)).toEqual([["attribute", canonical, ">", 5]]);
    const strings = {
      run_id: "run_id",
      run_name: "run_name",
      status: "status",
      user_id: "user_id",
      artifact_uri: "artifact_uri",
    };
    for (const [key, canonical] of Object.entries(strings))
      expect(clauses(`${key} = 'v'`)).toEqual([["attribute", canonical, "=", "v"]]);
    for (const alias of ["run name", "Run name", "Run Name"]) {
      expect(clauses(`attributes.\`${alias}\` = 'v'`)).toEqual([["attribute", "run_name", "=", "v"]]);
    }
  });

  it("keeps infinities written as 1e999 and reads IN lists as Python literals", () => {
    expect(clauses("metrics.m >= -1e999")).toEqual([["metric", "m", ">=", -Infinity]]);
    expect(clauses(`run_id IN ('a\\'b', "c", r'd\\n', 'e' "f", '\\x41')`)).toEqual([
      ["attribute", "run_id", "IN", ["a'b", "c", "d\\n", "ef", "A"]],
    ]);
  });

  it("reads `tags.my tag IS NULL` as one key, as sqlparse's alias grouping does", () => {
    expect(clauses("tags.my tag IS NULL")).toEqual([["tag", "my tag", "IS NULL", null]]);
  });
});
