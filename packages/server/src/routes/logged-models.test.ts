import { describe, expect, it } from "vitest";
import { useTestApp } from "../testing.test-helpers.js";

const t = useTestApp();

async function newExperiment(name: string) {
  const r = await t.call("POST", "/experiments/create", { name });
  return r.body.experiment_id as string;
}

async function newModel(body: Record<string, unknown>) {
  const r = await t.call("POST", "/logged-models", body);
  expect(r.status).toBe(200);
  return r.body.model as { info: Record<string, any>; data: Record<string, any> };
}

async function newRun(experimentId: string) {
  const r = await t.call("POST", "/runs/create", { experiment_id: experimentId, start_time: 1 });
  return r.body.run.info.run_id as string;
}

const search = async (body: Record<string, unknown>) => {
  const r = await t.call("POST", "/logged-models/search", body);
  return { ...r, names: (r.body.models ?? []).map((m: any) => m.info.name) as string[] };
};

describe("logged models", () => {
  it("creates a pending model under the experiment's artifact location, with sorted params and tags", async () => {
    const eid = await newExperiment("lm-create");
    const model = await newModel({
      experiment_id: eid,
      name: "clf",
      model_type: "sklearn",
      params: [
        { key: "b", value: "2" },
        { key: "a", value: "1" },
      ],
      tags: [{ key: "z" }, { key: "y", value: "v" }],
    });
    expect(model.info.model_id).toMatch(/^m-[0-9a-f]{32}$/);
    expect(model.info).toMatchObject({
      experiment_id: eid,
      name: "clf",
      status: "LOGGED_MODEL_PENDING",
      model_type: "sklearn",
      source_run_id: "",
      artifact_uri: `mlflow-artifacts:/${eid}/models/${model.info.model_id}/artifacts`,
      tags: [
        { key: "y", value: "v" },
        { key: "z", value: "" },
      ],
    });
    expect(model.info.creation_timestamp_ms).toBe(model.info.last_updated_timestamp_ms);
    expect(model.data).toEqual({
      params: [
        { key: "a", value: "1" },
        { key: "b", value: "2" },
      ],
    });
    const got = await t.call("GET", `/logged-models/${model.info.model_id}`);
    expect(got.body.model).toEqual(model);
  });

  it("generates a name and refuses bad names, missing and unknown experiments", async () => {
    const model = await newModel({ experiment_id: "0", name: "" });
    expect(model.info.name).toMatch(/^[a-z]+-[a-z]+-\d+$/);
    const bad = await t.call("POST", "/logged-models", { experiment_id: "0", name: "a/b" });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/^Invalid model name \('a\/b'\) provided/);
    const missing = await t.call("POST", "/logged-models", {});
    expect(missing.body.message).toMatch(/^Missing value for required parameter 'experiment_id'/);
    const unknown = await t.call("POST", "/logged-models", { experiment_id: "4242" });
    expect([unknown.status, unknown.body.error_code]).toEqual([404, "RESOURCE_DOES_NOT_EXIST"]);
    const dup = await t.call("POST", "/logged-models", {
      experiment_id: "0",
      params: [
        { key: "k", value: "1" },
        { key: "k", value: "2" },
      ],
    });
    expect([dup.status, dup.body.error_code]).toEqual([400, "BAD_REQUEST"]);
  });

  it("finalizes with the body's model id and status, and needs both", async () => {
    const { info } = await newModel({ experiment_id: "0" });
    const path = `/logged-models/${info.model_id}`;
    const noId = await t.call("PATCH", path, { status: "LOGGED_MODEL_READY" });
    expect(noId.body.message).toMatch(/^Missing value for required parameter 'model_id'/);
    const noStatus = await t.call("PATCH", path, { model_id: info.model_id });
    expect(noStatus.body.message).toMatch(/^Missing value for required parameter 'status'/);
    const ready = await t.call("PATCH", path, { model_id: info.model_id, status: "LOGGED_MODEL_READY" });
    expect(ready.body.model.info.status).toBe("LOGGED_MODEL_READY");
    expect(ready.body.model.info.last_updated_timestamp_ms).toBeGreaterThanOrEqual(info.creation_timestamp_ms);
    const failed = await t.call("PATCH", path, { model_id: info.model_id, status: 3 });
    expect(failed.body.model.info.status).toBe("LOGGED_MODEL_UPLOAD_FAILED");
    const unknown = await t.call("PATCH", path, { model_id: info.model_id, status: "BOGUS" });
    expect(unknown.body.model.info.status).toBe("LOGGED_MODEL_STATUS_UNSPECIFIED");
    const missing = await t.call("PATCH", "/logged-models/m-nope", { model_id: "m-nope", status: 2 });
    expect(missing.body).toMatchObject({
      error_code: "RESOURCE_DOES_NOT_EXIST",
      message: "Logged model with ID 'm-nope' not found.",
    });
  });

  it("sets, overwrites and deletes tags; logs params once", async () => {
    const { info } = await newModel({ experiment_id: "0" });
    const id = info.model_id;
    const set = await t.call("PATCH", `/logged-models/${id}/tags`, {
      tags: [
        { key: "t", value: "1" },
        { key: "t", value: "2" },
        { key: "a b", value: "x" },
      ],
    });
    expect([set.status, set.body]).toEqual([200, {}]);
    expect((await t.call("DELETE", `/logged-models/${id}/tags/a%20b`)).status).toBe(200);
    const again = await t.call("DELETE", `/logged-models/${id}/tags/a%20b`);
    expect(again.body.message).toBe(`No tag with key 'a b' found for model with ID '${id}'.`);
    const logged = await t.call("POST", `/logged-models/${id}/params`, {
      model_id: id,
      params: [{ key: "p", value: "1" }],
    });
    expect(logged.status).toBe(200);
    const twice = await t.call("POST", `/logged-models/${id}/params`, {
      model_id: id,
      params: [{ key: "p", value: "1" }],
    });
    expect([twice.status, twice.body.error_code]).toEqual([400, "BAD_REQUEST"]);
    const got = await t.call("GET", `/logged-models/${id}`);
    expect(got.body.model.info.tags).toEqual([{ key: "t", value: "2" }]);
    expect(got.body.model.data.params).toEqual([{ key: "p", value: "1" }]);
  });

  it("hides deleted models from get (unless allow_deleted) and search, but still updates them", async () => {
    const eid = await newExperiment("lm-delete");
    const { info } = await newModel({ experiment_id: eid, name: "gone" });
    const path = `/logged-models/${info.model_id}`;
    expect((await t.call("DELETE", path)).status).toBe(200);
    expect((await t.call("GET", path)).status).toBe(404);
    expect((await t.call("GET", path, { allow_deleted: "TRUE" })).body.model.info.name).toBe("gone");
    expect((await t.call("DELETE", path)).status).toBe(200);
    expect((await t.call("PATCH", path, { model_id: info.model_id, status: 2 })).status).toBe(200);
    expect((await search({ experiment_ids: [eid] })).body).toEqual({});
  });

  it("routes GET /logged-models/search to get and other methods to 405", async () => {
    const get = await t.call("GET", "/logged-models/search");
    expect([get.status, get.body.message]).toEqual([404, "Logged model with ID 'search' not found."]);
    expect((await t.call("PUT", "/logged-models/search")).status).toBe(405);
    expect((await t.call("POST", "/logged-models/m-123")).status).toBe(405);
    expect((await t.call("GET", "/logged-models")).status).toBe(405);
  });

  it("links metrics logged with a model id, refuses unknown models and changed points", async () => {
    const eid = await newExperiment("lm-metrics");
    const run = await newRun(eid);
    const { info } = await newModel({ experiment_id: eid, source_run_id: run });
    const log = (body: Record<string, unknown>) =>
      t.call("POST", "/runs/log-metric", { run_id: run, timestamp: 10, step: 1, model_id: info.model_id, ...body });
    expect((await log({ key: "acc", value: 0.5 })).status).toBe(200);
    expect((await log({ key: "acc", value: 0.5 })).status).toBe(200);
    const changed = await log({ key: "acc", value: 0.6 });
    expect([changed.status, changed.body.error_code]).toEqual([400, "BAD_REQUEST"]);
    const unknown = await log({ key: "x", value: 1, model_id: "m-unknown" });
    expect([unknown.status, unknown.body.error_code]).toEqual([400, "BAD_REQUEST"]);
    await t.call("POST", "/runs/log-batch", {
      run_id: run,
      metrics: [{ key: "loss", value: "NaN", timestamp: 5, step: 0, model_id: info.model_id, dataset_name: "d" }],
    });
    const got = await t.call("GET", `/logged-models/${info.model_id}`);
    expect(got.body.model.data.metrics).toEqual([
      { key: "acc", value: 0.5, timestamp: 10, step: 1, model_id: info.model_id, run_id: run },
      { key: "loss", value: 0, timestamp: 5, step: 0, dataset_name: "d", model_id: info.model_id, run_id: run },
    ]);
    // a refused point leaves the run's own history untouched too
    const history = await t.call("GET", "/metrics/get-history", { run_id: run, metric_key: "acc" });
    expect(history.body.metrics).toHaveLength(1);
  });
});

