import { describe, expect, it } from "vitest";
import { MlflowError } from "../errors.js";
import { parseExperimentOrderBy, parseRunOrderBy, shlexSplit } from "./order-by.js";

/**
 * order_by clauses recorded from MLflow 3.17.2 (the SQL store's _get_orderby_clauses and
 * _get_search_experiments_order_by_clauses); run keys with aliases resolved (created → start_time).
 */
const RUN_ACCEPTED: [string, [string, string, boolean]][] = [
  ["Created DESC", ["attribute", "start_time", false]],
  ["Created", ["attribute", "start_time", true]],
  ["`metrics.m` DESC", ["metric", "m", false]],
  ["`metrics`.m", ["metric", "m", true]],
  ["attr.status", ["attribute", "status", true]],
  ["attributes.run_id", ["attribute", "run_id", true]],
  ["attributes.run_name DESC", ["attribute", "run_name", false]],
  ["attributes.run_name", ["attribute", "run_name", true]],
  ["attributes.start_time DESC", ["attribute", "start_time", false]],
  ["attributes.start_time", ["attribute", "start_time", true]],
  ["attributes.status", ["attribute", "status", true]],
  ["created DESC", ["attribute", "start_time", false]],
  ["created", ["attribute", "start_time", true]],
  ["metric.m", ["metric", "m", true]],
  ["metrics.'it''s'", ["metric", "it''s", true]],
  ["metrics.'my metric' DESC", ["metric", "my metric", false]],
  ['metrics."a b"', ["metric", "a b", true]],
  ['metrics."a" DESC', ["metric", "a", false]],
  ['metrics."my metric" DESC', ["metric", "my metric", false]],
  ["metrics.`a b` DESC", ["metric", "a b", false]],
  ["metrics.`a b` asc", ["metric", "a b", true]],
  ["metrics.`m` DESC", ["metric", "m", false]],
  ["metrics.`my metric` DESC", ["metric", "my metric", false]],
  ["metrics.m  DESC", ["metric", "m", false]],
  ["metrics.m ASC", ["metric", "m", true]],
  ["metrics.m DESC", ["metric", "m", false]],
  ["metrics.m `DESC`", ["metric", "m", false]],
  ["metrics.m desc", ["metric", "m", false]],
  ["metrics.m", ["metric", "m", true]],
  ["param.p", ["parameter", "p", true]],
  ["params.p ASC", ["parameter", "p", true]],
  ["params.p\tASC", ["parameter", "p", true]],
  ["run.user_id DESC", ["attribute", "user_id", false]],
  ["run_name", ["attribute", "run_name", true]],
  ["start_time DESC", ["attribute", "start_time", false]],
  ["start_time", ["attribute", "start_time", true]],
  ["tags.'x y' asc", ["tag", "x y", true]],
  ["tags.`mlflow.runName` DESC", ["tag", "mlflow.runName", false]],
  ["tags.mlflow.runName DESC", ["tag", "mlflow.runName", false]],
  ["tags.t", ["tag", "t", true]],
  ["tags.x.y DESC", ["tag", "x.y", false]],
];

