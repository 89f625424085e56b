import { beforeAll, describe, expect, it } from "vitest";
import { useTestApp } from "../testing.test-helpers.js";
import { DECORATOR_SCORER_REGISTRATION_NOT_SUPPORTED_ERROR } from "../validation/serialized-scorer.js";

const t = useTestApp();

async function call(method: string, path: string, body?: Record<string, unknown>, prefix = "/api/3.0") {
  const url = new URL(`http://localhost${prefix}/mlflow${path}`);
  const init: RequestInit = { method };
  if (method === "GET" && body) {
    for (const [k, v] of Object.entries(body))
      for (const item of Array.isArray(v) ? v : [v]) url.searchParams.append(k, String(item));
  } else if (body) {
    init.body = JSON.stringify(body);
    init.headers = { "Content-Type": "application/json" };
  }
  const res = await t.app.request(url.toString(), init);
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, text };
}

const judge = (name: string, model: unknown = "openai:/gpt-4o") =>
  JSON.stringify({ name, instructions_judge_pydantic_data: { instructions: "Is {{ outputs }} polite?", model } });

let exp = "";
beforeAll(async () => {
  exp = (await call("POST", "/experiments/create", { name: "scorers" }, "/api/2.0")).body.experiment_id;
});

const register = (name: string, serialized: string, experiment_id = exp) =>
  call("POST", "/scorers/register", { experiment_id, name, serialized_scorer: serialized });

