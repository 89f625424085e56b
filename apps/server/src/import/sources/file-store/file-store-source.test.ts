/**
 * The FileStore source against the reference: a FileStore written by the real MLflow client (2.x and 3.17.2), read by
 * the source, and the same folder served by `mlflow server --backend-store-uri <folder>`; what the source yields must
 * equal what the reference answers over REST, entity by entity.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Experiment, ModelVersion, RegisteredModel, Run } from "@tracklite/schemas";
import type {
  ImportLoggedModel,
  ImportRegisteredModel,
  ImportRun,
  ImportSource,
  ImportTrace,
  MetricPoint,
} from "@tracklite/server/import";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasVenv, type ReferenceServer, seedFileStore, startReferenceOnFileStore } from "./file-store.test-helpers.js";
import { openFileStoreSource } from "./index.js";

interface Read {
  experiments: Experiment[];
  runs: Map<string, ImportRun[]>;
  history: Map<string, MetricPoint[]>;
  loggedModels: Map<string, ImportLoggedModel[]>;
  traces: Map<string, ImportTrace[]>;
  registry: ImportRegisteredModel[];
}

/** Everything the source yields, in the order the importer asks for it. */
async function readAll(source: ImportSource): Promise<Read> {
  const read: Read = {
    experiments: [],
    runs: new Map(),
    history: new Map(),
    loggedModels: new Map(),
    traces: new Map(),
    registry: [],
  };
  for await (const experiment of source.experiments({})) {
    const id = experiment.experiment_id;
    read.experiments.push(experiment);
    read.runs.set(id, []);
    for await (const run of source.runs(id)) {
      read.runs.get(id)?.push(run);
      const points: MetricPoint[] = [];
      for await (const batch of source.metricHistory(run.run.info.run_id)) points.push(...batch);
      read.history.set(run.run.info.run_id, points);
    }
    read.loggedModels.set(id, []);
    for await (const model of source.loggedModels(id)) read.loggedModels.get(id)?.push(model);
    read.traces.set(id, []);
    for await (const trace of source.traces(id)) read.traces.get(id)?.push(trace);
  }
  for await (const model of source.registeredModels()) read.registry.push(model);
  return read;
}

const byKey = <T extends { key: string }>(items: T[] | undefined) =>
  [...(items ?? [])].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));

/** A JSON value with every key/value list sorted by key, so that file-listing order does not matter. */
function sorted(value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = value.map(sorted);
    if (items.every((v) => v !== null && typeof v === "object" && "key" in v)) {
      return byKey(items as { key: string }[]);
    }
    return items;
  }
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, sorted(v)]));
  }
  return value;
}

/** A metric point as REST writes it (NaN and ±Infinity as strings). */
const wire = (v: number) => (Number.isNaN(v) ? "NaN" : v === Infinity ? "Infinity" : v === -Infinity ? "-Infinity" : v);

/**
 * The one known difference (KNOWN_DIFFERENCES): a run metric logged with a dataset is a 5-field line, which the
 * reference's FileStore reads with step 0; the source keeps the step written, as `mlflow migrate-filestore` does.
 */
const asReferenceReadsIt = (p: MetricPoint) => (p.dataset_name === undefined ? p : { ...p, step: 0 });

function restPoint(p: MetricPoint, runId: string) {
  const out: Record<string, unknown> = { key: p.key, value: wire(p.value), timestamp: p.timestamp, step: p.step };
  if (p.dataset_name !== undefined) {
    out.dataset_name = p.dataset_name;
    out.dataset_digest = p.dataset_digest;
  }
  out.run_id = runId;
  return out;
}

