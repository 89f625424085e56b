import { isLosslessNumber, parse as parseLossless } from "lossless-json";
import { pyFloatRepr } from "../traces/otlp/any-value.js";

/**
 * The JSON text each request body was parsed from, by the object handed to the handler. JSON.parse reads `9.0` as
 * the number 9; Python's json reads it as a float and the reference's messages print it so ("Invalid value 9.0 …",
 * "type 'float'"). Only error messages look the text up again.
 */
const BODY_TEXT = new WeakMap<object, string>();

export function rememberBodyText(body: object, text: string): void {
  BODY_TEXT.set(body, text);
}

/** Whether the number at `path` of the request was written as a float literal (`9.0`, `1e3`), as Python reads it. */
export function isFloatLiteral(body: object, path: readonly PropertyKey[]): boolean {
  const text = BODY_TEXT.get(body);
  if (text === undefined) return false;
  let value: unknown;
  try {
    value = parseLossless(text);
  } catch {
    return false;
  }
  for (const p of path) value = (value as Record<PropertyKey, unknown> | null | undefined)?.[p as string];
  return isLosslessNumber(value) && /[.eE]/.test(value.value);
}

/** A request value as Python's `json.dumps` prints it when that differs from JavaScript's view (a float `9.0`). */
export function pyNumberText(body: object, path: readonly PropertyKey[], value: unknown): string | undefined {
  if (typeof value !== "number" || !Number.isFinite(value) || !Number.isInteger(value)) return undefined;
  return isFloatLiteral(body, path) ? pyFloatRepr(value) : undefined;
}
