import { describe, expect, it } from "vitest";
import { LiteralSyntaxError, literalEval, pyFloat, pyInt, pyRepr, pySet, pyStr } from "./python-compat.js";

describe("Python reprs", () => {
  it.each([
    ["a", "'a'"],
    ["it's", `"it's"`],
    [`a'b"c`, `'a\\'b"c'`],
    ["a\\b\n", "'a\\\\b\\n'"],
  ])("repr(str) %s", (s, expected) => expect(pyStr(s)).toBe(expected));

  it.each([
    [1000, "1000.0"],
    [5.5, "5.5"],
    [0.0001, "0.0001"],
    [0.00001, "1e-05"],
    [1e15, "1000000000000000.0"],
    [1e16, "1e+16"],
    [1.5e20, "1.5e+20"],
    [Number.POSITIVE_INFINITY, "inf"],
    [-0, "-0.0"],
  ])("repr(float) %s", (n, expected) => expect(pyFloat(n)).toBe(expected));

  it("prints tuples, lists and sets", () => {
    expect(pyRepr({ py: "tuple", items: ["a"] })).toBe("('a',)");
    expect(pyRepr({ py: "tuple", items: ["a", { py: "int", value: 1, text: "1" }] })).toBe("('a', 1)");
    expect(pyRepr({ py: "list", items: [] })).toBe("[]");
    expect(pySet(["=", "!="])).toBe("{'=', '!='}");
  });
});

describe("pyInt (Python's int() of a string)", () => {
  it.each([
    ["1", 1],
    [" 2 ", 2],
    ["+3", 3],
    ["-4", -4],
    ["1_000", 1000],
    ["1__0", undefined],
    ["1.0", undefined],
    ["", undefined],
    ["0x1", undefined],
  ])("%j", (s, expected) => expect(pyInt(s)).toBe(expected));
});

describe("literalEval", () => {
  it("reads strings with escapes, prefixes and implicit concatenation", () => {
    expect(literalEval(`('a', "b")`)).toEqual({ py: "tuple", items: ["a", "b"] });
    expect(literalEval(`('a' 'b')`)).toBe("ab");
    expect(literalEval(`('a''b')`)).toBe("ab");
    expect(literalEval(`'\\x41\\u00e9\\n\\q'`)).toBe("Aé\n\\q");
    expect(literalEval(`r'\\n'`)).toBe("\\n");
    expect(literalEval(`(('a'),)`)).toEqual({ py: "tuple", items: ["a"] });
  });

  it("reads the other literals for error messages", () => {
    expect(pyRepr(literalEval("(1, 2.50, None, True, b'x', [1])"))).toBe("(1, 2.5, None, True, b'x', [1])");
    expect(pyRepr(literalEval("()"))).toBe("()");
  });

  it.each(["(a)", "('a'", "('a',,)", "'a' + 'b'", "(1 2)", "'a\nb'"])("refuses %j", (text) => {
    expect(() => literalEval(text)).toThrow(LiteralSyntaxError);
  });
});
