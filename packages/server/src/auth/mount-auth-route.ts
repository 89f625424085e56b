import type { EndpointName } from "@tracklite/schemas";
import { endpoints } from "@tracklite/schemas";
import type { Context, Hono } from "hono";
import { RequestParams } from "./request-params.js";
import { prefixesOf } from "./route-table.js";

export type AuthHandler = (c: Context, params: RequestParams) => Promise<Response | object>;

/**
 * Registers one basic-auth endpoint of the shared table under each prefix the reference serves it at (`/api/2.0`
 * for the user routes, `/api/3.0` for grants and roles, and their `/ajax-api` twins). Parameters are read as the
 * reference's handlers read them, so missing ones get its messages.
 */
export function mountAuth(app: Hono, name: EndpointName, handler: AuthHandler): void {
  const e = endpoints[name];
  for (const prefix of prefixesOf(name)) {
    for (const method of e.methods) {
      app.on(method, `${prefix}${e.path}`, async (c) => {
        const result = await handler(c, new RequestParams(c));
        return result instanceof Response ? result : c.json(result);
      });
    }
  }
}
