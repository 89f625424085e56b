import { describe, expect, it } from "vitest";
import { tokenize } from "./tokenizer.js";

const kinds = (s: string) =>
  tokenize(s)
    .filter((t) => t.kind !== "ws")
    .map((t) => [t.kind, t.text]);

describe("tokenize (sqlparse's lexer rules)", () => {
  it("covers the input exactly, whitespace included", () => {
    const s = "metrics.`a b` >= -1.5e3 AND params.p LIKE 'x''y'";
    expect(
      tokenize(s)
        .map((t) => t.text)
        .join(""),
    ).toBe(s);
  });

  it.each([
    [
      "metrics.acc",
      [
        ["name", "metrics"],
        ["punct", "."],
        ["name", "acc"],
      ],
    ],
    ["`a.b`", [["name", "`a.b`"]]],
    ['"a b"', [["symbol", '"a b"']]],
    ["'it''s'", [["string", "'it''s'"]]],
    ["'a\\'b'", [["string", "'a\\'b'"]]],
    [
      "1 -1 .5 5. 1e3 1E-3 -1e999",
      [
        ["int", "1"],
        ["int", "-1"],
        ["float", ".5"],
        ["float", "5."],
        ["float", "1e3"],
        ["float", "1E-3"],
        ["float", "-1e999"],
      ],
    ],
    ["0x1F", [["hex", "0x1F"]]],
    ["1abc", [["name", "1abc"]]],
    [
      "= != <> == >= <",
      [
        ["compare", "="],
        ["compare", "!="],
        ["compare", "<>"],
        ["compare", "=="],
        ["compare", ">="],
        ["compare", "<"],
      ],
    ],
    [
      "LIKE not  ilike RLIKE",
      [
        ["compare", "LIKE"],
        ["compare", "not  ilike"],
        ["compare", "RLIKE"],
      ],
    ],
    [
      "IN in NOT IS NULL and",
      [
        ["keyword", "IN"],
        ["keyword", "in"],
        ["keyword", "NOT"],
        ["keyword", "IS"],
        ["keyword", "NULL"],
        ["keyword", "and"],
      ],
    ],
    ["NOT NULL", [["keyword", "NOT NULL"]]],
    [
      "x DESC y asc",
      [
        ["name", "x"],
        ["order", "DESC"],
        ["name", "y"],
        ["order", "asc"],
      ],
    ],
    [
      "a-b a/b",
      [
        ["name", "a"],
        ["operator", "-"],
        ["name", "b"],
        ["name", "a"],
        ["operator", "/"],
        ["name", "b"],
      ],
    ],
    [
      "tags.* ;",
      [
        ["name", "tags"],
        ["punct", "."],
        ["wildcard", "*"],
        ["punct", ";"],
      ],
    ],
    [
      "-- note\n/* c */",
      [
        ["comment", "-- note\n"],
        ["comment", "/* c */"],
      ],
    ],
    [
      "größe.ключ",
      [
        ["name", "größe"],
        ["punct", "."],
        ["name", "ключ"],
      ],
    ],
  ])("%s", (input, expected) => expect(kinds(input)).toEqual(expected));

  it("treats a word before a dot as a name even when it is a keyword, and a word after a dot as a name", () => {
    expect(kinds("and.x")[0]).toEqual(["name", "and"]);
    expect(kinds("tags.null")).toEqual([
      ["name", "tags"],
      ["punct", "."],
      ["name", "null"],
    ]);
  });

  it("yields stray characters as single tokens", () => {
    expect(kinds("a $ b")).toEqual([
      ["name", "a"],
      ["other", "$"],
      ["name", "b"],
    ]);
  });
});
