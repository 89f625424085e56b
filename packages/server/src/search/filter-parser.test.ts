import { describe, expect, it } from "vitest";
import { MlflowError } from "../errors.js";
import { parseComparisons } from "./filter-parser.js";
import { groupTokens } from "./grouping.js";
import { tokenize } from "./tokenizer.js";

const shape = (filter: string) =>
  parseComparisons(filter, true).map((c) => [c.left.kind, c.left.text, c.comparator, c.value?.kind, c.value?.text]);

function errorOf(filter: string, quote = true): string {
  try {
    parseComparisons(filter, quote);
  } catch (e) {
    if (e instanceof MlflowError) return e.message;
    throw e;
  }
  throw new Error("parsed");
}

describe("parseComparisons", () => {
  it("groups dotted identifiers, operators and values", () => {
    expect(shape("metrics.`a b` >= -1.5 AND tags.\"x y\" != 'v'")).toEqual([
      ["ident", "metrics.`a b`", ">=", "float", "-1.5"],
      ["ident", 'tags."x y"', "!=", "string", "'v'"],
    ]);
    expect(shape('tags.a.b = "v"')).toEqual([["ident", "tags.a.b", "=", "ident", '"v"']]);
  });

  it("joins IN, NOT IN, IS NULL and IS NOT NULL", () => {
    expect(shape("run_id in ('a') AND run_id NOT IN ('b') AND tags.t IS null AND tags.u is not null")).toEqual([
      ["ident", "run_id", "in", "paren", "('a')"],
      ["ident", "run_id", "NOT IN", "paren", "('b')"],
      ["ident", "tags.t", "IS NULL", undefined, undefined],
      ["ident", "tags.u", "IS NOT NULL", undefined, undefined],
    ]);
  });

  it("keeps operations on the left so the grammar can name them", () => {
    expect(shape("metrics.my-metric > 1")[0]?.slice(0, 2)).toEqual(["operation", "metrics.my-metric"]);
    expect(shape("a > 1 > 2")[0]?.slice(0, 2)).toEqual(["comparison", "a > 1"]);
  });

  it("allows AND anywhere and clauses without AND between them", () => {
    expect(shape("AND a = 1 AND AND b = 2 c = 3 AND")).toHaveLength(3);
  });

  it.each([
    [" ", "Invalid filter ' '. Could not be parsed."],
    ["a = 1; b = 2", `Search filter contained multiple expression 'a = 1; b = 2'. Provide AND-ed expression list.`],
    ["a = 1;;", "Search filter contained multiple expression 'a = 1;;'. Provide AND-ed expression list."],
    ["a = 1;", "Invalid clause(s) in filter string: ';'"],
    ["a = 1 OR b = 2", "Invalid clause(s) in filter string: 'OR'"],
    ["(a = 1)", "Invalid clause(s) in filter string: '(a = 1)'"],
    ["a >", "Invalid clause(s) in filter string: 'a', '>'"],
    ["p IS NOT   NULL", "Invalid clause(s) in filter string: 'p', 'IS', 'NOT   NULL'"],
    ["a = 1 -- c", "Invalid clause(s) in filter string: '-- c'"],
  ])("rejects %j", (filter, message) => expect(errorOf(filter)).toBe(message));

  it("reports comma-separated clauses as one invalid clause, as sqlparse groups them", () => {
    expect(errorOf("a = 1, b = 2 AND c = 3")).toBe("Invalid clause(s) in filter string: 'a = 1, b = 2'");
  });

  it("prints invalid clauses bare for the experiments grammar", () => {
    expect(errorOf("a = 1 OR b = 2", false)).toBe("Invalid clause(s) in filter string: OR");
  });
});

describe("groupTokens", () => {
  it("merges an identifier with a following identifier or direction, as sqlparse does", () => {
    const one = (s: string) => groupTokens(s, tokenize(s)).map((n) => [n.kind, n.text]);
    expect(one("metrics.m DESC")).toEqual([["ident", "metrics.m DESC"]]);
    expect(one("metrics.m foo")).toEqual([["ident", "metrics.m foo"]]);
    expect(one("a b c")).toEqual([
      ["ident", "a b"],
      ["ident", "c"],
    ]);
    expect(one("lower('x')")).toEqual([["function", "lower('x')"]]);
  });
});
