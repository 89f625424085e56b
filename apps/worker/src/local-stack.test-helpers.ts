import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../../../packages/server/src/store/sqld.test-helpers.js";

/** The repository's root, where node_modules and the built CLI are. */
export const ROOT = new URL("../../../", import.meta.url).pathname;
export const WORKER_DIR = new URL("../", import.meta.url).pathname;
export const CLI = join(ROOT, "apps/server/dist/cli.js");

/** A child process whose output is kept, for the message of a failed start. */
export interface Started {
  proc: ChildProcess;
  output: () => string;
  stop: () => Promise<void>;
}

export function start(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env, cwd?: string): Started {
  const proc = spawn(cmd, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"], detached: true });
  let out = "";
  proc.stdout?.on("data", (d) => {
    out = (out + d).slice(-20_000);
  });
  proc.stderr?.on("data", (d) => {
    out = (out + d).slice(-20_000);
  });
  const stop = async () => {
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise((r) => proc.once("exit", r));
    // The whole group: wrangler runs workerd as its child.
    process.kill(-(proc.pid as number), "SIGTERM");
    const timer = setTimeout(() => {
      try {
        process.kill(-(proc.pid as number), "SIGKILL");
      } catch {}
    }, 5000);
    await exited;
    clearTimeout(timer);
  };
  return { proc, output: () => out, stop };
}

/** s3rver (compat-tests/support/s3rver.mjs) with one bucket; its endpoint. */
export async function startS3rver(dir: string, bucket: string): Promise<Started & { endpoint: string }> {
  const s = start(process.execPath, [join(ROOT, "compat-tests/support/s3rver.mjs"), dir, bucket], process.env, ROOT);
  const deadline = Date.now() + 20_000;
  while (!/\{"port":\d+\}/.test(s.output())) {
    if (Date.now() > deadline || s.proc.exitCode !== null) throw new Error(`s3rver did not start: ${s.output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const port = Number(/\{"port":(\d+)\}/.exec(s.output())?.[1]);
  return { ...s, endpoint: `http://127.0.0.1:${port}` };
}

/** `wrangler dev` serving apps/worker with `vars`, on 127.0.0.1; resolves once it listens. */
export async function startWrangler(
  vars: Record<string, string>,
  stateDir: string,
): Promise<Started & { url: string }> {
  const port = await freePort();
  const args = [
    join(ROOT, "node_modules/wrangler/bin/wrangler.js"),
    "dev",
    "--config",
    join(WORKER_DIR, "wrangler.jsonc"),
    "--ip",
    "127.0.0.1",
    "--port",
    String(port),
    "--persist-to",
    stateDir,
    "--show-interactive-dev-session=false",
    ...Object.entries(vars).flatMap(([k, v]) => ["--var", `${k}:${v}`]),
  ];
  const s = start(process.execPath, args, { ...wranglerEnv(), CI: "1" }, WORKER_DIR);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  while (!s.output().includes("Ready on")) {
    if (Date.now() > deadline || s.proc.exitCode !== null) {
      await s.stop();
      throw new Error(`wrangler dev did not start:\n${s.output()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { ...s, url };
}

/** wrangler's environment: no metrics; the workspace packages bundled from their sources (as vitest reads them). */
export function wranglerEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    WRANGLER_SEND_METRICS: "false",
    WRANGLER_BUILD_CONDITIONS: "tracklite-source,workerd,worker,browser",
  };
}

/** A fresh temporary folder, removed by the returned function. */
export function tempDir(prefix: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
