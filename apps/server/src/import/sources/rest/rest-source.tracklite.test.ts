import { MlflowClient } from "@tracklite/client";
import type { Experiment, Metric, ModelVersion, Run } from "@tracklite/schemas";
import type { ImportSource } from "@tracklite/server/import";
import { beforeAll, describe, expect, it } from "vitest";
import { useTestApp } from "../../../../../../packages/server/src/testing.test-helpers.js";
import { openRestSource } from "./index.js";
import { decodeDouble } from "./metric-history.js";
import { all } from "./rest-source.test-helpers.js";

/**
 * The REST source pointed at tracklite itself, in-process (fetch = `app.request`), as `tracklite import --verify`
 * reads the target: tracklite's paging, prompt filter and artifact proxy must serve the source as the reference does.
 */
describe("REST source over tracklite in-process", { timeout: 60_000 }, () => {
  const t = useTestApp();
  const url = "http://localhost";
  const inProcess = (input: RequestInfo | URL, init?: RequestInit) => Promise.resolve(t.app.request(input, init));
  let client: MlflowClient;
  let source: ImportSource;
  let runId = "";
  let deletedRunId = "";

  beforeAll(async () => {
    client = new MlflowClient({ trackingUri: url, fetch: inProcess as typeof fetch, maxRetries: 0 });
    const exp = await client.createExperiment("tl-a", { tags: { team: "ml" } });
    const gone = await client.createExperiment("tl-gone");
    const run = await client.createRun(exp, { runName: "long", tags: { stage: "dev" } });
    runId = run.info.run_id;
    const metrics = Array.from({ length: 2500 }, (_, i) => ({
      key: "loss",
      value: 1 / (i + 1),
      timestamp: i,
      step: i,
    }));
    await client.logBatch(runId, { metrics, params: [{ key: "lr", value: "0.1" }] });
    await client.logMetric(runId, "odd", Number.NaN, { step: 0 });
    await client.logText(runId, "hello", "notes/hello.txt");
    deletedRunId = (await client.createRun(exp)).info.run_id;
    await client.deleteRun(deletedRunId);
    await client.deleteExperiment(gone);
    await client.createRegisteredModel("tl-model");
    await client.createModelVersion("tl-model", `runs:/${runId}/model`, { runId });
    await client.createModelVersion("tl-model", `runs:/${runId}/model`, { runId });
    await client.setRegisteredModelAlias("tl-model", "champion", 2);
    await client.registerPrompt("tl-prompt", "Hello {{name}}");
    source = await openRestSource(url, { fetch: inProcess as typeof fetch, maxRetries: 0, historyPageSize: 1000 });
  });

  it("yields experiments, runs and histories as tracklite answers them", async () => {
    const exps = await all(source.experiments({}));
    const want = await t.call("GET", "/experiments/search", { view_type: "ALL", max_results: 1000 });
    expect(exps).toEqual((want.body as { experiments: Experiment[] }).experiments);
    const tl = exps.find((e) => e.name === "tl-a") as Experiment;
    const runs = await all(source.runs(tl.experiment_id));
    expect(runs.map((r) => r.run.info.run_id).sort()).toEqual([runId, deletedRunId].sort());
    const got = runs.find((r) => r.run.info.run_id === runId)?.run;
    const { metrics: _, ...data } =
      ((await t.call("GET", "/runs/get", { run_id: runId })).body as { run: Run }).run.data ?? {};
    expect(got?.data).toEqual(data);
    const batches = await all(source.metricHistory(runId));
    expect(batches.filter((b) => b[0]?.key === "loss").map((b) => b.length)).toEqual([1000, 1000, 500]);
    const history = (await t.call("GET", "/metrics/get-history", { run_id: runId, metric_key: "loss" })).body as {
      metrics: Metric[];
    };
    expect(batches.flat().filter((p) => p.key === "loss")).toEqual(
      history.metrics.map((m) => ({ key: "loss", value: decodeDouble(m.value), timestamp: m.timestamp, step: m.step })),
    );
    expect(Number.isNaN(batches.flat().find((p) => p.key === "odd")?.value)).toBe(true);
  });

  it("yields the model and the prompt with their versions and aliases", async () => {
    const models = await all(source.registeredModels());
    expect(models.map((m) => [m.model.name, m.versions.map((v) => v.version)])).toEqual([
      ["tl-model", ["1", "2"]],
      ["tl-prompt", ["1"]],
    ]);
    for (const m of models) {
      for (const v of m.versions) {
        const one = await t.call("GET", "/model-versions/get", { name: m.model.name, version: v.version });
        expect(v).toEqual((one.body as { model_version: ModelVersion }).model_version);
      }
    }
  });

  it("reads a run's artifacts through tracklite's proxy", async () => {
    const reader = source.artifacts();
    if (!reader) throw new Error("no artifact reader");
    const run = await client.getRun(runId);
    const uri = run.info.artifact_uri ?? "";
    expect(await all(reader.list(uri))).toEqual([{ path: "notes/hello.txt", size: 5 }]);
    expect(await new Response(await reader.open(uri, "notes/hello.txt")).text()).toBe("hello");
  });
});
