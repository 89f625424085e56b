import { createServer, type IncomingMessage, type Server } from "node:http";

/** A real HTTP server on a free local port answering with `handle`; the requests it saw are kept. */
export async function localServer(
  handle: (req: IncomingMessage) => { status: number; headers?: Record<string, string>; body?: string },
): Promise<{ url: string; seen: IncomingMessage[]; close(): Promise<void> }> {
  const seen: IncomingMessage[] = [];
  const server: Server = createServer((req, res) => {
    seen.push(req);
    const { status, headers, body } = handle(req);
    res.writeHead(status, headers);
    res.end(body ?? "");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const addr = server.address();
  const port = typeof addr === "object" && addr ? addr.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** The `user:password` of a Basic header, or undefined. */
export function basicOf(req: IncomingMessage): string | undefined {
  const h = req.headers.authorization ?? "";
  return h.startsWith("Basic ") ? Buffer.from(h.slice(6), "base64").toString("utf8") : undefined;
}
