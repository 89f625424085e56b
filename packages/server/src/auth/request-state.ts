import type { Context } from "hono";
import type { User } from "./user-store.js";

/** The signed-in user of each request the auth middleware let through. */
const signedIn = new WeakMap<Request, User>();
/** Requests the auth middleware made itself (re-fetching search pages): already checked, so not checked again. */
const internal = new WeakSet<Request>();

export const setSignedInUser = (c: Context, user: User) => signedIn.set(c.req.raw, user);

/** The signed-in user; only called on routes the middleware guards. */
export function signedInUser(c: Context): User {
  const user = signedIn.get(c.req.raw);
  if (!user) throw new Error("auth route reached without a signed-in user");
  return user;
}

export const markInternal = (req: Request) => {
  internal.add(req);
  return req;
};
export const isInternal = (c: Context) => internal.has(c.req.raw);

/** The workspace the request works in: the workspaces middleware's choice once there is one, else "default". */
export function workspaceOf(c: Context): string {
  const ws = (c.get as (key: string) => unknown)("workspace");
  return typeof ws === "string" && ws ? ws : "default";
}
