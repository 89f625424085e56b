import { Validator } from "@seriousme/openapi-schema-validator";
import { type EndpointName, endpoints, openApiPrefixOf } from "@tracklite/schemas";
import { Ajv2020 } from "ajv/dist/2020.js";
import { beforeAll, describe, expect, it } from "vitest";
import { useTestApp } from "../testing.test-helpers.js";

const t = useTestApp();

type Json = any;
let doc: Json;
const ajv = new Ajv2020({ allErrors: true });

beforeAll(async () => {
  const res = await t.app.request("http://localhost/api/openapi.json");
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^application\/json/);
  doc = await res.json();
});

/** Every operation of the document by its operationId, with its path and method. */
function operations(): Map<string, { path: string; method: string; op: Json }> {
  const out = new Map<string, { path: string; method: string; op: Json }>();
  for (const [path, item] of Object.entries<Json>(doc.paths)) {
    for (const [method, op] of Object.entries<Json>(item)) out.set(op.operationId, { path, method, op });
  }
  return out;
}

/** Checks a real answer against the document's schema for its status: 200's schema, or the MLflow error body. */
function expectConforms(name: EndpointName, status: number, body: unknown): void {
  const found = operations().get(name);
  expect(found, name).toBeDefined();
  const response = status === 200 ? found?.op.responses["200"] : doc.components.responses.MlflowError;
  expect(status === 200 || (status >= 400 && status < 500), `${name} answered ${status}`).toBe(true);
  const validate = ajv.compile(response.content["application/json"].schema);
  const ok = validate(body);
  expect(ok, `${name} ${status}: ${JSON.stringify(validate.errors)}`).toBe(true);
}

describe("GET /api/openapi.json", () => {
  it("is a valid OpenAPI 3.1 document", async () => {
    const validator = new Validator();
    const res = await validator.validate(structuredClone(doc));
    expect(res.errors ?? []).toEqual([]);
    expect(res.valid).toBe(true);
    expect(validator.version).toBe("3.1");
  });

  it("answers the same document again (built once)", async () => {
    const res = await t.app.request("http://localhost/api/openapi.json");
    expect(await res.json()).toEqual(doc);
  });

  it("lists every endpoint of the table with its methods and {param} path", () => {
    const ops = operations();
    // The basic-auth routes are left out: they are served only with `--app-name basic-auth`.
    const served = Object.entries(endpoints).filter(([, e]) => !("auth" in e && e.auth));
    for (const [name, e] of served) {
      const prefix = openApiPrefixOf(e);
      const path = prefix + e.path.replace(/:(\w+)/g, "{$1}");
      for (const [i, method] of e.methods.entries()) {
        const id = i === 0 ? name : `${name}_${method.toLowerCase()}`;
        expect(ops.get(id), id).toMatchObject({ path, method: method.toLowerCase() });
      }
    }
    const count = served.reduce((n, [, e]) => n + e.methods.length, 0);
    expect(ops.size).toBe(count);
  });

  it("gives GET calls query parameters and the others a JSON body, path parameters as {param}", () => {
    const ops = operations();
    const getRun = ops.get("getRun")?.op;
    expect(getRun.requestBody).toBeUndefined();
    expect(getRun.parameters).toContainEqual({
      name: "run_id",
      in: "query",
      required: true,
      schema: { type: "string" },
    });
    const search = ops.get("searchRuns")?.op;
    expect(search.parameters).toBeUndefined();
    const body = search.requestBody.content["application/json"].schema;
    expect(body.properties.experiment_ids.type).toBe("array");
    const finalize = ops.get("finalizeLoggedModel")?.op;
    expect(finalize.parameters).toContainEqual({
      name: "model_id",
      in: "path",
      required: true,
      schema: { type: "string" },
    });
    expect(ops.get("logMetric")?.op.responses["4XX"]).toEqual({ $ref: "#/components/responses/MlflowError" });
  });

  it("describes MLflow's wire quirks: int64 as number or string, NaN as a string", () => {
    const schema = operations().get("logMetric")?.op.requestBody.content["application/json"].schema;
    const int64 = ajv.compile(schema.properties.timestamp);
    expect([int64(5), int64("5"), int64(" -5 "), int64("5.5"), int64("x")]).toEqual([true, true, true, false, false]);
    const double = ajv.compile(schema.properties.value);
    expect([double(1.5), double("NaN"), double("-Infinity"), double("1e3"), double("nan")]).toEqual([
      true,
      true,
      true,
      true,
      false,
    ]);
    expect(schema.required).toEqual(expect.arrayContaining(["run_id", "key", "value", "timestamp"]));
  });

  it("matches a sample of real answers, errors included", async () => {
    const seen = async (name: EndpointName, method: string, path: string, body?: Record<string, unknown>) => {
      const r = await t.call(method, path, body);
      expectConforms(name, r.status, r.body);
      return r;
    };
    const exp = await seen("createExperiment", "POST", "/experiments/create", {
      name: "openapi",
      tags: [{ key: "k", value: "v" }],
    });
    const experimentId = exp.body.experiment_id;
    await seen("getExperiment", "GET", "/experiments/get", { experiment_id: experimentId });
    await seen("searchExperiments", "POST", "/experiments/search", { max_results: 10 });
    const run = await seen("createRun", "POST", "/runs/create", { experiment_id: experimentId, start_time: 1 });
    const runId = run.body.run.info.run_id;
    await seen("logBatch", "POST", "/runs/log-batch", {
      run_id: runId,
      metrics: [
        { key: "loss", value: 0.5, timestamp: "2", step: 1 },
        { key: "loss", value: "NaN", timestamp: 3, step: 2 },
      ],
      params: [{ key: "lr", value: "0.1" }],
    });
    await seen("getRun", "GET", "/runs/get", { run_id: runId });
    await seen("searchRuns", "POST", "/runs/search", { experiment_ids: [experimentId] });
    await seen("updateRun", "POST", "/runs/update", { run_id: runId, status: "FINISHED", end_time: 9 });
    const history = await seen("getMetricHistory", "GET", "/metrics/get-history", {
      run_id: runId,
      metric_key: "loss",
    });
    expect(history.body.metrics.map((m: { value: unknown }) => m.value)).toEqual([0.5, "NaN"]);
    const model = await seen("createLoggedModel", "POST", "/logged-models", {
      experiment_id: experimentId,
      name: "m",
    });
    await seen("getLoggedModel", "GET", `/logged-models/${model.body.model.info.model_id}`);
    await seen("createRegisteredModel", "POST", "/registered-models/create", { name: "rm" });
    await seen("createModelVersion", "POST", "/model-versions/create", {
      name: "rm",
      source: `runs:/${runId}/model`,
      run_id: runId,
    });
    await seen("searchRegisteredModels", "GET", "/registered-models/search");
    await seen("searchModelVersions", "GET", "/model-versions/search", { filter: "name='rm'" });
    await seen("listWebhooks", "GET", "/webhooks");
    // Errors: 404 and 400 with MLflow's body.
    const missing = await seen("getExperiment", "GET", "/experiments/get", { experiment_id: "999999" });
    expect(missing.status).toBe(404);
    const bad = await seen("logMetric", "POST", "/runs/log-metric", { run_id: runId });
    expect(bad.status).toBe(400);
  });

  it("would reject an answer that breaks the schema (the check can fail)", () => {
    const schema = operations().get("getRun")?.op.responses["200"].content["application/json"].schema;
    expect(ajv.validate(schema, { run: { info: { run_id: 1 }, data: {} } })).toBe(false);
  });
});
