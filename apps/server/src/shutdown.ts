import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { Http2SecureServer, Http2Server } from "node:http2";
import type { Socket } from "node:net";
import { stopListening } from "./runtime-listener.js";

/** What `@hono/node-server`'s `serve` returns; tracklite serves HTTP/1.1, so it is a `node:http` server. */
type ServerType = Server | Http2Server | Http2SecureServer;
type Fetch = (request: Request, ...rest: never[]) => Response | Promise<Response>;

/**
 * The grace period when TRACKLITE_GRACEFUL_TIMEOUT is unset: gunicorn's `--graceful-timeout` default, under which the
 * reference runs with `--gunicorn-opts` (uvicorn's `--timeout-graceful-shutdown` has none and would wait forever).
 */
export const DEFAULT_GRACE_SECONDS = 30;

/** TRACKLITE_GRACEFUL_TIMEOUT in milliseconds: seconds, a fraction allowed; a bad value stops the start. */
export function graceMsFromEnv(env: Record<string, string | undefined>): number {
  const raw = env.TRACKLITE_GRACEFUL_TIMEOUT;
  if (raw === undefined || raw.trim() === "") return DEFAULT_GRACE_SECONDS * 1000;
  const seconds = Number(raw);
  if (!Number.isFinite(seconds) || seconds < 0)
    throw new Error(`TRACKLITE_GRACEFUL_TIMEOUT must be a number of seconds, but got ${raw}`);
  return Math.round(seconds * 1000);
}

/**
 * TRACKLITE_WEBHOOK_RESUME_INTERVAL in milliseconds: how often a server looks for webhook deliveries kept by a
 * shutdown (its own or another replica's) and sends them; default 30 s, and always once at start.
 */
export function resumeIntervalMsFromEnv(env: Record<string, string | undefined>): number {
  const raw = env.TRACKLITE_WEBHOOK_RESUME_INTERVAL;
  if (raw === undefined || raw.trim() === "") return 30_000;
  const seconds = Number(raw);
  if (!Number.isFinite(seconds) || seconds <= 0)
    throw new Error(`TRACKLITE_WEBHOOK_RESUME_INTERVAL must be a positive number of seconds, but got ${raw}`);
  return Math.round(seconds * 1000);
}

/** The work after the last request: given the deadline (ms since the epoch), it drains and closes the stores. */
export type Finish = (deadline: number) => Promise<void>;

/** How often idle keep-alive connections are looked at while requests drain. */
const IDLE_SWEEP_MS = 100;
/**
 * How long a keep-alive connection must have been idle, with nothing more read from it, before the drain closes it.
 * A client that got an answer a moment ago may be sending its next request on the connection right now; closing it
 * at once would reset that request (what Node's own `server.close()` does). Past this, the connection is closed as
 * its keep-alive timeout (5 s) would close it.
 */
const IDLE_LINGER_MS = 1000;

/** A connection's state: requests under way, and since when (and after how many bytes read) it is idle. */
interface Conn {
  busy: number;
  idleSince: number;
  bytesAtIdle: number;
}

/**
 * Graceful shutdown of the Node server on SIGTERM and SIGINT, as a load balancer expects of a replica:
 * 1. the listener closes (new connections are refused, so health checks fail over) and `/health` answers 503 on the
 *    connections still open;
 * 2. requests in flight run to their end; each answer while draining says `Connection: close`, and keep-alive
 *    connections are closed as soon as they are idle, so a client never loses a request it sent;
 * 3. `finish` drains the writer queue and the webhook deliveries (finished within the grace period or persisted);
 * 4. the process exits 0.
 * Connections still busy when the grace period ends are cut. A second signal exits at once (status 1).
 */
export class GracefulShutdown {
  #draining = false;
  #server: ServerType | undefined;
  readonly #open = new Set<ServerResponse>();
  readonly #conns = new Map<Socket, Conn>();

