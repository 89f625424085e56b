import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../app.js";
import { createArtifactRootOpener } from "../artifacts/node-roots.js";
import { createS3ArtifactStore } from "../artifacts/s3.js";
import { useS3rver } from "../artifacts/s3rver.test-helpers.js";
import { createStore, type Store } from "../store/index.js";

/** Presigned URLs against a real S3-compatible server (s3rver): each one is used with a plain fetch. */
describe("presigned artifact URLs", () => {
  const s3 = useS3rver("presign-test");
  const dir = mkdtempSync(join(tmpdir(), "tracklite-presign-"));
  let store: Store;
  let app: Hono;
  beforeAll(async () => {
    store = await createStore({ url: `file:${join(dir, "t.db")}`, defaultArtifactRoot: "mlflow-artifacts:/" });
    app = createApp({
      store,
      artifacts: createS3ArtifactStore(s3.options("proxy")),
      config: { mlflowVersion: "0.0.0-test", presignedDownloadTtlSeconds: 120 },
      artifactRoots: createArtifactRootOpener({ openS3: async () => createS3ArtifactStore(s3.options("")) }),
    });
  });
  afterAll(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const post = async (path: string, body: unknown) => {
    const res = await app.request(`/api/2.0/mlflow/${path}`, {
      method: "POST",
      body: JSON.stringify(body),
      headers: { "Content-Type": "application/json" },
    });
    return { status: res.status, body: await res.json() };
  };
  const runAt = async (location?: string) => {
    const name = `e-${Math.random()}`;
    const exp = await post("experiments/create", { name, ...(location ? { artifact_location: location } : {}) });
    const { body } = await post("runs/create", { experiment_id: exp.body.experiment_id });
    return { runId: body.run.info.run_id as string, experimentId: exp.body.experiment_id as string };
  };

  it("hands out an upload URL a plain PUT stores the file with, and a download URL a plain GET reads", async () => {
    const { runId } = await runAt(`s3://${s3.bucket}/exps`);
    const up = await post("artifacts/presigned-upload-url", { run_id: runId, path: "model/weights.bin" });
    expect(up.status).toBe(200);
    expect(up.body.headers).toEqual({ "Content-Type": "application/octet-stream" });
    expect(up.body.presigned_url).toMatch(/X-Amz-Expires=900/);
    const put = await fetch(up.body.presigned_url, { method: "PUT", body: "0123456789", headers: up.body.headers });
    expect(put.status).toBe(200);

    // The run's listing and download read the bucket too.
    const list = await (await app.request(`/api/2.0/mlflow/artifacts/list?run_id=${runId}&path=model`)).json();
    expect(list.files).toEqual([{ path: "model/weights.bin", is_dir: false, file_size: 10 }]);
    expect(await (await app.request(`/get-artifact?run_id=${runId}&path=model/weights.bin`)).text()).toBe("0123456789");

    const down = await post("artifacts/presigned-download-url", { run_id: runId, path: "model/weights.bin" });
    expect(down.status).toBe(200);
    expect(down.body.file_size).toBe(10);
    expect(down.body.presigned_url).toMatch(/X-Amz-Expires=120/);
    const got = await fetch(down.body.presigned_url);
    expect(got.status).toBe(200);
    expect(await got.text()).toBe("0123456789");
    expect(got.headers.get("content-disposition")).toBe('attachment; filename="weights.bin"');
  });

  it("signs an upload URL for a logged model's location", async () => {
    const { experimentId } = await runAt(`s3://${s3.bucket}/models-exp`);
    const model = await post("logged-models", { experiment_id: experimentId, name: "m" });
    const up = await post("artifacts/presigned-upload-url", {
      model_id: model.body.model.info.model_id,
      path: "MLmodel",
      expiration: 60,
    });
    expect(up.status).toBe(200);
    expect(up.body.presigned_url).toMatch(/X-Amz-Expires=60/);
    expect((await fetch(up.body.presigned_url, { method: "PUT", body: "x", headers: up.body.headers })).status).toBe(
      200,
    );
  });

  it("refuses what the reference refuses, with its words", async () => {
    const { runId } = await runAt(`s3://${s3.bucket}/refusals`);
    const proxied = await runAt();
    const local = await runAt(join(dir, "local"));
    const cases: [string, unknown, number, string][] = [
      ["presigned-upload-url", {}, 400, "Missing value for required parameter 'path'."],
      ["presigned-upload-url", { run_id: runId, model_id: "m", path: "x" }, 400, "Exactly one of run_id and model_id"],
      ["presigned-upload-url", { path: "x" }, 400, "Exactly one of run_id and model_id"],
      ["presigned-upload-url", { run_id: runId, path: "../x" }, 400, "Invalid path"],
      ["presigned-upload-url", { run_id: "nope", path: "x" }, 404, "Run with id=nope not found"],
      ["presigned-upload-url", { run_id: proxied.runId, path: "x" }, 400, "(artifact URI scheme: mlflow-artifacts)"],
      ["presigned-upload-url", { run_id: local.runId, path: "x" }, 501, "Presigned upload is not supported"],
      ["presigned-download-url", { path: "x" }, 400, "Missing value for required parameter 'run_id'."],
      [
        "presigned-download-url",
        { run_id: runId, path: "x", expiration: 0 },
        400,
        "between 1 and 604800 seconds (got 0)",
      ],
      ["presigned-download-url", { run_id: runId, path: "x", expiration: 604801 }, 400, "(got 604801)"],
      ["presigned-download-url", { run_id: runId, path: "missing" }, 404, "Not Found"],
      ["presigned-download-url", { run_id: proxied.runId, path: "x" }, 400, "for runs with proxied artifact storage"],
      ["presigned-download-url", { run_id: local.runId, path: "x" }, 501, "Presigned download is not supported"],
    ];
    for (const [route, body, status, message] of cases) {
      const res = await post(`artifacts/${route}`, body);
      expect({ route, body, status: res.status }).toEqual({ route, body, status });
      expect(res.body.message).toContain(message);
    }
  });

  it("serves the proxy's presigned download (GET mlflow-artifacts/presigned/<path>) for an S3 destination", async () => {
    const put = await app.request("/api/2.0/mlflow-artifacts/artifacts/0/r/artifacts/big.bin", {
      method: "PUT",
      body: "abcdef",
    });
    expect(put.status).toBe(200);
    for (const prefix of ["/api/2.0", "/ajax-api/2.0"]) {
      const res = await app.request(`${prefix}/mlflow-artifacts/presigned/0/r/artifacts/big.bin`);
      expect(res.status).toBe(200);
      const body = await res.json();
      expect(body).toMatchObject({ headers: {}, file_size: 6 });
      expect(await (await fetch(body.url)).text()).toBe("abcdef");
    }
    const info = await (await app.request("/api/3.0/mlflow/server-info")).json();
    expect(info).toMatchObject({ multipart_downloads_enabled: true, presigned_upload_run_id_supported: true });
    const unsafe = await app.request("/api/2.0/mlflow-artifacts/presigned/..%2f..%2fx");
    expect(unsafe.status).toBe(400);
  });
});