const RUN_REJECTED: [string, string][] = [
  [" ", "Invalid order_by clause ' '. Could not be parsed."],
  ["", "Invalid order_by clause ''. Could not be parsed."],
  [
    "5 DESC",
    "Invalid attribute key '5' specified. Valid keys are '{'artifact_uri', 'end_time', 'run_id', 'run_name', 'start_time', 'status', 'user_id', 'created', 'Created'}'",
  ],
  [
    "attributes.`Run Name`",
    "Invalid attribute key 'Run Name' specified. Valid keys are '{'artifact_uri', 'end_time', 'run_id', 'run_name', 'start_time', 'status', 'user_id', 'created', 'Created'}'",
  ],
  [
    "attributes.`run name`",
    "Invalid attribute key 'run name' specified. Valid keys are '{'artifact_uri', 'end_time', 'run_id', 'run_name', 'start_time', 'status', 'user_id', 'created', 'Created'}'",
  ],
  [
    "attributes.experiment_id",
    "Invalid attribute key 'experiment_id' specified. Valid keys are '{'artifact_uri', 'end_time', 'run_id', 'run_name', 'start_time', 'status', 'user_id', 'created', 'Created'}'",
  ],
  [
    "attributes.foo",
    "Invalid attribute key 'foo' specified. Valid keys are '{'artifact_uri', 'end_time', 'run_id', 'run_name', 'start_time', 'status', 'user_id', 'created', 'Created'}'",
  ],
  [
    "attributes.lifecycle_stage",
    "Invalid attribute key 'lifecycle_stage' specified. Valid keys are '{'artifact_uri', 'end_time', 'run_id', 'run_name', 'start_time', 'status', 'user_id', 'created', 'Created'}'",
  ],
  ["datasets.digest", "Invalid identifier type 'dataset'"],
  ["datasets.name", "Invalid identifier type 'dataset'"],
  ["foo.bar", "Invalid entity type 'foo'. Valid values are ['metric', 'parameter', 'tag', 'attribute', 'dataset']"],
  ["metrics.a\\b", "Invalid order_by clause 'metrics.a\\b'. Could not be parsed."],
  ["metrics.acc > 1", "Invalid order_by clause 'metrics.acc > 1'. Could not be parsed."],
  ["metrics.m 'DESC'", "Invalid order_by clause 'metrics.m 'DESC''. Could not be parsed."],
  ["metrics.m ASC;", "Invalid order_by clause 'metrics.m ASC;'. Could not be parsed."],
  ["metrics.m DESC ", "Invalid order_by clause 'metrics.m DESC '. Could not be parsed."],
  ["metrics.m DESC ; x", "Invalid order_by clause 'metrics.m DESC ; x'. Could not be parsed."],
  ["metrics.m DESC ASC", "Invalid order_by clause 'metrics.m DESC ASC'. Could not be parsed."],
  ["metrics.m DESC NULLS LAST", "Invalid order_by clause 'metrics.m DESC NULLS LAST'. Could not be parsed."],
  ["metrics.m DESC, metrics.n", "Invalid order_by clause 'metrics.m DESC, metrics.n'. Could not be parsed."],
  ["metrics.m DESC;", "Invalid order_by clause 'metrics.m DESC;'. Could not be parsed."],
  ["metrics.m FOO", "Invalid ordering key in order_by clause 'metrics.m FOO'."],
  ["metrics.m foo", "Invalid ordering key in order_by clause 'metrics.m foo'."],
  ["metrics.m, params.p", "Invalid order_by clause 'metrics.m, params.p'. Could not be parsed."],
  ["metrics.m-x DESC", "Invalid order_by clause 'metrics.m-x DESC'. Could not be parsed."],
  ["run name", "Invalid ordering key in order_by clause 'run name'."],
  [
    "timestamp DESC",
    "Invalid attribute key 'timestamp' specified. Valid keys are '{'artifact_uri', 'end_time', 'run_id', 'run_name', 'start_time', 'status', 'user_id', 'created', 'Created'}'",
  ],
  [
    "timestamp",
    "Invalid attribute key 'timestamp' specified. Valid keys are '{'artifact_uri', 'end_time', 'run_id', 'run_name', 'start_time', 'status', 'user_id', 'created', 'Created'}'",
  ],
];

const EXPERIMENT_ACCEPTED: [string, [string, string, boolean]][] = [
  ["name", ["attribute", "name", true]],
  ["name DESC", ["attribute", "name", false]],
  ["creation_time", ["attribute", "creation_time", true]],
  ["last_update_time ASC", ["attribute", "last_update_time", true]],
  ["experiment_id", ["attribute", "experiment_id", true]],
  ["attribute.name", ["attribute", "name", true]],
  ["`name` DESC", ["attribute", "name", false]],
  ["attribute.`name`", ["attribute", "name", true]],
  ["name desc", ["attribute", "name", false]],
  ["experiment_id DESC", ["attribute", "experiment_id", false]],
  ["creation_time ASC", ["attribute", "creation_time", true]],
];

const EXPERIMENT_REJECTED: [string, string][] = [
  ["attributes.name", "Invalid entity type 'attributes'. Valid entity types are ('attribute', 'tag', 'tags')"],
  ["tags.t", "Invalid order_by entity: tag"],
  ["tag.t", "Invalid order_by entity: tag"],
  [
    "lifecycle_stage",
    "Invalid attribute key 'lifecycle_stage' specified. Valid keys are '{'creation_time', 'experiment_id', 'last_update_time', 'name'}'",
  ],
  [
    "foo",
    "Invalid attribute key 'foo' specified. Valid keys are '{'creation_time', 'experiment_id', 'last_update_time', 'name'}'",
  ],
  [
    "timestamp",
    "Invalid attribute key 'timestamp' specified. Valid keys are '{'creation_time', 'experiment_id', 'last_update_time', 'name'}'",
  ],
  ["name FOO", "Invalid ordering key in order_by clause 'name FOO'."],
  [" name", "Invalid order_by clause ' name'. Could not be parsed."],
];

