/**
 * For the FileStore source's tests: a FileStore written by the real MLflow client (2.x or 3.x venv), and the
 * reference server (3.17.2) started on it, answering REST.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { startServer } from "../../../../../../packages/client/src/testing/servers.test-helpers.js";

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

export interface ReferenceServer {
  url: string;
  get(path: string): Promise<unknown>;
  post(path: string, body: unknown): Promise<unknown>;
  stop(): Promise<void>;
}

/** `mlflow server --backend-store-uri <folder>`, resolved once healthy. */
export async function startReferenceOnFileStore(folder: string): Promise<ReferenceServer> {
  const { url, stop } = await startServer("mlflow", {
    bin: MLFLOW_BIN,
    storeArgs: () => ["--backend-store-uri", folder],
    cwd: join(folder, ".."),
    env: { MLFLOW_ALLOW_FILE_STORE: "true" },
    healthTimeoutMs: 90_000,
  });
  const call = async (path: string, init?: RequestInit) => {
    const res = await fetch(`${url}${path}`, init);
    const text = await res.text();
    if (!res.ok) throw new Error(`${path}: ${res.status} ${text}`);
    return JSON.parse(text) as unknown;
  };
  return {
    url,
    get: (path) => call(path),
    post: (path, body) =>
      call(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }),
    stop,
  };
}