describe("register, versions, get, list, delete", () => {
  it("numbers versions from 1 and keeps the serialized text as sent", async () => {
    const text =
      '{"name":"polite","builtin_scorer_class":"Safety","builtin_scorer_pydantic_data":{"model":null},"x":1.0}';
    const v1 = await register("polite", text);
    expect(v1.status).toBe(200);
    expect(v1.body).toMatchObject({ version: 1, experiment_id: exp, name: "polite", serialized_scorer: text });
    const v2 = await register("polite", judge("polite"));
    expect(v2.body.version).toBe(2);
    expect(v2.body.scorer_id).toBe(v1.body.scorer_id);

    const got = await call("GET", "/scorers/get", { experiment_id: exp, name: "polite", version: 1 });
    expect(got.body.scorer).toMatchObject({ experiment_id: Number(exp), scorer_version: 1, serialized_scorer: text });
    const latest = await call("GET", "/scorers/get", { experiment_id: exp, name: "polite" });
    expect(latest.body.scorer.scorer_version).toBe(2);

    // Lists answer Python's json.dumps of the stored JSON (", " and ": " separators, floats kept as floats).
    const versions = await call("GET", "/scorers/versions", { experiment_id: exp, name: "polite" });
    expect(versions.body.scorers.map((s: { scorer_version: number }) => s.scorer_version)).toEqual([1, 2]);
    expect(versions.body.scorers[0].serialized_scorer).toBe(
      '{"name": "polite", "builtin_scorer_class": "Safety", "builtin_scorer_pydantic_data": {"model": null}, "x": 1.0}',
    );
    const list = await call("GET", "/scorers/list", { experiment_id: exp });
    expect(list.body.scorers).toHaveLength(1);
    expect(list.body.scorers[0]).toMatchObject({ scorer_name: "polite", scorer_version: 2 });
  });

  it("answers missing scorers and versions with the reference's messages", async () => {
    const none = await call("GET", "/scorers/get", { experiment_id: exp, name: "nope" });
    expect(none.status).toBe(404);
    expect(none.body.message).toBe(`Scorer with name 'nope' not found for experiment ${exp}.`);
    const v = await call("GET", "/scorers/get", { experiment_id: exp, name: "polite", version: 9 });
    expect(v.body.message).toBe(`Scorer with name 'polite' and version 9 not found for experiment ${exp}.`);
    const badExp = await call("GET", "/scorers/get", { experiment_id: "999", name: "x" });
    expect(badExp.body.message).toBe("No Experiment with id=999 exists");
    const badVersion = await call("GET", "/scorers/get", { experiment_id: exp, name: "x", version: "x" });
    expect(badVersion.status).toBe(400);
    expect(badVersion.body.message).toContain("Invalid value \"x\" for parameter 'version' supplied");
  });

  it("deletes one version, then the whole scorer", async () => {
    await register("gone", judge("gone"));
    await register("gone", judge("gone"));
    expect((await call("DELETE", "/scorers/delete", { experiment_id: exp, name: "gone", version: 1 })).status).toBe(
      200,
    );
    const left = await call("GET", "/scorers/versions", { experiment_id: exp, name: "gone" });
    expect(left.body.scorers.map((s: { scorer_version: number }) => s.scorer_version)).toEqual([2]);
    const again = await call("DELETE", "/scorers/delete", { experiment_id: exp, name: "gone", version: 1 });
    expect(again.body.message).toBe(`Scorer with name 'gone' and version 1 not found for experiment ${exp}.`);
    expect((await call("DELETE", "/scorers/delete", { experiment_id: exp, name: "gone" })).status).toBe(200);
    const after = await call("GET", "/scorers/versions", { experiment_id: exp, name: "gone" });
    expect(after.status).toBe(404);
    // Registering again starts over at version 1.
    expect((await register("gone", judge("gone"))).body.version).toBe(1);
  });

  it("lists across experiments, or refuses both experiment_id and experiment_ids", async () => {
    const other = (await call("POST", "/experiments/create", { name: "scorers-2" }, "/api/2.0")).body.experiment_id;
    await register("b-scorer", judge("b-scorer"), other);
    const all = await call("GET", "/scorers/list");
    expect(all.body.scorers.map((s: { scorer_name: string }) => s.scorer_name)).toEqual(["gone", "polite", "b-scorer"]);
    const some = await call("GET", "/scorers/list", { experiment_ids: [other, "424242"] });
    expect(some.body.scorers.map((s: { scorer_name: string }) => s.scorer_name)).toEqual(["b-scorer"]);
    const both = await call("GET", "/scorers/list", { experiment_id: exp, experiment_ids: [other] });
    expect(both.status).toBe(400);
    expect(both.body.message).toContain("Cannot specify both 'experiment_id' and 'experiment_ids'.");
    const bad = await call("GET", "/scorers/list", { experiment_ids: ["a b"] });
    expect(bad.body.message).toBe("Invalid experiment ID: 'a b'");
  });
});

describe("register refusals", () => {
  it("refuses @scorer functions, bad JSON, bad models and gateway models", async () => {
    const custom = await register("c", JSON.stringify({ name: "c", call_source: "return True" }));
    expect(custom.body).toMatchObject({ error_code: "INVALID_PARAMETER_VALUE" });
    expect(custom.body.message).toBe(DECORATOR_SCORER_REGISTRATION_NOT_SUPPORTED_ERROR);
    expect((await register("c", "not json")).body.message).toBe("serialized_scorer must be valid JSON");
    expect((await register("c", judge("c", 5))).body.message).toBe("Scorer model must be a string, got int.");
    expect((await register("c", judge("c", " "))).body.message).toBe(
      "Scorer model cannot be empty or contain only whitespace.",
    );
    expect((await register(" ", judge("c"))).body.message).toBe(
      "Scorer name cannot be empty or contain only whitespace.",
    );
    const gateway = await register("c", judge("c", "gateway:/my-endpoint"));
    expect(gateway.status).toBe(404);
    expect(gateway.body.message).toContain("GatewayEndpoint not found (name='my-endpoint')");
    const steer = await register(
      "c",
      JSON.stringify({ third_party_scorer_data: { kwargs: { x: { api_base: "h" } } } }),
    );
    expect(steer.body.message).toContain("third_party_scorer_data.kwargs must not contain 'api_base'");
    // What crashes the reference (a JSON list as the scorer) is a 400 with its message.
    const list = await register("c", "[1]");
    expect(list.status).toBe(400);
    expect(list.body.message).toBe("'list' object has no attribute 'get'");
    const missing = await call("POST", "/scorers/register", { experiment_id: exp, name: "c" });
    expect(missing.body.message).toContain("Missing value for required parameter 'serialized_scorer'");
  });

  it("refuses a deleted experiment", async () => {
    const gone = (await call("POST", "/experiments/create", { name: "deleted" }, "/api/2.0")).body.experiment_id;
    await call("POST", "/experiments/delete", { experiment_id: gone }, "/api/2.0");
    const r = await register("x", judge("x"), gone);
    expect(r.body.message).toBe(`The experiment ${gone} must be in the 'active' state. Current state is deleted.`);
  });
});

