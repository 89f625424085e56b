/**
 * A server for runtime-listener.test.ts, bundled by it and run on Node, Deno and Bun: `@hono/node-server` as the CLI
 * uses it; on SIGTERM it stops listening with `stopListening`, prints "closed" once every connection has closed and
 * exits 0. Usage: `<runtime> fixture.mjs PORT`.
 */
import { serve } from "@hono/node-server";
import { stopListening } from "./runtime-listener.js";

const port = Number(process.argv[2]);
const server = serve({ fetch: () => new Response("ok"), hostname: "127.0.0.1", port }, () => console.log("listening"));
process.on("SIGTERM", () => {
  console.log("stopping");
  stopListening(server, () => {
    console.log("closed");
    process.exit(0);
  });
});
