import { Buffer } from "node:buffer";
import { randomBytes, timingSafeEqual } from "node:crypto";
import type { Context } from "hono";
import type { User } from "./user-store.js";

/**
 * Per-request state of the auth middleware, in the hono context (which outlives any replacement of the raw request,
 * e.g. by the body-size limit).
 */
const set = (c: Context, key: string, value: unknown) => (c.set as (k: string, v: unknown) => void)(key, value);
const get = (c: Context, key: string) => (c.get as (k: string) => unknown)(key);

export const setSignedInUser = (c: Context, user: User) => set(c, "authUser", user);

/** The signed-in user; only called on routes the middleware guards. */
export function signedInUser(c: Context): User {
  const user = get(c, "authUser") as User | undefined;
  if (!user) throw new Error("auth route reached without a signed-in user");
  return user;
}

/**
 * Requests the auth middleware makes itself (re-fetching search pages) carry a header with a secret of this process:
 * they were checked already. The secret never leaves the process, so no client can send it.
 */
const INTERNAL_HEADER = "x-tracklite-auth-internal";
let secret: string | undefined;
/** Made on first use: Workers allow no random values at a module's top level. */
const internalSecret = (): string => {
  secret ??= randomBytes(32).toString("hex");
  return secret;
};

export function markInternal(req: Request): Request {
  req.headers.set(INTERNAL_HEADER, internalSecret());
  return req;
}

export function isInternal(c: Context): boolean {
  const sent = Buffer.from(c.req.header(INTERNAL_HEADER) ?? "");
  const expected = Buffer.from(internalSecret());
  return sent.length === expected.length && timingSafeEqual(sent, expected);
}

/** The workspace the request works in: the workspaces middleware's choice, else "default". */
export function workspaceOf(c: Context): string {
  const ws = get(c, "workspace");
  return typeof ws === "string" && ws ? ws : "default";
}
