import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll } from "vitest";

const REPO = new URL("../../../../", import.meta.url).pathname;
/** The built tracklite CLI (`npm test` builds before it tests). */
export const TRACKLITE_CLI = join(REPO, "apps/server/dist/cli.js");
/** MLflow's own server: from TRACKLITE_MLFLOW_BIN (set by `npm test`), else the compat venv's when it exists. */
const MLFLOW_BIN = process.env.TRACKLITE_MLFLOW_BIN ?? join(REPO, ".venvs/mlflow-3/bin/mlflow");

export type TargetKind = "tracklite" | "mlflow";
/** The servers the client suite runs against; MLflow's only where its venv exists. */
export const TARGETS: TargetKind[] = existsSync(MLFLOW_BIN) ? ["tracklite", "mlflow"] : ["tracklite"];

/** Webhook receivers in tests are plain HTTP on 127.0.0.1, which both servers refuse unless told otherwise. */
const SERVER_ENV = {
  MLFLOW_WEBHOOK_ALLOWED_SCHEMES: "http,https",
  MLFLOW_WEBHOOK_ALLOW_PRIVATE_IPS: "true",
  MLFLOW_WEBHOOK_CACHE_TTL: "0",
};

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

export interface RunningServer {
  kind: TargetKind;
  url: string;
  stop(): Promise<void>;
}

/** What a test may change about the server `startServer` starts. */
export interface ServerExtra {
  /** Flags both CLIs take (`--app-name basic-auth`). */
  args?: string[];
  /** Variables besides the webhook ones. */
  env?: Record<string, string>;
  /** The `mlflow` executable, for another venv's (2.x) reference; MLflow only. */
  bin?: string;
  /**
   * The store flags, replacing the fresh `--backend-store-uri` and `--artifacts-destination` in the temp folder
   * `dir` (a store the test made, a FileStore folder, `--default-artifact-root`).
   */
  storeArgs?: (dir: string) => string[];
  /** The server's working folder (relative store paths); the temp folder by default. */
  cwd?: string;
  /** How long to wait for /health: a cold MLflow start on this loaded machine can take minutes. Default 60 s. */
  healthTimeoutMs?: number;
}

/**
 * Starts a real server process on a free port with a fresh database and artifact folder; resolves once healthy.
 * `extra` adds flags, variables, or another store (see ServerExtra).
 */
export async function startServer(kind: TargetKind, extra: ServerExtra = {}): Promise<RunningServer> {
  const dir = mkdtempSync(join(tmpdir(), `client-${kind}-`));
  const port = await freePort();
  const common = ["server", "--host", "127.0.0.1", "--port", String(port)];
  const store = extra.storeArgs?.(dir) ?? [
    "--backend-store-uri",
    kind === "tracklite" ? `file:${dir}/db` : `sqlite:///${dir}/mlflow.db`,
    "--artifacts-destination",
    join(dir, "artifacts"),
  ];
  const [cmd, args] =
    kind === "tracklite"
      ? [process.execPath, [TRACKLITE_CLI, ...common, ...store]]
      : [extra.bin ?? MLFLOW_BIN, [...common, ...store, "--workers", "1"]];
  const child = spawn(cmd, [...args, ...(extra.args ?? [])], {
    cwd: extra.cwd ?? dir,
    env: cleanEnv({ ...SERVER_ENV, PYTHONUNBUFFERED: "1", ...extra.env }),
    stdio: ["ignore", "ignore", "pipe"],
    detached: true,
  });
  let stderr = "";
  child.stderr?.on("data", (d) => {
    stderr = (stderr + d).slice(-4000);
  });
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    await killGroup(child);
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + (extra.healthTimeoutMs ?? 60_000);
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    try {
      if ((await fetch(`${url}/health`)).ok) return { kind, url, stop };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  await stop();
  throw new Error(`${kind} server did not become healthy on ${url}.\n${stderr}`);
}

async function killGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.pid === undefined) return;
  const exited = new Promise((r) => child.once("exit", r));
  try {
    process.kill(-child.pid, "SIGTERM");
  } catch {
    return;
  }
  const timer = setTimeout(() => {
    try {
      process.kill(-(child.pid as number), "SIGKILL");
    } catch {
      // gone
    }
  }, 5000);
  await exited;
  clearTimeout(timer);
}

/** A server of `kind` for the enclosing describe block: started before its tests, stopped after. */
export function useServer(kind: TargetKind): { readonly url: string } {
  const holder = { url: "" };
  let server: RunningServer | undefined;
  beforeAll(async () => {
    server = await startServer(kind);
    holder.url = server.url;
  }, 90_000);
  afterAll(async () => {
    await server?.stop();
  }, 30_000);
  return holder;
}

export interface ProcessResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a program to its end (killed after `timeoutMs`) in the repo's root and collects its output. */
export function runProcess(
  cmd: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  timeoutMs = 90_000,
): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: REPO, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (d) => {
      stdout += d;
    });
    child.stderr?.on("data", (d) => {
      stderr += d;
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.once("error", reject);
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** The environment of this process without MLflow's variables, plus `extra`. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("MLFLOW_"))), ...extra };
}
