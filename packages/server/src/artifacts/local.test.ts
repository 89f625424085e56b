import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createLocalArtifactStore } from "./local.js";

const body = (text: string) => new Response(text).body as ReadableStream<Uint8Array>;
const read = async (s: ReadableStream<Uint8Array>) => new Response(s).text();

describe("local artifact store", () => {
  const dir = mkdtempSync(join(tmpdir(), "tracklite-artifacts-"));
  const root = join(dir, "root");
  const outside = join(dir, "outside");
  mkdirSync(outside);
  writeFileSync(join(outside, "secret.txt"), "secret");
  const store = createLocalArtifactStore(root);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("writes, reads, lists and deletes", async () => {
    await store.put("0/r/artifacts/a.txt", body("hello"));
    await store.put("0/r/artifacts/sub/b.json", body("{}"));
    const file = await store.get("0/r/artifacts/a.txt");
    expect(file?.size).toBe(5);
    expect(await read(file?.stream as ReadableStream<Uint8Array>)).toBe("hello");
    expect(await store.list("0/r/artifacts")).toEqual([
      { path: "0/r/artifacts/a.txt", isDir: false, size: 5 },
      { path: "0/r/artifacts/sub", isDir: true },
    ]);
    await store.delete("0/r/artifacts/sub");
    expect(await store.list("0/r/artifacts")).toEqual([{ path: "0/r/artifacts/a.txt", isDir: false, size: 5 }]);
    expect(await store.get("0/r/artifacts/missing")).toBeUndefined();
    expect(await store.list("nothing/here")).toEqual([]);
  });

  it("replaces a file whole and leaves no temporary files", async () => {
    await store.put("x/f.bin", body("first"));
    await store.put("x/f.bin", body("second"));
    expect(await read((await store.get("x/f.bin"))?.stream as ReadableStream<Uint8Array>)).toBe("second");
    expect(readdirSync(join(root, "x"))).toEqual(["f.bin"]);
  });

  it("refuses a folder as a file", async () => {
    await expect(store.get("0/r")).rejects.toThrow("refers to a directory");
  });

  it("never follows a symlink out of the root", async () => {
    symlinkSync(outside, join(root, "escape"));
    await expect(store.get("escape/secret.txt")).rejects.toThrow("Invalid path");
    await expect(store.put("escape/planted.txt", body("x"))).rejects.toThrow("Invalid path");
    expect(readdirSync(outside)).toEqual(["secret.txt"]);
    expect((await store.list("")).map((e) => e.path)).not.toContain("escape");
    await store.delete("escape");
    expect(readdirSync(outside)).toEqual(["secret.txt"]);
  });
});
