/**
 * Starting, measuring and stopping the two servers under test: the reference `mlflow server` and tracklite.
 * Each server runs in its own process group on a free loopback port with a fresh temp database, so stopping it
 * (also on Ctrl-C or a crash of the harness) takes its whole process tree down.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from "node:fs";
import http from "node:http";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";

export const ROOT = new URL("..", import.meta.url).pathname.replace(/\/$/, "");
export const VENV = join(ROOT, ".venvs/mlflow-3");

/** The two servers, in the order the harness names them. */
export const KINDS = /** @type {const} */ (["reference", "tracklite"]);

const live = new Set();

/** A free TCP port on 127.0.0.1 (the OS picks one, we release it and hand it over). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = /** @type {import("node:net").AddressInfo} */ (srv.address());
      srv.close(() => resolve(port));
    });
  });
}

/** The `server` flags both CLIs share: MLflow's names. */
function serverArgs(port, backendStoreUri, artifactsDestination) {
  return [
    "server",
    "--host",
    "127.0.0.1",
    "--port",
    String(port),
    "--backend-store-uri",
    backendStoreUri,
    "--artifacts-destination",
    artifactsDestination,
  ];
}

/** A bare `node:http` server answering /health: the floor under any Node server's cold start on this machine. */
const NODE_FLOOR = `require("node:http").createServer((q, s) => s.end("OK")).listen(+process.argv[1], "127.0.0.1")`;

function commandFor(kind, port, dir, extraArgs) {
  if (kind === "node-floor") return [process.execPath, ["-e", NODE_FLOOR, String(port)]];
  if (kind === "reference") {
    return [join(VENV, "bin/mlflow"), [...serverArgs(port, `sqlite:///${dir}/mlflow.db`, `${dir}/art`), ...extraArgs]];
  }
  return [
    process.execPath,
    [
      ...(process.env.BENCH_TRACKLITE_NODE_ARGS ?? "").split(" ").filter(Boolean),
      process.env.BENCH_TRACKLITE_CLI ?? join(ROOT, "apps/server/dist/cli.js"),
      ...serverArgs(port, `file:${dir}/tracklite.db`, `${dir}/art`),
      ...extraArgs,
    ],
  ];
}

/** One GET /health on a fresh connection; resolves to the status code, or 0 when nothing answers yet. */
function probeHealth(port) {
  return new Promise((resolve) => {
    const req = http.get({ host: "127.0.0.1", port, path: "/health", agent: false, timeout: 2000 }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("error", () => resolve(0));
    req.on("timeout", () => req.destroy());
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Launches a server on a free port with a fresh temp folder and waits for its first 200 from /health, polling every
 * millisecond. `startMs` is process launch to that first 200. `extraArgs` go after the shared flags (e.g. the
 * reference's `--workers 1`).
 * @param {"reference" | "tracklite" | "node-floor"} kind
 */
export async function startServer(kind, { timeoutMs = 180_000, extraArgs = [] } = {}) {
  const dir = mkdtempSync(join(tmpdir(), `bench-${kind}-`));
  const port = await freePort();
  const [cmd, args] = commandFor(kind, port, dir, extraArgs);
  const log = openSync(join(dir, "server.log"), "a");
  const t0 = performance.now();
  const child = spawn(cmd, args, { cwd: ROOT, detached: true, stdio: ["ignore", log, log] });
  const server = {
    kind,
    port,
    dir,
    pid: child.pid,
    url: `http://127.0.0.1:${port}`,
    child,
    exited: false,
    startMs: 0,
  };
  live.add(server);
  child.on("exit", () => {
    server.exited = true;
  });
  while (true) {
    if (server.exited) throw new Error(`${kind} exited during start; see ${join(dir, "server.log")}`);
    if ((await probeHealth(port)) === 200) break;
    if (performance.now() - t0 > timeoutMs) {
      await stopServer(server);
      throw new Error(`${kind} did not answer /health within ${timeoutMs} ms`);
    }
    await sleep(1);
  }
  server.startMs = performance.now() - t0;
  return server;
}

/** SIGTERM to the server's process group, SIGKILL after `graceMs`; removes its temp folder unless `keep`. */
export async function stopServer(server, { graceMs = 10_000, keep = false } = {}) {
  if (!live.has(server)) return;
  live.delete(server);
  const group = -server.pid;
  try {
    process.kill(group, "SIGTERM");
  } catch {}
  const t0 = performance.now();
  while (!server.exited && performance.now() - t0 < graceMs) await sleep(20);
  // Workers (uvicorn, huey) may outlive the parent: always finish the group.
  try {
    process.kill(group, "SIGKILL");
  } catch {}
  if (!keep) rmSync(server.dir, { recursive: true, force: true });
}

/** Kills every server still running; synchronous so it can run from an 'exit' handler. */
export function killAllSync() {
  for (const s of live) {
    try {
      process.kill(-s.pid, "SIGKILL");
    } catch {}
    rmSync(s.dir, { recursive: true, force: true });
  }
  live.clear();
}

/** Stops all servers on Ctrl-C, SIGTERM, uncaught errors and exit. */
export function installCleanup() {
  const bail = (code) => () => {
    killAllSync();
    process.exit(code);
  };
  process.on("SIGINT", bail(130));
  process.on("SIGTERM", bail(143));
  process.on("exit", killAllSync);
}

/** Pids of `root` and all its descendants, found through the ppid field of /proc/<pid>/stat. */
export function processTree(root) {
  const children = new Map();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    let stat;
    try {
      stat = readFileSync(`/proc/${name}/stat`, "utf8");
    } catch {
      continue;
    }
    // The command name is in parentheses and may hold spaces: the fields after the last ')' are fixed.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ppid = Number(fields[1]);
    if (!children.has(ppid)) children.set(ppid, []);
    children.get(ppid).push(Number(name));
  }
  const out = [];
  const stack = [root];
  while (stack.length > 0) {
    const pid = stack.pop();
    out.push(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  return out;
}

/** Sum of VmRSS over the process tree, in MiB. */
export function treeRssMiB(root) {
  let kib = 0;
  for (const pid of processTree(root)) {
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
      if (m) kib += Number(m[1]);
    } catch {}
  }
  return kib / 1024;
}

/**
 * Samples a server's tree RSS every `everyMs`, tagging each sample with the phase the harness is in for that server
 * ("idle", "load" or null for samples to ignore).
 */
export class MemorySampler {
  phase = null;
  /** @type {{ t: number, mib: number, phase: string | null }[]} */
  samples = [];
  #timer;

  constructor(server, everyMs = 250) {
    this.server = server;
    this.#timer = setInterval(() => {
      if (!server.exited) this.samples.push({ t: Date.now(), mib: treeRssMiB(server.pid), phase: this.phase });
    }, everyMs);
    this.#timer.unref();
  }

  mean(phase) {
    const xs = this.samples.filter((s) => s.phase === phase).map((s) => s.mib);
    return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : Number.NaN;
  }

  max(phase) {
    const xs = this.samples.filter((s) => s.phase === phase).map((s) => s.mib);
    return xs.length ? Math.max(...xs) : Number.NaN;
  }

  stop() {
    clearInterval(this.#timer);
  }
}
