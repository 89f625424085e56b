/**
 * The signed-in user's credentials for this tab, and the fetch every API call goes through. Credentials live in
 * sessionStorage (gone with the tab, never written to the profile like localStorage) and travel as an
 * `Authorization` header: `Basic` for a username and password, `Bearer` for an API token. This module is on the
 * first page (every call needs it); the sign-in and admin pages are separate chunks.
 */

export type Credentials = { kind: "basic"; username: string; password: string } | { kind: "token"; token: string };

/** The part of `Storage` used here (sessionStorage in the browser). */
export type KeyValueStore = Pick<Storage, "getItem" | "setItem" | "removeItem">;

const KEY = "tracklite.auth";

/** Who is signed in, from `GET users/current` of MLflow's basic-auth app. */
export interface CurrentUser {
  user: { id: number; username: string; is_admin: boolean };
  /** False when the server authenticates another way (then there is no password to change). */
  is_basic_auth?: boolean;
}

/** Whether auth is on and who is signed in: 404 means the server has no auth. */
export const CURRENT_USER_PATH = "/2.0/mlflow/users/current";

/** The window event fired when any API call answers 401: the app shows the sign-in page. */
export const AUTH_REQUIRED = "tl-auth-required";

/** The credentials kept for this tab, if any (a malformed entry counts as none). */
export function loadCredentials(store: KeyValueStore = sessionStorage): Credentials | undefined {
  try {
    const c = JSON.parse(store.getItem(KEY) ?? "null") as Credentials | null;
    if (c?.kind === "basic" && typeof c.username === "string" && typeof c.password === "string") return c;
    if (c?.kind === "token" && typeof c.token === "string" && c.token) return c;
  } catch {
    // not JSON: treated as signed out
  }
  return undefined;
}

export function saveCredentials(c: Credentials, store: KeyValueStore = sessionStorage): void {
  store.setItem(KEY, JSON.stringify(c));
}

export function clearCredentials(store: KeyValueStore = sessionStorage): void {
  store.removeItem(KEY);
}

/** The `Authorization` header value: Basic with the UTF-8 bytes of `user:password` (RFC 7617), or Bearer. */
export function authorizationHeader(c: Credentials): string {
  if (c.kind === "token") return `Bearer ${c.token}`;
  let binary = "";
  for (const b of new TextEncoder().encode(`${c.username}:${c.password}`)) binary += String.fromCharCode(b);
  return `Basic ${btoa(binary)}`;
}

/**
 * A fetch that adds the stored credentials (unless the request sets its own `Authorization`) and calls
 * `onUnauthorized` when the server answers 401. Read per request, so signing in or out needs no new client.
 */
export function createAuthFetch(options: {
  store: () => KeyValueStore;
  onUnauthorized: () => void;
  fetch?: typeof fetch;
}): typeof fetch {
  return async (input, init) => {
    const headers = new Headers(init?.headers);
    const creds = loadCredentials(options.store());
    if (creds && !headers.has("Authorization")) headers.set("Authorization", authorizationHeader(creds));
    const res = await (options.fetch ?? fetch)(input, { ...init, headers });
    if (res.status === 401) options.onUnauthorized();
    return res;
  };
}

/** The UI's fetch: sessionStorage credentials, and a 401 announced as {@link AUTH_REQUIRED} on the window. */
export const authFetch = createAuthFetch({
  store: () => sessionStorage,
  onUnauthorized: () => window.dispatchEvent(new CustomEvent(AUTH_REQUIRED)),
});
