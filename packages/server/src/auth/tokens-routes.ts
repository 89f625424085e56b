import type { Hono } from "hono";
import { invalidParameter } from "../errors.js";
import { mountAuth } from "./mount-auth-route.js";
import { signedInUser } from "./request-state.js";
import type { AuthService } from "./service.js";

/**
 * tracklite's per-user API tokens, for clients that send `MLFLOW_TRACKING_TOKEN` (as `Authorization: Bearer`). A token
 * is shown once, when created; the server keeps its SHA-256. Each user sees and deletes only their own.
 */
export function tokenRoutes(app: Hono, auth: AuthService): void {
  mountAuth(app, "createApiToken", async (c, params) => {
    const name = (await params.optional("name")) ?? "token";
    if (typeof name !== "string" || name.length > 255)
      throw invalidParameter("Token name must be a string of at most 255 characters.");
    const { token, info } = await auth.users.createToken(signedInUser(c).id, name);
    return { token, token_info: info };
  });

  mountAuth(app, "listApiTokens", async (c) => ({ tokens: await auth.users.listTokens(signedInUser(c).id) }));

  mountAuth(app, "deleteApiToken", async (c, params) => {
    await auth.users.deleteToken(signedInUser(c).id, await params.int("id"));
    return {};
  });
}
