import { type ChildProcess, spawn } from "node:child_process";
import { closeSync, mkdtempSync, openSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { isLogSinkFailure } from "./stdio-guard.js";

/** The built CLI: these tests are about the real process (`npm test` builds before it tests). */
const CLI = new URL("../dist/cli.js", import.meta.url).pathname;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const f of cleanups.splice(0)) f();
});

/** Starts the CLI with `stderr` as given; webhook deliveries fail at once, and each failure is logged. */
async function start(stderr: "pipe" | number): Promise<{ child: ChildProcess; url: string }> {
  const dir = mkdtempSync(join(tmpdir(), "tracklite-stdio-"));
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [CLI, "server", "--port", String(port), "--backend-store-uri", `file:${dir}/db`, "--artifacts-destination", dir],
    {
      stdio: ["ignore", "ignore", stderr],
      env: {
        ...process.env,
        MLFLOW_WEBHOOK_ALLOWED_SCHEMES: "http",
        MLFLOW_WEBHOOK_ALLOW_PRIVATE_IPS: "true",
        MLFLOW_WEBHOOK_REQUEST_MAX_RETRIES: "0",
      },
    },
  );
  cleanups.push(() => {
    child.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) break;
    if (
      await fetch(`${url}/health`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return { child, url };
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("the server did not start");
}

const post = (url: string, path: string, body: object) =>
  fetch(`${url}/api/3.0/mlflow/${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });

/** Makes the server log: a webhook whose deliveries fail (nothing listens on its port), then registry events. */
async function makeItLog(url: string, times: number): Promise<void> {
  const hook = await post(url, "webhooks", {
    name: "h",
    url: `http://127.0.0.1:${await freePort()}/hook`,
    events: [{ entity: "REGISTERED_MODEL", action: "CREATED" }],
  });
  expect(hook.status).toBe(200);
  for (let i = 0; i < times; i++) {
    expect((await post(url, "registered-models/create", { name: `m${i}` })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 150));
  }
}

describe("a log sink that cannot be written", () => {
  it("does not stop the server when its stderr pipe was closed by the reader (EPIPE)", async () => {
    const { child, url } = await start("pipe");
    child.stderr?.destroy();
    await makeItLog(url, 4);
    expect(child.exitCode).toBeNull();
    expect(await fetch(`${url}/health`).then((r) => r.text())).toBe("OK");
  }, 30_000);

  it("does not stop the server when its stderr is a full disk (ENOSPC)", async () => {
    const full = openSync("/dev/full", "w");
    cleanups.push(() => closeSync(full));
    const { child, url } = await start(full);
    await makeItLog(url, 3);
    expect(child.exitCode).toBeNull();
    expect(await fetch(`${url}/health`).then((r) => r.text())).toBe("OK");
  }, 30_000);
});

describe("isLogSinkFailure", () => {
  it("names failed writes, not other errors", () => {
    expect(isLogSinkFailure(Object.assign(new Error("x"), { code: "EPIPE", syscall: "write" }))).toBe(true);
    expect(isLogSinkFailure(Object.assign(new Error("x"), { code: "ENOSPC", syscall: "write" }))).toBe(true);
    expect(isLogSinkFailure(Object.assign(new Error("x"), { code: "ENOENT", syscall: "open" }))).toBe(false);
    expect(isLogSinkFailure(Object.assign(new Error("x"), { code: "EPIPE", syscall: "connect" }))).toBe(false);
    expect(isLogSinkFailure(new TypeError("x"))).toBe(false);
  });
});
