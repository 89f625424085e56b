import { join } from "node:path";
import {
  cleanEnv,
  type RunningServer,
  runProcess,
  startServer,
} from "../../../../../../packages/client/src/testing/servers.test-helpers.js";

const REPO = new URL("../../../../../../", import.meta.url).pathname;
const PYTHON = process.env.TRACKLITE_MLFLOW_PYTHON ?? join(REPO, ".venvs/mlflow-3/bin/python");
const MLFLOW = process.env.TRACKLITE_MLFLOW_BIN ?? join(REPO, ".venvs/mlflow-3/bin/mlflow");
const SEED = new URL("seed-reference.test-fixture.py", import.meta.url).pathname;

/** The ids the seed script made. */
export interface Seeded {
  experiment: string;
  run: string;
  deleted_experiment?: string;
  deleted_run?: string;
  logged_model?: string;
  trace?: string;
  dataset?: string;
}

/** The admin of `--app-name basic-auth` (its password set by MLFLOW_AUTH_ADMIN_PASSWORD). */
export const ADMIN = { username: "admin", password: "rest-source-admin-1" };

/**
 * Starts MLflow's own server (a fresh SQLite store and artifact folder) and seeds it through the real Python client.
 * `auth` starts it with basic auth and seeds as its admin.
 */
export async function seededReference(opts: { auth?: boolean; minimal?: boolean } = {}) {
  const server = await startReference(opts.auth ? ["--app-name", "basic-auth"] : []);
  try {
    const env = cleanEnv({
      MLFLOW_TRACKING_URI: server.url,
      ...(opts.auth ? { MLFLOW_TRACKING_USERNAME: ADMIN.username, MLFLOW_TRACKING_PASSWORD: ADMIN.password } : {}),
    });
    const r = await runProcess(PYTHON, [SEED, ...(opts.minimal ? ["minimal"] : [])], env, 400_000);
    if (r.code !== 0) throw new Error(`seeding failed (${r.code}):\n${r.stderr.slice(-3000)}`);
    const seeded = JSON.parse(r.stdout.trim().split("\n").pop() ?? "{}") as Seeded;
    return { server, seeded };
  } catch (e) {
    await server.stop();
    throw e;
  }
}

/** GETs a REST path from the server as it answers it (parsed JSON), as the reference's own answer to compare with. */
export async function raw<T = Record<string, unknown>>(
  url: string,
  path: string,
  query: Record<string, string> = {},
  auth?: { username: string; password: string },
): Promise<T> {
  const qs = new URLSearchParams(query).toString();
  const headers: Record<string, string> = auth
    ? { Authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString("base64")}` }
    : {};
  const res = await fetch(`${url}${path}${qs ? `?${qs}` : ""}`, { headers });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** Collects an async iterable. */
export async function all<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/**
 * MLflow's server on a free port with a fresh SQLite store and artifact folder, its webhooks allowed to reach
 * 127.0.0.1. Waits up to 5 minutes for /health: on a loaded machine the reference takes a minute to start.
 */
function startReference(args: string[]): Promise<RunningServer> {
  return startServer("mlflow", {
    bin: MLFLOW,
    args,
    env: {
      // basic-auth refuses to start without a secret for its cookies and a password for its admin.
      MLFLOW_FLASK_SERVER_SECRET_KEY: "rest-source-tests",
      MLFLOW_AUTH_ADMIN_PASSWORD: ADMIN.password,
    },
    healthTimeoutMs: 300_000,
  });
}
