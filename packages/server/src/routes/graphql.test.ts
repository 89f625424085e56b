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

  it("answers the UI's experiment query", async () => {
    const query = `query MlflowGetExperimentQuery($input: MlflowGetExperimentInput!) {
      mlflowGetExperiment(input: $input) {
        apiError { code message }
        experiment { artifactLocation creationTime effectiveTraceArchivalRetention experimentId lastUpdateTime
          lifecycleStage name tags { key value } workspace }
      }
    }`;
    const { body } = await gql(query, { input: { experimentId } });
    expect(body.errors).toBeNull();
    expect(body.data.mlflowGetExperiment).toEqual({
      apiError: null,
      experiment: {
        artifactLocation: `mlflow-artifacts:/${experimentId}`,
        creationTime: expect.stringMatching(/^\d+$/),
        effectiveTraceArchivalRetention: "",
        experimentId,
        lastUpdateTime: expect.stringMatching(/^\d+$/),
        lifecycleStage: "active",
        name: "gql",
        tags: [{ key: "team", value: "a" }],
        workspace: "default",
      },
    });
  });

  it("reports a store error as the call's error, its field null, the other calls answered", async () => {
    const { status, body } = await gql(
      `{ a: mlflowGetRun(input: {runId: "x"}) { run { info { runId } } } b: mlflowGetExperiment(input: {experimentId: "999"}) { experiment { name } } c: test(inputString: "ok") { output } }`,
    );
    expect(status).toBe(200);
    expect(body).toEqual({
      data: { a: null, b: null, c: { output: "ok" } },
      errors: ["Run with id=x not found", "No Experiment with id=999 exists"],
    });
  });

  it("searches runs as a query and as a mutation", async () => {
    const query = (op: string) =>
      `${op} { mlflowSearchRuns(input: {experimentIds: ["${experimentId}"], runViewType: ALL, maxResults: 5}) { nextPageToken runs { info { runId } experiment { name } } } }`;
    for (const op of ["query", "mutation"]) {
      const { body } = await gql(query(op));
      expect(body).toEqual({
        data: { mlflowSearchRuns: { nextPageToken: "", runs: [{ info: { runId }, experiment: { name: "gql" } }] } },
        errors: null,
      });
    }
  });

  it("samples metric histories, its limits read from the URL's query string as the reference does", async () => {
    const query = `query B($data: MlflowGetMetricHistoryBulkIntervalInput!) { mlflowGetMetricHistoryBulkInterval(input: $data) { __typename metrics { key step runId value timestamp } } }`;
    const all = await gql(query, {
      data: { runIds: [runId], metricKey: "loss", maxResults: 2, startStep: 1, endStep: 2 },
    });
    expect(all.body.data.mlflowGetMetricHistoryBulkInterval.__typename).toBe(
      "MlflowGetMetricHistoryBulkIntervalResponse",
    );
    const points = all.body.data.mlflowGetMetricHistoryBulkInterval.metrics;
    expect(points).toHaveLength(10);
    expect(points[3]).toEqual({ key: "loss", step: "3", runId, value: 1.5, timestamp: "103" });
    const ranged = await gql(
      query,
      { data: { runIds: [runId], metricKey: "loss" } },
      "/graphql?start_step=2&end_step=4",
    );
    expect(ranged.body.data.mlflowGetMetricHistoryBulkInterval.metrics.map((m: { step: string }) => m.step)).toEqual([
      "2",
      "3",
      "4",
    ]);
    const half = await gql(query, { data: { runIds: [runId], metricKey: "loss" } }, "/graphql?start_step=2");
    expect(half.body).toEqual({
      data: { mlflowGetMetricHistoryBulkInterval: null },
      errors: ["If either start step or end step are specified, both must be specified."],
    });
    const nan = await gql(query, { data: { runIds: [runId], metricKey: "nan" } });
    expect(nan.body.errors).toBeNull();
    expect(nan.body.data.mlflowGetMetricHistoryBulkInterval.metrics[0].value).toBeNull();
    const missing = await gql(query, { data: { runIds: ["0123456789abcdef0123456789abcdef"], metricKey: "loss" } });
    // As in the reference: a run that does not exist has no points.
    expect(missing.body).toEqual({
      data: {
        mlflowGetMetricHistoryBulkInterval: { __typename: "MlflowGetMetricHistoryBulkIntervalResponse", metrics: [] },
      },
      errors: null,
    });
  });

  it("lists artifacts through the REST listing", async () => {
    const query = `query L($input: MlflowListArtifactsInput!) { files: mlflowListArtifacts(input: $input) { rootUri nextPageToken files { path isDir fileSize } } }`;
    const root = await gql(query, { input: { runId } });
    expect(root.body).toEqual({
      data: {
        files: {
          rootUri: `mlflow-artifacts:/${experimentId}/${runId}/artifacts`,
          nextPageToken: "",
          files: [
            { path: "a.txt", isDir: false, fileSize: "5" },
            { path: "sub", isDir: true, fileSize: "0" },
          ],
        },
      },
      errors: null,
    });
    const sub = await gql(query, { input: { runUuid: runId, path: "sub" } });
    expect(sub.body.data.files.files).toEqual([{ path: "sub/b.txt", isDir: false, fileSize: "1" }]);
    expect((await gql(query, { input: { runId, path: "../x" } })).body.errors).toEqual(["Invalid path"]);
    expect((await gql(query, { input: {} })).body).toEqual({
      data: { files: null },
      errors: ["Run with id= not found"],
    });
  });

  it("searches model versions with every field, unset ones at their proto defaults", async () => {
    const query = `{ mlflowSearchModelVersions(input: {filter: "name='gm'", maxResults: "5"}) { nextPageToken modelVersions {
      name version userId currentStage description runId status statusMessage tags { key } runLink aliases modelId
      modelParams { name } modelMetrics { key } deploymentJobState { jobId runId jobState runState currentTaskName } } } }`;
    const { body } = await gql(query);
    expect(body.errors).toBeNull();
    expect(body.data.mlflowSearchModelVersions).toEqual({
      nextPageToken: "",
      modelVersions: [
        {
          name: "gm",
          version: "1",
          userId: "",
          currentStage: "None",
          description: "",
          runId,
          status: "READY",
          statusMessage: "",
          tags: [],
          runLink: "",
          aliases: [],
          modelId: "",
          modelParams: [],
          modelMetrics: [],
          deploymentJobState: { jobId: "", runId: "", jobState: null, runState: null, currentTaskName: "" },
        },
      ],
    });
    const bad = await gql(
      `{ mlflowSearchModelVersions(input: {filter: "bad filter ==="}) { modelVersions { name } } }`,
    );
    expect(bad.body).toEqual({
      data: { mlflowSearchModelVersions: null },
      errors: ["Invalid clause(s) in filter string: bad filter, ==="],
    });
  });

  it("answers the reference's test fields", async () => {
    expect((await gql('query testQuery { test(inputString: "abc") { output } }')).body).toEqual({
      data: { test: { output: "abc" } },
      errors: null,
    });
    expect((await gql('mutation { testMutation(inputString: "abc") { output } }')).body).toEqual({
      data: { testMutation: null },
      errors: null,
    });
  });

  it("refuses a query over the limits before validating it, with status 200 as the reference does", async () => {
    let inner = "name";
    for (let i = 0; i < 12; i++) inner = `name { ${inner} }`;
    const deep = await gql(`{ mlflowGetExperiment(input: {experimentId: "1"}) { experiment { ${inner} } } }`);
    expect(deep).toEqual({ status: 200, body: { data: null, errors: ["Query exceeds maximum depth of 10"] } });
    const aliases = Array.from({ length: 11 }, (_, i) => `e${i}: experiment { name }`).join(" ");
    const many = await gql(`{ mlflowGetExperiment(input: {experimentId: "1"}) { ${aliases} } }`);
    expect(many.body.errors?.[0]).toMatch(/^GraphQL queries should have at most 10 aliases, got 11 aliases\./);
  });

  it("validates queries: unknown fields, directives (only @component is declared), subscriptions", async () => {
    expect((await gql("{ nope }")).body).toEqual({
      data: null,
      errors: ["Cannot query field 'nope' on type 'Query'."],
    });
    expect((await gql('{ test(inputString: "a") { output @include(if: false) } }')).body.errors).toEqual([
      "Unknown directive '@include'.",
    ]);
    expect((await gql("subscription { test }")).body.errors).toEqual([
      "Schema is not configured to execute subscription operation.",
    ]);
  });

  it("has the reference's types and fields", async () => {
    const { body } = await gql(
      '{ __schema { queryType { name } mutationType { name } directives { name } } run: __type(name: "MlflowRunExtension") { fields { name } } }',
    );
    expect(body.data.__schema).toEqual({
      queryType: { name: "Query" },
      mutationType: { name: "Mutation" },
      directives: [{ name: "component" }],
    });
    expect(body.data.run.fields.map((f: { name: string }) => f.name)).toEqual([
      "info",
      "data",
      "inputs",
      "outputs",
      "experiment",
      "modelVersions",
    ]);
  });

  it("is also served under /ajax-api/graphql", async () => {
    const { body } = await gql('{ test(inputString: "abc") { output } }', undefined, "/ajax-api/graphql");
    expect(body).toEqual({ data: { test: { output: "abc" } }, errors: null });
  });
});

