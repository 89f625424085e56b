import { invalidParameter } from "../errors.js";
import { pyReprJson } from "../validation/python-values.js";
import type { ModelOrderBy } from "./logged-model-search-sql.js";

/**
 * Logged-models page tokens, written as the reference writes them: base64 of the JSON
 * `{"experiment_ids": [...], "filter_string": ..., "order_by": [...], "offset": N}`. A token only continues the search
 * it came from; another search's token is refused with the reference's messages.
 * @see mlflow/utils/search_utils.py SearchLoggedModelsPaginationToken
 */

/** What a token is bound to: the search as the reference's handler sees it (empty filter and order_by are None). */
export interface ModelSearchIdentity {
  experimentIds: readonly string[];
  filter: string | null;
  orderBy: readonly ModelOrderBy[] | null;
}

/** `json.dumps` with its default separators and ASCII escapes. */
function pyDumps(v: unknown): string {
  if (v === null || v === undefined) return "null";
  if (Array.isArray(v)) return `[${v.map(pyDumps).join(", ")}]`;
  if (typeof v === "object") {
    return `{${Object.entries(v as Record<string, unknown>)
      .map(([k, x]) => `${pyDumps(k)}: ${pyDumps(x)}`)
      .join(", ")}}`;
  }
  if (typeof v === "string") {
    return JSON.stringify(v).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  }
  return JSON.stringify(v);
}

/** Python's str() in an f-string: strings as they are, the rest as repr. */
const pyFormat = (v: unknown) => (typeof v === "string" ? v : pyReprJson(v));

function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return (
    ka.length === kb.length &&
    ka.every(
      (k) => Object.hasOwn(b, k) && sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
    )
  );
}

function toBase64(text: string): string {
  let binary = "";
  for (const b of new TextEncoder().encode(text)) binary += String.fromCharCode(b);
  return btoa(binary);
}

export function encodeModelPageToken(search: ModelSearchIdentity, offset: number): string {
  return toBase64(
    pyDumps({
      experiment_ids: search.experimentIds,
      filter_string: search.filter,
      order_by: search.orderBy,
      offset,
    }),
  );
}

/** The JSON in a token; Python's b64decode skips characters outside the alphabet, then needs correct padding. */
function readToken(token: string): unknown {
  const b64 = token.replace(/[^A-Za-z0-9+/=]/g, "");
  let text: string;
  try {
    const body = b64.replace(/=+$/, "");
    if (body.length % 4 === 1 || (b64.length - body.length > 0 && b64.length % 4 !== 0)) throw new Error("padding");
    const binary = atob(body.padEnd(Math.ceil(body.length / 4) * 4, "="));
    text = new TextDecoder("utf-8", { fatal: true }).decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
  } catch {
    // The reference crashes here (binascii.Error / UnicodeDecodeError: an HTML 500 page).
    throw invalidParameter(`Invalid page token: ${token}. It is not base64-encoded UTF-8 text.`);
  }
  try {
    return JSON.parse(text);
  } catch {
    const at = text.length - text.trimStart().length;
    throw invalidParameter(`Invalid page token: ${token}. Expecting value: line 1 column ${at + 1} (char ${at})`);
  }
}

/** The offset a token resumes at, once it is known to belong to `search`. */
export function decodeModelPageToken(token: string, search: ModelSearchIdentity): number {
  const parsed = readToken(token);
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw invalidParameter(`Invalid page token: ${token}. It does not hold a JSON object.`);
  }
  const t = parsed as Record<string, unknown>;
  const orNull = (v: unknown) => (v === undefined || v === null || v === "" || v === 0 || v === false ? null : v);
  const ids = t.experiment_ids ?? null;
  const filter = orNull(t.filter_string);
  const orderBy = Array.isArray(t.order_by) && t.order_by.length === 0 ? null : orNull(t.order_by);
  if (!sameJson(ids, search.experimentIds)) {
    throw invalidParameter(
      `Experiment IDs in the page token do not match the requested experiment IDs. Expected: ${pyReprJson(search.experimentIds)}. Found: ${pyReprJson(ids)}`,
    );
  }
  if (!sameJson(filter, search.filter)) {
    throw invalidParameter(
      `Filter string in the page token does not match the requested filter string. Expected: ${pyFormat(search.filter)}. Found: ${pyFormat(filter)}`,
    );
  }
  if (!sameJson(orderBy, search.orderBy)) {
    throw invalidParameter(
      `Order by in the page token does not match the requested order by. Expected: ${pyFormat(search.orderBy)}. Found: ${pyFormat(orderBy)}`,
    );
  }
  const offset = t.offset ?? 0;
  if (typeof offset !== "number" || !Number.isSafeInteger(offset) || offset < 0) {
    throw invalidParameter(`Invalid page token: ${token}. Its offset is not a non-negative integer.`);
  }
  return offset;
}
