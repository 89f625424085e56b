import type { Context } from "hono";
import type { Checker } from "./checker.js";
import type { RequestParams } from "./request-params.js";
import type { RoleStore } from "./role-store.js";
import type { User, UserStore } from "./user-store.js";

/** What a permission rule sees: the signed-in user, their grants, the request's parameters. */
export interface RuleContext {
  /** The request, for rules that must read it exactly as its handler does. */
  c: Context;
  user: User;
  check: Checker;
  params: RequestParams;
  users: UserStore;
  roles: RoleStore;
  /** The workspace the request works in; `"default"` until workspaces arrive. */
  workspace: string;
  /** The request path below the `/api/2.0` (or similar) prefix, for path-keyed routes (artifacts). */
  subpath: string;
}

/**
 * A route's permission rule: `"authenticated"` (any signed-in user), `"admin"` (admins only), or a check. Admins
 * pass every rule without running it, as in the reference.
 */
export type Rule = "authenticated" | "admin" | ((ctx: RuleContext) => Promise<boolean> | boolean);

/**
 * Thrown by a rule that answers the request itself rather than allowing or refusing it with 403: the reference's
 * OTLP check answers a missing experiment header with a plain-text 400.
 */
export class RuleAnswer extends Error {
  constructor(readonly response: Response) {
    super("answered by the permission check");
    this.name = "RuleAnswer";
  }
}
