import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLocalArtifactStore } from "@tracklite/server/local-artifacts";
import { afterAll, describe, expect, it } from "vitest";
import { LocationMap } from "./artifact-locations.js";
import { createArtifactReader } from "./artifact-reader.js";
import { type ArtifactImportContext, importArtifacts } from "./import-artifacts.js";
import { openArtifactImport } from "./open-artifact-import.js";

describe("importArtifacts", () => {
  const dir = mkdtempSync(join(tmpdir(), "tracklite-import-artifacts-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const old = join(dir, "old", "mlruns");
  for (const [path, text] of Object.entries({
    "1/r1/artifacts/model/MLmodel": "m",
    "1/r1/artifacts/a.txt": "a",
    "elsewhere/v/weights.bin": "w",
  })) {
    mkdirSync(join(old, path, ".."), { recursive: true });
    writeFileSync(join(old, path), text);
  }
  const done = new Set<string>();
  const destination = join(dir, "dest");
  const ctx: ArtifactImportContext = {
    reader: createArtifactReader(),
    target: createLocalArtifactStore(destination),
    sink: { isDone: async (u) => done.has(u), markDone: async (u) => void done.add(u) },
    locations: new LocationMap(),
  };
  const run = { kind: "run", experimentId: "5", runId: "r1" } as const;

  it("copies a run's files once, to tracklite's layout, and answers its new URI", async () => {
    const first = await importArtifacts(ctx, run, `file://${old}/1/r1/artifacts`);
    expect(first).toEqual({ uri: "mlflow-artifacts:/5/r1/artifacts", copy: { copied: 2, skipped: 0, bytes: 2 } });
    expect(readFileSync(join(destination, "5", "r1", "artifacts", "model", "MLmodel"), "utf8")).toBe("m");
    expect(done).toEqual(new Set(["artifacts:run:r1"]));
    expect(await importArtifacts(ctx, run, `file://${old}/1/r1/artifacts`)).toEqual({
      uri: "mlflow-artifacts:/5/r1/artifacts",
    });
  });

  it("points a version inside a run at the run's copy, and copies one elsewhere on its own", async () => {
    const inRun = { kind: "model-version", name: "m", version: "1" } as const;
    expect(await importArtifacts(ctx, inRun, `file://${old}/1/r1/artifacts/model`)).toEqual({
      uri: "mlflow-artifacts:/5/r1/artifacts/model",
    });
    expect(await importArtifacts(ctx, inRun, "runs:/r1/model")).toEqual({ uri: "runs:/r1/model" });
    const own = { kind: "model-version", name: "m", version: "2" } as const;
    expect(await importArtifacts(ctx, own, join(old, "elsewhere", "v"))).toMatchObject({
      uri: "mlflow-artifacts:/model-versions/m/2",
      copy: { copied: 1 },
    });
    expect(readFileSync(join(destination, "model-versions", "m", "2", "weights.bin"), "utf8")).toBe("w");
  });

  it("reports what it cannot read as skipped, with why, and leaves it to be tried again", async () => {
    const other = { kind: "run", experimentId: "5", runId: "r2" } as const;
    const gs = await importArtifacts(ctx, other, "gs://bucket/1/r2/artifacts");
    expect(gs.uri).toBe("mlflow-artifacts:/5/r2/artifacts");
    expect(gs.skipped?.what).toBe("artifacts of run r2 (gs://bucket/1/r2/artifacts)");
    expect(gs.skipped?.reason).toMatch(/scheme the import cannot read \(gs:\)/);
    const proxied = await importArtifacts(ctx, other, "mlflow-artifacts:/1/r2/artifacts");
    expect(proxied.skipped?.reason).toMatch(/--source-artifacts-destination/);
    const none = await importArtifacts({ ...ctx, reader: undefined }, other, "/x");
    expect(none.skipped?.reason).toBe("the source cannot read its artifacts");
    expect(done.has("artifacts:run:r2")).toBe(false);
  });

  it("keeps a version's source that holds no file (a prompt's) as it is, and leaves it unmarked", async () => {
    const prompt = { kind: "model-version", name: "p", version: "1" } as const;
    const got = await importArtifacts(ctx, prompt, "dummy-source");
    expect(got.uri).toBe("dummy-source");
    expect(done.has("artifacts:model-version:p/1")).toBe(false);
    const unread = { kind: "model-version", name: "p", version: "2" } as const;
    expect((await importArtifacts(ctx, unread, "gs://bucket/p/2")).uri).toBe("gs://bucket/p/2");
  });
});

describe("openArtifactImport", () => {
  const dir = mkdtempSync(join(tmpdir(), "tracklite-open-artifact-import-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("reads a database source's proxied locations in --source-artifacts-destination into a new destination", async () => {
    mkdirSync(join(dir, "mlartifacts", "1", "r9", "artifacts"), { recursive: true });
    writeFileSync(join(dir, "mlartifacts", "1", "r9", "artifacts", "f.txt"), "f");
    const done = new Set<string>();
    const ctx = await openArtifactImport({
      source: { describe: async () => ({ kind: "sqlite", label: "x" }), artifacts: () => undefined },
      sourceArtifactsDestination: join(dir, "mlartifacts"),
      artifactsDestination: join(dir, "new", "artifacts"),
      sink: { isDone: async (u) => done.has(u), markDone: async (u) => void done.add(u) },
    });
    const run = { kind: "run", experimentId: "1", runId: "r9" } as const;
    expect(await importArtifacts(ctx, run, "mlflow-artifacts:/1/r9/artifacts")).toMatchObject({
      uri: "mlflow-artifacts:/1/r9/artifacts",
      copy: { copied: 1 },
    });
    expect(readFileSync(join(dir, "new", "artifacts", "1", "r9", "artifacts", "f.txt"), "utf8")).toBe("f");
  });
});
