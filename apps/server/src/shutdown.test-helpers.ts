import { type ChildProcess, spawn } from "node:child_process";
import { CLI, freePort } from "./cli-run.test-helpers.js";

/** A tracklite process started from the built CLI, listening on 127.0.0.1. */
export interface Running {
  url: string;
  child: ChildProcess;
  /** Everything it wrote to stdout and stderr so far. */
  output(): string;
  /** Its exit status (null when killed by a signal), once it has exited. */
  exited: Promise<number | null>;
}

/**
 * Starts `node dist/cli.js server --backend-store-uri <store> …` and waits until it listens; `db` is a file path
 * (served as `file:<db>`) or a libSQL server's URL.
 */
export async function startServer(
  db: string,
  artifacts: string,
  env: Record<string, string> = {},
  timeoutMs = 20_000,
): Promise<Running> {
  const port = await freePort();
  const args = ["server", "--port", String(port), "--backend-store-uri", db.includes("://") ? db : `file:${db}`];
  const child = spawn(process.execPath, [CLI, ...args, "--artifacts-destination", artifacts], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let text = "";
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start within ${timeoutMs} ms:\n${text}`)), timeoutMs);
    const onData = (d: Buffer) => {
      text += d.toString();
      if (text.includes("tracklite listening on")) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before listening:\n${text}`));
    });
  });
  return { url: `http://127.0.0.1:${port}`, child, output: () => text, exited };
}

/** SIGTERMs the process, SIGKILLs it if still alive after `ms`, and gives its exit status. */
export async function terminate(run: Running, ms = 15_000): Promise<number | null> {
  run.child.kill("SIGTERM");
  const timer = setTimeout(() => run.child.kill("SIGKILL"), ms);
  const code = await run.exited;
  clearTimeout(timer);
  return code;
}

/** POSTs JSON and returns the parsed answer; throws on a non-200 status. */
export async function postJson<T>(base: string, path: string, body: unknown): Promise<T> {
  const res = await fetch(`${base}${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${text}`);
  return JSON.parse(text) as T;
}
