import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { useTestApp } from "../testing.test-helpers.js";

const t = useTestApp();
const PROXY = "/api/2.0/mlflow-artifacts/artifacts";

async function newRunRoot() {
  const r = await t.call("POST", "/runs/create", { experiment_id: "0", start_time: 1 });
  const { run_id, artifact_uri } = r.body.run.info;
  expect(artifact_uri).toBe(`mlflow-artifacts:/0/${run_id}/artifacts`);
  return { runId: run_id as string, root: `0/${run_id}/artifacts` };
}

describe("mlflow-artifacts proxy", () => {
  it("uploads, lists, downloads and deletes as the client does", async () => {
    const { root } = await newRunRoot();
    const put = await t.app.request(`${PROXY}/${root}/plots/loss.json`, { method: "PUT", body: '{"a": 1}' });
    expect(put.status).toBe(200);
    expect(await put.text()).toBe("");
    await t.app.request(`${PROXY}/${root}/model/MLmodel`, { method: "PUT", body: "flavors: {}\n" });

    const list = await (await t.app.request(`${PROXY}?path=${root}`)).json();
    expect(list).toEqual({
      files: [
        { path: "model", is_dir: true },
        { path: "plots", is_dir: true },
      ],
    });
    const inner = await (await t.app.request(`${PROXY}?path=${root}/plots`)).json();
    expect(inner).toEqual({ files: [{ path: "loss.json", is_dir: false, file_size: 8 }] });

    const get = await t.app.request(`${PROXY}/${root}/plots/loss.json`);
    expect(get.status).toBe(200);
    // A JSON file is in MLflow's text list: served as text/plain, as the reference serves it.
    expect(get.headers.get("content-type")).toBe("text/plain");
    expect(get.headers.get("content-disposition")).toBe("attachment; filename=loss.json");
    expect(get.headers.get("x-content-type-options")).toBe("nosniff");
    expect(await get.text()).toBe('{"a": 1}');

    const del = await t.app.request(`${PROXY}/${root}/plots`, { method: "DELETE" });
    expect(del.status).toBe(200);
    expect((await t.app.request(`${PROXY}/${root}/plots/loss.json`)).status).toBe(404);
  });

  it("refuses traversal without writing or reading outside the root", async () => {
    const before = readdirSync(t.dir).sort();
    for (const path of ["..%2f..%2fplanted.txt", "%252e%252e%252fplanted.txt", "a/..%5c..%5cplanted.txt", "x%00.txt"]) {
      const put = await t.app.request(`${PROXY}/${path}`, { method: "PUT", body: "x" });
      expect(put.status, path).toBe(400);
      expect((await put.json()).error_code).toBe("INVALID_PARAMETER_VALUE");
      const get = await t.app.request(`${PROXY}/${path}`);
      expect(get.status, path).toBe(400);
    }
    const list = await t.app.request(`${PROXY}?path=..%2F..`);
    expect(list.status).toBe(400);
    expect(readdirSync(t.dir).sort()).toEqual(before);
    expect(existsSync(join(t.dir, "planted.txt"))).toBe(false);
  });

  it("answers multipart requests with the message the client falls back on", async () => {
    const r = await t.app.request("/api/2.0/mlflow-artifacts/mpu/create/0/x/big.bin", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ path: "big.bin", num_parts: 3 }),
    });
    expect(r.status).toBe(501);
    expect(await r.json()).toMatchObject({
      error_code: "NOT_IMPLEMENTED",
      message: "Multipart upload is not supported for the current artifact repository",
    });
  });
});

describe("server-info", () => {
  it("has the reference's fields and no multipart uploads for a local folder", async () => {
    const res = await t.app.request("/api/3.0/mlflow/server-info");
    expect(await res.json()).toEqual({
      store_type: "SqlStore",
      workspaces_enabled: false,
      trace_archival_enabled: false,
      multipart_uploads_enabled: false,
      multipart_downloads_enabled: false,
      presigned_upload_run_id_supported: true,
      presigned_upload_model_id_supported: true,
      features_enabled: { gateway: false },
    });
    // Only the 3.0 API has it, as in the reference.
    expect((await t.app.request("/api/2.0/mlflow/server-info")).status).toBe(404);
  });
});

