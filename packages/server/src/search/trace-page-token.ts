import { clientCrash, invalidParameter } from "../errors.js";
import { pyReprJson } from "../validation/python-values.js";
import type { SortKey, SqlArg } from "./keyset.js";
import { pyInt } from "./python-compat.js";

/**
 * search_traces page tokens. Ours carry the sort-key values of the last row returned (keyset paging); the reference's
 * carry an offset (`{"offset": n}`), and those are still accepted, so a token written by hand as the reference writes
 * them pages the same. Both are base64 JSON, and anything else is refused with the reference's messages.
 * @see mlflow/utils/search_utils.py SearchUtils.parse_start_offset_from_page_token, create_page_token
 */

const shape = (keys: readonly SortKey[]) => keys.map((k) => `${k.type[0]}${k.descending ? "-" : "+"}`).join("");

function toBase64(text: string): string {
  let binary = "";
  for (const b of new TextEncoder().encode(text)) binary += String.fromCharCode(b);
  return btoa(binary);
}

/** The next page's token, from the last row of this page (its k0, k1, ... columns). */
export function encodeTracePageToken(keys: readonly SortKey[], row: Record<string, unknown>): string {
  const values = keys.map((k, i) => {
    const raw = row[`k${i}`];
    const v = typeof raw === "bigint" ? Number(raw) : raw;
    if (k.type === "number" ? typeof v !== "number" || !Number.isFinite(v) : typeof v !== "string") {
      throw new TypeError(`sort key k${i} of the last row is ${String(v)}, not a ${k.type}`);
    }
    return v;
  });
  return toBase64(JSON.stringify({ s: shape(keys), v: values }));
}

/** Python's `repr(bytes)`. */
export function pyBytes(bytes: Uint8Array): string {
  const hasSingle = bytes.includes(0x27);
  const quote = hasSingle && !bytes.includes(0x22) ? '"' : "'";
  let out = "";
  for (const b of bytes) {
    if (b === 0x5c) out += "\\\\";
    else if (b === quote.charCodeAt(0)) out += `\\${quote}`;
    else if (b === 0x09) out += "\\t";
    else if (b === 0x0a) out += "\\n";
    else if (b === 0x0d) out += "\\r";
    else if (b < 0x20 || b >= 0x7f) out += `\\x${b.toString(16).padStart(2, "0")}`;
    else out += String.fromCharCode(b);
  }
  return `b${quote}${out}${quote}`;
}

/** Python's non-strict `base64.b64decode`: characters outside the alphabet are dropped, padding must be right. */
function b64decode(token: string): Uint8Array | undefined {
  const clean = token.replace(/[^A-Za-z0-9+/=]/g, "");
  const body = clean.replace(/=+$/, "");
  if (body.includes("=") || body.length % 4 === 1) return undefined;
  const padded = body.length % 4 === 0 ? 0 : 4 - (body.length % 4);
  if (clean.length - body.length < padded) return undefined;
  try {
    return Uint8Array.from(atob(body.padEnd(body.length + padded, "=")), (c) => c.charCodeAt(0));
  } catch {
    return undefined;
  }
}

const TYPE_NAMES: Readonly<Record<string, string>> = { number: "int", string: "str", boolean: "bool" };

/** Python's `int()` of a JSON value, or undefined where it raises ValueError. */
function pyIntOf(v: unknown): number | undefined {
  if (typeof v === "boolean") return v ? 1 : 0;
  if (typeof v === "number") return Math.trunc(v);
  if (typeof v === "string") return pyInt(v);
  return undefined;
}

/** Where a token says the next page starts, checked against the keys of this search's order. */
export function decodeTracePageToken(
  keys: readonly SortKey[],
  token: string,
): { after: SqlArg[] } | { offset: number } {
  const bytes = b64decode(token);
  if (!bytes) throw invalidParameter("Invalid page token, could not base64-decode");
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    throw invalidParameter(`Invalid page token, decoded value=${pyBytes(bytes)}`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    const type = Array.isArray(parsed) ? "list" : parsed === null ? "NoneType" : TYPE_NAMES[typeof parsed];
    throw clientCrash(`'${type ?? "object"}' object has no attribute 'get'`);
  }
  const t = parsed as Record<string, unknown>;
  const fits =
    t.s === shape(keys) &&
    Array.isArray(t.v) &&
    t.v.length === keys.length &&
    t.v.every((x, i) =>
      keys[i]?.type === "number" ? typeof x === "number" && Number.isFinite(x) : typeof x === "string",
    );
  if (fits) return { after: t.v as SqlArg[] };
  const offset = t.offset;
  const empty = typeof offset === "object" && offset !== null && Object.keys(offset).length === 0;
  if (offset === undefined || offset === null || offset === 0 || offset === "" || offset === false || empty) {
    throw invalidParameter(`Invalid page token, parsed value=${pyReprJson(parsed)}`);
  }
  const n = pyIntOf(offset);
  if (n === undefined)
    throw invalidParameter(
      `Invalid page token, not stringable ${typeof offset === "string" ? offset : pyReprJson(offset)}`,
    );
  return { offset: Math.max(0, n) };
}
