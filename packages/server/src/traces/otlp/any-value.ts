import { isLosslessNumber, parse as parseLossless } from "lossless-json";

/**
 * A span attribute's value as MLflow's server holds it after decoding an OpenTelemetry AnyValue: Python's types, kept
 * apart where JavaScript would merge them (an int and an integral float are different values to Python and are
 * written differently: `1` and `1.0`), integers as exact decimal digits (int64 exceeds 2^53), and objects as ordered
 * pairs (a Python dict keeps insertion order, a JS object moves integer-like keys first).
 */
export type PyValue =
  | { readonly t: "null" }
  | { readonly t: "str"; readonly v: string }
  | { readonly t: "bool"; readonly v: boolean }
  | { readonly t: "int"; readonly v: string }
  | { readonly t: "float"; readonly v: number }
  | { readonly t: "list"; readonly v: readonly PyValue[] }
  | { readonly t: "dict"; readonly v: readonly (readonly [string, PyValue])[] };

export const PY_NULL: PyValue = { t: "null" };
export const pyStr = (v: string): PyValue => ({ t: "str", v });

/** Python's `repr(float)`: the shortest digits that round-trip, `1.0` for integral values, exponent from 1e16. */
export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (!Number.isFinite(x)) return x > 0 ? "Infinity" : "-Infinity";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const [mantissa = "0", expPart = "0"] = x.toExponential().split("e");
  const exp = Number(expPart);
  const negative = mantissa.startsWith("-");
  const digits = mantissa.replace("-", "").replace(".", "");
  let out: string;
  if (exp < -4 || exp >= 16) {
    const frac = digits.slice(1);
    out = `${digits[0]}${frac ? `.${frac}` : ""}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
  } else if (exp < 0) {
    out = `0.${"0".repeat(-exp - 1)}${digits}`;
  } else if (digits.length > exp + 1) {
    out = `${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
  } else {
    out = `${digits}${"0".repeat(exp + 1 - digits.length)}.0`;
  }
  return negative ? `-${out}` : out;
}

/** Python's `repr(bytes)`, which MLflow's JSON encoder writes for a `bytes_value` attribute. */
export function pyBytesRepr(bytes: Uint8Array): string {
  const hasSingle = bytes.includes(0x27);
  const quote = hasSingle && !bytes.includes(0x22) ? '"' : "'";
  let out = "b";
  out += quote;
  for (const b of bytes) {
    if (b === 0x5c) out += "\\\\";
    else if (b === 0x09) out += "\\t";
    else if (b === 0x0a) out += "\\n";
    else if (b === 0x0d) out += "\\r";
    else if (b === quote.charCodeAt(0)) out += `\\${quote}`;
    else if (b < 0x20 || b >= 0x7f) out += `\\x${b.toString(16).padStart(2, "0")}`;
    else out += String.fromCharCode(b);
  }
  return out + quote;
}

function escapeAscii(s: string): string {
  return s.replace(/[\u007f-\uffff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/**
 * Python's `json.dumps(value)` text: `", "` and `": "` separators, floats as `repr`, NaN as `NaN`; non-ASCII escaped
 * unless `ensureAscii` is false (MLflow dumps span attributes with `ensure_ascii=False`).
 */
export function pyJsonDumps(value: PyValue, ensureAscii: boolean): string {
  const str = (s: string) => {
    const json = JSON.stringify(s);
    return ensureAscii ? escapeAscii(json) : json;
  };
  const go = (v: PyValue): string => {
    switch (v.t) {
      case "null":
        return "null";
      case "str":
        return str(v.v);
      case "bool":
        return v.v ? "true" : "false";
      case "int":
        return v.v;
      case "float":
        return pyFloatRepr(v.v);
      case "list":
        return `[${v.v.map(go).join(", ")}]`;
      case "dict":
        return `{${v.v.map(([k, x]) => `${str(k)}: ${go(x)}`).join(", ")}}`;
    }
  };
  return go(value);
}

/** A JSON number's text as Python's json.loads reads it: an int unless it has a fraction or an exponent. */
function numberFromText(text: string): PyValue {
  if (/[.eE]/.test(text)) return { t: "float", v: Number(text) };
  return { t: "int", v: BigInt(text).toString() };
}

function fromLossless(v: unknown): PyValue {
  if (v === null) return PY_NULL;
  if (typeof v === "string") return pyStr(v);
  if (typeof v === "boolean") return { t: "bool", v };
  if (isLosslessNumber(v)) return numberFromText(v.value);
  if (Array.isArray(v)) return { t: "list", v: v.map(fromLossless) };
  if (typeof v === "object") return { t: "dict", v: Object.entries(v).map(([k, x]) => [k, fromLossless(x)] as const) };
  return PY_NULL;
}

/**
 * Python's `json.loads(text)` into a PyValue, or undefined where it raises. Integer-like object keys come out first
 * (the JSON parser builds JS objects); Python's NaN/Infinity literals are not accepted.
 */
export function pyJsonLoads(text: string): PyValue | undefined {
  let plain: unknown;
  try {
    plain = JSON.parse(text);
  } catch {
    return undefined;
  }
  // JSON.parse is exact unless a number has a fraction or an exponent (1.0 would read as the int 1) or more digits
  // than a double holds; then the lossless parser, which keeps each number's text. The test is on the whole text (a
  // string holding "1.5" sends it the slow way too, which costs time, not exactness).
  if (!/\d[.eE]|\d{16}/.test(text)) return fromPlain(plain);
  try {
    return fromLossless(parseLossless(text));
  } catch {
    return undefined;
  }
}

function fromPlain(v: unknown): PyValue {
  if (v === null) return PY_NULL;
  if (typeof v === "string") return pyStr(v);
  if (typeof v === "boolean") return { t: "bool", v };
  if (typeof v === "number") return { t: "int", v: String(v) };
  if (Array.isArray(v)) return { t: "list", v: v.map(fromPlain) };
  if (typeof v === "object")
    return { t: "dict", v: Object.entries(v as object).map(([k, x]) => [k, fromPlain(x)] as const) };
  return PY_NULL;
}

/** The value at `key` of a dict, as Python's `d.get(key)`. */
export function dictGet(v: PyValue | undefined, key: string): PyValue | undefined {
  if (v?.t !== "dict") return undefined;
  let found: PyValue | undefined;
  for (const [k, x] of v.v) if (k === key) found = x;
  return found;
}

/** Python truthiness, for the reference's `if value:` checks. */
export function pyTruthy(v: PyValue | undefined): boolean {
  if (!v) return false;
  switch (v.t) {
    case "null":
      return false;
    case "str":
      return v.v.length > 0;
    case "bool":
      return v.v;
    case "int":
      return v.v !== "0";
    case "float":
      return v.v !== 0;
    case "list":
    case "dict":
      return v.v.length > 0;
  }
}
