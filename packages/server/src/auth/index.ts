import type { Hono } from "hono";
import type { Store } from "../store/index.js";
import { authMiddleware } from "./middleware.js";
import { roleRoutes } from "./roles-routes.js";
import type { AuthService } from "./service.js";
import { tokenRoutes } from "./tokens-routes.js";
import { userRoutes } from "./users-routes.js";

export { type AuthConfig, AuthConfigError, readAuthConfig } from "./config.js";
export { AuthService, type AuthServiceOptions } from "./service.js";

/** Puts basic auth in front of every route of `app` (call before any route is added). */
export function guardApp(app: Hono, auth: AuthService, store: Store): void {
  app.use("*", authMiddleware(auth, app, store));
}

/** Adds the users, grants, roles and API-token routes. */
export function mountAuthRoutes(app: Hono, auth: AuthService, store: Store): void {
  userRoutes(app, auth, store);
  roleRoutes(app, auth);
  tokenRoutes(app, auth);
}
