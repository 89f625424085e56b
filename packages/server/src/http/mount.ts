import { CHECKS, type EndpointName, endpoints, type ParsedRequestOf, type ResponseOf } from "@tracklite/schemas";
import type { Context, Hono } from "hono";
import { MlflowError } from "../errors.js";
import { parseRequest, readRequestJson } from "./parse-request.js";

export type Handler<N extends EndpointName> = (
  request: ParsedRequestOf<N>,
  c: Context,
) => Promise<ResponseOf<N>> | ResponseOf<N>;

/**
 * Registers one endpoint of the shared table on `api`: the table gives methods and path, the request is parsed and
 * checked like the reference does, and the handler's result is sent as JSON (`{}` for empty answers).
 */
export function mount<N extends EndpointName>(api: Hono, name: N, handler: Handler<N>): void {
  const endpoint = endpoints[name];
  const checks = CHECKS[name];
  for (const method of endpoint.methods) {
    api.on(method, endpoint.path, async (c) => {
      const raw = await readRequestJson(c, endpoint.request);
      const request = parseRequest(raw, endpoint.request, checks) as ParsedRequestOf<N>;
      return c.json((await handler(request, c)) as object);
    });
  }
  // A known path with another method is 405, as in the reference, not 404.
  api.all(endpoint.path, (c) => {
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
