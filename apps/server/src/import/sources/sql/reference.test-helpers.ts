import { type ChildProcess, execFile, spawn } from "node:child_process";
import { promisify } from "node:util";
import { freePort } from "../../../cli-run.test-helpers.js";

const run = promisify(execFile);

/** The compat venvs: MLflow 3.17.2 (the reference) and a 2.x one (an older schema). */
export const VENVS = {
  mlflow3: new URL("../../../../../../.venvs/mlflow-3/", import.meta.url).pathname,
  mlflow2: new URL("../../../../../../.venvs/mlflow-2/", import.meta.url).pathname,
} as const;

const SEED = new URL("./testdata/seed.py", import.meta.url).pathname;

export interface ReferenceServer {
  url: string;
  stop(): Promise<void>;
}

/** A real `mlflow server` of `venv` on `backendStoreUri`, returned once it answers. */
export async function startMlflowServer(venv: string, backendStoreUri: string, dir: string): Promise<ReferenceServer> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, PYTHONUNBUFFERED: "1" };
  for (const key of Object.keys(env)) if (key.startsWith("MLFLOW_")) delete env[key];
  const child: ChildProcess = spawn(
    `${venv}bin/mlflow`,
    [
      "server",
      "--host",
      "127.0.0.1",
      "--port",
      String(port),
      "--backend-store-uri",
      backendStoreUri,
      "--default-artifact-root",
      `${dir}/artifacts`,
      "--workers",
      "1",
    ],
    { cwd: dir, env, detached: true, stdio: ["ignore", "ignore", "pipe"] },
  );
  let log = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-4000);
  });
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode !== null || child.pid === undefined) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    process.kill(-child.pid, "SIGTERM");
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
    if (child.exitCode === null) process.kill(-child.pid, "SIGKILL");
  };
  // A cold MLflow start on this shared 2-core machine can take over a minute.
  const deadline = Date.now() + 200_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`mlflow server exited: ${log}`);
    try {
      if ((await fetch(`${url}/health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`mlflow server did not start: ${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  return { url, stop };
}

/** Seed `url` with testdata/seed.py through `venv`'s real client; returns the id of the seeded experiment. */
export async function seed(venv: string, url: string, history: number): Promise<string> {
  const { stdout } = await run(`${venv}bin/python`, [SEED, String(history)], {
    env: { ...process.env, MLFLOW_TRACKING_URI: url },
    maxBuffer: 1 << 24,
  });
  return stdout.trim().split("\n").at(-1) ?? "";
}

async function call(url: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`${url}/api/2.0/mlflow/${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as Record<string, unknown>;
}

/** What the reference answers over REST for everything the seed wrote. */
export interface ReferenceAnswers {
  experiments: Record<string, unknown>[];
  /** experiment id → get-run answers (`run` objects) of its runs. */
  runs: Map<string, Record<string, unknown>[]>;
  /** run id → metric key → get-history points. */
  histories: Map<string, Map<string, Record<string, unknown>[]>>;
  registeredModels: Record<string, unknown>[];
  modelVersions: Record<string, unknown>[];
  /** experiment id → search-logged-models answers (MLflow 3 only). */
  loggedModels: Map<string, Record<string, unknown>[]>;
}

export async function readReference(url: string): Promise<ReferenceAnswers> {
  const experiments = ((await call(url, "experiments/search", { max_results: 1000, view_type: "ALL" })).experiments ??
    []) as Record<string, unknown>[];
  const runs = new Map<string, Record<string, unknown>[]>();
  const histories = new Map<string, Map<string, Record<string, unknown>[]>>();
  for (const experiment of experiments) {
    const id = String(experiment.experiment_id);
    const found = (await call(url, "runs/search", { experiment_ids: [id], run_view_type: "ALL", max_results: 1000 }))
      .runs as { info: { run_id: string } }[] | undefined;
    const list: Record<string, unknown>[] = [];
    for (const { info } of found ?? []) {
      const got = (await call(url, `runs/get?run_id=${info.run_id}`)).run as Record<string, unknown>;
      list.push(got);
      const keys = ((got.data as { metrics?: { key: string }[] }).metrics ?? []).map((m) => m.key);
      const perKey = new Map<string, Record<string, unknown>[]>();
      for (const key of keys) {
        const answer = await call(url, `metrics/get-history?run_id=${info.run_id}&metric_key=${key}`);
        perKey.set(key, (answer.metrics ?? []) as Record<string, unknown>[]);
      }
      histories.set(info.run_id, perKey);
    }
    runs.set(id, list);
  }
  const registeredModels = ((await call(url, "registered-models/search?max_results=1000")).registered_models ??
    []) as Record<string, unknown>[];
  // search-model-versions leaves aliases out; get-model-version (what the source matches) has them.
  const found = ((await call(url, "model-versions/search?max_results=1000")).model_versions ?? []) as {
    name: string;
    version: string;
  }[];
  const modelVersions: Record<string, unknown>[] = [];
  for (const { name, version } of found) {
    const query = `name=${encodeURIComponent(name)}&version=${version}`;
    modelVersions.push((await call(url, `model-versions/get?${query}`)).model_version as Record<string, unknown>);
  }
  const loggedModels = new Map<string, Record<string, unknown>[]>();
  for (const experiment of experiments) {
    const id = String(experiment.experiment_id);
    try {
      const found = await call(url, "logged-models/search", { experiment_ids: [id], max_results: 100 });
      loggedModels.set(id, (found.models ?? []) as Record<string, unknown>[]);
    } catch {
      // MLflow 2.x has no logged models
    }
  }
  return { experiments, runs, histories, registeredModels, modelVersions, loggedModels };
}
