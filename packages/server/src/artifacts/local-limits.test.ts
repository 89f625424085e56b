import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { MlflowError } from "../errors.js";
import { createLocalArtifactStore, removeStaleUploads } from "./local.js";

const body = (text: string) => new Response(text).body as ReadableStream<Uint8Array>;

describe("local artifact store: names the file system cannot hold", () => {
  const dir = mkdtempSync(join(tmpdir(), "tracklite-artifacts-"));
  const store = createLocalArtifactStore(dir);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("stores a 255-byte name (its temporary file is named apart)", async () => {
    await store.put(`a/${"n".repeat(255)}`, body("x"));
    expect((await store.get(`a/${"n".repeat(255)}`))?.size).toBe(1);
    expect(readdirSync(join(dir, "a"))).toEqual(["n".repeat(255)]);
  });

  it.each([`${"a".repeat(300)}`, `d/${"é".repeat(128)}/f`, `${"dd/".repeat(1400)}f`])(
    "refuses to write %#, and finds nothing there",
    async (path) => {
      const err = await store.put(path, body("x")).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(MlflowError);
      expect((err as MlflowError).code).toBe("INVALID_PARAMETER_VALUE");
      expect(await store.get(path)).toBeUndefined();
      expect(await store.list(path)).toEqual([]);
      await store.delete(path);
    },
  );
});

describe("removeStaleUploads", () => {
  const dir = mkdtempSync(join(tmpdir(), "tracklite-stale-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("removes uploads a crash left behind, old and new style, and keeps fresh ones and real files", async () => {
    mkdirSync(join(dir, "0/r/artifacts/sub"), { recursive: true });
    const old = [
      join(dir, "0/r/artifacts/model.pkl.tracklite-upload-1b4e28ba-2fa1-11d2-883f-0016d3cca427"),
      join(dir, "0/r/artifacts/sub/.tracklite-upload-6fa459ea-ee8a-3ca4-894e-db77e160355e"),
    ];
    const fresh = join(dir, "0/r/artifacts/.tracklite-upload-886313e1-3b8a-5372-9b90-0c9aee199e5d");
    const kept = join(dir, "0/r/artifacts/model.pkl");
    for (const f of [...old, fresh, kept]) writeFileSync(f, "x");
    const hourAgo = new Date(Date.now() - 3_600_000);
    for (const f of [...old, kept]) utimesSync(f, hourAgo, hourAgo);
    expect(await removeStaleUploads(dir)).toBe(2);
    for (const f of old) expect(existsSync(f)).toBe(false);
    expect(existsSync(fresh)).toBe(true);
    expect(existsSync(kept)).toBe(true);
    expect(await removeStaleUploads(dir, 0)).toBe(1);
    expect(existsSync(fresh)).toBe(false);
  });
});
