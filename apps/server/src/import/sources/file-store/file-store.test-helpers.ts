/**
 * For the FileStore source's tests: a FileStore written by the real MLflow client (2.x or 3.x venv), and the
 * reference server (3.17.2) started on it, answering REST.
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { promisify } from "node:util";

const REPO = new URL("../../../../../../", import.meta.url).pathname;
const SEED = new URL("./seed-file-store.test-fixture.py", import.meta.url).pathname;
export const MLFLOW_VENVS = { 2: join(REPO, ".venvs/mlflow-2"), 3: join(REPO, ".venvs/mlflow-3") } as const;
/** The reference server's `mlflow`: from TRACKLITE_MLFLOW_BIN (set by `npm test`), else the 3.x venv's. */
const MLFLOW_BIN = process.env.TRACKLITE_MLFLOW_BIN ?? join(MLFLOW_VENVS[3], "bin/mlflow");

export const hasVenv = (major: 2 | 3) => existsSync(join(MLFLOW_VENVS[major], "bin/python"));

/** Environment without the variables that would point MLflow elsewhere than the folder given. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of Object.keys(env)) if (key.startsWith("MLFLOW_")) delete env[key];
  return { ...env, MLFLOW_ALLOW_FILE_STORE: "true", ...extra };
}

/** Writes the tests' FileStore at `folder` with the MLflow client of the `major` venv. */
export async function seedFileStore(major: 2 | 3, folder: string): Promise<void> {
  await promisify(execFile)(join(MLFLOW_VENVS[major], "bin/python"), [SEED, folder], {
    env: cleanEnv({ PYTHONWARNINGS: "ignore" }),
    timeout: 120_000,
  });
}

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

export interface ReferenceServer {
  url: string;
  get(path: string): Promise<unknown>;
  post(path: string, body: unknown): Promise<unknown>;
  stop(): Promise<void>;
}

/** `mlflow server --backend-store-uri <folder>`, resolved once healthy. */
export async function startReferenceOnFileStore(folder: string): Promise<ReferenceServer> {
  const port = await freePort();
  const args = ["server", "--host", "127.0.0.1", "--port", String(port), "--workers", "1"];
  const child = spawn(MLFLOW_BIN, [...args, "--backend-store-uri", folder], {
    cwd: join(folder, ".."),
    env: cleanEnv({ PYTHONUNBUFFERED: "1" }),
    stdio: ["ignore", "ignore", "pipe"],
    detached: true,
  });
  let stderr = "";
  child.stderr?.on("data", (d) => {
    stderr = (stderr + d).slice(-4000);
  });
  const url = `http://127.0.0.1:${port}`;
  const call = async (path: string, init?: RequestInit) => {
    const res = await fetch(`${url}${path}`, init);
    const text = await res.text();
    if (!res.ok) throw new Error(`${path}: ${res.status} ${text}`);
    return JSON.parse(text) as unknown;
  };
  const server: ReferenceServer = {
    url,
    get: (path) => call(path),
    post: (path, body) =>
      call(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }),
    stop: () => killGroup(child),
  };
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline && child.exitCode === null) {
    try {
      if ((await fetch(`${url}/health`)).ok) return server;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  await server.stop();
  throw new Error(`mlflow server did not become healthy on ${url}.\n${stderr}`);
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
