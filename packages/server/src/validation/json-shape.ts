import { invalidParameter } from "../errors.js";
import { invalidValue } from "./messages.js";

/**
 * Checks of parsed JSON that JSON.parse does not make: that its strings are Unicode, and that it is not nested so
 * deep that the code walking it (validation, messages, JSON.stringify) would overflow its stack.
 */

/**
 * The reference's JSON reader fails (Python's recursion limit, an HTML 500) a little below 1,000 levels; no MLflow
 * message comes near (free-form JSON such as a model's travels as a string).
 */
export const MAX_JSON_DEPTH = 900;

/** A lone UTF-16 surrogate, which `\ud800` escapes in JSON produce: not Unicode, and not storable as UTF-8. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** A `\uD800`–`\uDFFF` escape: the only way a lone surrogate gets into text that was valid UTF-8. */
const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F]/;

/** The deepest nesting of arrays and objects in JSON text (brackets inside strings do not count). */
export function jsonDepth(text: string): number {
  let depth = 0;
  let max = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // Skip the string, and any escaped character in it.
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 0x5c) i++;
        else if (d === 0x22) break;
      }
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) max = depth;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return max;
}

/**
 * Refuses a parsed body nested deeper than {@link MAX_JSON_DEPTH} or holding a string (value or key) with a lone
 * surrogate. Walks without recursion, so any depth is safe here; `text`, the JSON it was parsed from, lets it skip the
 * walk when that text can hold neither. The reference answers 500 to the first and reads
 * such a string as empty; tracklite answers 400 to both (see KNOWN_DIFFERENCES.md, `bad-input`).
 */
export function checkJsonBody(body: unknown, root = "", text?: string): void {
  // The walk costs a lot on a body of megabytes; the text it was parsed from tells in one pass when it is needed.
  if (text !== undefined && !SURROGATE_ESCAPE.test(text) && jsonDepth(text) <= MAX_JSON_DEPTH) return;
  const stack: [value: unknown, path: string, depth: number][] = [[body, root, 0]];
  while (stack.length > 0) {
    const [value, path, depth] = stack.pop() as [unknown, string, number];
    if (typeof value === "string") {
      if (LONE_SURROGATE.test(value))
        throw invalidParameter(invalidValue(path, value, "it holds an unpaired UTF-16 surrogate, which is not text."));
      continue;
    }
    if (typeof value !== "object" || value === null) continue;
    if (depth >= MAX_JSON_DEPTH)
      throw invalidParameter(`Invalid request body: JSON nested more than ${MAX_JSON_DEPTH} levels deep.`);
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push([value[i], `${path}[${i}]`, depth + 1]);
      continue;
    }
    for (const [k, v] of Object.entries(value)) {
      const at = path ? `${path}.${k}` : k;
      if (LONE_SURROGATE.test(k))
        throw invalidParameter(invalidValue(at, k, "it holds an unpaired UTF-16 surrogate, which is not text."));
      stack.push([v, at, depth + 1]);
    }
  }
}
