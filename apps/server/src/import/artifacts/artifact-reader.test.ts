import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import type { ArtifactReader } from "@tracklite/server/import";
import { afterAll, describe, expect, it } from "vitest";
import { createArtifactReader, MissingArtifact } from "./artifact-reader.js";
import { UnreadableArtifactLocation } from "./source-roots.js";

/** Everything an async iterable yields (Node 20 has no Array.fromAsync). */
async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/** Every file a reader lists under `uri`, with its bytes as text. */
async function readAll(reader: ArtifactReader, uri: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for await (const file of reader.list(uri)) {
    out[file.path] = await new Response(await reader.open(uri, file.path)).text();
    expect(file.size, file.path).toBe(Buffer.byteLength(out[file.path] as string));
  }
  return out;
}

describe("createArtifactReader over local folders", () => {
  const dir = mkdtempSync(join(tmpdir(), "tracklite-import-reader-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const runDir = join(dir, "mlruns", "1", "r1", "artifacts");
  mkdirSync(join(runDir, "model", "data"), { recursive: true });
  writeFileSync(join(runDir, "a.txt"), "alpha");
  writeFileSync(join(runDir, "model", "MLmodel"), "flavors: {}\n");
  writeFileSync(join(runDir, "model", "data", "w.bin"), "0123456789");
  writeFileSync(join(dir, "outside.txt"), "secret");
  symlinkSync(join(dir, "outside.txt"), join(runDir, "link.txt"));
  const expected = { "a.txt": "alpha", "model/MLmodel": "flavors: {}\n", "model/data/w.bin": "0123456789" };

  it("lists every file recursively, in path order, for a path, a file: URI and a relative path", async () => {
    const reader = createArtifactReader({ baseDir: dir });
    for (const uri of [
      runDir,
      `file://${runDir}`,
      `file:${runDir}`,
      "./mlruns/1/r1/artifacts",
      "mlruns/1/r1/artifacts",
    ]) {
      expect(await readAll(reader, uri), uri).toEqual(expected);
      expect((await collect(reader.list(uri))).map((f) => f.path)).toEqual(Object.keys(expected));
    }
    const fromCwd = createArtifactReader();
    expect(await readAll(fromCwd, relative(process.cwd(), runDir))).toEqual(expected);
  });

  it("never follows a symlink out of the location, and finds nothing where there is nothing", async () => {
    const reader = createArtifactReader();
    await expect(reader.open(runDir, "link.txt")).rejects.toBeInstanceOf(MissingArtifact);
    await expect(reader.open(runDir, "../../../../outside.txt")).rejects.toBeInstanceOf(MissingArtifact);
    await expect(reader.open(runDir, "nope.txt")).rejects.toBeInstanceOf(MissingArtifact);
    await expect(reader.open(runDir, "model")).rejects.toBeInstanceOf(MissingArtifact);
    expect(await collect(reader.list(join(dir, "mlruns", "1", "missing", "artifacts")))).toEqual([]);
    expect(await collect(reader.list(join(runDir, "a.txt")))).toEqual([]);
  });

  it("reads mlflow-artifacts:/ locations in the source server's destination, in both URI forms", async () => {
    const destination = join(dir, "mlartifacts");
    mkdirSync(join(destination, "2", "r2", "artifacts", "sub"), { recursive: true });
    writeFileSync(join(destination, "2", "r2", "artifacts", "sub", "b.txt"), "beta");
    const reader = createArtifactReader({ proxiedDestination: destination });
    for (const uri of [
      "mlflow-artifacts:/2/r2/artifacts",
      "mlflow-artifacts://host:5000/2/r2/artifacts",
      "http://host:5000/api/2.0/mlflow-artifacts/artifacts/2/r2/artifacts",
    ])
      expect(await readAll(reader, uri), uri).toEqual({ "sub/b.txt": "beta" });
    const relativeDestination = createArtifactReader({ proxiedDestination: relative(process.cwd(), destination) });
    expect(await readAll(relativeDestination, "mlflow-artifacts:/2/r2/artifacts")).toEqual({ "sub/b.txt": "beta" });
    const fileUri = createArtifactReader({ proxiedDestination: `file://${destination}` });
    expect(await readAll(fileUri, "mlflow-artifacts:/2/r2/artifacts")).toEqual({ "sub/b.txt": "beta" });
  });

  it("says what to pass for a proxied location without a destination, and refuses schemes it cannot read", async () => {
    const reader = createArtifactReader();
    await expect(collect(reader.list("mlflow-artifacts:/1/r/artifacts"))).rejects.toThrow(
      /pass --source-artifacts-destination/,
    );
    await expect(collect(reader.list("gs://bucket/1/r/artifacts"))).rejects.toThrow(UnreadableArtifactLocation);
    await expect(collect(reader.list("file://otherhost/tmp/x"))).rejects.toThrow(/another machine/);
  });
});
