import { Server as NetServer } from "node:net";

/** What the CLI serves with: `@hono/node-server`'s `node:http` server (Node's own, or Deno's or Bun's version of it). */
interface Closable {
  close(callback?: (err?: Error) => void): unknown;
}

/** The `Bun.serve` server under Bun's `node:http` one; `stop(false)` closes only its listening socket. */
interface BunServer {
  stop(closeActiveConnections?: boolean): Promise<void> | undefined;
}

/**
 * Bun's `node:http` server keeps its `Bun.serve` server under the symbol `::bunternal::` (Bun 1.4); undefined
 * elsewhere, or if a later Bun moves it (the caller then falls back to `close()`, which the runtime test would catch).
 */
function bunServer(server: object): BunServer | undefined {
  if (!("Bun" in globalThis)) return undefined;
  const key = Object.getOwnPropertySymbols(server).find((s) => s.description === "::bunternal::");
  const inner = key === undefined ? undefined : (server as Record<symbol, unknown>)[key];
  return typeof (inner as BunServer | undefined)?.stop === "function" ? (inner as BunServer) : undefined;
}

/**
 * Stops accepting connections but keeps the open ones, idle keep-alive connections included, until they close;
 * then calls `done`. A graceful shutdown needs this: a client may be sending its next request on an idle keep-alive
 * connection at this very moment, and closing that connection resets the request.
 *
 * `http.Server.close()` cannot do it on any runtime: Node's (since 19) and Deno's destroy idle connections at once,
 * and so does Bun's. So on Node and Deno (whose `node:http` server is a `net.Server`) only the `net.Server` part is
 * closed, and on Bun its `Bun.serve` server is stopped without closing active connections; its promise settles once
 * every connection has closed. Measured with Node 20, Deno 2.9 and Bun 1.4 (runtime-listener.test.ts).
 */
export function stopListening(server: Closable, done: () => void): void {
  if (server instanceof NetServer) {
    NetServer.prototype.close.call(server, () => done());
    return;
  }
  const bun = bunServer(server);
  if (bun) {
    Promise.resolve(bun.stop(false)).then(done, done);
    return;
  }
  server.close(() => done());
}
