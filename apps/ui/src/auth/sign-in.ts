import { serverBase } from "../lib/server-base.js";
import { authorizationHeader, type Credentials, CURRENT_USER_PATH, type CurrentUser } from "./session.js";

/** What a sign-in attempt came to. */
export type SignInResult =
  | { ok: true; current: CurrentUser | undefined }
  | { ok: false; reason: "rejected" | "throttled" | "error"; message: string; retryAfter?: number };

/**
 * Seconds to wait after a 429: the `Retry-After` header (seconds or an HTTP date), else a number of seconds named in
 * the message ("try again in 30 s"), else undefined.
 */
export function retryAfterSeconds(header: string | null, message = "", now = Date.now()): number | undefined {
  const raw = header?.trim();
  if (raw) {
    if (/^\d+$/.test(raw)) return Number(raw);
    const at = Date.parse(raw);
    if (Number.isFinite(at)) return Math.max(0, Math.ceil((at - now) / 1000));
  }
  const m = /(\d+)\s*(?:s\b|secs?\b|seconds?\b)/i.exec(message);
  return m ? Number(m[1]) : undefined;
}

/** "Too many attempts. Try again in 30 s." */
export function throttledMessage(seconds: number | undefined): string {
  return seconds === undefined
    ? "Too many attempts. Try again later."
    : `Too many attempts. Try again in ${seconds} s.`;
}

/**
 * Tries credentials on `GET users/current` without storing them (and outside the client, so a wrong password
 * neither retries nor raises the app-wide sign-in event). A 404 means the server has no auth.
 */
export async function verifyCredentials(
  creds: Credentials,
  origin: string = serverBase(),
  fetchFn: typeof fetch = fetch,
): Promise<SignInResult> {
  let res: Response;
  try {
    res = await fetchFn(`${origin}/ajax-api${CURRENT_USER_PATH}`, {
      headers: { Authorization: authorizationHeader(creds), "X-Requested-With": "XMLHttpRequest" },
    });
  } catch (e) {
    return { ok: false, reason: "error", message: `Could not reach the server: ${(e as Error).message}` };
  }
  const text = await res.text().catch(() => "");
  if (res.ok) return { ok: true, current: JSON.parse(text) as CurrentUser };
  if (res.status === 404) return { ok: true, current: undefined };
  if (res.status === 401) {
    const message = creds.kind === "token" ? "The token was not accepted." : "Wrong username or password.";
    return { ok: false, reason: "rejected", message };
  }
  let message = text.slice(0, 300) || res.statusText;
  try {
    message = (JSON.parse(text) as { message?: string }).message ?? message;
  } catch {
    // plain text
  }
  if (res.status === 429) {
    const retryAfter = retryAfterSeconds(res.headers.get("Retry-After"), message);
    return { ok: false, reason: "throttled", message: throttledMessage(retryAfter), retryAfter };
  }
  return { ok: false, reason: "error", message: `HTTP ${res.status}: ${message}` };
}
