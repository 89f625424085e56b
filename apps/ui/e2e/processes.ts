/** The e2e suite's servers as processes: a free port, a wait for /health, and a stop of the whole process group. */
import type { ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";

/** A port free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === "object" && addr ? addr.port : 0));
    });
  });
}

/** Waits until `url/health` answers, failing with the server's log when it exits first or does not answer in time. */
export async function waitForHealth(url: string, proc: ChildProcess, log: string, seconds = 60): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`the server exited during start:\n${readFileSync(log, "utf8")}`);
    try {
      if ((await fetch(`${url}/health`)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the server did not answer /health within ${seconds} s; log: ${log}`);
}

/** SIGTERM to a detached process's group (the reference MLflow forks workers), SIGKILL after `graceMs`. */
export async function stopGroup(proc: ChildProcess, graceMs: number): Promise<void> {
  if (!proc.pid || proc.exitCode !== null) return;
  try {
    process.kill(-proc.pid, "SIGTERM");
  } catch {}
  await new Promise((r) => setTimeout(r, graceMs));
  try {
    process.kill(-proc.pid, "SIGKILL");
  } catch {}
}