/** The latest point of each key, as the reference picks it: the max of (step, timestamp, value). */
function latest(points: MetricPoint[]): MetricPoint[] {
  const best = new Map<string, MetricPoint>();
  const rank = (p: MetricPoint) => [p.step, p.timestamp, Number.isNaN(p.value) ? -Infinity : p.value];
  for (const p of points) {
    const b = best.get(p.key);
    if (b === undefined) {
      best.set(p.key, p);
      continue;
    }
    const [x, y] = [rank(p), rank(b)];
    for (let i = 0; i < 3; i++) {
      if ((x[i] as number) > (y[i] as number)) {
        best.set(p.key, p);
        break;
      }
      if ((x[i] as number) < (y[i] as number)) break;
    }
  }
  return [...best.values()];
}

for (const major of [2, 3] as const) {
  describe.skipIf(!hasVenv(major) || !hasVenv(3))(`a FileStore written by the MLflow ${major}.x client`, () => {
    const dir = mkdtempSync(join(tmpdir(), `fs-source-${major}-`));
    const folder = join(dir, "mlruns");
    let reference: ReferenceServer;
    let read: Read;
    let source: ImportSource;

    beforeAll(async () => {
      await seedFileStore(major, folder);
      reference = await startReferenceOnFileStore(folder);
      source = openFileStoreSource(folder);
      read = await readAll(source);
    }, 240_000);
    afterAll(async () => {
      await reference?.stop();
      await source?.close();
      rmSync(dir, { recursive: true, force: true });
    }, 30_000);

    it("yields every experiment, active and deleted, as search-experiments (ALL) answers", async () => {
      const answer = (await reference.post("/api/2.0/mlflow/experiments/search", {
        view_type: "ALL",
        max_results: 1000,
      })) as { experiments: Experiment[] };
      const ids = (xs: Experiment[]) => xs.map((e) => e.experiment_id).sort();
      expect(ids(read.experiments)).toEqual(ids(answer.experiments));
      expect(read.experiments.map((e) => e.lifecycle_stage).sort()).toEqual(["active", "active", "deleted"]);
      for (const experiment of read.experiments) {
        const theirs = answer.experiments.find((e) => e.experiment_id === experiment.experiment_id);
        expect(sorted(experiment)).toEqual(sorted(theirs));
      }
    });

    it("yields every run with info, params, tags, inputs and outputs as search-runs (ALL) answers", async () => {
      let total = 0;
      for (const experiment of read.experiments) {
        const answer = (await reference.post("/api/2.0/mlflow/runs/search", {
          experiment_ids: [experiment.experiment_id],
          run_view_type: "ALL",
          max_results: 1000,
        })) as { runs?: Run[] };
        const theirs = new Map((answer.runs ?? []).map((r) => [r.info.run_id, r]));
        const ours = read.runs.get(experiment.experiment_id) ?? [];
        expect(ours.map((r) => r.run.info.run_id).sort()).toEqual([...theirs.keys()].sort());
        for (const { run } of ours) {
          const ref = theirs.get(run.info.run_id) as Run;
          const { metrics: _latest, ...refData } = ref.data;
          expect(sorted({ ...run, data: run.data, inputs: run.inputs ?? {}, outputs: run.outputs ?? {} })).toEqual(
            sorted({ ...ref, data: refData, inputs: ref.inputs ?? {}, outputs: ref.outputs ?? {} }),
          );
          total++;
        }
      }
      expect(total).toBe(4);
      const deleted = [...read.runs.values()].flat().filter((r) => r.run.info.lifecycle_stage === "deleted");
      expect(deleted).toHaveLength(2);
      for (const run of deleted) expect(run.deleted_time).toBeGreaterThan(0);
    });

    it("yields every metric point, in file order, as get-metric-history answers; latest metrics match", async () => {
      let points = 0;
      for (const runs of read.runs.values()) {
        for (const { run } of runs) {
          const runId = run.info.run_id;
          const ours = read.history.get(runId) ?? [];
          points += ours.length;
          const keys = [...new Set(ours.map((p) => p.key))];
          for (const key of keys) {
            const answer = (await reference.get(
              `/api/2.0/mlflow/metrics/get-history?run_id=${runId}&metric_key=${encodeURIComponent(key)}`,
            )) as { metrics: unknown[] };
            const mine = ours.filter((p) => p.key === key).map((p) => restPoint(asReferenceReadsIt(p), runId));
            expect(mine).toEqual(answer.metrics);
          }
          const got = (await reference.get(`/api/2.0/mlflow/runs/get?run_id=${runId}`)) as { run: Run };
          const mineLatest = latest(ours.map(asReferenceReadsIt)).map((p) => restPoint(p, runId));
          expect(sorted(mineLatest)).toEqual(sorted(got.run.data.metrics ?? []));
        }
      }
      // 5 loss + 3 odd (NaN, ±Infinity) + 1 nested/acc + 1000 m + 1 x, and model_acc in MLflow 3.
      expect(points).toBe(major === 3 ? 1011 : 1010);
    });

    it("keeps NaN and ±Infinity and the step of a point logged with a dataset", () => {
      const first = [...read.runs.values()].flat().find((r) => r.run.info.run_name === "first") as ImportRun;
      const history = read.history.get(first.run.info.run_id) ?? [];
      expect(history.filter((p) => p.key === "odd").map((p) => p.value)).toEqual([NaN, Infinity, -Infinity]);
      if (major === 3) {
        expect(history.find((p) => p.key === "model_acc")).toMatchObject({
          step: 1,
          dataset_name: "train",
          dataset_digest: "abc123",
        });
      }
    });

    it("yields logged models (MLflow 3) as search-logged-models answers, the deleted one marked", async () => {
      const all = [...read.loggedModels.values()].flat();
      if (major === 2) {
        expect(all).toEqual([]);
        return;
      }
      const experimentIds = read.experiments.filter((e) => e.lifecycle_stage === "active").map((e) => e.experiment_id);
      const answer = (await reference.post("/api/2.0/mlflow/logged-models/search", {
        experiment_ids: experimentIds,
      })) as { models: ImportLoggedModel["model"][] };
      const active = all.filter((m) => !m.deleted).map((m) => m.model);
      expect(sorted(active)).toEqual(sorted(answer.models));
      expect(all.filter((m) => m.deleted).map((m) => m.model.info.name)).toEqual(["lm-gone"]);
    });

    it("yields every registered model, prompt and version (deleted ones included) as the registry answers", async () => {
      const names = read.registry.map((m) => m.model.name);
      expect(names).toEqual(major === 3 ? ["empty-model", "greet", "reg-model"] : ["empty-model", "reg-model"]);
      for (const { model, versions } of read.registry) {
        const got = (await reference.get(
          `/api/2.0/mlflow/registered-models/get?name=${encodeURIComponent(model.name)}`,
        )) as { registered_model: RegisteredModel };
        const { latest_versions: _derived, ...theirs } = got.registered_model;
        expect(sorted(model)).toEqual(sorted(theirs));
        for (const version of versions) {
          if (version.current_stage === "Deleted_Internal") continue;
          const v = (await reference.get(
            `/api/2.0/mlflow/model-versions/get?name=${encodeURIComponent(model.name)}&version=${version.version}`,
          )) as { model_version: ModelVersion };
          expect(sorted(version)).toEqual(sorted(v.model_version));
        }
      }
      const reg = read.registry.find((m) => m.model.name === "reg-model") as ImportRegisteredModel;
      expect(reg.versions.map((v) => [v.version, v.current_stage])).toEqual([
        ["1", "Production"],
        ["2", "None"],
        ["3", "Deleted_Internal"],
      ]);
      expect(reg.versions[1]?.aliases).toEqual(["champion"]);
    });

    it("yields traces with their info as the reference answers it, and spans from traces.json", async () => {
      const traces = [...read.traces.values()].flat();
      expect(traces).toHaveLength(1);
      const { trace_info: info, spans } = (traces[0] as ImportTrace).trace;
      const got = (await reference.get(`/api/3.0/mlflow/traces/${info.trace_id}`)) as {
        trace: { trace_info: unknown };
      };
      // The reference's FileStore reads an expectation without the `valid` its file holds (Expectation.from_dictionary
      // drops it); the source keeps it, as `mlflow migrate-filestore` does.
      const order = (i: typeof info) => ({
        ...i,
        assessments: [...(i.assessments ?? [])]
          .map(({ valid, ...a }) => (a.expectation !== undefined ? a : { ...a, valid }))
          .sort((a, b) => ((a.assessment_id ?? "") < (b.assessment_id ?? "") ? -1 : 1)),
      });
      expect(order(info)).toEqual(order(got.trace.trace_info as typeof info));
      if (major === 3) expect(info.assessments?.every((a) => a.valid === true)).toBe(true);
      expect(info.assessments ?? []).toHaveLength(major === 3 ? 2 : 0);
      const raw = (await reference.get(`/ajax-api/2.0/mlflow/get-trace-artifact?request_id=${info.trace_id}`)) as {
        spans: Record<string, unknown>[];
      };
      expect(spans.map((s) => s.name)).toEqual(raw.spans.map((s) => s.name));
      const [root, child] = spans;
      expect(child?.parent_span_id).toBe(root?.span_id);
      expect(root?.parent_span_id).toBeUndefined();
      expect(Buffer.from(root?.trace_id ?? "", "base64")).toHaveLength(16);
      expect(Buffer.from(root?.span_id ?? "", "base64")).toHaveLength(8);
      if (major === 3) {
        expect(spans.map((s) => [s.trace_id, s.span_id])).toEqual(raw.spans.map((s) => [s.trace_id, s.span_id]));
      } else {
        const context = raw.spans[0]?.context as { trace_id: string; span_id: string };
        expect(Buffer.from(root?.trace_id ?? "", "base64").toString("hex")).toBe(context.trace_id.replace(/^0x/, ""));
      }
      // Nanosecond times keep every digit (they exceed 2^53).
      expect(String(root?.start_time_unix_nano)).toMatch(/^\d{19}$/);
      expect(child?.attributes).toContainEqual({ key: "n", value: { int_value: 3 } });
      expect(child?.attributes).toContainEqual({
        key: "mlflow.spanOutputs",
        value: { kvlist_value: { values: [{ key: "a", value: { int_value: 1 } }] } },
      });
    });

    it("reads a run's artifacts, and those of a run whose experiment was deleted since (moved to .trash)", async () => {
      const runs = [...read.runs.values()].flat().map((r) => r.run);
      const reader = source.artifacts();
      if (reader === undefined) throw new Error("a FileStore source always has a reader");
      const first = runs.find((r) => r.info.run_name === "first") as Run;
      const files = [];
      for await (const f of reader.list(first.info.artifact_uri as string)) files.push(f);
      const listed = (await reference.get(`/api/2.0/mlflow/artifacts/list?run_id=${first.info.run_id}&path=notes`)) as {
        files: { path: string; file_size?: number }[];
      };
      expect(files).toEqual(listed.files.map((f) => ({ path: f.path, size: f.file_size })));
      const text = await new Response(await reader.open(first.info.artifact_uri as string, "notes/hello.txt")).text();
      expect(text).toBe("hello");
      const moved = runs.find((r) => r.info.run_name === "in-deleted") as Run;
      const movedFiles = [];
      for await (const f of reader.list(moved.info.artifact_uri as string)) movedFiles.push(f);
      expect(movedFiles).toEqual([{ path: "kept.txt", size: 4 }]);
      await expect(reader.open(first.info.artifact_uri as string, "../meta.yaml")).rejects.toThrow(
        /Invalid artifact path/,
      );
      expect(source.skipped()).toEqual([]);
    });
  });
}