describe("logged models search", () => {
  it("filters on attributes, params, tags and metrics, orders and pages", async () => {
    const eid = await newExperiment("lm-search");
    const run = await newRun(eid);
    const ids: string[] = [];
    for (const [i, name] of ["alpha", "beta", "gamma"].entries()) {
      const m = await newModel({
        experiment_id: eid,
        name,
        model_type: i === 1 ? "torch" : "sk",
        params: [{ key: "lr", value: String(i) }],
        tags: [{ key: "team", value: i < 2 ? "a" : "b" }],
      });
      ids.push(m.info.model_id);
      await new Promise((r) => setTimeout(r, 3));
    }
    await t.call("POST", "/runs/log-batch", {
      run_id: run,
      metrics: ids.map((id, i) => ({ key: "acc", value: (i + 1) / 10, timestamp: 1, step: 0, model_id: id })),
    });
    await t.call("PATCH", `/logged-models/${ids[1]}`, { model_id: ids[1], status: "LOGGED_MODEL_READY" });

    expect((await search({ experiment_ids: [eid] })).names).toEqual(["gamma", "beta", "alpha"]);
    expect((await search({ experiment_ids: [eid], filter: "model_type = 'sk'" })).names).toEqual(["gamma", "alpha"]);
    expect((await search({ experiment_ids: [eid], filter: "status = 2" })).names).toEqual(["beta"]);
    expect((await search({ experiment_ids: [eid], filter: "params.lr IN ('1', '2')" })).names).toEqual([
      "gamma",
      "beta",
    ]);
    expect((await search({ experiment_ids: [eid], filter: "tags.team = 'a' AND metrics.acc > 0.15" })).names).toEqual([
      "beta",
    ]);
    expect((await search({ experiment_ids: [eid], filter: "name ILIKE 'AL%'" })).names).toEqual(["alpha"]);
    const ordered = await search({
      experiment_ids: [eid],
      order_by: [{ field_name: "metrics.acc", ascending: false }],
    });
    expect(ordered.names).toEqual(["gamma", "beta", "alpha"]);

    const first = await search({ experiment_ids: [eid], max_results: 2, order_by: [{ field_name: "name" }] });
    expect(first.names).toEqual(["alpha", "beta"]);
    const second = await search({
      experiment_ids: [eid],
      max_results: 2,
      order_by: [{ field_name: "name" }],
      page_token: first.body.next_page_token,
    });
    expect([second.names, second.body.next_page_token]).toEqual([["gamma"], undefined]);
    const mismatch = await search({ experiment_ids: [eid, "0"], page_token: first.body.next_page_token });
    expect(mismatch.body.message).toMatch(/^Experiment IDs in the page token do not match/);
  });

  it("answers the reference's errors, never a 5xx", async () => {
    const cases: [Record<string, unknown>, string, string][] = [
      [{}, "INVALID_PARAMETER_VALUE", "Missing value for required parameter 'experiment_ids'."],
      [{ experiment_ids: ["0"], filter: "metric.x > 1" }, "INVALID_PARAMETER_VALUE", "Invalid entity type: 'metric'."],
      [
        { experiment_ids: ["0"], filter: "foo = 'x'" },
        "INTERNAL_ERROR",
        "type object 'SqlLoggedModel' has no attribute",
      ],
      [{ experiment_ids: ["0"], filter: "metrics.x > 'a'" }, "INTERNAL_ERROR", "could not convert string to float"],
      [{ experiment_ids: ["0"], order_by: [{ field_name: "foo" }] }, "INVALID_PARAMETER_VALUE", "Invalid order by"],
      [{ experiment_ids: ["0"], datasets: [{ dataset_digest: "d" }] }, "INVALID_PARAMETER_VALUE", "`dataset_name`"],
      [{ experiment_ids: ["x"] }, "INVALID_PARAMETER_VALUE", "Invalid experiment ID 'x'."],
    ];
    for (const [body, code, message] of cases) {
      const r = await t.call("POST", "/logged-models/search", body);
      expect([r.status, r.body.error_code], JSON.stringify(body)).toEqual([400, code]);
      expect(r.body.message).toContain(message);
    }
    const attr = await t.call("POST", "/logged-models/search", {
      experiment_ids: ["0"],
      order_by: [{ field_name: "x" }],
    });
    expect([attr.body.sqlstate, attr.body.error_class]).toEqual(["KAM04", "ATTRIBUTE_NOT_FOUND"]);
  });
});
