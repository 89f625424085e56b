import { invalidParameter } from "../errors.js";
import { type CompiledSearch, readTokenJson } from "../search/index.js";
import type { DbHandle } from "./db.js";

/** The metric-history page token (written by `encodeOffsetToken`): base64 of `{"offset": N}`. */
export function decodeOffsetToken(token: string | undefined): number {
  if (!token) return 0;
  const { decoded, parsed } = readTokenJson(token);
  const offset = (parsed as { offset?: unknown } | null)?.offset;
  // Not just an integer: 1e30 is one, and SQLite's OFFSET refuses it (a 500 in the reference).
  if (typeof offset !== "number" || !Number.isSafeInteger(offset) || offset < 0) {
    throw invalidParameter(`Invalid page token, parsed value=${decoded}`);
  }
  return offset;
}

/**
 * Runs a compiled search (which asks for one row more than a page) and cuts the page: the extra row only says that
 * another page exists, whose token is made from the page's last row.
 */
export async function runPagedSearch(
  h: DbHandle,
  compiled: CompiledSearch,
  maxResults: number,
): Promise<{ page: Record<string, unknown>[]; nextPageToken?: string }> {
  const rs = await h.client.execute({ sql: compiled.sql, args: compiled.args });
  const rows = rs.rows as unknown as Record<string, unknown>[];
  const page = rows.slice(0, maxResults);
  const last = page.at(-1);
  return { page, ...(rows.length > maxResults && last ? { nextPageToken: compiled.nextPageToken(last) } : {}) };
}
