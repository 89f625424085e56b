import type { Context } from "hono";
import { invalidParameter } from "../errors.js";
import { decodeRegistryPageToken } from "../search/registry-page-token.js";
import { API_DOCS } from "../validation/messages.js";

/**
 * Paging and caller identity as the label-schema, review-queue and issue handlers read them.
 * @see mlflow/server/handlers.py _review_queue_max_results_validator, _get_request_username
 */

/** The reference's `SEARCH_MAX_RESULTS_THRESHOLD`. */
export const MAX_RESULTS_THRESHOLD = 50_000;

/** The handlers' own range check of `max_results` (1 to 50,000), with its message. */
export function maxResultsInRange(value: number | undefined): void {
  if (value !== undefined && !(value >= 1 && value <= MAX_RESULTS_THRESHOLD))
    throw invalidParameter(`max_results must be between 1 and ${MAX_RESULTS_THRESHOLD}.${API_DOCS}`);
}

/** The offset a page token carries (a list's offset token, as the reference writes it). */
export const offsetOf = (token: string | undefined): number => decodeRegistryPageToken(token);

/** A list answer: the items (left out when empty) and the token, "" on the last page (these protos set it). */
export function page<K extends string, T>(key: K, p: { items: T[]; next?: string }) {
  return { ...(p.items.length > 0 ? { [key]: p.items } : {}), next_page_token: p.next ?? "" } as {
    [P in K]?: T[];
  } & { next_page_token: string };
}

/**
 * The signed-in user's name with `--app-name basic-auth`, else undefined (a server without auth has no identity:
 * queue ownership and review attribution then take what the client says).
 */
export function requestUsername(c: Context): string | undefined {
  const user = (c.get as (key: string) => unknown)("authUser") as { username?: string } | undefined;
  return user?.username;
}
