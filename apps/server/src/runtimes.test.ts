import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Sqld, startSqld } from "../../../packages/server/src/store/sqld.test-helpers.js";
import { CLI, freePort } from "./cli-run.test-helpers.js";
import {
  type Receiver,
  RUNTIMES,
  requireTool,
  type S3,
  startReceiver,
  startS3,
  stopProcess,
  waitForHttp,
} from "./runtimes.test-helpers.js";

/**
 * The built CLI under Deno and Bun with the parts a team deploys together: a libSQL server (sqld) as the backend
 * store, artifacts in an S3-compatible bucket (s3rver over HTTPS with a self-signed certificate, so
 * MLFLOW_S3_IGNORE_TLS), `--app-name basic-auth`, a registry webhook, the web UI, and SIGTERM. The compat suite's
 * tracking, artifact and trace modules cover the embedded `file:` default on both runtimes.
 */
/** Generous: `npm test` runs this beside other suites on 2 cores, and a runtime's cold start is not the point. */
const TIMEOUT = 30_000;
const ADMIN = { user: "admin", password: "runtimes-admin-password" };
const AUTH = `Basic ${Buffer.from(`${ADMIN.user}:${ADMIN.password}`).toString("base64")}`;

let s3: S3;
let receiver: Receiver;

beforeAll(async () => {
  [s3, receiver] = await Promise.all([startS3({ tls: true }), startReceiver()]);
});

afterAll(async () => {
  await Promise.all([s3?.stop(), receiver?.stop()]);
});

