import { pyFloat } from "../search/python-compat.js";

/**
 * The bytes of a delivery as the reference writes them, so that a receiver sees the same body (and a signature over
 * the same text) from tracklite as from MLflow: Python's `json.dumps` with its default separators and ASCII-only
 * output, and `datetime.isoformat()` timestamps.
 */

/** A number Python holds as a float, written with a decimal point (`100.0`) as `json.dumps` does. */
export class PyFloat {
  constructor(readonly value: number) {}
}

/** `float.__repr__`, with the non-finite spellings `json.dumps` uses. */
function pyFloatText(n: number): string {
  if (Number.isNaN(n)) return "NaN";
  if (!Number.isFinite(n)) return n > 0 ? "Infinity" : "-Infinity";
  return pyFloat(n);
}

/** `json.dumps(value)`: `", "` and `": "` separators, non-ASCII characters as `\uXXXX` escapes. */
export function pyJsonDumps(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (value instanceof PyFloat) return pyFloatText(value.value);
  if (typeof value === "number") return Number.isInteger(value) ? String(value) : pyFloatText(value);
  if (typeof value === "string") {
    return JSON.stringify(value).replace(
      /[\u007f-\uffff]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
    );
  }
  if (typeof value === "boolean") return value ? "true" : "false";
  if (Array.isArray(value)) return `[${value.map(pyJsonDumps).join(", ")}]`;
  return `{${Object.entries(value as Record<string, unknown>)
    .map(([k, v]) => `${pyJsonDumps(k)}: ${pyJsonDumps(v)}`)
    .join(", ")}}`;
}

/** `datetime.now(timezone.utc).isoformat()` of an instant: microseconds, omitted when zero, and `+00:00`. */
export function pyIsoformat(epochMs: number): string {
  const iso = new Date(epochMs).toISOString();
  const ms = iso.slice(20, 23);
  return `${iso.slice(0, 19)}${ms === "000" ? "" : `.${ms}000`}+00:00`;
}
