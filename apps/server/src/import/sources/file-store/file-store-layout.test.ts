/**
 * What the real clients do not write but old or moved folders hold: MLflow 1.x meta files, folders copied to another
 * path, malformed lines, ids that disagree with their folder, and a history far larger than a batch. The files are
 * written here in the FileStore's own format (as file-store-source.test.ts checks the real clients write it).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import type { MetricPoint } from "@tracklite/server/import";
import { afterAll, describe, expect, it } from "vitest";
import { pickSourceKind } from "../index.js";
import { openFileStoreSource } from "./index.js";

const base = mkdtempSync(join(tmpdir(), "fs-layout-"));
afterAll(() => rmSync(base, { recursive: true, force: true }));

function write(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

const RUN = "0123456789abcdef0123456789abcdef";

/** A FileStore as MLflow 1.x left it: int ids, no lifecycle_stage or run_name, artifact URIs of another machine. */
function legacyStore(root: string): void {
  write(
    join(root, "1/meta.yaml"),
    "artifact_location: file:///home/alice/old/mlruns/1\nexperiment_id: 1\nname: legacy\n",
  );
  write(
    join(root, `1/${RUN}/meta.yaml`),
    [
      "artifact_uri: /home/alice/old/mlruns/1/0123456789abcdef0123456789abcdef/artifacts",
      "end_time: null",
      "experiment_id: 1",
      `run_uuid: ${RUN}`,
      "source_type: 4",
      "start_time: 1500000000000",
      "user_id: alice",
      "",
    ].join("\n"),
  );
  write(join(root, `1/${RUN}/tags/mlflow.runName`), "old-run");
  write(join(root, `1/${RUN}/metrics/acc`), "1500000000001 0.5\n1500000000002 0.75 1\nbroken line here\n");
  write(join(root, `1/${RUN}/artifacts/model/MLmodel`), "flavors: {}\n");
  // A run folder whose meta.yaml names another experiment, and an experiment folder naming another id.
  write(
    join(root, "1/fedcba9876543210fedcba9876543210/meta.yaml"),
    "experiment_id: '7'\nrun_id: fedcba9876543210fedcba9876543210\n",
  );
  write(join(root, "5/meta.yaml"), "experiment_id: '6'\nname: misplaced\n");
}

