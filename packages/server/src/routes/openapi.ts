import { buildOpenApiDocument } from "@tracklite/schemas";
import type { Hono } from "hono";

/**
 * `GET /api/openapi.json`: the OpenAPI 3.1 document of the endpoint table. It is built on the first request and kept
 * for the life of the app, so start-up pays nothing for it. Not mirrored under `/ajax-api/`: the UI takes its types
 * from the schemas package, not from this document.
 */
export function openApiRoutes(app: Hono, mlflowVersion: string): void {
  let body: string | undefined;
  app.get("/api/openapi.json", (c) => {
    body ??= JSON.stringify(buildOpenApiDocument(mlflowVersion));
    return c.body(body, 200, { "Content-Type": "application/json" });
  });
}
