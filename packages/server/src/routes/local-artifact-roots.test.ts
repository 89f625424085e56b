import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../app.js";
import { createLocalArtifactStore } from "../artifacts/local.js";
import { createArtifactRootOpener } from "../artifacts/node-roots.js";
import { createStore, type Store } from "../store/index.js";

/** Runs whose experiment keeps its artifacts in a local folder (`artifact_location="/dir"` or `file:///dir`). */
describe("local artifact locations", () => {
  const dir = mkdtempSync(join(tmpdir(), "tracklite-local-roots-"));
  const outside = join(dir, "outside");
  mkdirSync(outside);
  writeFileSync(join(outside, "secret.txt"), "secret");
  let store: Store;
  let app: Hono;
  /** An app without a reader of local locations, as on an edge runtime. */
  let edge: Hono;
  beforeAll(async () => {
    store = await createStore({ url: `file:${join(dir, "t.db")}`, defaultArtifactRoot: "mlflow-artifacts:/" });
    const artifacts = createLocalArtifactStore(join(dir, "proxy"));
    const config = { mlflowVersion: "0.0.0-test" };
    app = createApp({ store, artifacts, config, artifactRoots: createArtifactRootOpener() });
    edge = createApp({ store, artifacts, config });
  });
  afterAll(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const json = async (res: Response) => ({ status: res.status, body: await res.json() });
  const post = (a: Hono, path: string, body: unknown) =>
    a.request(`/api/2.0/mlflow/${path}`, {
      method: "POST",
      body: JSON.stringify(body),
      headers: { "Content-Type": "application/json" },
    });
  /** A run of a new experiment at `location`, and the run's artifact folder on disk. */
  const runAt = async (location: string) => {
    const name = `e-${Math.random()}`;
    const { experiment_id } = await (
      await post(app, "experiments/create", { name, artifact_location: location })
    ).json();
    const { run } = await (await post(app, "runs/create", { experiment_id })).json();
    return { runId: run.info.run_id as string, uri: run.info.artifact_uri as string };
  };

  for (const [kind, location] of [
    ["a path", () => join(dir, "plain")],
    ["a file:// URI", () => `file://${join(dir, "uri")}`],
  ] as const) {
    it(`lists and serves the files of a run at ${kind}, with MLflow's content types`, async () => {
      const { runId, uri } = await runAt(location());
      const folder = uri.replace(/^file:\/\//, "");
      mkdirSync(join(folder, "model"), { recursive: true });
      writeFileSync(join(folder, "model", "MLmodel"), "flavors: {}\n");
      writeFileSync(join(folder, "plot.png"), "png");

      const list = await json(await app.request(`/api/2.0/mlflow/artifacts/list?run_id=${runId}`));
      expect(list).toEqual({
        status: 200,
        body: {
          root_uri: uri,
          files: [
            { path: "model", is_dir: true },
            { path: "plot.png", is_dir: false, file_size: 3 },
          ],
        },
      });
      const sub = await json(await app.request(`/api/2.0/mlflow/artifacts/list?run_id=${runId}&path=model`));
      expect(sub.body.files).toEqual([{ path: "model/MLmodel", is_dir: false, file_size: 12 }]);

      const get = await app.request(`/get-artifact?run_uuid=${runId}&path=model/MLmodel`);
      expect(get.status).toBe(200);
      expect(get.headers.get("content-type")).toBe("text/plain");
      expect(get.headers.get("content-disposition")).toBe("attachment; filename=MLmodel");
      expect(await get.text()).toBe("flavors: {}\n");
      expect((await app.request(`/get-artifact?run_id=${runId}&path=plot.png`)).headers.get("content-type")).toBe(
        "image/png",
      );
    });
  }

  it("answers a missing file, a folder and an empty run as the reference does", async () => {
    const { runId, uri } = await runAt(join(dir, "empty"));
    expect(await json(await app.request(`/api/2.0/mlflow/artifacts/list?run_id=${runId}`))).toEqual({
      status: 200,
      body: { root_uri: uri },
    });
    const missing = await json(await app.request(`/get-artifact?run_id=${runId}&path=nope`));
    expect(missing).toMatchObject({ status: 404, body: { message: "No such artifact: 'nope'" } });
    mkdirSync(join(uri, "d"), { recursive: true });
    const folder = await json(await app.request(`/get-artifact?run_id=${runId}&path=d`));
    expect(folder).toMatchObject({
      status: 400,
      body: { message: "Artifact path refers to a directory, not a file: 'd'" },
    });
  });

  it("stays inside the run's folder: traversal, absolute paths and symlinks out are refused", async () => {
    const { runId, uri } = await runAt(join(dir, "guarded"));
    mkdirSync(uri, { recursive: true });
    symlinkSync(outside, join(uri, "link"));
    symlinkSync(join(outside, "secret.txt"), join(uri, "secret.txt"));
    for (const path of [
      "../../outside/secret.txt",
      "%2e%2e/%2e%2e/outside/secret.txt",
      "/etc/passwd",
      "link/secret.txt",
      "secret.txt",
    ]) {
      const res = await app.request(`/get-artifact?run_id=${runId}&path=${encodeURIComponent(path)}`);
      expect([400, 404], path).toContain(res.status);
      expect(await res.text()).not.toContain("secret");
    }
    const list = await json(await app.request(`/api/2.0/mlflow/artifacts/list?run_id=${runId}`));
    expect(list.body.files).toBeUndefined();
    const up = await app.request(`/ajax-api/2.0/mlflow/upload-artifact?run_uuid=${runId}&path=link/x.txt`, {
      method: "POST",
      body: "pwned",
    });
    expect(up.status).toBe(400);
  });

  it("takes the UI's uploads into the run's folder, in the reference's order of checks", async () => {
    const { runId, uri } = await runAt(join(dir, "uploads"));
    const up = (query: string, body?: string) =>
      app.request(`/ajax-api/2.0/mlflow/upload-artifact?${query}`, { method: "POST", body });
    const ok = await up(`run_uuid=${runId}&path=sub/notes.txt`, "hello");
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe("");
    expect(readFileSync(join(uri, "sub", "notes.txt"), "utf8")).toBe("hello");
    expect(await json(await up(`run_id=${runId}&path=x`, "x"))).toMatchObject({
      status: 400,
      body: { message: "Request must specify run_uuid." },
    });
    expect((await json(await up(`run_uuid=${runId}`, "x"))).body.message).toBe("Request must specify path.");
    expect((await json(await up(`run_uuid=${runId}&path=x`))).body.message).toBe("Request must specify data.");
    expect((await json(await up(`run_uuid=${runId}&path=../x`, "x"))).body.message).toBe("Invalid path");
    expect((await json(await up("run_uuid=nope&path=x", "x"))).status).toBe(404);
  });

  it("makes nothing on disk for reads of a location that does not exist", async () => {
    const { runId, uri } = await runAt(join(dir, "never"));
    await app.request(`/api/2.0/mlflow/artifacts/list?run_id=${runId}`);
    await app.request(`/get-artifact?run_id=${runId}&path=x`);
    expect(() => readFileSync(uri)).toThrow(/ENOENT/);
  });

  it("on a runtime without a file system, says local locations cannot be read there", async () => {
    const { runId } = await runAt(join(dir, "edge"));
    const res = await json(await edge.request(`/api/2.0/mlflow/artifacts/list?run_id=${runId}`));
    expect(res.status).toBe(501);
    expect(res.body.error_code).toBe("NOT_IMPLEMENTED");
    expect(res.body.message).toContain("no file system");
  });
});