describe("/graphql requests", () => {
  const send = async (init: RequestInit, path = "/graphql") => {
    const res = await t.app.request(`http://localhost${path}`, init);
    return { status: res.status, body: await res.json(), allow: res.headers.get("Allow") };
  };
  const json = { "Content-Type": "application/json; charset=utf-8" };

  it("takes a GET's query from the URL", async () => {
    const q = encodeURIComponent("query Q($s: String) { test(inputString: $s) { output } }");
    const vars = encodeURIComponent(JSON.stringify({ s: "url" }));
    expect((await send({ method: "GET" }, `/graphql?query=${q}&variables=${vars}&operationName=Q`)).body).toEqual({
      data: { test: { output: "url" } },
      errors: null,
    });
    // (A GET with a JSON body, which the reference reads, is compared with it in compat-tests: fetch cannot send one.)
  });

  it("refuses what is no GraphQL request with 400 (the reference's 500)", async () => {
    const bad = (message: string) => ({
      status: 400,
      allow: null,
      body: {
        error_code: "INVALID_PARAMETER_VALUE",
        message,
        sqlstate: "KAM00",
        error_class: "INVALID_PARAMETER_VALUE",
      },
    });
    const notObject = bad("A GraphQL request must be a JSON object with the query as its 'query' string.");
    expect(await send({ method: "POST", headers: json, body: "garbage" })).toEqual(notObject);
    expect(await send({ method: "POST", headers: json, body: "{}" })).toEqual(notObject);
    expect(await send({ method: "POST", headers: json, body: '{"query": 5}' })).toEqual(notObject);
    expect(await send({ method: "GET" })).toEqual(notObject);
    expect(await send({ method: "POST", headers: json, body: '[{"query": "{ test { output } }"}]' })).toEqual(
      bad("Batched GraphQL requests are not supported: send one query per request."),
    );
    expect(await send({ method: "POST", headers: json, body: '{"query": "{ a }", "variables": "x"}' })).toEqual(
      bad("The GraphQL request's 'variables' must be a JSON object."),
    );
    expect(await send({ method: "POST", headers: json, body: '{"query": "{ test(inputString: "}' })).toEqual(
      bad("Syntax Error: Unexpected <EOF>."),
    );
  });

  it("needs a JSON content type on POST, as the reference's handlers do", async () => {
    const body = JSON.stringify({ query: "{ test { output } }" });
    expect((await send({ method: "POST", body, headers: { "Content-Type": "text/plain" } })).body).toMatchObject({
      error_code: "INVALID_PARAMETER_VALUE",
      message: "Bad Request. Content-Type must be one of ['application/json'].",
    });
  });

  it("answers other methods with 405", async () => {
    const put = await send({ method: "PUT", headers: json, body: "{}" }, "/ajax-api/graphql");
    expect(put).toMatchObject({ status: 405, allow: "GET, POST", body: { error_code: "BAD_REQUEST" } });
  });
});
