import {
  CHECKS,
  type EndpointName,
  endpoints,
  type ParsedRequestOf,
  type PathParamsOf,
  type ResponseOf,
} from "@tracklite/schemas";
import type { Context, Hono } from "hono";
import { matchedRoutes } from "hono/route";
import { MlflowError } from "../errors.js";
import { parseRequest, readRequestJson } from "./parse-request.js";

/**
 * An endpoint's handler. Path parameters (`:model_id` in the table's path) come apart from the request message, as
 * in the reference, whose handlers read the body's fields and the URL's separately (and check only the body's).
 */
export type Handler<N extends EndpointName> = (
  request: ParsedRequestOf<N>,
  c: Context,
  path: PathParamsOf<N>,
) => Promise<ResponseOf<N> | Response> | ResponseOf<N> | Response;

/**
 * Registers one endpoint of the shared table on `api`: the table gives methods and path, the request is parsed and
 * checked like the reference does, and the handler's result is sent as JSON (`{}` for empty answers), unless the
 * handler built its own Response (a streamed body). The basic-auth endpoints of the table are not MLflow protos and
 * are registered by `auth/mount-auth-route.ts` instead.
 */
export function mount<N extends EndpointName & keyof typeof CHECKS>(api: Hono, name: N, handler: Handler<N>): void {
  const endpoint = endpoints[name];
  const checks = CHECKS[name];
  for (const method of endpoint.methods) {
    api.on(method, endpoint.path, async (c) => {
      const raw = await readRequestJson(c, endpoint.request);
      const request = parseRequest(raw, endpoint.request, checks) as ParsedRequestOf<N>;
      const path = c.req.param() as PathParamsOf<N>;
      const result = await handler(request, c, path);
      return result instanceof Response ? result : c.json(result as object);
    });
  }
  // A known path with another method is 405, as in the reference, not 404; unless another endpoint's path matches with
  // this method (GET /logged-models/search is GET /logged-models/:model_id).
  api.all(endpoint.path, (c, next) => {
    if (matchedRoutes(c).some((r) => r.method !== "ALL")) return next();
    // A bare OPTIONS (not a CORS preflight, which the security middleware answers) lists the methods, as Flask does.
    if (c.req.method === "OPTIONS") {
      c.header("Allow", [...endpoint.methods, "OPTIONS"].join(", "));
      return c.body(null, 204);
    }
    c.header("Allow", endpoint.methods.join(", "));
    return c.json(
      new MlflowError(
        `Method ${c.req.method} is not allowed for ${c.req.path}; use ${endpoint.methods.join(" or ")}.`,
        "BAD_REQUEST",
      ),
      405,
    );
  });
}
