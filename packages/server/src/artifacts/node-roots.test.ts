import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createArtifactRootOpener } from "./node-roots.js";
import { isProxiedUri, uriScheme } from "./roots.js";
import type { ArtifactStore } from "./store.js";

describe("createArtifactRootOpener", () => {
  const dir = mkdtempSync(join(tmpdir(), "tracklite-node-roots-"));
  mkdirSync(join(dir, "run", "artifacts"), { recursive: true });
  writeFileSync(join(dir, "run", "artifacts", "a.txt"), "a");
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const opened: string[] = [];
  const open = createArtifactRootOpener({
    openS3: async (uri) => {
      opened.push(uri);
      return {} as ArtifactStore;
    },
  });

  it("reads a path and its file: URI forms as the same folder", async () => {
    for (const uri of [join(dir, "run", "artifacts"), `file://${dir}/run/artifacts`, `file:${dir}/run/artifacts`]) {
      const root = await open(uri);
      expect(root?.dir, uri).toBe("");
      expect(await root?.store.list(""), uri).toEqual([{ path: "a.txt", isDir: false, size: 1 }]);
    }
    const local = await open(`file://localhost${dir}/run/artifacts`);
    expect(await local?.store.list("")).toHaveLength(1);
  });

  it("leaves alone what it cannot read: another host's file: URI, other schemes", async () => {
    expect(await open("file://fileserver/share/run")).toBeUndefined();
    expect(await open("gs://bucket/x")).toBeUndefined();
    expect(await open("hdfs://namenode/x")).toBeUndefined();
  });

  it("opens each bucket once, the location's key prefix as the folder", async () => {
    expect((await open("s3://bucket-a/exp/1/run/artifacts"))?.dir).toBe("exp/1/run/artifacts");
    expect((await open("s3://bucket-a/other/"))?.dir).toBe("other");
    expect((await open("s3://bucket-b"))?.dir).toBe("");
    expect(opened).toEqual(["s3://bucket-a", "s3://bucket-b"]);
  });

  it("reads a relative path from the working folder, as MLflow's local repository does", async () => {
    const root = await open(relative(process.cwd(), join(dir, "run", "artifacts")));
    expect(await root?.store.list("")).toEqual([{ path: "a.txt", isDir: false, size: 1 }]);
  });
});

describe("uriScheme", () => {
  it("is Python's urlparse scheme, lowercased", () => {
    expect(uriScheme("/a/b")).toBe("");
    expect(uriScheme("S3://b/k")).toBe("s3");
    expect(uriScheme("mlflow-artifacts:/0")).toBe("mlflow-artifacts");
    expect(isProxiedUri("https://host/api/2.0/mlflow-artifacts/artifacts/0")).toBe(true);
    expect(isProxiedUri("file:///x")).toBe(false);
  });
});
