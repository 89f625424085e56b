import type { SqlArg } from "./keyset.js";

/** What the search compilers share: the view types, and the shape of a compiled, keyset-paged search. */

export type ViewType = "ACTIVE_ONLY" | "DELETED_ONLY" | "ALL";

/** The lifecycle stages each view type shows. */
export const LIFECYCLE_STAGES: Record<ViewType, string[]> = {
  ACTIVE_ONLY: ["active"],
  DELETED_ONLY: ["deleted"],
  ALL: ["active", "deleted"],
};

export interface CompiledSearch {
  /** Selects the page plus one row (its presence means there is a next page). */
  sql: string;
  args: SqlArg[];
  /** The token for the page that follows `lastRow`, the last row the caller returns. */
  nextPageToken(lastRow: Record<string, unknown>): string;
}

/** maxResults + 1, written into the SQL: a validated integer, never user text. */
export function limitOf(maxResults: number): number {
  if (!Number.isSafeInteger(maxResults) || maxResults < 0)
    throw new RangeError(`maxResults must be a non-negative integer, got ${maxResults}`);
  return maxResults + 1;
}