describe("online scoring configs", () => {
  it("stores a sample rate of 0 and answers it like the reference's json.dumps", async () => {
    const s = await register("online", judge("online"));
    const put = await call("PUT", "/scorers/online-config", {
      experiment_id: exp,
      name: "online",
      sample_rate: 0,
      filter_string: "trace.status = 'OK'",
    });
    expect(put.status).toBe(200);
    expect(put.text).toContain('"sample_rate": 0.0');
    expect(put.body.config).toMatchObject({ scorer_id: s.body.scorer_id, experiment_id: exp, sample_rate: 0 });
    const got = await call("GET", "/scorers/online-configs", { scorer_ids: [s.body.scorer_id, "unknown"] });
    expect(got.body.configs).toHaveLength(1);
    expect(got.body.configs[0].filter_string).toBe("trace.status = 'OK'");
    // A second upsert replaces the first.
    await call("PUT", "/scorers/online-config", { experiment_id: exp, name: "online", sample_rate: "0" });
    const again = await call("GET", "/scorers/online-configs", { scorer_ids: s.body.scorer_id });
    expect(again.body.configs).toHaveLength(1);
    expect(again.body.configs[0].filter_string).toBeUndefined();
  });

  it("refuses a sample rate above 0: tracklite runs no judges", async () => {
    const r = await call("PUT", "/scorers/online-config", { experiment_id: exp, name: "online", sample_rate: 0.5 });
    expect(r.status).toBe(400);
    expect(r.body.message).toContain("Scorer 'online' does not use a gateway model.");
    expect(r.body.message).toContain("tracklite has no AI Gateway and runs no judges");
  });

  it("checks the request as the reference does", async () => {
    const range = await call("PUT", "/scorers/online-config", { experiment_id: exp, name: "online", sample_rate: 2 });
    expect(range.body.message).toBe("sample_rate must be between 0.0 and 1.0, got 2.0");
    const filter = await call("PUT", "/scorers/online-config", {
      experiment_id: exp,
      name: "online",
      sample_rate: 0,
      filter_string: 5,
    });
    expect(filter.body.message).toBe(
      "Invalid value 5 for parameter 'filter_string' supplied: Value was of type 'int'. Expected type 'str' or None.",
    );
    const text = await call("PUT", "/scorers/online-config", { experiment_id: exp, name: "online", sample_rate: "x" });
    expect(text.status).toBe(400);
    expect(text.body.message).toBe("could not convert string to float: 'x'");
    const unknown = await call("PUT", "/scorers/online-config", { experiment_id: exp, name: "nope", sample_rate: 0 });
    expect(unknown.status).toBe(404);
    const noIds = await call("GET", "/scorers/online-configs");
    expect(noIds.body.message).toContain("Missing value for required parameter 'scorer_ids'");
  });

  it("is served under the 3.0 prefixes only", async () => {
    expect((await call("GET", "/scorers/list", undefined, "/api/2.0")).status).toBe(404);
    expect((await call("GET", "/scorers/list", undefined, "/ajax-api/3.0")).status).toBe(200);
  });
});
