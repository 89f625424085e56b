import { writeFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { useTestApp } from "../testing.test-helpers.js";

const t = useTestApp();

/** POSTs a GraphQL request to `path` and returns status and parsed body. */
async function gql(query: string, variables?: Record<string, unknown>, path = "/graphql") {
  const res = await t.app.request(`http://localhost${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, body: (await res.json()) as { data: any; errors: string[] | null } };
}

const GET_RUN = `query GetRun($data: MlflowGetRunInput!) @component(name: "MLflow.ExperimentRunTracking") {
  mlflowGetRun(input: $data) {
    apiError { helpUrl code message }
    run {
      info { runName status runUuid experimentId artifactUri endTime lifecycleStage startTime userId }
      experiment { experimentId name tags { key value } artifactLocation lifecycleStage lastUpdateTime }
      modelVersions { status version name source }
      data { metrics { key value step timestamp } params { key value } tags { key value } }
      inputs { datasetInputs { dataset { digest name profile schema source sourceType } tags { key value } } modelInputs { modelId } }
      outputs { modelOutputs { modelId step } }
    }
  }
}`;

let experimentId: string;
let runId: string;

beforeAll(async () => {
  experimentId = (await t.call("POST", "/experiments/create", { name: "gql", tags: [{ key: "team", value: "a" }] }))
    .body.experiment_id;
  runId = (await t.call("POST", "/runs/create", { experiment_id: experimentId, run_name: "r1", start_time: 5 })).body
    .run.info.run_id;
  const metrics = Array.from({ length: 10 }, (_, i) => ({ key: "loss", value: i / 2, timestamp: 100 + i, step: i }));
  metrics.push({ key: "nan", value: "NaN" as unknown as number, timestamp: 7, step: 0 });
  metrics.push({ key: "inf", value: "Infinity" as unknown as number, timestamp: 7, step: 0 });
  await t.call("POST", "/runs/log-batch", { run_id: runId, metrics, params: [{ key: "p", value: "1" }] });
  await t.call("POST", "/runs/log-inputs", {
    run_id: runId,
    datasets: [
      {
        dataset: { name: "ds", digest: "abc", source_type: "local", source: "{}" },
        tags: [{ key: "mlflow.data.context", value: "train" }],
      },
    ],
  });
  await t.call("POST", "/registered-models/create", { name: "gm" });
  await t.call("POST", "/model-versions/create", { name: "gm", source: `runs:/${runId}/model`, run_id: runId });
  const run = (await t.call("GET", "/runs/get", { run_id: runId })).body.run;
  const root = run.info.artifact_uri.replace("mlflow-artifacts:/", "");
  const { mkdirSync } = await import("node:fs");
  mkdirSync(`${t.dir}/artifacts/${root}/sub`, { recursive: true });
  writeFileSync(`${t.dir}/artifacts/${root}/a.txt`, "hello");
  writeFileSync(`${t.dir}/artifacts/${root}/sub/b.txt`, "x");
});

describe("/graphql", () => {
  it("answers the UI's run query with proto defaults for unset fields", async () => {
    const { status, body } = await gql(GET_RUN, { data: { runId } });
    expect(status).toBe(200);
    expect(body.errors).toBeNull();
    const run = body.data.mlflowGetRun.run;
    expect(body.data.mlflowGetRun.apiError).toBeNull();
    expect(run.info).toEqual({
      runName: "r1",
      status: "RUNNING",
      runUuid: runId,
      experimentId,
      artifactUri: expect.stringContaining(runId),
      endTime: "0",
      lifecycleStage: "active",
      startTime: "5",
      userId: "",
    });
    expect(run.experiment).toMatchObject({ experimentId, name: "gql", tags: [{ key: "team", value: "a" }] });
    expect(run.modelVersions).toEqual([{ status: "READY", version: "1", name: "gm", source: `runs:/${runId}/model` }]);
    const byKey = Object.fromEntries(run.data.metrics.map((m: { key: string }) => [m.key, m]));
    expect(byKey.loss).toEqual({ key: "loss", value: 4.5, step: "9", timestamp: "109" });
    expect(byKey.nan.value).toBeNull();
    expect(byKey.inf.value).toBe(Number.MAX_VALUE);
    expect(run.inputs).toEqual({
      datasetInputs: [
        {
          dataset: { digest: "abc", name: "ds", profile: "", schema: "", source: "{}", sourceType: "local" },
          tags: [{ key: "mlflow.data.context", value: "train" }],
        },
      ],
      modelInputs: [],
    });
    expect(run.outputs).toEqual({ modelOutputs: [] });
  });

  it("is also served under /ajax-api/graphql", async () => {
    const { body } = await gql('{ test(inputString: "abc") { output } }', undefined, "/ajax-api/graphql");
    expect(body).toEqual({ data: { test: { output: "abc" } }, errors: null });
  });
});
