import { createClient } from "@libsql/client";
import type { Experiment, Run } from "@tracklite/schemas";
import { afterAll, describe, expect, it } from "vitest";
import type { ImportRun, MetricPoint } from "./model.js";
import { createImportSink } from "./sink.js";
import {
  batches,
  expectedHistory,
  failingAfter,
  openTargetApp,
  type TargetApp,
  tempTarget,
  wire,
} from "./sink.test-helpers.js";

const experiment: Experiment = {
  experiment_id: "7",
  name: "imported",
  artifact_location: "mlflow-artifacts:/7",
  lifecycle_stage: "active",
  creation_time: 1_600_000_000_000,
  last_update_time: 1_600_000_000_500,
  tags: [{ key: "team", value: "vision" }],
};
const deletedExperiment: Experiment = {
  experiment_id: "8",
  name: "gone",
  artifact_location: "mlflow-artifacts:/8",
  lifecycle_stage: "deleted",
  creation_time: 1_600_000_000_000,
  last_update_time: 1_600_000_009_000,
};

function run(id: string, extra: Partial<Run["info"]> = {}, data: Partial<Run["data"]> = {}): Run {
  return {
    info: {
      run_id: id,
      run_uuid: id,
      run_name: `name-${id.slice(0, 4)}`,
      experiment_id: "7",
      user_id: "ana",
      status: "FINISHED",
      start_time: 1_600_000_001_000,
      end_time: 1_600_000_002_000,
      artifact_uri: `mlflow-artifacts:/7/${id}/artifacts`,
      lifecycle_stage: "active",
      ...extra,
    },
    data: {
      params: [
        { key: "lr", value: "0.1" },
        { key: "arch", value: "resnet" },
      ],
      tags: [
        { key: "mlflow.runName", value: `name-${id.slice(0, 4)}` },
        { key: "z-first", value: "1" },
        { key: "a-second", value: "2" },
      ],
      ...data,
    },
    inputs: {
      dataset_inputs: [
        {
          tags: [{ key: "mlflow.data.context", value: "train" }],
          dataset: { name: "ds", digest: "abc", source_type: "local", source: '{"uri":"x"}', schema: "{}" },
        },
      ],
    },
    outputs: {},
  };
}

const RUN_A = "a".repeat(32);
const RUN_B = "b".repeat(32);
const RUN_C = "c".repeat(32);
const RUN_D = "d".repeat(32);

/** Points with timestamps going back along the steps for "loss", NaN and infinities for "odd", and a duplicate. */
const pointsA: MetricPoint[] = [
  ...Array.from({ length: 250 }, (_, i) => ({ key: "acc", value: i / 250, timestamp: 1000 + i, step: i })),
  { key: "loss", value: 3, timestamp: 2000, step: 0 },
  { key: "loss", value: 2, timestamp: 1990, step: 1 },
  { key: "loss", value: 1, timestamp: 2010, step: 2 },
  { key: "odd", value: Number.NaN, timestamp: 5, step: 0 },
  { key: "odd", value: Number.POSITIVE_INFINITY, timestamp: 6, step: 1 },
  { key: "odd", value: Number.NEGATIVE_INFINITY, timestamp: 7, step: 2 },
  { key: "odd", value: -Number.MAX_VALUE, timestamp: 7, step: 2 },
  { key: "acc", value: 0, timestamp: 1000, step: 0 },
];

const importRun = (r: Run, deleted_time?: number): ImportRun => ({ run: r, ...(deleted_time ? { deleted_time } : {}) });

/** Imports the experiments and runs above into `url` with a fresh sink. */
async function importAll(url: string, driver?: "client"): Promise<number[]> {
  const sink = await createImportSink({ url, ...(driver ? { driver } : {}) });
  const points: number[] = [];
  try {
    const target = await sink.experiment(experiment);
    await sink.experiment(deletedExperiment);
    points.push(
      (await sink.run(target, importRun(run(RUN_A)), batches(pointsA.slice(0, 100), pointsA.slice(100)))).points,
    );
    points.push(
      (await sink.run(target, importRun(run(RUN_B, { lifecycle_stage: "deleted" }), 1_600_000_003_000), batches()))
        .points,
    );
  } finally {
    await sink.close();
  }
  return points;
}