describe("tracking-side artifact calls", () => {
  it("lists a run's artifacts relative to its root, and serves one", async () => {
    const { runId, root } = await newRunRoot();
    await t.app.request(`${PROXY}/${root}/a.txt`, { method: "PUT", body: "hello" });
    await t.app.request(`${PROXY}/${root}/dir/b.txt`, { method: "PUT", body: "hi" });
    const top = await t.call("GET", "/artifacts/list", { run_id: runId });
    expect(top.body).toEqual({
      root_uri: `mlflow-artifacts:/${root}`,
      files: [
        { path: "a.txt", is_dir: false, file_size: 5 },
        { path: "dir", is_dir: true },
      ],
    });
    const sub = await t.call("GET", "/artifacts/list", { run_id: runId, path: "dir" });
    expect(sub.body.files).toEqual([{ path: "dir/b.txt", is_dir: false, file_size: 2 }]);
    const file = await t.app.request(`/get-artifact?run_id=${runId}&path=dir/b.txt`);
    expect(await file.text()).toBe("hi");
    const up = await t.app.request(`/ajax-api/2.0/mlflow/upload-artifact?run_uuid=${runId}&path=notes.md`, {
      method: "POST",
      body: "# notes",
    });
    expect(up.status).toBe(200);
    expect(await (await t.app.request(`/get-artifact?run_uuid=${runId}&path=notes.md`)).text()).toBe("# notes");
  });

  it("answers an unknown run with RESOURCE_DOES_NOT_EXIST", async () => {
    const r = await t.call("GET", "/artifacts/list", { run_id: "0123456789abcdef0123456789abcdef" });
    expect(r.status).toBe(404);
    expect(r.body.error_code).toBe("RESOURCE_DOES_NOT_EXIST");
  });
});

describe("logged-model artifact calls", () => {
  it("lists a model's artifact folders and serves its files (ajax)", async () => {
    const created = await t.call("POST", "/logged-models", { experiment_id: "0", name: "m" });
    const { model_id, artifact_uri } = created.body.model.info;
    const root = `0/models/${model_id}/artifacts`;
    expect(artifact_uri).toBe(`mlflow-artifacts:/${root}`);
    await t.app.request(`${PROXY}/${root}/MLmodel`, { method: "PUT", body: "flavors: {}\n" });
    await t.app.request(`${PROXY}/${root}/model/model.pkl`, { method: "PUT", body: "pickle" });

    const top = await t.call("GET", `/logged-models/${model_id}/artifacts/directories`);
    expect(top.body).toEqual({
      root_uri: artifact_uri,
      files: [
        { path: "MLmodel", is_dir: false, file_size: 12 },
        { path: "model", is_dir: true },
      ],
    });
    const sub = await t.call("GET", `/logged-models/${model_id}/artifacts/directories`, {
      artifact_directory_path: "model",
    });
    expect(sub.body.files).toEqual([{ path: "model/model.pkl", is_dir: false, file_size: 6 }]);

    const files = `/ajax-api/2.0/mlflow/logged-models/${model_id}/artifacts/files`;
    expect(await (await t.app.request(`${files}?artifact_file_path=model/model.pkl`)).text()).toBe("pickle");
    const missing = await t.app.request(`${files}?artifact_file_path=nope.txt`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ message: `No such artifact: '${root}/nope.txt'` });
    const noPath = await t.app.request(files);
    expect(noPath.status).toBe(400);
    expect(await noPath.json()).toMatchObject({
      error_code: "BAD_REQUEST",
      message: 'Request must include the "artifact_file_path" query parameter.',
    });
    expect((await t.app.request(`${files}?artifact_file_path=../../x`)).status).toBe(400);
    // The files route is the UI's: the public API does not have it, as in the reference.
    expect((await t.call("GET", `/logged-models/${model_id}/artifacts/files`)).status).toBe(404);
  });

  it("answers an unknown model with RESOURCE_DOES_NOT_EXIST", async () => {
    const r = await t.call("GET", "/logged-models/m-0123/artifacts/directories");
    expect(r.status).toBe(404);
    expect(r.body.error_code).toBe("RESOURCE_DOES_NOT_EXIST");
  });
});
