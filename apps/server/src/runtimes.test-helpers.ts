import { type ChildProcess, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

const REPO = new URL("../../../", import.meta.url).pathname;
const TOOLS = join(REPO, ".tools");

/** What `deno run` needs for the CLI: `--allow-ffi` loads the libSQL addon, whose loader reads `--allow-sys` facts. */
export const DENO_PERMISSIONS = [
  "--allow-net",
  "--allow-read",
  "--allow-write",
  "--allow-env",
  "--allow-ffi",
  "--allow-sys",
];

/** A runtime the built CLI runs on, and how to start `cli.js …args` with it. */
export interface Runtime {
  name: "deno" | "bun";
  bin: string;
  command(script: string, args: string[]): string[];
}

/**
 * Deno and Bun as `npm test` provides them (TRACKLITE_DENO_BIN / TRACKLITE_BUN_BIN, installed from npm into .tools/);
 * a missing binary fails the test that needs it rather than skipping it.
 */
export const RUNTIMES: Runtime[] = [
  {
    name: "deno",
    bin: process.env.TRACKLITE_DENO_BIN ?? join(TOOLS, "runtimes/node_modules/@deno/linux-x64-glibc/deno"),
    // The narrow permissions the README gives (the compat stages run `deno run -A`).
    command: (script, args) => ["run", ...DENO_PERMISSIONS, script, ...args],
  },
  {
    name: "bun",
    bin: process.env.TRACKLITE_BUN_BIN ?? join(TOOLS, "runtimes/node_modules/@oven/bun-linux-x64/bin/bun"),
    command: (script, args) => [script, ...args],
  },
];

/** Fails with what to do when a test-only tool is missing (`npm test` installs them all). */
export function requireTool(path: string, what: string): string {
  if (!existsSync(path))
    throw new Error(`${what} is missing at ${path}: run \`npm test\` (it installs it into .tools/)`);
  return path;
}

/** Polls `url` until it answers (any status below 500), for at most `ms`. */
export async function waitForHttp(url: string, ms = 30_000, alive: () => boolean = () => true): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (!alive()) throw new Error(`the process behind ${url} exited before answering`);
    try {
      const res = await fetch(url);
      await res.body?.cancel();
      if (res.status < 500) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nothing answered at ${url} within ${ms} ms`);
}

/** A real S3-compatible server (s3rver, in this process) with one bucket; keys are placeholders it does not check. */
export interface S3 {
  endpoint: string;
  bucket: string;
  /** Keys of the objects written so far. */
  keys: string[];
  stop(): Promise<void>;
}

interface S3rver {
  run(): Promise<{ port: number }>;
  close(): Promise<void>;
  on(event: "event", listener: (e: { Records: { s3: { object: { key: string } } }[] }) => void): void;
  httpServer?: Server;
}

/**
 * With `tls`, s3rver serves HTTPS with a self-signed certificate made by openssl for this run, as a private MinIO
 * often does: the server reaches it only with MLFLOW_S3_IGNORE_TLS, the CLI's Node-specific (`node:https`) part.
 */
export async function startS3({ bucket = "runtimes", tls = false } = {}): Promise<S3> {
  const dir = mkdtempSync(join(tmpdir(), "tracklite-rt-s3rver-"));
  const S3rverServer = createRequire(import.meta.url)("s3rver") as new (o: Record<string, unknown>) => S3rver;
  const server = new S3rverServer({
    port: 0,
    address: "127.0.0.1",
    silent: true,
    directory: join(dir, "data"),
    configureBuckets: [{ name: bucket }],
    ...(tls ? selfSignedCertificate(dir) : {}),
  });
  const keys: string[] = [];
  server.on("event", (e) => {
    for (const r of e.Records) keys.push(decodeURIComponent(r.s3.object.key));
  });
  const { port } = await server.run();
  return {
    endpoint: `${tls ? "https" : "http"}://127.0.0.1:${port}`,
    bucket,
    keys,
    stop: async () => {
      const closed = server.close();
      server.httpServer?.closeAllConnections();
      await closed;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A throwaway key and self-signed certificate for 127.0.0.1, written into `dir`. */
function selfSignedCertificate(dir: string): { key: Buffer; cert: Buffer } {
  const [key, cert] = [join(dir, "key.pem"), join(dir, "cert.pem")];
  const args = ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "1"];
  const r = spawnSync("openssl", [...args, "-subj", "/CN=127.0.0.1"], { stdio: "pipe" });
  if (r.status !== 0) throw new Error(`openssl could not make a test certificate: ${r.error ?? r.stderr}`);
  return { key: readFileSync(key), cert: readFileSync(cert) };
}

/** One webhook delivery as the receiver got it. */
export interface Delivery {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A webhook receiver on 127.0.0.1 that answers 200 to every POST and keeps what it got. */
export interface Receiver {
  url: string;
  deliveries: Delivery[];
  stop(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const deliveries: Delivery[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      deliveries.push({ path: req.url ?? "/", headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      res.end("ok");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    deliveries,
    stop: () => {
      server.closeAllConnections();
      return new Promise((r) => server.close(() => r()));
    },
  };
}

/** Sends `signal` and resolves with the exit status (null: killed after `ms`, which the caller treats as a hang). */
export function stopProcess(proc: ChildProcess, signal: NodeJS.Signals, ms = 10_000): Promise<number | null> {
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve(proc.exitCode);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      proc.kill("SIGKILL");
      resolve(null);
    }, ms);
    proc.once("exit", (code) => {
      clearTimeout(timer);
      resolve(code);
    });
    proc.kill(signal);
  });
}
