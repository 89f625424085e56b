import { PyFloat, pyJsonDumps } from "../webhooks/python-json.js";

/**
 * Python's view of JSON values, for assessment values: the reference stores `json.dumps(value)` and writes an
 * expectation's structured value back as `json.dumps(json.loads(stored))`, so whether a number is an int (`1`) or a
 * float (`1.0`) survives a round trip and shows in the text clients read. A float is a `PyFloat`; an int a number.
 */
export type PyJson = null | boolean | number | string | PyFloat | PyJson[] | { [key: string]: PyJson };

export { PyFloat, pyJsonDumps };

/** A key no JSON a client sends is expected to hold, marking a float while JSON.parse reads the text. */
const FLOAT_MARK = "__tracklite_py_float__";

const TOKENS = /"(?:[^"\\]|\\.)*"|-?Infinity|NaN|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g;

/** `json.loads(text)`: floats (a decimal point or an exponent, NaN, ±Infinity) become PyFloat. Throws on bad JSON. */
export function pyJsonLoads(text: string): PyJson {
  const marked = text.replace(TOKENS, (t) => {
    if (t.startsWith('"')) return t;
    if (t === "NaN" || t.endsWith("Infinity") || /[.eE]/.test(t)) return `{"${FLOAT_MARK}":${JSON.stringify(t)}}`;
    return t;
  });
  return JSON.parse(marked, (_key, v: unknown) => {
    if (v !== null && typeof v === "object" && !Array.isArray(v)) {
      const keys = Object.keys(v);
      if (keys.length === 1 && keys[0] === FLOAT_MARK)
        return new PyFloat(Number((v as Record<string, string>)[FLOAT_MARK]));
    }
    return v;
  }) as PyJson;
}

/**
 * A protobuf `google.protobuf.Value` read into Python (`MessageToDict`): every number is a float. `undefined` (an
 * unset Value) reads as None.
 */
export function fromProtoValue(v: unknown): PyJson {
  if (v === undefined || v === null) return null;
  if (typeof v === "number") return new PyFloat(v);
  if (typeof v === "string" || typeof v === "boolean") return v;
  if (Array.isArray(v)) return v.map(fromProtoValue);
  return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, fromProtoValue(x)]));
}

/** A Python value as plain JSON for the wire: floats as numbers (non-finite ones as protobuf's strings). */
export function toWireJson(v: PyJson): unknown {
  if (v instanceof PyFloat)
    return Number.isFinite(v.value) ? v.value : String(v.value).replace(/^(-?)Inf.*$/, "$1Infinity");
  if (Array.isArray(v)) return v.map(toWireJson);
  if (v !== null && typeof v === "object")
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toWireJson(x)]));
  return v;
}

/** Whether Python holds the value as a scalar (int, float, bool or str): an expectation's `value`, not serialized. */
export function isPyScalar(v: PyJson): boolean {
  return v instanceof PyFloat || typeof v === "number" || typeof v === "string" || typeof v === "boolean";
}

/** Python's `type(v).__name__` of a JSON value, for the reference's messages. */
export function pyTypeOf(v: PyJson | undefined): string {
  if (v === null || v === undefined) return "NoneType";
  if (v instanceof PyFloat) return "float";
  if (Array.isArray(v)) return "list";
  if (typeof v === "object") return "dict";
  if (typeof v === "number") return "int";
  return typeof v === "string" ? "str" : "bool";
}
