import { createHmac } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll } from "vitest";

/** One request the receiver got. */
export interface Received {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
  /** Whether the receiver answered it (a `/hang` request is never answered). */
  answered: boolean;
}

/**
 * A real webhook receiver on 127.0.0.1 for the test file that calls it. The path picks the answer:
 * `/ok/<tag>` 200 "ok"; `/fail/<n>/<tag>` 500 for the first n requests, then 200; `/slow/<ms>/<tag>` 200 after
 * waiting ms; `/status/<code>/<tag>` that status; `/redirect/<code>/<location, URI-encoded>` a redirect;
 * `/hang/<n>/<tag>` no answer at all to the first n requests, then 200. `<tag>` keeps each test's requests apart.
 */
export interface Receiver {
  /** `http://127.0.0.1:<port>` */
  url: string;
  received: Received[];
  /** The requests whose path starts with `prefix`. */
  at(prefix: string): Received[];
}

export function useReceiver(): Receiver {
  const r = { received: [] as Received[] } as Receiver;
  const counts = new Map<string, number>();
  let server: Server;
  r.at = (prefix) => r.received.filter((x) => x.path.startsWith(prefix));
  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const path = req.url ?? "/";
        const got: Received = {
          method: req.method ?? "",
          path,
          headers: req.headers,
          body: Buffer.concat(chunks).toString("utf8"),
          at: Date.now(),
          answered: false,
        };
        r.received.push(got);
        const n = (counts.get(path) ?? 0) + 1;
        counts.set(path, n);
        const [, kind, arg] = path.split("/");
        const answer = (status: number, text: string) => {
          if (res.destroyed) return;
          res.writeHead(status, { "Content-Type": "text/plain" }).end(text);
          got.answered = true;
        };
        if (kind === "redirect") {
          // `/redirect/<code>/<location, URI-encoded>`
          res.writeHead(Number(arg), { Location: decodeURIComponent(path.split("/")[3] ?? "") }).end();
        } else if (kind === "fail") answer(n <= Number(arg) ? 500 : 200, n <= Number(arg) ? "boom" : "ok");
        else if (kind === "slow") setTimeout(() => answer(200, "late"), Number(arg));
        else if (kind === "status") answer(Number(arg), `status ${arg}`);
        else if (kind === "hang") {
          if (n > Number(arg)) answer(200, "ok");
        } else answer(200, "ok");
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    r.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  return r;
}

/** The signature MLflow's docs tell receivers to expect, computed with node:crypto (not the server's Web Crypto). */
export function expectedSignature(secret: string, got: Received): string {
  const id = got.headers["x-mlflow-delivery-id"];
  const ts = got.headers["x-mlflow-timestamp"];
  return `v1,${createHmac("sha256", secret).update(`${id}.${ts}.${got.body}`).digest("base64")}`;
}

/** A port nothing listens on (bound, then closed), for connection errors. */
export async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, "127.0.0.1", resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise((resolve) => s.close(resolve));
  return port;
}