  constructor(
    private readonly options: {
      graceMs: number;
      finish: Finish;
      /** The `--static-prefix`, under which `/health` is served too. */
      staticPrefix?: string;
      log?: (line: string) => void;
      exit?: (code: number) => never;
    },
  ) {}

  /** Whether a shutdown has begun. */
  get draining(): boolean {
    return this.#draining;
  }

  /** The app's fetch, answering `/health` with 503 once draining (the app's own answer is 200 "OK"). */
  wrap<F extends Fetch>(fetch: F): F {
    const health = new Set(["/health", `${this.options.staticPrefix ?? ""}/health`]);
    return ((request: Request, ...rest: never[]) => {
      if (this.#draining && health.has(new URL(request.url).pathname))
        return new Response("Shutting down", { status: 503, headers: { "Content-Type": "text/plain" } });
      return fetch(request, ...rest);
    }) as F;
  }

  /** Tracks the server's responses and installs the signal handlers. */
  attach(server: ServerType): void {
    this.#server = server;
    // Before the app's listener, so that an answer the app gives at once is already marked.
    server.on("connection", (socket: Socket) => {
      this.#conns.set(socket, { busy: 0, idleSince: Date.now(), bytesAtIdle: 0 });
      socket.once("close", () => this.#conns.delete(socket));
    });
    server.prependListener("request", (req: IncomingMessage, res: ServerResponse) => {
      if (this.#draining) res.shouldKeepAlive = false;
      this.#open.add(res);
      const conn = this.#conns.get(req.socket);
      if (conn) conn.busy++;
      let settled = false;
      const done = () => {
        if (settled) return;
        settled = true;
        this.#open.delete(res);
        if (conn) {
          conn.busy--;
          conn.idleSince = Date.now();
          conn.bytesAtIdle = req.socket.bytesRead;
        }
      };
      res.once("finish", done);
      res.once("close", done);
    });
    process.on("SIGTERM", () => this.stop("SIGTERM"));
    process.on("SIGINT", () => this.stop("SIGINT"));
  }

  /** Begins the shutdown (the signal handlers call it); a second call exits at once. */
  stop(signal: string): void {
    const exit = this.options.exit ?? ((code: number) => process.exit(code));
    const log = this.#log;
    if (this.#draining) {
      log(`Received ${signal} again: exiting now.`);
      exit(1);
    }
    this.#draining = true;
    const deadline = Date.now() + this.options.graceMs;
    log(`Received ${signal}: draining (grace period ${this.options.graceMs / 1000} s).`);
    this.#drain(deadline).then(
      () => {
        log("Shutdown complete.");
        exit(0);
      },
      (err: unknown) => {
        console.error("Shutdown failed:", err);
        exit(1);
      },
    );
  }

  #log = (line: string) => (this.options.log ?? console.log)(line);

  async #drain(deadline: number): Promise<void> {
    const server = this.#server;
    if (server) {
      for (const res of this.#open) if (!res.headersSent) res.shouldKeepAlive = false;
      const closed = new Promise<void>((resolve) => stopListening(server, () => resolve()));
      const http = server as Partial<Server>;
      const sweep = setInterval(() => this.#closeIdle(), IDLE_SWEEP_MS);
      this.#closeIdle();
      const late = Symbol("late");
      const outcome = await Promise.race([closed, sleep(deadline - Date.now()).then(() => late)]);
      clearInterval(sweep);
      if (outcome === late) {
        this.#log(`Grace period over: closing ${this.#open.size} unfinished request(s).`);
        http.closeAllConnections?.();
        await closed;
      }
    }
    await this.options.finish(deadline);
  }

  /** Closes the connections idle for IDLE_LINGER_MS with no new request arriving on them. */
  #closeIdle(): void {
    const now = Date.now();
    for (const [socket, conn] of this.#conns) {
      const arriving = socket.bytesRead > conn.bytesAtIdle;
      if (conn.busy === 0 && !arriving && now - conn.idleSince >= IDLE_LINGER_MS) socket.destroy();
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}