describe.each(RUNTIMES)("the CLI on $name with sqld, S3 artifacts over TLS, basic auth and webhooks", (runtime) => {
  const dir = mkdtempSync(join(tmpdir(), `tracklite-rt-${runtime.name}-`));
  let sqld: Sqld;
  let proc: ChildProcess;
  let url = "";
  let stderr = "";

  const api = async (path: string, init: RequestInit = {}, auth = true) => {
    const headers = new Headers(init.headers);
    if (auth) headers.set("authorization", AUTH);
    if (init.body && !headers.has("content-type")) headers.set("content-type", "application/json");
    return fetch(`${url}${path}`, { ...init, headers });
  };
  const post = async (path: string, body: unknown) => {
    const res = await api(`/api/2.0/mlflow/${path}`, { method: "POST", body: JSON.stringify(body) });
    const json = (await res.json()) as Record<string, unknown>;
    expect(res.status, JSON.stringify(json)).toBe(200);
    return json;
  };

  beforeAll(async () => {
    const bin = requireTool(runtime.bin, runtime.name);
    sqld = await startSqld();
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    const args = [
      "server",
      "--host",
      "127.0.0.1",
      "--port",
      String(port),
      "--backend-store-uri",
      sqld.url,
      "--artifacts-destination",
      `s3://${s3.bucket}/${runtime.name}`,
      "--app-name",
      "basic-auth",
    ];
    proc = spawn(bin, runtime.command(CLI, args), {
      cwd: dir,
      stdio: ["ignore", "ignore", "pipe"],
      env: {
        PATH: process.env.PATH,
        HOME: dir,
        NO_COLOR: "1",
        DENO_NO_UPDATE_CHECK: "1",
        MLFLOW_S3_ENDPOINT_URL: s3.endpoint,
        AWS_ACCESS_KEY_ID: "S3RVER",
        AWS_SECRET_ACCESS_KEY: "S3RVER",
        AWS_DEFAULT_REGION: "us-east-1",
        // The bucket's certificate is self-signed (see startS3).
        MLFLOW_S3_IGNORE_TLS: "true",
        MLFLOW_AUTH_ADMIN_USERNAME: ADMIN.user,
        MLFLOW_AUTH_ADMIN_PASSWORD: ADMIN.password,
        // The receiver is plain HTTP on loopback, which webhooks refuse by default.
        MLFLOW_WEBHOOK_ALLOWED_SCHEMES: "http,https",
        MLFLOW_WEBHOOK_ALLOW_PRIVATE_IPS: "true",
      },
    });
    proc.stderr?.on("data", (d) => {
      stderr += d;
    });
    await waitForHttp(`${url}/health`, 60_000, () => proc.exitCode === null);
  }, 90_000);

  afterAll(async () => {
    if (proc) await stopProcess(proc, "SIGKILL");
    await sqld?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it(
    "asks for sign-in, then tracks a run in sqld",
    async () => {
      expect((await api("/api/2.0/mlflow/experiments/search?max_results=5", {}, false)).status).toBe(401);
      const { experiment_id } = await post("experiments/create", { name: `on-${runtime.name}` });
      const { run } = (await post("runs/create", { experiment_id, run_name: "r" })) as {
        run: { info: { run_id: string; artifact_uri: string } };
      };
      const run_id = run.info.run_id;
      await post("runs/log-batch", {
        run_id,
        metrics: [0, 1, 2].map((step) => ({ key: "loss", value: 1 / (step + 1), timestamp: 1, step })),
        params: [{ key: "runtime", value: runtime.name }],
      });
      const history = await api(`/api/2.0/mlflow/metrics/get-history?run_id=${run_id}&metric_key=loss`);
      const { metrics } = (await history.json()) as { metrics: { step: number }[] };
      expect(metrics.map((m) => m.step)).toEqual([0, 1, 2]);
      expect(run.info.artifact_uri).toMatch(/^mlflow-artifacts:/);
    },
    TIMEOUT,
  );

  it(
    "proxies artifacts into the S3 bucket and back",
    async () => {
      const body = `bytes from ${runtime.name}\n`.repeat(1000);
      const path = `1/run/artifacts/notes-${runtime.name}.txt`;
      const put = await api(`/api/2.0/mlflow-artifacts/artifacts/${path}`, { method: "PUT", body });
      expect(put.status).toBe(200);
      expect(s3.keys).toContain(`${runtime.name}/${path}`);
      const get = await api(`/api/2.0/mlflow-artifacts/artifacts/${path}`);
      expect(get.status).toBe(200);
      expect(await get.text()).toBe(body);
    },
    TIMEOUT,
  );

  it(
    "delivers a registry webhook",
    async () => {
      const tag = `/hook/${runtime.name}`;
      await post("webhooks", {
        name: `hook-${runtime.name}`,
        url: `${receiver.url}${tag}`,
        events: [{ entity: "REGISTERED_MODEL", action: "CREATED" }],
        secret: "s3cret",
      });
      await post("registered-models/create", { name: `model-${runtime.name}` });
      const deadline = Date.now() + 15_000;
      while (!receiver.deliveries.some((d) => d.path === tag) && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 50));
      const delivery = receiver.deliveries.find((d) => d.path === tag);
      expect(delivery, "no webhook delivery arrived").toBeDefined();
      expect(JSON.parse(delivery?.body ?? "{}")).toMatchObject({
        entity: "registered_model",
        action: "created",
        data: { name: `model-${runtime.name}` },
      });
      expect(delivery?.headers["x-mlflow-signature"]).toMatch(/^v1,/);
    },
    TIMEOUT,
  );

  it(
    "serves the web UI at /",
    async () => {
      const res = await api("/");
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/^text\/html/);
      const html = await res.text();
      const asset = html.match(/src="\.?\/?(assets\/[^"]+\.js)"/)?.[1];
      expect(asset, html.slice(0, 300)).toBeDefined();
      const js = await api(`/${asset}`, { headers: { "accept-encoding": "gzip" } });
      expect(js.status).toBe(200);
      expect(js.headers.get("content-type")).toMatch(/javascript/);
      await js.body?.cancel();
    },
    TIMEOUT,
  );

  it(
    "on SIGTERM finishes the upload in flight, then exits with status 0",
    async () => {
      const path = `1/run/artifacts/in-flight-${runtime.name}.bin`;
      const upload = putInChunks(`${url}/api/2.0/mlflow-artifacts/artifacts/${path}`, AUTH);
      upload.write("a".repeat(64 * 1024));
      await new Promise((r) => setTimeout(r, 200));
      const exited = stopProcess(proc, "SIGTERM");
      // The signal arrives while the request body is still coming: the server must wait for it.
      await new Promise((r) => setTimeout(r, 300));
      upload.end("b".repeat(64 * 1024));
      expect(await upload.status).toBe(200);
      expect(s3.keys).toContain(`${runtime.name}/${path}`);
      expect(await exited, stderr).toBe(0);
      await expect(fetch(`${url}/health`)).rejects.toThrow();
    },
    TIMEOUT,
  );
});

/** A PUT whose chunked body the caller writes piece by piece; `status` resolves with the answer's status. */
function putInChunks(target: string, authorization: string) {
  const req = request(target, { method: "PUT", headers: { authorization, "transfer-encoding": "chunked" } });
  const status = new Promise<number>((resolve, reject) => {
    req.once("response", (res) => {
      res.resume();
      res.once("end", () => resolve(res.statusCode ?? 0));
    });
    req.once("error", reject);
  });
  return { write: (s: string) => req.write(s), end: (s: string) => req.end(s), status };
}
