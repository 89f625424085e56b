import { describe, expect, it } from "vitest";
import { pyBytesRepr, pyFloatRepr, pyJsonDumps, pyJsonLoads, pyStr } from "./any-value.js";

describe("Python's text forms, which the reference writes into stored spans and previews", () => {
  it("repr(float)", () => {
    const cases: [number, string][] = [
      [1.0, "1.0"],
      [0.1, "0.1"],
      [1e20, "1e+20"],
      [1e16, "1e+16"],
      [123456789.125, "123456789.125"],
      [1e-5, "1e-05"],
      [0.0001, "0.0001"],
      [1.5e300, "1.5e+300"],
      [-2.5, "-2.5"],
      [12345678901234568, "1.2345678901234568e+16"],
      [5e-324, "5e-324"],
      [0.30000000000000004, "0.30000000000000004"],
      [Number.NaN, "NaN"],
    ];
    for (const [x, text] of cases) expect(pyFloatRepr(x), String(x)).toBe(text);
  });

  it("repr(bytes)", () => {
    expect(pyBytesRepr(new Uint8Array([0, 1, 0x61, 0x27, 0x22, 0x5c, 0x0a]))).toBe(`b'\\x00\\x01a\\'"\\\\\\n'`);
  });

  it("json.dumps, with and without ensure_ascii", () => {
    const v = pyJsonLoads('{"a": [1, 2.5, null, true, "ü\\""], "b": {}}');
    expect(v && pyJsonDumps(v, true)).toBe('{"a": [1, 2.5, null, true, "\\u00fc\\""], "b": {}}');
    expect(v && pyJsonDumps(v, false)).toBe('{"a": [1, 2.5, null, true, "ü\\""], "b": {}}');
  });

  it("json.loads keeps ints and floats apart, and ints past 2^53 exact", () => {
    expect(pyJsonLoads("[1, 1.0, 1e2, 9007199254740993]")).toEqual({
      t: "list",
      v: [
        { t: "int", v: "1" },
        { t: "float", v: 1 },
        { t: "float", v: 100 },
        { t: "int", v: "9007199254740993" },
      ],
    });
    expect(pyJsonLoads('"x"')).toEqual(pyStr("x"));
    expect(pyJsonLoads("hello")).toBeUndefined();
  });
});
