import type { Experiment, LoggedModel, Metric, ModelVersion, RegisteredModel, Run, Webhook } from "@tracklite/schemas";
import type { ImportSource } from "@tracklite/server/import";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openRestSource } from "./index.js";
import { decodeDouble } from "./metric-history.js";
import { all, raw, type Seeded, seededReference } from "./rest-source.test-helpers.js";

/**
 * The REST source against MLflow's own server seeded by its real Python client: what the source yields must equal
 * what the server answers to the plain REST reads (get-run, get-metric-history unpaged, get-model-version…).
 */
describe("REST source over a reference server", { timeout: 120_000 }, () => {
  let url = "";
  let seeded: Seeded;
  let stop = async () => {};
  let source: ImportSource;

  beforeAll(async () => {
    const ref = await seededReference();
    url = ref.server.url;
    seeded = ref.seeded;
    stop = ref.server.stop;
    // Small history pages so that the 2,500-point history spans three of them.
    source = await openRestSource(url, { historyPageSize: 1000, runsPageSize: 1 });
  }, 600_000);
  afterAll(async () => {
    await source?.close();
    await stop();
  }, 30_000);

  it("describes the server", async () => {
    expect(await source.describe()).toEqual({ kind: "rest", label: url, version: "3.17.2" });
  });

  it("yields every experiment, deleted ones too, as search-experiments answers them", async () => {
    const got = await all(source.experiments({}));
    const want = await raw<{ experiments: Experiment[] }>(url, "/api/2.0/mlflow/experiments/search", {
      view_type: "ALL",
      max_results: "1000",
    });
    expect(got).toEqual(want.experiments);
    expect(got.map((e) => e.experiment_id).sort()).toEqual(["0", seeded.experiment, seeded.deleted_experiment].sort());
    expect(await all(source.experiments({ experiments: ["rest-src-a", "0"] }))).toHaveLength(2);
  });

  it("yields every run (deleted ones too) as get-run answers it, without its latest metrics", async () => {
    const got = await all(source.runs(seeded.experiment));
    expect(got.map((r) => r.run.info.run_id).sort()).toEqual([seeded.run, seeded.deleted_run].sort());
    for (const { run } of got) {
      const want = (await raw<{ run: Run }>(url, "/api/2.0/mlflow/runs/get", { run_id: run.info.run_id })).run;
      const { metrics, ...data } = want.data ?? {};
      expect(metrics?.length).toBeGreaterThan(0);
      expect(run).toEqual({ ...want, data });
    }
    const long = got.find((r) => r.run.info.run_id === seeded.run)?.run;
    expect(long?.inputs?.dataset_inputs?.[0]?.dataset.name).toBe("train");
    expect(long?.data?.params).toHaveLength(2);
  });

  it("pages a metric history longer than a page and equals the unpaged get-metric-history", async () => {
    const batches = await all(source.metricHistory(seeded.run));
    const loss = batches.filter((b) => b[0]?.key === "loss");
    expect(loss.map((b) => b.length)).toEqual([1000, 1000, 500]);
    for (const key of ["loss", "odd"]) {
      const want = await raw<{ metrics: Metric[] }>(url, "/api/2.0/mlflow/metrics/get-history", {
        run_id: seeded.run,
        metric_key: key,
      });
      const got = batches.flat().filter((p) => p.key === key);
      expect(got).toEqual(
        want.metrics.map((m) => ({ key, value: decodeDouble(m.value), timestamp: m.timestamp, step: m.step })),
      );
    }
    const odd = batches.flat().filter((p) => p.key === "odd");
    expect(Number.isNaN(odd[0]?.value)).toBe(true);
  });

  it("reads a run's history without runs() first (as verify does)", async () => {
    const fresh = await openRestSource(url);
    const points = (await all(fresh.metricHistory(seeded.run))).flat();
    expect(points).toHaveLength(2503);
  });

  it("yields logged models as get-logged-model answers them", async () => {
    const got = await all(source.loggedModels(seeded.experiment));
    const want = await raw<{ model: LoggedModel }>(url, `/api/2.0/mlflow/logged-models/${seeded.logged_model}`);
    expect(got).toEqual([{ model: want.model }]);
  });

  it("yields traces with their spans and assessments", async () => {
    const got = await all(source.traces(seeded.experiment));
    expect(got).toHaveLength(1);
    const [t] = got;
    const want = await raw<{ trace: { trace_info: unknown; spans: { name: string; span_id: string }[] } }>(
      url,
      "/api/3.0/mlflow/traces/get",
      { trace_id: seeded.trace as string },
    );
    expect(t?.trace.trace_info).toEqual(want.trace.trace_info);
    expect(t?.trace.spans.map((s) => [s.name, s.span_id])).toEqual(want.trace.spans.map((s) => [s.name, s.span_id]));
    expect(t?.trace.trace_info.assessments?.map((a) => a.assessment_name).sort()).toEqual(["expected", "quality"]);
    // Span times stay exact (nanoseconds beyond 2^53 as decimal strings).
    expect(typeof t?.trace.spans[0]?.start_time_unix_nano).toBe("string");
  });

  it("yields scorers with every version, and notes the deleted experiment's as skipped", async () => {
    const got = await all(source.scorers(seeded.experiment));
    const want = await raw<{ scorers: unknown[] }>(url, "/api/3.0/mlflow/scorers/versions", {
      experiment_id: seeded.experiment,
      name: "safety",
    });
    expect(got).toEqual([{ experiment_id: seeded.experiment, versions: want.scorers }]);
    expect(await all(source.scorers(seeded.deleted_experiment as string))).toEqual([]);
    expect(source.skipped().map((s) => s.what)).toContain(`scorers of deleted experiment ${seeded.deleted_experiment}`);
  });

  it("yields GenAI datasets with their experiments and records", async () => {
    const got = await all(source.evaluationDatasets({}));
    expect(got).toHaveLength(1);
    const [d] = got;
    const want = await raw<{ dataset: unknown }>(url, `/api/3.0/mlflow/datasets/${seeded.dataset}`);
    expect(d?.dataset).toEqual(want.dataset);
    expect(d?.experiment_ids).toEqual([seeded.experiment]);
    const records = (d ? await all(d.records()) : []).flat();
    const wantRecords = await raw<{ records: string }>(url, `/api/3.0/mlflow/datasets/${seeded.dataset}/records`, {
      max_results: "1000",
    });
    expect(records).toEqual(JSON.parse(wantRecords.records));
    expect(records).toHaveLength(30);
    expect(await all(source.evaluationDatasets({ experiments: ["0"] }))).toEqual([]);
  });

  it("yields registered models and prompts with every version as get-model-version answers it", async () => {
    const got = await all(source.registeredModels());
    expect(got.map((m) => m.model.name)).toEqual(["rest-src-model", "rest-src-prompt"]);
    for (const { model, versions } of got) {
      const want = await raw<{ registered_model: RegisteredModel }>(url, "/api/2.0/mlflow/registered-models/get", {
        name: model.name,
      });
      const { latest_versions: _a, ...wantModel } = want.registered_model;
      const { latest_versions: _b, ...gotModel } = model;
      expect(gotModel).toEqual(wantModel);
      expect(versions.map((v) => v.version)).toEqual(["1", "2"]);
      for (const v of versions) {
        const one = await raw<{ model_version: ModelVersion }>(url, "/api/2.0/mlflow/model-versions/get", {
          name: model.name,
          version: v.version,
        });
        expect(v).toEqual(one.model_version);
      }
    }
    expect(got[0]?.versions[1]?.aliases).toEqual(["champion"]);
  });

  it("yields webhooks and reports their secrets as skipped", async () => {
    const got = await all(source.webhooks());
    const want = await raw<{ webhooks: Webhook[] }>(url, "/api/2.0/mlflow/webhooks");
    expect(got).toEqual(want.webhooks.map((webhook) => ({ webhook })));
    expect(source.skipped().find((s) => s.what === "webhook secrets")?.reason).toMatch(
      /never returns a webhook's secret/,
    );
  });

  it("lists and reads artifacts through the proxy and through the run routes", async () => {
    const reader = source.artifacts();
    if (!reader) throw new Error("no artifact reader");
    const run = (await raw<{ run: Run }>(url, "/api/2.0/mlflow/runs/get", { run_id: seeded.run })).run;
    const uri = run.info.artifact_uri ?? "";
    expect(uri).toMatch(/^mlflow-artifacts:/);
    const files = [
      { path: "notes/hello.txt", size: 15 },
      { path: "root.txt", size: 9 },
    ];
    expect(await all(reader.list(uri))).toEqual(files);
    expect(await new Response(await reader.open(uri, "notes/hello.txt")).text()).toBe("hello artifacts");
    // The same run's files by the run routes, as a server that does not proxy (an s3:// root) is read.
    const elsewhere = `s3://bucket/${seeded.experiment}/${seeded.run}/artifacts`;
    expect(await all(reader.list(elsewhere))).toEqual(files);
    expect(await new Response(await reader.open(elsewhere, "root.txt")).text()).toBe("root file");
    expect(await all(reader.list(`${uri}/notes`))).toEqual([{ path: "hello.txt", size: 15 }]);
  });

  it("counts experiments and runs for --dry-run", async () => {
    expect(await source.counts({})).toEqual({ experiments: 3, runs: 2, webhooks: 1 });
    expect(await source.counts({ experiments: ["0"] })).toEqual({ experiments: 1, runs: 0, webhooks: 1 });
  });
});
