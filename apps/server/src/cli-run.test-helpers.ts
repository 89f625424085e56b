import { spawn } from "node:child_process";
import { createServer, type Server } from "node:net";
import { expect } from "vitest";

/** The built CLI and its committed bin shim: these tests are about the real process (`npm test` builds first). */
export const CLI = new URL("../dist/cli.js", import.meta.url).pathname;
export const SHIM = new URL("../bin/tracklite.js", import.meta.url).pathname;

export interface Ran {
  /** null when the process was killed at the timeout (a hang). */
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * A click-style usage error, as `mlflow` gives them: exit status 2, nothing on stdout, one line on stderr starting
 * "Error: " (no stack) and matching `pattern`.
 */
export function expectOneLineError(ran: Ran, pattern: RegExp): void {
  expect(ran.status, ran.stderr).toBe(2);
  expect(ran.stdout).toBe("");
  const lines = ran.stderr.trimEnd().split("\n");
  expect(lines, ran.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^Error: /);
  expect(lines[0]).toMatch(pattern);
}

/** Runs `node script …args` to its end (killed after `timeoutMs`, so a hang fails the test instead of stalling it). */
export function runNode(
  script: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<Ran> {
  return runFile(process.execPath, [script, ...args], options);
}

/** Runs an executable (a bin link, say) to its end, as `runNode`. */
export function runFile(
  file: string,
  args: string[],
  { cwd, env, timeoutMs = 20_000 }: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { cwd, env: env ?? process.env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.once("error", reject);
    child.once("close", (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

/** A port nothing listens on (for the moment). */
export async function freePort(): Promise<number> {
  const srv = await listening(0);
  const { port } = srv.address() as { port: number };
  await new Promise((r) => srv.close(r));
  return port;
}

/** A TCP server listening at 127.0.0.1:`port` (0: any free port). */
export function listening(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(port, "127.0.0.1", () => resolve(srv));
  });
}
