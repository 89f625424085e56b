import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../app.js";
import { createLocalArtifactStore } from "../artifacts/local.js";
import { createArtifactRootOpener } from "../artifacts/node-roots.js";
import { createStore, type Store } from "../store/index.js";

/** `--no-serve-artifacts` and `--artifacts-only`, answered with the reference's statuses and words. */
describe("artifact serving modes", () => {
  const dir = mkdtempSync(join(tmpdir(), "tracklite-serving-"));
  let store: Store;
  let noServe: Hono;
  let artifactsOnly: Hono;
  beforeAll(async () => {
    store = await createStore({ url: `file:${join(dir, "t.db")}`, defaultArtifactRoot: join(dir, "roots") });
    const artifacts = createLocalArtifactStore(join(dir, "proxy"));
    const artifactRoots = createArtifactRootOpener();
    noServe = createApp({
      store,
      artifacts,
      artifactRoots,
      config: { mlflowVersion: "0.0.0-test", serveArtifacts: false },
    });
    artifactsOnly = createApp({
      store,
      artifacts,
      artifactRoots,
      config: { mlflowVersion: "0.0.0-test", artifactsOnly: true },
    });
  });
  afterAll(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const disabled = (rule: string) =>
    `Endpoint: ${rule} disabled due to the mlflow server running with \`--no-serve-artifacts\`. To enable artifacts server functionality, run \`mlflow server\` with \`--serve-artifacts\``;

  it("--no-serve-artifacts: the proxy's routes answer 503 as the reference's do", async () => {
    const list = await noServe.request("/api/2.0/mlflow-artifacts/artifacts");
    expect(list.status).toBe(503);
    expect(await list.text()).toBe(disabled("/api/2.0/mlflow-artifacts/artifacts"));
    const mpu = await noServe.request("/ajax-api/2.0/mlflow-artifacts/mpu/create/0/x", { method: "POST" });
    expect(await mpu.text()).toBe(disabled("/ajax-api/2.0/mlflow-artifacts/mpu/create/<path:artifact_path>"));
    const presigned = await noServe.request("/api/2.0/mlflow-artifacts/presigned/0/x");
    expect(await presigned.text()).toBe(disabled("/api/2.0/mlflow-artifacts/presigned/<path:artifact_path>"));
    for (const method of ["GET", "PUT"]) {
      const file = await noServe.request("/api/2.0/mlflow-artifacts/artifacts/0/x", {
        method,
        body: method === "PUT" ? "x" : undefined,
      });
      expect(file.status).toBe(503);
      expect(await file.json()).toEqual({
        detail: "Artifact serving is disabled. Run `mlflow server` with `--serve-artifacts` to enable.",
      });
    }
    const info = await (await noServe.request("/api/3.0/mlflow/server-info")).json();
    expect(info).toMatchObject({ multipart_uploads_enabled: false, multipart_downloads_enabled: false });
  });

  it("--no-serve-artifacts: runs keep their files at the default root, read from there", async () => {
    const post = (path: string, body: unknown) =>
      noServe.request(`/api/2.0/mlflow/${path}`, {
        method: "POST",
        body: JSON.stringify(body),
        headers: { "Content-Type": "application/json" },
      });
    const { experiment_id } = await (await post("experiments/create", { name: "local-default" })).json();
    const { run } = await (await post("runs/create", { experiment_id })).json();
    expect(run.info.artifact_uri).toBe(join(dir, "roots", experiment_id, run.info.run_id, "artifacts"));
    const up = await noServe.request(`/ajax-api/2.0/mlflow/upload-artifact?run_uuid=${run.info.run_id}&path=a.txt`, {
      method: "POST",
      body: "hi",
    });
    expect(up.status).toBe(200);
    expect(await (await noServe.request(`/get-artifact?run_id=${run.info.run_id}&path=a.txt`)).text()).toBe("hi");
    // A proxied location cannot be read by a server that does not serve the proxy.
    const proxied = await (
      await post("experiments/create", { name: "proxied", artifact_location: "mlflow-artifacts:/elsewhere" })
    ).json();
    const other = await (await post("runs/create", { experiment_id: proxied.experiment_id })).json();
    const res = await noServe.request(`/api/2.0/mlflow/artifacts/list?run_id=${other.run.info.run_id}`);
    expect(res.status).toBe(400);
    expect((await res.json()).message).toContain("--no-serve-artifacts");
  });

  it("--artifacts-only: the tracking API answers 503 naming the route, the proxy works", async () => {
    const create = await artifactsOnly.request("/api/2.0/mlflow/experiments/create", { method: "POST" });
    expect(create.status).toBe(503);
    expect(await create.text()).toBe(
      "Endpoint: /api/2.0/mlflow/experiments/create disabled due to the mlflow server running in `--artifacts-only` mode. To enable tracking server functionality, run `mlflow server` without `--artifacts-only`",
    );
    const model = await artifactsOnly.request("/api/2.0/mlflow/logged-models/abc");
    expect(await model.text()).toMatch(/^Endpoint: \/api\/2\.0\/mlflow\/logged-models\/<model_id> disabled/);
    for (const path of ["/get-artifact", "/ajax-api/2.0/mlflow/upload-artifact", "/api/2.0/mlflow/artifacts/list"]) {
      expect((await artifactsOnly.request(path)).status, path).toBe(503);
    }
    const put = await artifactsOnly.request("/api/2.0/mlflow-artifacts/artifacts/0/a.txt", {
      method: "PUT",
      body: "x",
    });
    expect(put.status).toBe(200);
    expect(await (await artifactsOnly.request("/api/2.0/mlflow-artifacts/artifacts/0/a.txt")).text()).toBe("x");
    for (const path of ["/health", "/version", "/api/3.0/mlflow/server-info"])
      expect((await artifactsOnly.request(path)).status, path).toBe(200);
  });
});
