import { invalidParameter } from "../errors.js";

/**
 * Keyset paging. A page token holds the sort-key values of the last row returned; the next page is the rows strictly
 * after that row in the sort order. Every sort key is a non-null SQL expression (nullable columns are split into an
 * "is missing" flag and a COALESCE'd value), and the last key is unique, so "after" is exact and no row is skipped or
 * repeated, however deep the page. The reference pages with OFFSET; its tokens and ours are opaque to clients.
 */

export type SqlArg = string | number;

export interface SortKey {
  /** A non-null SQL expression; it must not need bound arguments of its own. */
  expr: string;
  descending: boolean;
  type: "number" | "text";
}

/** The SELECT list entries for the keys, aliased k0, k1, ... so the caller's rows carry them. */
export function selectKeys(keys: readonly SortKey[]): string {
  return keys.map((k, i) => `${k.expr} AS k${i}`).join(", ");
}

export function orderByKeys(keys: readonly SortKey[]): string {
  return keys.map((k, i) => `k${i}${k.descending ? " DESC" : ""}`).join(", ");
}

/**
 * `(k0 > v0) OR (k0 = v0 AND (k1 < v1 OR (...)))`, with `>`/`<` following each key's direction, led by a plain
 * `k0 >= v0` range so SQLite can seek an index on the first key (start_time for the default order).
 */
export function afterRow(keys: readonly SortKey[], values: readonly SqlArg[]): { sql: string; args: SqlArg[] } {
  const args: SqlArg[] = [];
  const build = (i: number): string => {
    const k = keys[i] as SortKey;
    const past = `${k.expr} ${k.descending ? "<" : ">"} ?`;
    args.push(values[i] as SqlArg);
    if (i === keys.length - 1) return past;
    args.push(values[i] as SqlArg);
    return `(${past} OR (${k.expr} = ? AND ${build(i + 1)}))`;
  };
  const first = keys[0] as SortKey;
  const range = `${first.expr} ${first.descending ? "<=" : ">="} ?`;
  const rest = build(0);
  return { sql: `${range} AND ${rest}`, args: [values[0] as SqlArg, ...args] };
}

/** A signature of the key layout, so a token from one ordering is refused by another. */
const shape = (keys: readonly SortKey[]) => keys.map((k) => `${k.type[0]}${k.descending ? "-" : "+"}`).join("");

function toBase64Url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/** The opaque next-page token for the row whose key values are `row.k0`, `row.k1`, .... */
export function encodePageToken(keys: readonly SortKey[], row: Record<string, unknown>): string {
  const values = keys.map((k, i) => {
    const raw = row[`k${i}`];
    // libSQL hands integers back as bigint unless the client uses intMode "number".
    const v = typeof raw === "bigint" ? Number(raw) : raw;
    if (k.type === "number" ? typeof v !== "number" || !Number.isFinite(v) : typeof v !== "string") {
      throw new TypeError(`sort key k${i} of the last row is ${String(v)}, not a ${k.type}`);
    }
    return v;
  });
  return toBase64Url(JSON.stringify({ s: shape(keys), v: values }));
}

/** The key values carried by `token`, refused with the reference's messages when it is not one of ours. */
export function decodePageToken(keys: readonly SortKey[], token: string): SqlArg[] {
  const { decoded, parsed } = readTokenJson(token);
  const { s, v } = (parsed ?? {}) as { s?: unknown; v?: unknown };
  const fits =
    s === shape(keys) &&
    Array.isArray(v) &&
    v.length === keys.length &&
    v.every((x, i) =>
      keys[i]?.type === "number" ? typeof x === "number" && Number.isFinite(x) : typeof x === "string",
    );
  if (!fits) throw invalidParameter(`Invalid page token, parsed value=${decoded}`);
  return v as SqlArg[];
}

/**
 * The JSON inside a base64 (or base64url) page token, with the reference's messages when it is not base64 or not
 * JSON. Shared by every paged endpoint; each checks the parsed value itself.
 */
export function readTokenJson(token: string): { decoded: string; parsed: unknown } {
  const b64 = token.replaceAll("-", "+").replaceAll("_", "/");
  let decoded: string;
  try {
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64) || b64.replace(/=+$/, "").length % 4 === 1) throw new Error();
    const binary = atob(b64.replace(/=+$/, "").padEnd(Math.ceil(b64.replace(/=+$/, "").length / 4) * 4, "="));
    decoded = new TextDecoder("utf-8", { fatal: true }).decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
  } catch {
    throw invalidParameter("Invalid page token, could not base64-decode");
  }
  try {
    return { decoded, parsed: JSON.parse(decoded) };
  } catch {
    throw invalidParameter(`Invalid page token, decoded value=${decoded}`);
  }
}
