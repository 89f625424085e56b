import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ArtifactStore } from "@tracklite/server";
import { createLocalArtifactStore } from "@tracklite/server/local-artifacts";
import { createS3ArtifactStore } from "@tracklite/server/s3-artifacts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type S3, startS3 } from "../../runtimes.test-helpers.js";
import { createArtifactReader } from "./artifact-reader.js";
import { copyArtifacts } from "./copy-artifacts.js";

/** Every file below `root` on disk, path → text. */
function filesOf(root: string, prefix = ""): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(join(root, prefix), { withFileTypes: true })) {
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) Object.assign(out, filesOf(root, path));
    else out[path] = readFileSync(join(root, path), "utf8");
  }
  return out;
}

/** Every file of a store below `dir`, path → text. */
async function storeFiles(store: ArtifactStore, dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await store.list(dir)) {
    if (entry.isDir) Object.assign(out, await storeFiles(store, entry.path));
    else out[entry.path] = await new Response((await store.get(entry.path))?.stream).text();
  }
  return out;
}

const FILES: Record<string, string> = {
  "a.txt": "alpha",
  "model/MLmodel": "flavors: {}\n",
  "model/data/w.bin": "x".repeat(300_000),
  "model/requirements.txt": "numpy\n",
  "z/deep/er/est.json": "{}",
};

/**
 * The same for s3rver, which finds a folder (a common prefix) only when it holds a file directly or one level down
 * (it does not walk deeper below a delimiter); S3 itself has no such limit.
 */
const S3_FILES: Record<string, string> = Object.fromEntries([
  ...Object.entries(FILES).filter(([path]) => !path.startsWith("z/")),
  ["z/y.json", "{}"],
]);

function writeTree(root: string, files: Record<string, string>) {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, ".."), { recursive: true });
    writeFileSync(join(root, path), text);
  }
}

describe("copyArtifacts between local folders", () => {
  const dir = mkdtempSync(join(tmpdir(), "tracklite-import-copy-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const source = join(dir, "old", "mlruns", "1", "r1", "artifacts");
  writeTree(source, FILES);
  const reader = createArtifactReader();

  it("copies every file, then a second run copies nothing", async () => {
    const destination = join(dir, "dest1");
    const target = createLocalArtifactStore(destination);
    const first = await copyArtifacts(reader, `file://${source}`, target, "1/r1/artifacts");
    expect(first).toEqual({ copied: 5, skipped: 0, bytes: 300_025 });
    expect(filesOf(join(destination, "1", "r1", "artifacts"))).toEqual(FILES);
    const again = await copyArtifacts(reader, `file://${source}`, target, "1/r1/artifacts");
    expect(again).toEqual({ copied: 0, skipped: 5, bytes: 0 });
  });

  it("resumes a copy cut short: whole files only were left, the rest and any changed size are copied", async () => {
    const destination = join(dir, "dest2");
    const target = createLocalArtifactStore(destination);
    let seen = 0;
    await expect(
      copyArtifacts(reader, source, target, "p", {
        concurrency: 1,
        onFile: () => {
          if (++seen === 2) throw new Error("killed");
        },
      }),
    ).rejects.toThrow("killed");
    const partial = filesOf(join(destination, "p"));
    expect(Object.keys(partial)).toEqual(["a.txt", "model/MLmodel"]);
    for (const [path, text] of Object.entries(partial)) expect(text).toBe(FILES[path]);
    truncateSync(join(destination, "p", "a.txt"), 2);
    const resumed = await copyArtifacts(reader, source, target, "p");
    expect(resumed).toMatchObject({ copied: 4, skipped: 1 });
    expect(filesOf(join(destination, "p"))).toEqual(FILES);
  });

  it("copies nothing from a location that does not exist", async () => {
    const target = createLocalArtifactStore(join(dir, "dest3"));
    expect(await copyArtifacts(reader, join(dir, "nowhere"), target, "x")).toEqual({ copied: 0, skipped: 0, bytes: 0 });
  });
});

describe("copyArtifacts with S3 on either side (s3rver)", () => {
  let s3: S3;
  beforeAll(async () => {
    s3 = await startS3({ bucket: "old-mlflow" });
  });
  afterAll(() => s3?.stop());
  const env = () => ({
    MLFLOW_S3_ENDPOINT_URL: s3.endpoint,
    AWS_ACCESS_KEY_ID: "S3RVER",
    AWS_SECRET_ACCESS_KEY: "S3RVER",
    AWS_DEFAULT_REGION: "us-east-1",
  });
  const bucketStore = (prefix: string) =>
    createS3ArtifactStore({
      bucket: s3.bucket,
      prefix,
      endpoint: s3.endpoint,
      region: "us-east-1",
      credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
      forcePathStyle: true,
    });
  const dir = mkdtempSync(join(tmpdir(), "tracklite-import-copy-s3-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("reads an s3:// location into a local destination, and resumes", async () => {
    const seed = bucketStore("mlruns/3/r3/artifacts");
    for (const [path, text] of Object.entries(S3_FILES))
      await seed.put(path, new Response(text).body as ReadableStream);
    const reader = createArtifactReader({ env: env() });
    const target = createLocalArtifactStore(join(dir, "dest"));
    const uri = `s3://${s3.bucket}/mlruns/3/r3/artifacts`;
    expect(await copyArtifacts(reader, uri, target, "3/r3/artifacts")).toMatchObject({ copied: 5, skipped: 0 });
    expect(filesOf(join(dir, "dest", "3", "r3", "artifacts"))).toEqual(S3_FILES);
    rmSync(join(dir, "dest", "3", "r3", "artifacts", "model", "data"), { recursive: true });
    expect(await copyArtifacts(reader, `${uri}/`, target, "3/r3/artifacts")).toMatchObject({ copied: 1, skipped: 4 });
    expect(filesOf(join(dir, "dest", "3", "r3", "artifacts"))).toEqual(S3_FILES);
  });

  it("reads mlflow-artifacts:/ locations of a source whose destination was a bucket, into a bucket", async () => {
    const seed = bucketStore("proxied/4/r4/artifacts");
    for (const [path, text] of Object.entries(S3_FILES))
      await seed.put(path, new Response(text).body as ReadableStream);
    const reader = createArtifactReader({ proxiedDestination: `s3://${s3.bucket}/proxied`, env: env() });
    const target = bucketStore("tracklite");
    const uri = "mlflow-artifacts:/4/r4/artifacts";
    expect(await copyArtifacts(reader, uri, target, "4/r4/artifacts")).toMatchObject({ copied: 5, bytes: 300_025 });
    expect(await storeFiles(target, "4/r4/artifacts")).toEqual(
      Object.fromEntries(Object.entries(S3_FILES).map(([p, t]) => [`4/r4/artifacts/${p}`, t])),
    );
    expect(await copyArtifacts(reader, uri, target, "4/r4/artifacts")).toMatchObject({ copied: 0, skipped: 5 });
  });
});