for (const driver of [undefined, "client"] as const) {
  describe(`import sink: experiments and runs (${driver ?? "native"} road)`, () => {
    const target = tempTarget();
    let app: TargetApp;
    afterAll(() => {
      app?.close();
      target.remove();
    });

    it("writes experiments and runs that read back through REST as they went in", async () => {
      expect(await importAll(target.url, driver)).toEqual([pointsA.length, 0]);
      app = await openTargetApp(target.url, target.dir);

      const exp = await app.call("GET", "/experiments/get", { experiment_id: "7" });
      expect(exp.body.experiment).toEqual({ ...experiment, workspace: "default" });
      const gone = await app.call("GET", "/experiments/get", { experiment_id: "8" });
      expect(gone.body.experiment.lifecycle_stage).toBe("deleted");

      const got = await app.call("GET", "/runs/get", { run_id: RUN_A });
      const expected = run(RUN_A);
      expect(got.body.run.info).toEqual(expected.info);
      expect(got.body.run.data.params).toEqual(expected.data.params);
      expect(got.body.run.data.tags).toEqual(expected.data.tags);
      expect(got.body.run.inputs).toEqual(expected.inputs);
      expect(got.body.run.data.metrics).toEqual([
        { key: "acc", value: 249 / 250, timestamp: 1249, step: 249 },
        { key: "loss", value: 1, timestamp: 2010, step: 2 },
        { key: "odd", value: -Number.MAX_VALUE, timestamp: 7, step: 2 },
      ]);
      for (const key of ["acc", "loss", "odd"]) {
        const h = await app.call("GET", "/metrics/get-history", { run_id: RUN_A, metric_key: key });
        expect(h.body.metrics.map(({ run_id: _, ...m }: { run_id: string }) => m)).toEqual(
          expectedHistory(pointsA, key),
        );
      }
      expect(wire(Number.NaN)).toBe("NaN");

      const deleted = await app.call("GET", "/runs/get", { run_id: RUN_B });
      expect(deleted.body.run.info.lifecycle_stage).toBe("deleted");
      const search = await app.call("POST", "/runs/search", { experiment_ids: ["7"], run_view_type: "DELETED_ONLY" });
      expect(search.body.runs.map((r: Run) => r.info.run_id)).toEqual([RUN_B]);
    });

    it("leaves latest_metrics exactly as log-batch leaves them for the same points", async () => {
      const created = await app.call("POST", "/runs/create", { experiment_id: "7", start_time: 1 });
      const logged = created.body.run.info.run_id as string;
      const wireMetrics = pointsA.map((p) => ({ ...p, value: wire(p.value) }));
      const res = await app.call("POST", "/runs/log-batch", { run_id: logged, metrics: wireMetrics });
      expect(res.status).toBe(200);
      const client = createClient({ url: target.url, intMode: "number" });
      const rows = async (uuid: string) =>
        (
          await client.execute({
            sql: `SELECT key, step, timestamp, value, is_nan FROM latest_metrics
                  WHERE run_id = (SELECT id FROM runs WHERE run_uuid = ?) ORDER BY rowid`,
            args: [uuid],
          })
        ).rows.map((r) => ({ ...r }));
      const imported = await rows(RUN_A);
      expect(imported.map((r) => r.key)).toEqual(["acc", "loss", "odd"]);
      expect(imported).toEqual(await rows(logged));
      client.close();
      const flags = await app.store.metrics.summaries([RUN_A, logged]);
      const byRun = (id: string) => flags.filter((f) => f.run_id === id).map(({ run_id: _, ...f }) => f);
      expect(byRun(RUN_A)).toEqual(byRun(logged));
    });

    it("changes nothing when run again", async () => {
      app.close();
      expect(await importAll(target.url, driver)).toEqual([0, 0]);
      app = await openTargetApp(target.url, target.dir);
      const h = await app.call("GET", "/metrics/get-history", { run_id: RUN_A, metric_key: "acc" });
      expect(h.body.metrics).toHaveLength(250);
      const runs = await app.call("POST", "/runs/search", { experiment_ids: ["7"], run_view_type: "ALL" });
      expect(runs.body.runs).toHaveLength(3);
      const exps = await app.call("POST", "/experiments/search", { view_type: "ALL", max_results: 100 });
      expect(exps.body.experiments.map((e: Experiment) => e.name).sort()).toEqual(["Default", "gone", "imported"]);
    });

    it("leaves nothing of a run whose history fails half-way, and writes it whole on resume", async () => {
      app.close();
      const sink = await createImportSink({ url: target.url, ...(driver ? { driver } : {}) });
      try {
        await expect(sink.run("7", importRun(run(RUN_C)), failingAfter(pointsA.slice(0, 50)))).rejects.toThrow(
          "source connection lost",
        );
        expect(await sink.isDone(`run:${RUN_C}`)).toBe(false);
        app = await openTargetApp(target.url, target.dir);
        expect((await app.call("GET", "/runs/get", { run_id: RUN_C })).status).toBe(404);
        app.close();
        expect((await sink.run("7", importRun(run(RUN_C)), batches(pointsA))).points).toBe(pointsA.length);
        expect(await sink.isDone(`run:${RUN_C}`)).toBe(true);
      } finally {
        await sink.close();
      }
      app = await openTargetApp(target.url, target.dir);
      const h = await app.call("GET", "/metrics/get-history", { run_id: RUN_C, metric_key: "acc" });
      expect(h.body.metrics).toHaveLength(250);
    });

    it("gives an experiment whose id is taken a new id, and keeps using it", async () => {
      app.close();
      const clash: Experiment = { ...experiment, experiment_id: "7", name: "other-source" };
      const first = await createImportSink({ url: target.url, ...(driver ? { driver } : {}) });
      const id = await first.experiment(clash);
      await first.run(id, importRun(run(RUN_D, { experiment_id: "7" })), batches());
      await first.close();
      expect(id).not.toBe("7");
      const again = await createImportSink({ url: target.url, ...(driver ? { driver } : {}) });
      expect(await again.experiment(clash)).toBe(id);
      await again.close();
      app = await openTargetApp(target.url, target.dir);
      const got = await app.call("GET", "/runs/get", { run_id: RUN_D });
      expect(got.body.run.info.experiment_id).toBe(id);
    });
  });
}
