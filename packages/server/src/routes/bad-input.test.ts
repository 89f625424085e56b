import { describe, expect, it } from "vitest";
import { useTestApp } from "../testing.test-helpers.js";

/** Client mistakes that once crashed a handler: each gets a 4xx (or is served), never a 500. */
const t = useTestApp();

async function newRun(): Promise<string> {
  const r = await t.call("POST", "/runs/create", { experiment_id: "0" });
  expect(r.status).toBe(200);
  return r.body.run.info.run_id as string;
}

describe("runs/log-model", () => {
  it.each(["1", "null", '"x"', "[]", "true"])("refuses model_json %s with the missing-fields message", async (json) => {
    const r = await t.call("POST", "/runs/log-model", { run_id: await newRun(), model_json: json });
    expect(r.status).toBe(400);
    expect(r.body.error_code).toBe("INVALID_PARAMETER_VALUE");
    expect(r.body.message).toMatch(/^Model json is missing mandatory fields/);
  });

  it("refuses to append to a history tag that is not a JSON list", async () => {
    const run = await newRun();
    await t.call("POST", "/runs/set-tag", { run_id: run, key: "mlflow.log-model.history", value: "not json" });
    const model = { artifact_path: "m", flavors: {}, utc_time_created: "2024-01-01 00:00:00.000000", run_id: run };
    const r = await t.call("POST", "/runs/log-model", { run_id: run, model_json: JSON.stringify(model) });
    expect(r.status).toBe(400);
    expect(r.body.error_code).toBe("INVALID_PARAMETER_VALUE");
  });
});

/** More values than SQLite's 32,766 parameters per statement. */
const MANY = 40_000;

describe("lists longer than SQLite's parameter limit", () => {
  it("serves runs/search over 40,000 experiment ids, as the reference does", async () => {
    const run = await newRun();
    const ids = ["0", ...Array.from({ length: MANY }, (_, i) => String(i + 1000))];
    const r = await t.call("POST", "/runs/search", { experiment_ids: ids, max_results: 1000 });
    expect(r.status).toBe(200);
    expect(r.body.runs.map((x: any) => x.info.run_id)).toContain(run);
  });

  it("serves logged-models/search over 40,000 experiment ids", async () => {
    const created = await t.call("POST", "/logged-models", { experiment_id: "0", name: "m" });
    expect(created.status).toBe(200);
    const ids = ["0", ...Array.from({ length: MANY }, (_, i) => String(i + 1000))];
    const r = await t.call("POST", "/logged-models/search", { experiment_ids: ids });
    expect(r.status).toBe(200);
    expect(r.body.models.map((m: any) => m.info.model_id)).toContain(created.body.model.info.model_id);
  });

  it("creates a run with 12,000 tags and a logged model with 12,000 params (3 values each)", async () => {
    const tags = Array.from({ length: 12_000 }, (_, i) => ({ key: `t${i}`, value: `v${i}` }));
    const run = await t.call("POST", "/runs/create", { experiment_id: "0", tags });
    expect(run.status).toBe(200);
    expect(run.body.run.data.tags).toHaveLength(12_001);
    const params = Array.from({ length: 12_000 }, (_, i) => ({ key: `p${i}`, value: `v${i}` }));
    const model = await t.call("POST", "/logged-models", { experiment_id: "0", params, tags });
    expect(model.status).toBe(200);
    const id = model.body.model.info.model_id;
    const again = await t.call("POST", `/logged-models/${id}/params`, {
      model_id: id,
      params: [{ key: "p1", value: "x" }],
    });
    expect([again.status, again.body.error_code]).toEqual([400, "BAD_REQUEST"]);
    const more = Array.from({ length: 12_000 }, (_, i) => ({ key: `q${i}`, value: `v${i}` }));
    expect((await t.call("POST", `/logged-models/${id}/params`, { model_id: id, params: more })).status).toBe(200);
    expect((await t.call("PATCH", `/logged-models/${id}/tags`, { model_id: id, tags })).status).toBe(200);
    const got = await t.call("GET", `/logged-models/${id}`);
    expect(got.body.model.data.params).toHaveLength(24_000);
    expect(got.body.model.info.tags).toHaveLength(12_000);
  });
});

