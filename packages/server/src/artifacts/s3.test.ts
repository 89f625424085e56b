import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import type { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../app.js";
import { createStore, type Store } from "../store/index.js";
import { createS3ArtifactStore, s3OptionsFromUri } from "./s3.js";
import { useS3rver } from "./s3rver.test-helpers.js";
import type { ArtifactStore } from "./store.js";

const MiB = 1024 * 1024;
const body = (text: string) => new Response(text).body as ReadableStream<Uint8Array>;
const read = async (s: ReadableStream<Uint8Array> | undefined) => new Response(s).text();
const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

/** `size` bytes of a fixed pseudo-random sequence, to catch reordered or repeated parts. */
function bytes(size: number, seed = 1): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(size);
  let x = seed;
  for (let i = 0; i < size; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

/** Streams `data` in odd-sized chunks (never aligned with S3 parts), optionally failing after `failAfter` bytes. */
function streamOf(data: Uint8Array, chunk = 700_001, failAfter?: number): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream({
    pull(controller) {
      if (failAfter !== undefined && at >= failAfter) return controller.error(new Error("client went away"));
      if (at >= data.length) return controller.close();
      controller.enqueue(data.slice(at, at + chunk));
      at += chunk;
    },
  });
}

async function digestOf(store: ArtifactStore, path: string): Promise<{ size: number; sha: string }> {
  const file = await store.get(path);
  const buf = new Uint8Array(await new Response(file?.stream).arrayBuffer());
  return { size: file?.size ?? -1, sha: sha256(buf) };
}

const s3 = useS3rver();

describe("S3 artifact store", () => {
  let store: ArtifactStore;
  let raw: S3Client;
  beforeAll(() => {
    store = createS3ArtifactStore(s3.options("mlartifacts"));
    raw = new S3Client({ ...s3.options(""), requestChecksumCalculation: "WHEN_REQUIRED" });
  });

  it("writes, reads, lists and deletes like the local store", async () => {
    await store.put("0/r/artifacts/a.txt", body("hello"));
    await store.put("0/r/artifacts/sub/b.json", body("{}"));
    await store.put("0/r/artifacts/sub/deeper/c.txt", body("c"));
    const file = await store.get("0/r/artifacts/a.txt");
    expect(file?.size).toBe(5);
    expect(await read(file?.stream)).toBe("hello");
    expect(await store.list("0/r/artifacts")).toEqual([
      { path: "0/r/artifacts/a.txt", isDir: false, size: 5 },
      { path: "0/r/artifacts/sub", isDir: true },
    ]);
    expect(await store.list("0/r/artifacts/sub")).toEqual([
      { path: "0/r/artifacts/sub/b.json", isDir: false, size: 2 },
      { path: "0/r/artifacts/sub/deeper", isDir: true },
    ]);
    // (Not `list("")`: s3rver misses a common prefix that holds no object directly; real S3 does not.)
    expect(await store.list("0/r")).toEqual([{ path: "0/r/artifacts", isDir: true }]);
    await store.delete("0/r/artifacts/sub");
    expect(await store.list("0/r/artifacts")).toEqual([{ path: "0/r/artifacts/a.txt", isDir: false, size: 5 }]);
    await store.delete("0/r/artifacts/a.txt");
    expect(await store.list("0/r/artifacts")).toEqual([]);
    await store.delete("0/r/nothing-here");
  });

  it("answers undefined for a missing file and the directory error for a folder", async () => {
    await store.put("g/dir/f.txt", body("x"));
    expect(await store.get("g/missing.txt")).toBeUndefined();
    expect(await store.get("g/dir/f.txt/more")).toBeUndefined();
    await expect(store.get("g/dir")).rejects.toThrow("Artifact path refers to a directory, not a file: 'g/dir'");
    await expect(store.get("")).rejects.toThrow("refers to a directory");
    expect(await store.list("g/dir/f.txt")).toEqual([]);
    expect(await store.list("nothing/here")).toEqual([]);
  });

  it("keeps to its prefix and to whole path segments", async () => {
    const a = createS3ArtifactStore(s3.options("iso/a"));
    const ab = createS3ArtifactStore(s3.options("iso/ab/"));
    await a.put("f.txt", body("a"));
    await ab.put("f.txt", body("ab"));
    await a.put("run/x.txt", body("x"));
    await a.put("run2.txt", body("sibling"));
    expect((await a.list("")).map((e) => e.path)).toEqual(["f.txt", "run", "run2.txt"]);
    expect(await read((await ab.get("f.txt"))?.stream)).toBe("ab");
    await a.delete("run");
    expect((await a.list("")).map((e) => e.path)).toEqual(["f.txt", "run2.txt"]);
    await a.delete("");
    expect((await a.list("")).map((e) => e.path)).toEqual(["f.txt", "run2.txt"]);
  });

  it("lists a folder kept by a directory marker, and skips the marker itself", async () => {
    await raw.send(new PutObjectCommand({ Bucket: s3.bucket, Key: "mlartifacts/m/empty/", Body: new Uint8Array(0) }));
    await raw.send(new PutObjectCommand({ Bucket: s3.bucket, Key: "mlartifacts/m/", Body: new Uint8Array(0) }));
    await store.put("m/f.txt", body("f"));
    expect(await store.list("m")).toEqual([
      { path: "m/empty", isDir: true },
      { path: "m/f.txt", isDir: false, size: 1 },
    ]);
    expect(await store.list("m/empty")).toEqual([]);
    await expect(store.get("m/empty")).rejects.toThrow("refers to a directory");
  });

  it("replaces a file whole", async () => {
    await store.put("x/f.bin", body("first"));
    await store.put("x/f.bin", body("second"));
    expect(await read((await store.get("x/f.bin"))?.stream)).toBe("second");
    await store.put("x/empty.txt", body(""));
    expect((await store.get("x/empty.txt"))?.size).toBe(0);
    expect(await store.list("x")).toEqual([
      { path: "x/empty.txt", isDir: false, size: 0 },
      { path: "x/f.bin", isDir: false, size: 6 },
    ]);
  });

  it("streams a 20 MB body up in multipart chunks and back down intact", async () => {
    const data = bytes(20 * MiB + 12345);
    await store.put("big/model.bin", streamOf(data));
    expect(await digestOf(store, "big/model.bin")).toEqual({ size: data.length, sha: sha256(data) });
    expect(s3.writes.filter((w) => w.key === "mlartifacts/big/model.bin").map((w) => w.eventName)).toEqual([
      "ObjectCreated:Post",
    ]);
    // A body of exactly one part still goes up in one request.
    await store.put("big/one-part.bin", streamOf(bytes(5 * MiB, 2)));
    expect(s3.writes.find((w) => w.key === "mlartifacts/big/one-part.bin")?.eventName).toBe("ObjectCreated:Put");
    expect((await store.get("big/one-part.bin"))?.size).toBe(5 * MiB);
  });

  it("leaves the old file in place when an upload breaks off", async () => {
    await store.put("broken/f.bin", body("old"));
    await expect(store.put("broken/f.bin", streamOf(bytes(20 * MiB), 1 * MiB, 17 * MiB))).rejects.toThrow(
      "client went away",
    );
    expect(await read((await store.get("broken/f.bin"))?.stream)).toBe("old");
    await expect(store.put("broken/new.bin", streamOf(bytes(3 * MiB), MiB, 2 * MiB))).rejects.toThrow();
    expect(await store.get("broken/new.bin")).toBeUndefined();
  });

  it("hands out presigned part URLs that plain fetch can PUT to, then completes the file", async () => {
    const data = bytes(10 * MiB + 123, 3);
    const cut = [0, 5 * MiB, 10 * MiB, data.length];
    const mpu = store.multipart!;
    const { uploadId, credentials } = await mpu.create("presigned/model.bin", 3);
    expect(credentials.map((c) => c.partNumber)).toEqual([1, 2, 3]);
    for (const c of credentials) {
      expect(c.headers).toEqual({});
      expect(c.url).toContain(`uploadId=${encodeURIComponent(uploadId)}`);
      // No checksum of an empty body baked into the URL: real S3 would refuse the part.
      expect(c.url).not.toMatch(/x-amz-checksum|x-amz-sdk-checksum/i);
    }
    const parts = [];
    // Out of order, as the client's thread pool may send them.
    for (const c of [...credentials].reverse()) {
      const res = await fetch(c.url, {
        method: "PUT",
        headers: c.headers,
        body: data.slice(cut[c.partNumber - 1], cut[c.partNumber]),
      });
      expect(res.status).toBe(200);
      parts.unshift({ partNumber: c.partNumber, etag: res.headers.get("etag") ?? "" });
    }
    expect(await store.get("presigned/model.bin")).toBeUndefined();
    await mpu.complete("presigned/model.bin", uploadId, parts);
    expect(await digestOf(store, "presigned/model.bin")).toEqual({ size: data.length, sha: sha256(data) });
  });

  it("aborts a presigned upload, after which it cannot be completed", async () => {
    const mpu = store.multipart!;
    const { uploadId, credentials } = await mpu.create("presigned/aborted.bin", 2);
    const res = await fetch(credentials[0]!.url, { method: "PUT", body: bytes(1000) });
    const etag = res.headers.get("etag") ?? "";
    await mpu.abort("presigned/aborted.bin", uploadId);
    expect((await fetch(credentials[1]!.url, { method: "PUT", body: bytes(1000) })).status).toBe(404);
    await expect(mpu.complete("presigned/aborted.bin", uploadId, [{ partNumber: 1, etag }])).rejects.toMatchObject({
      code: "RESOURCE_DOES_NOT_EXIST",
    });
    expect(await store.get("presigned/aborted.bin")).toBeUndefined();
    await expect(mpu.abort("presigned/aborted.bin", "no-such-upload")).rejects.toMatchObject({
      code: "RESOURCE_DOES_NOT_EXIST",
    });
  });
});

describe("s3OptionsFromUri", () => {
  it("splits bucket and prefix and reads MLflow's variables", () => {
    expect(
      s3OptionsFromUri("s3://my-bucket/path/to/artifacts/", {
        MLFLOW_S3_ENDPOINT_URL: "http://minio:9000",
        AWS_ACCESS_KEY_ID: "id",
        AWS_SECRET_ACCESS_KEY: "secret",
        AWS_SESSION_TOKEN: "token",
        AWS_DEFAULT_REGION: "eu-west-3",
        MLFLOW_S3_IGNORE_TLS: "TRUE",
      }),
    ).toEqual({
      bucket: "my-bucket",
      prefix: "path/to/artifacts",
      endpoint: "http://minio:9000",
      region: "eu-west-3",
      credentials: { accessKeyId: "id", secretAccessKey: "secret", sessionToken: "token" },
      forcePathStyle: true,
      ignoreTls: true,
    });
  });

  it("leaves AWS itself to the SDK's defaults", () => {
    expect(s3OptionsFromUri("s3://b", {})).toEqual({
      bucket: "b",
      prefix: "",
      endpoint: undefined,
      region: undefined,
      credentials: undefined,
      forcePathStyle: false,
      ignoreTls: false,
    });
    expect(s3OptionsFromUri("s3://b/p", { AWS_REGION: "us-west-2" }).region).toBe("us-west-2");
    expect(s3OptionsFromUri("s3://b/p", { AWS_ACCESS_KEY_ID: "only-the-id" }).credentials).toBeUndefined();
  });

  it("picks the addressing style as botocore's auto does, unless told", () => {
    const style = (env: Record<string, string>) => s3OptionsFromUri("s3://b/p", env).forcePathStyle;
    expect(style({ MLFLOW_S3_ENDPOINT_URL: "https://s3.eu-west-3.amazonaws.com" })).toBe(false);
    expect(style({ MLFLOW_S3_ENDPOINT_URL: "http://127.0.0.1:9000" })).toBe(true);
    expect(style({ MLFLOW_S3_ENDPOINT_URL: "http://minio:9000", MLFLOW_BOTO_CLIENT_ADDRESSING_STYLE: "virtual" })).toBe(
      false,
    );
    expect(style({ MLFLOW_BOTO_CLIENT_ADDRESSING_STYLE: "path" })).toBe(true);
  });

  it("refuses what MLflow would refuse", () => {
    expect(() => s3OptionsFromUri("s3:///p", {})).toThrow("Not an S3 URI");
    expect(() => s3OptionsFromUri("gs://b/p", {})).toThrow("Not an S3 URI");
    expect(() => s3OptionsFromUri("s3://b", { MLFLOW_S3_IGNORE_TLS: "yes" })).toThrow("MLFLOW_S3_IGNORE_TLS");
    expect(() => s3OptionsFromUri("s3://b", { MLFLOW_S3_ENDPOINT_URL: "://minio" })).toThrow("not a URL");
    expect(() => s3OptionsFromUri("s3://b", { MLFLOW_BOTO_CLIENT_ADDRESSING_STYLE: "dns" })).toThrow("auto, path");
  });
});

describe("mlflow-artifacts proxy over S3", () => {
  const PROXY = "/api/2.0/mlflow-artifacts/artifacts";
  const MPU = "/api/2.0/mlflow-artifacts/mpu";
  const dir = mkdtempSync(join(tmpdir(), "tracklite-s3-app-"));
  let app: Hono;
  let store: Store;
  let root: string;
  beforeAll(async () => {
    store = await createStore({ url: `file:${join(dir, "test.db")}`, defaultArtifactRoot: "mlflow-artifacts:/" });
    app = createApp({
      store,
      artifacts: createS3ArtifactStore(s3.options("served")),
      config: { mlflowVersion: "0.0.0-test" },
    });
    const res = await app.request("/api/2.0/mlflow/runs/create", {
      method: "POST",
      body: JSON.stringify({ experiment_id: "0", start_time: 1 }),
      headers: { "Content-Type": "application/json" },
    });
    root = `0/${(await res.json()).run.info.run_id}/artifacts`;
  });
  afterAll(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const post = (path: string, message: unknown) =>
    app.request(`${MPU}/${path}`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(message),
    });

  it("advertises multipart uploads in server-info, so 3.x clients use them unasked", async () => {
    for (const prefix of ["/api/3.0", "/ajax-api/3.0"]) {
      const info = await (await app.request(`${prefix}/mlflow/server-info`)).json();
      expect(info).toMatchObject({ multipart_uploads_enabled: true, multipart_downloads_enabled: true });
    }
  });

  it("uploads, lists, downloads and deletes with the same answers as the local store", async () => {
    expect((await app.request(`${PROXY}/${root}/plots/loss.json`, { method: "PUT", body: '{"a": 1}' })).status).toBe(
      200,
    );
    await app.request(`${PROXY}/${root}/model/MLmodel`, { method: "PUT", body: "flavors: {}\n" });
    await app.request(`${PROXY}/${root}/empty.txt`, { method: "PUT", body: "" });
    expect(await (await app.request(`${PROXY}?path=${root}`)).json()).toEqual({
      files: [
        { path: "empty.txt", is_dir: false },
        { path: "model", is_dir: true },
        { path: "plots", is_dir: true },
      ],
    });
    expect(await (await app.request(`${PROXY}?path=${root}/plots`)).json()).toEqual({
      files: [{ path: "loss.json", is_dir: false, file_size: 8 }],
    });
    expect(await (await app.request(`${PROXY}?path=${root}/nothing`)).json()).toEqual({});

    const get = await app.request(`${PROXY}/${root}/plots/loss.json`);
    expect(get.headers.get("content-type")).toBe("text/plain");
    expect(get.headers.get("content-length")).toBe("8");
    expect(get.headers.get("content-disposition")).toBe("attachment; filename=loss.json");
    expect(await get.text()).toBe('{"a": 1}');
    const folder = await app.request(`${PROXY}/${root}/plots`);
    expect(folder.status).toBe(400);
    expect((await folder.json()).error_code).toBe("INVALID_PARAMETER_VALUE");

    expect((await app.request(`${PROXY}/${root}/plots`, { method: "DELETE" })).status).toBe(200);
    expect((await app.request(`${PROXY}/${root}/plots/loss.json`)).status).toBe(404);
    const runId = root.split("/")[1];
    const listed = await (await app.request(`/api/2.0/mlflow/artifacts/list?run_id=${runId}&path=model`)).json();
    expect(listed).toEqual({
      root_uri: `mlflow-artifacts:/${root}`,
      files: [{ path: "model/MLmodel", is_dir: false, file_size: 12 }],
    });
  });

  it("runs the client's multipart flow: create, PUT parts to storage, complete", async () => {
    const data = bytes(11 * MiB, 4);
    const chunk = 5 * MiB;
    const create = await post(`create/${root}/weights`, { path: "/tmp/local/model.safetensors", num_parts: 3 });
    expect(create.status).toBe(200);
    const created = await create.json();
    expect(Object.keys(created)).toEqual(["upload_id", "credentials"]);
    expect(created.credentials.map((c: object) => Object.keys(c))).toEqual([
      ["url", "part_number"],
      ["url", "part_number"],
      ["url", "part_number"],
    ]);
    const parts = [];
    for (const [i, c] of (created.credentials as { url: string; part_number: number }[]).entries()) {
      const res = await fetch(c.url, { method: "PUT", body: data.slice(i * chunk, (i + 1) * chunk) });
      parts.push({ part_number: c.part_number, etag: res.headers.get("etag"), url: c.url });
    }
    const complete = await post(`complete/${root}/weights`, {
      path: "/tmp/local/model.safetensors",
      upload_id: created.upload_id,
      parts,
    });
    expect(complete.status).toBe(200);
    expect(await complete.json()).toEqual({});
    const got = await app.request(`${PROXY}/${root}/weights/model.safetensors`);
    expect(sha256(new Uint8Array(await got.arrayBuffer()))).toBe(sha256(data));
  });

  it("aborts an upload and answers an unknown one with RESOURCE_DOES_NOT_EXIST", async () => {
    const created = await (await post(`create/${root}`, { path: "C:\\Users\\me\\big.bin", num_parts: "1" })).json();
    expect(created.credentials[0].url).toContain(`/served/${root}/big.bin?`);
    const abort = await post(`abort/${root}`, { path: "C:\\Users\\me\\big.bin", upload_id: created.upload_id });
    expect(abort.status).toBe(200);
    expect(await abort.json()).toEqual({});
    const again = await post(`complete/${root}`, {
      path: "big.bin",
      upload_id: created.upload_id,
      parts: [{ part_number: 1, etag: '"x"' }],
    });
    expect(again.status).toBe(404);
    expect((await again.json()).error_code).toBe("RESOURCE_DOES_NOT_EXIST");
  });

  it("checks multipart messages as the reference does, and refuses unsafe paths", async () => {
    const refusal = async (res: Response) => ({ status: res.status, ...(await res.json()) });
    expect(await refusal(await post(`create/${root}`, { num_parts: 2 }))).toMatchObject({
      status: 400,
      error_code: "INVALID_PARAMETER_VALUE",
      message:
        "Missing value for required parameter 'path'. See the API docs for more information about request parameters.",
    });
    expect(await refusal(await post(`create/${root}`, { path: "f.bin", num_parts: "many" }))).toMatchObject({
      status: 400,
      message: expect.stringContaining("Invalid value \"many\" for parameter 'num_parts' supplied"),
    });
    expect(await refusal(await post(`create/${root}`, { path: "f.bin", num_parts: 10_001 }))).toMatchObject({
      status: 400,
      error_code: "INVALID_PARAMETER_VALUE",
    });
    expect(await refusal(await post(`complete/${root}`, { path: "f.bin", upload_id: "u" }))).toMatchObject({
      status: 400,
      message: expect.stringContaining("Missing value for required parameter 'parts'."),
    });
    expect(
      await refusal(await post(`complete/${root}`, { path: "f.bin", upload_id: "u", parts: [{ part_number: 1 }] })),
    ).toMatchObject({ status: 400, message: expect.stringContaining("'parts[0].etag'") });
    expect(await refusal(await post(`abort/${root}`, { path: "f.bin" }))).toMatchObject({
      status: 400,
      message: expect.stringContaining("Missing value for required parameter 'upload_id'."),
    });
    for (const [url, path] of [
      [`create/${root}/..%2f..%2fescape`, "f.bin"],
      [`create/${root}`, "/tmp/.."],
      [`create/${root}`, "/tmp/"],
    ] as const) {
      const res = await post(url, { path, num_parts: 1 });
      expect(res.status, `${url} ${path}`).toBe(400);
      expect((await res.json()).error_code).toBe("INVALID_PARAMETER_VALUE");
    }
  });
});
