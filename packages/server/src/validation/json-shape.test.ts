import { describe, expect, it } from "vitest";
import { checkJsonBody, jsonDepth, MAX_JSON_DEPTH } from "./json-shape.js";

describe("jsonDepth", () => {
  it("counts nesting, not brackets inside strings", () => {
    expect(jsonDepth("1")).toBe(0);
    expect(jsonDepth('{"a":[1,{"b":[]}]}')).toBe(4);
    expect(jsonDepth('{"a":"[[[[{{{{"}')).toBe(1);
    expect(jsonDepth('{"a":"\\"[[[","b":[]}')).toBe(2);
  });
});

describe("checkJsonBody", () => {
  const deep = (n: number) => JSON.parse(`${"[".repeat(n)}${"]".repeat(n)}`);

  it("refuses nesting past the limit, with or without the text", () => {
    expect(() => checkJsonBody(deep(MAX_JSON_DEPTH))).not.toThrow();
    expect(() => checkJsonBody(deep(MAX_JSON_DEPTH + 1))).toThrow(/nested more than 900 levels/);
    const text = `${"[".repeat(MAX_JSON_DEPTH + 1)}${"]".repeat(MAX_JSON_DEPTH + 1)}`;
    expect(() => checkJsonBody(JSON.parse(text), "", text)).toThrow(/nested more than/);
  });

  it("refuses lone surrogates in values and keys and accepts pairs", () => {
    expect(() => checkJsonBody(JSON.parse('{"a":["\\ud800"]}'), "", '{"a":["\\ud800"]}')).toThrow(/parameter 'a\[0\]'/);
    expect(() => checkJsonBody(JSON.parse('{"\\udfff":1}'))).toThrow(/unpaired UTF-16 surrogate/);
    expect(() => checkJsonBody(JSON.parse('{"a":"\\ud83d\\ude00"}'), "", '{"a":"\\ud83d\\ude00"}')).not.toThrow();
  });
});