describe("page tokens SQLite cannot take", () => {
  const tokens = [
    btoa('{"offset":1e30}'),
    btoa('{"offset":"100000000000000000000000000000"}'),
    btoa('{"offset":-1e30}'),
  ];
  it.each(tokens)("refuses %s with INVALID_PARAMETER_VALUE on every paged endpoint", async (token) => {
    const run = await newRun();
    const calls: [string, string, Record<string, unknown>][] = [
      ["GET", "/registered-models/search", { page_token: token }],
      ["GET", "/model-versions/search", { page_token: token }],
      ["POST", "/experiments/search", { page_token: token }],
      ["POST", "/runs/search", { experiment_ids: ["0"], page_token: token }],
      ["GET", "/metrics/get-history", { run_id: run, metric_key: "m", page_token: token }],
      ["POST", "/logged-models/search", { experiment_ids: ["0"], page_token: token }],
      ["GET", "/webhooks", { page_token: token }],
    ];
    for (const [method, path, body] of calls) {
      const r = await t.call(method, path, body);
      expect([path, r.status, r.body?.error_code]).toEqual([path, 400, "INVALID_PARAMETER_VALUE"]);
    }
  });
});

/** Sends `body` as given (bytes or text) to an API path. */
async function raw(path: string, body: string | Uint8Array<ArrayBuffer>): Promise<{ status: number; body: any }> {
  const res = await t.app.request(`http://localhost/api/2.0/mlflow${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body,
  });
  return { status: res.status, body: await res.json() };
}

describe("JSON nested 10,000 deep", () => {
  const deepList = `${"[".repeat(10_000)}${"]".repeat(10_000)}`;
  const deepObject = `${'{"a":'.repeat(10_000)}1${"}".repeat(10_000)}`;

  it("is refused with 400 wherever it appears, never overflowing the stack", async () => {
    const run = await newRun();
    const bodies: [string, string][] = [
      ["/runs/set-tag", `{"run_id":"${run}","key":"k","value":${deepList}}`],
      ["/runs/set-tag", `{"run_id":"${run}","key":"k","value":"v","unknown":${deepObject}}`],
      ["/runs/log-batch", `{"run_id":"${run}","metrics":${deepObject}}`],
      ["/experiments/create", `{"name":${deepList}}`],
      ["/registered-models/create", `{"name":"m","tags":${deepList}}`],
      ["/runs/search", deepList],
    ];
    for (const [path, body] of bodies) {
      const r = await raw(path, body);
      expect([path, r.status, r.body.error_code]).toEqual([path, 400, "INVALID_PARAMETER_VALUE"]);
    }
  });

  it("is read as usual when nested a few hundred levels, as the reference reads it", async () => {
    const run = await newRun();
    const r = await raw(
      "/runs/set-tag",
      `{"run_id":"${run}","key":"k","value":"v","x":${"[".repeat(500)}${"]".repeat(500)}}`,
    );
    expect(r.status).toBe(200);
  });

  it("in a model's JSON is stored or refused, never a 500", async () => {
    const run = await newRun();
    const model = `{"artifact_path":"m","flavors":{},"utc_time_created":"t","run_id":"${run}","x":${deepList}}`;
    const r = await t.call("POST", "/runs/log-model", { run_id: run, model_json: model });
    expect(r.status).toBeLessThan(500);
  });
});

describe("text that is not Unicode", () => {
  const bytes = (s: string) => new TextEncoder().encode(s);

  it("reads a body whose bytes are not UTF-8 as empty, as the reference does", async () => {
    const run = await newRun();
    const body = new Uint8Array([...bytes(`{"run_id":"${run}","key":"k","value":"a`), 0xff, 0xfe, ...bytes('b"}')]);
    const r = await raw("/runs/set-tag", body);
    expect([r.status, r.body.message]).toEqual([
      400,
      "Missing value for required parameter 'run_id'. See the API docs for more information about request parameters.",
    ]);
    const got = await t.call("GET", "/runs/get", { run_id: run });
    expect(got.body.run.data.tags.some((x: any) => x.key === "k")).toBe(false);
  });

  it("refuses a lone surrogate escape in a value or a key, naming the field", async () => {
    const run = await newRun();
    const value = await raw("/runs/set-tag", `{"run_id":"${run}","key":"k","value":"a\\ud800b"}`);
    expect([value.status, value.body.error_code]).toEqual([400, "INVALID_PARAMETER_VALUE"]);
    expect(value.body.message).toBe(
      `Invalid value "a\\ud800b" for parameter 'value' supplied: it holds an unpaired UTF-16 surrogate, which is not text.`,
    );
    const inBatch = await raw("/runs/log-batch", `{"run_id":"${run}","params":[{"key":"p","value":"\\udc00"}]}`);
    expect([inBatch.status, inBatch.body.message]).toEqual([
      400,
      `Invalid value "\\udc00" for parameter 'params[0].value' supplied: it holds an unpaired UTF-16 surrogate, which is not text.`,
    ]);
    const key = await raw("/runs/set-tag", `{"run_id":"${run}","key":"k","value":"v","\\udc00":1}`);
    expect(key.status).toBe(400);
    const got = await t.call("GET", "/runs/get", { run_id: run });
    expect(got.body.run.data.tags.some((x: any) => x.key === "k")).toBe(false);
  });

  it("stores a surrogate pair (an emoji written as escapes) as the character", async () => {
    const run = await newRun();
    expect((await raw("/runs/set-tag", `{"run_id":"${run}","key":"k","value":"a\\ud83d\\ude00b"}`)).status).toBe(200);
    const got = await t.call("GET", "/runs/get", { run_id: run });
    expect(got.body.run.data.tags).toContainEqual({ key: "k", value: "a😀b" });
  });
});

