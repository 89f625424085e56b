import { invalidParameter } from "../errors.js";
import { pyFloat, pyStr } from "../search/python-compat.js";
import { PyFloat } from "../webhooks/python-json.js";

/**
 * Python's view of a value read from a JSON body, for handlers that the reference writes against plain JSON
 * (`repr(value)` in messages, `float(value)`), so that tracklite's messages read the same.
 */

/** `repr()` of a JSON value as Python holds it (floats as PyFloat or fractional numbers). */
export function pyReprJson(v: unknown): string {
  if (v === null || v === undefined) return "None";
  if (v instanceof PyFloat) return pyFloat(v.value);
  if (typeof v === "boolean") return v ? "True" : "False";
  if (typeof v === "number") return Number.isInteger(v) ? String(v) : pyFloat(v);
  if (typeof v === "string") return pyStr(v);
  if (Array.isArray(v)) return `[${v.map(pyReprJson).join(", ")}]`;
  return `{${Object.entries(v as Record<string, unknown>)
    .map(([k, x]) => `${pyStr(k)}: ${pyReprJson(x)}`)
    .join(", ")}}`;
}

const FLOAT_TEXT = /^[+-]?(?:(?:\d(?:_?\d)*)?\.?\d(?:_?\d)*(?:[eE][+-]?\d(?:_?\d)*)?|(?:\d(?:_?\d)*)\.)$/;
const NON_FINITE_TEXT = /^[+-]?(?:nan|inf|infinity)$/i;

function typeName(v: unknown): string {
  if (v === null || v === undefined) return "NoneType";
  if (Array.isArray(v)) return "list";
  return typeof v === "object" ? "dict" : typeof v === "string" ? "str" : typeof v;
}

/**
 * Python's `float(value)`. What Python cannot convert crashes the reference's handler (an HTML 500); tracklite
 * answers INVALID_PARAMETER_VALUE with Python's message.
 */
export function pyFloatOf(v: unknown): number {
  if (typeof v === "number") return v;
  if (typeof v === "boolean") return v ? 1 : 0;
  if (typeof v === "string") {
    const t = v.trim();
    if (NON_FINITE_TEXT.test(t)) {
      const neg = t.startsWith("-");
      return /nan/i.test(t) ? Number.NaN : neg ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
    }
    if (FLOAT_TEXT.test(t)) return Number(t.replaceAll("_", ""));
    throw invalidParameter(`could not convert string to float: ${pyStr(v)}`);
  }
  throw invalidParameter(`float() argument must be a string or a real number, not '${typeName(v)}'`);
}