describe("a FileStore from MLflow 1.x, copied to another place", () => {
  const root = join(base, "project", "mlruns");
  legacyStore(root);

  it("is found from its project folder or a file: URI, and refused when it is no FileStore", () => {
    expect(() => openFileStoreSource(join(base, "project"))).not.toThrow();
    expect(() => openFileStoreSource(pathToFileURL(root).href)).not.toThrow();
    mkdirSync(join(base, "empty"));
    expect(() => openFileStoreSource(join(base, "empty"))).toThrow(/is not an MLflow FileStore folder/);
    expect(() => openFileStoreSource(join(base, "missing"))).toThrow(/is not a folder/);
  });

  it("reads old meta files as the reference does, and reports what it leaves out", async () => {
    const source = openFileStoreSource(join(base, "project"));
    const experiments = [];
    for await (const e of source.experiments({})) experiments.push(e);
    expect(experiments).toEqual([
      {
        experiment_id: "1",
        name: "legacy",
        lifecycle_stage: "active",
        artifact_location: "file:///home/alice/old/mlruns/1",
        workspace: "default",
      },
    ]);
    const runs = [];
    for await (const r of source.runs("1")) runs.push(r);
    expect(runs).toEqual([
      {
        run: {
          info: {
            run_id: RUN,
            run_uuid: RUN,
            experiment_id: "1",
            status: "RUNNING",
            lifecycle_stage: "active",
            run_name: "old-run",
            user_id: "alice",
            start_time: 1500000000000,
            artifact_uri: `/home/alice/old/mlruns/1/${RUN}/artifacts`,
          },
          data: { tags: [{ key: "mlflow.runName", value: "old-run" }] },
        },
      },
    ]);
    const points: MetricPoint[] = [];
    for await (const batch of source.metricHistory(RUN)) points.push(...batch);
    expect(points).toEqual([
      { key: "acc", value: 0.5, timestamp: 1500000000001, step: 0 },
      { key: "acc", value: 0.75, timestamp: 1500000000002, step: 1 },
    ]);
    expect(source.skipped()).toEqual([
      { what: `experiment folder ${join(root, "5")}`, reason: expect.stringMatching(/names experiment 6/) },
      { what: "run fedcba9876543210fedcba9876543210", reason: expect.stringMatching(/recorded under experiment 7/) },
      { what: `1 point(s) of metric acc of run ${RUN}`, reason: expect.stringMatching(/malformed/) },
    ]);
  });

  it("finds artifacts whose URIs still name the folder's old place", async () => {
    const reader = openFileStoreSource(root).artifacts();
    if (reader === undefined) throw new Error("a FileStore source always has a reader");
    const uri = `/home/alice/old/mlruns/1/${RUN}/artifacts`;
    const files = [];
    for await (const f of reader.list(uri)) files.push(f);
    expect(files).toEqual([{ path: "model/MLmodel", size: 12 }]);
    expect(await new Response(await reader.open(`file://${uri}`, "model/MLmodel")).text()).toBe("flavors: {}\n");
  });

  it("refuses a proxied location without --source-artifacts-destination, saying so", async () => {
    const reader = openFileStoreSource(root).artifacts();
    await expect(async () => {
      for await (const _ of reader?.list("mlflow-artifacts:/0/abc/artifacts") ?? []);
    }).rejects.toThrow(/pass --source-artifacts-destination/);
  });

  it("is the source `tracklite import` picks for a folder, with --source-artifacts-destination passed on", async () => {
    const kind = pickSourceKind(join(base, "project"));
    expect(kind.kind).toBe("file-store");
    const dest = join(base, "served");
    write(join(dest, "1/abc/artifacts/f.txt"), "proxied");
    const source = await kind.open(join(base, "project"), {
      env: {},
      flags: { "source-artifacts-destination": dest },
    });
    expect((await source.describe()).label).toBe(root);
    const reader = source.artifacts();
    const text = await new Response(await reader?.open("mlflow-artifacts:/1/abc/artifacts", "f.txt")).text();
    expect(text).toBe("proxied");
    await source.close();
  });

  it("counts and picks experiments by id or name", async () => {
    const source = openFileStoreSource(root);
    expect(await source.counts({})).toMatchObject({ experiments: 1, runs: 2, metric_points: 3, registered_models: 0 });
    for (const pick of [["1"], ["legacy"]]) {
      const picked = [];
      for await (const e of source.experiments({ experiments: pick })) picked.push(e.experiment_id);
      expect(picked).toEqual(["1"]);
    }
    const none = [];
    for await (const e of source.experiments({ experiments: ["nope"] })) none.push(e);
    expect(none).toEqual([]);
  });
});

describe("a long metric history", () => {
  const root = join(base, "long", "mlruns");
  const POINTS = 400_000;
  write(join(root, "0/meta.yaml"), "experiment_id: '0'\nname: Default\nlifecycle_stage: active\n");
  write(join(root, `0/${RUN}/meta.yaml`), `experiment_id: '0'\nrun_id: ${RUN}\nstatus: 3\n`);
  const lines: string[] = [];
  for (let i = 0; i < POINTS; i++) lines.push(`${1700000000000 + i} ${i / 7} ${i}`);
  write(join(root, `0/${RUN}/metrics/loss`), `${lines.join("\n")}\n`);
  lines.length = 0;

  it("comes in batches of at most batchSize, every point in order, without holding the file", async () => {
    const source = openFileStoreSource(root, { batchSize: 5000 });
    for await (const _ of source.runs("0"));
    let count = 0;
    let largest = 0;
    let inOrder = true;
    const heapBefore = process.memoryUsage().heapUsed;
    let heapPeak = heapBefore;
    const started = performance.now();
    for await (const batch of source.metricHistory(RUN)) {
      largest = Math.max(largest, batch.length);
      for (const p of batch) {
        if (p.step !== count) inOrder = false;
        count++;
      }
      heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
    }
    const seconds = (performance.now() - started) / 1000;
    expect(count).toBe(POINTS);
    expect(largest).toBe(5000);
    expect(inOrder).toBe(true);
    // The whole history as objects would take well over 50 MB; streaming holds a batch and a chunk.
    expect(heapPeak - heapBefore).toBeLessThan(50 * 1024 * 1024);
    console.log(`file-store metric history: ${Math.round(POINTS / seconds)} points/s (${POINTS} points)`);
  });
});
