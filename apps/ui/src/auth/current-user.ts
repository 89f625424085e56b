import { isMlflowApiError } from "@tracklite/client";
import { client } from "../api.js";
import { CURRENT_USER_PATH, type CurrentUser } from "./session.js";

/**
 * The signed-in user, or `undefined` when the server has no auth (the route is absent: 404). A 401 throws (and
 * the session's fetch has already asked for the sign-in page).
 */
export async function fetchCurrentUser(): Promise<CurrentUser | undefined> {
  try {
    return await client.transport.json<CurrentUser>("GET", CURRENT_USER_PATH);
  } catch (e) {
    if (isMlflowApiError(e) && e.status === 404) return undefined;
    throw e;
  }
}