const terms = (ts: { type: string; key: string; ascending: boolean }[]) => ts.map((t) => [t.type, t.key, t.ascending]);

function errorOf(f: () => unknown): [string, string] {
  try {
    f();
  } catch (e) {
    if (e instanceof MlflowError) return [e.code, e.message];
    throw e;
  }
  throw new Error("accepted");
}

describe("runs order_by", () => {
  it.each(RUN_ACCEPTED)("accepts %s", (clause, term) => expect(terms(parseRunOrderBy([clause]))).toEqual([term]));
  it.each(RUN_REJECTED)("rejects %s", (clause, message) =>
    expect(errorOf(() => parseRunOrderBy([clause]))).toEqual(["INVALID_PARAMETER_VALUE", message]),
  );

  it("keeps the order of several clauses and accepts none", () => {
    expect(terms(parseRunOrderBy(["metrics.m DESC", "params.p", "attributes.run_name ASC"]))).toEqual([
      ["metric", "m", false],
      ["parameter", "p", true],
      ["attribute", "run_name", true],
    ]);
    expect(parseRunOrderBy(undefined)).toEqual([]);
    expect(parseRunOrderBy([])).toEqual([]);
  });

  it("refuses a field given twice with the reference's INTERNAL_ERROR, aliases included", () => {
    expect(errorOf(() => parseRunOrderBy(["metrics.m", "metrics.`m` DESC"]))).toEqual([
      "INTERNAL_ERROR",
      "`order_by` contains duplicate fields: ['metrics.m', 'metrics.`m` DESC']",
    ]);
    expect(errorOf(() => parseRunOrderBy(["created", "start_time"]))[1]).toBe(
      "`order_by` contains duplicate fields: ['created', 'start_time']",
    );
    expect(() => parseRunOrderBy(["metrics.m", "params.m", "tags.m"])).not.toThrow();
  });

  it("reports an unclosed quote as unparsable (the reference lets shlex's ValueError become a 500)", () => {
    expect(errorOf(() => parseRunOrderBy(['metrics.`a"b` DESC']))[1]).toBe(
      `Invalid order_by clause 'metrics.\`a"b\` DESC'. Could not be parsed.`,
    );
  });
});

describe("experiments order_by", () => {
  it.each(EXPERIMENT_ACCEPTED)("accepts %s", (clause, term) =>
    expect(terms(parseExperimentOrderBy([clause]))).toEqual([term]),
  );
  it.each(EXPERIMENT_REJECTED)("rejects %s", (clause, message) =>
    expect(errorOf(() => parseExperimentOrderBy([clause]))).toEqual(["INVALID_PARAMETER_VALUE", message]),
  );

  it("defaults to creation_time DESC, experiment_id ASC and allows repeats", () => {
    const defaults = [
      ["attribute", "creation_time", false],
      ["attribute", "experiment_id", true],
    ];
    expect(terms(parseExperimentOrderBy(undefined))).toEqual(defaults);
    expect(terms(parseExperimentOrderBy([]))).toEqual(defaults);
    expect(terms(parseExperimentOrderBy(["name", "name DESC"]))).toEqual([
      ["attribute", "name", true],
      ["attribute", "name", false],
    ]);
  });
});

describe("shlexSplit (Python's shlex.split)", () => {
  it.each([
    ['a "b c" d', ["a", "b c", "d"]],
    ['metrics."my metric" DESC', ["metrics.my metric", "DESC"]],
    ["x'y z'w", ["xy zw"]],
    ["a\\ b", ["a b"]],
    ['"a\\"b"', ['a"b']],
    ['""', [""]],
    ["  a   b  ", ["a", "b"]],
  ])("%s", (input, expected) => expect(shlexSplit(input)).toEqual(expected));
  it("fails where shlex raises", () => {
    expect(shlexSplit('"open')).toBeUndefined();
    expect(shlexSplit("trailing\\")).toBeUndefined();
  });
});

describe("order_by limits", () => {
  it("refuses pathological clauses like sqlparse's limits do", () => {
    const deep = `metrics.m${"(".repeat(101)}`;
    expect(() => parseRunOrderBy([`${deep}${")".repeat(101)}`])).toThrow(`Error on parsing order_by clause '${deep}`);
  });
});