describe("artifact names longer than the file system takes", () => {
  it("get a 4xx (or an empty answer) from every artifact route, never a 500", async () => {
    const run = await newRun();
    for (const name of ["a".repeat(300), `d/${"b".repeat(256)}/f`]) {
      const base = "http://localhost/api/2.0/mlflow-artifacts/artifacts";
      const put = await t.app.request(`${base}/0/${name}`, { method: "PUT", body: "hi" });
      expect([put.status, (await put.json()).error_code]).toEqual([400, "INVALID_PARAMETER_VALUE"]);
      expect((await t.app.request(`${base}/0/${name}`)).status).toBe(404);
      expect((await t.app.request(`${base}?path=0/${name}`)).status).toBe(200);
      expect((await t.app.request(`${base}/0/${name}`, { method: "DELETE" })).status).toBe(200);
      const getArtifact = await t.app.request(`http://localhost/get-artifact?run_uuid=${run}&path=${name}`);
      expect(getArtifact.status).toBe(404);
      const ajax = await t.app.request(
        `http://localhost/ajax-api/2.0/mlflow/upload-artifact?run_uuid=${run}&path=${name}`,
        { method: "POST", body: "hi" },
      );
      expect([ajax.status, (await ajax.json()).error_code]).toEqual([400, "INVALID_PARAMETER_VALUE"]);
      expect((await t.call("GET", "/artifacts/list", { run_id: run, path: name })).status).toBe(200);
    }
  });
});

describe("double-encoded bodies (old clients)", () => {
  it("are checked like any other", async () => {
    const deep = `${"[".repeat(1000)}${"]".repeat(1000)}`;
    const r = await raw("/experiments/create", JSON.stringify(`{"name":${deep}}`));
    expect([r.status, r.body.error_code]).toEqual([400, "INVALID_PARAMETER_VALUE"]);
    const s = await raw("/experiments/create", JSON.stringify('{"name":"a\\ud800"}'));
    expect([s.status, s.body.error_code]).toEqual([400, "INVALID_PARAMETER_VALUE"]);
  });
});
