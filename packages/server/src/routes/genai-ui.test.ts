import { describe, expect, it } from "vitest";
import { ADMIN, basic, useAuthApp } from "../auth/auth.test-helpers.js";
import { useTestApp } from "../testing.test-helpers.js";

const AJAX = "http://localhost/ajax-api/3.0/mlflow";

async function send(
  app: { request: (u: string, i: RequestInit) => Response | Promise<Response> },
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const init: RequestInit = { method, headers: { ...headers } };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    (init.headers as Record<string, string>)["Content-Type"] = "application/json";
  }
  const res = await app.request(`${AJAX}${path}`, init);
  const text = await res.text();
  return { status: res.status, body: text.startsWith("{") ? JSON.parse(text) : text };
}

describe("the UI's GenAI calls under /ajax-api/3.0", () => {
  const t = useTestApp();

  it("answers every job id as the reference answers an unknown one", async () => {
    for (const [method, path] of [
      ["GET", "/jobs/abc"],
      ["PATCH", "/jobs/cancel/abc"],
    ] as const) {
      const r = await send(t.app, method, path);
      expect(r.status).toBe(404);
      expect(r.body).toMatchObject({ error_code: "RESOURCE_DOES_NOT_EXIST", message: "Job with ID abc not found" });
    }
    // 3.0 only, as in the reference
    expect((await t.app.request("http://localhost/ajax-api/2.0/mlflow/jobs/abc")).status).toBe(404);
    expect((await t.app.request("http://localhost/api/3.0/mlflow/jobs/abc")).status).toBe(404);
  });

  it("reports UI telemetry off and drops records", async () => {
    expect((await send(t.app, "GET", "/ui-telemetry")).body).toEqual({
      disable_ui_telemetry: true,
      disable_ui_events: [],
      ui_rollout_percentage: 0,
    });
    expect((await send(t.app, "POST", "/ui-telemetry", { records: [{ x: 1 }] })).body).toEqual({ status: "disabled" });
  });

  it("checks a scorer run as the reference does, then says judges need Python", async () => {
    const cases: [unknown, number, string][] = [
      [{}, 400, "Missing required parameter: experiment_id"],
      [{ experiment_id: "0" }, 400, "Missing required parameter: serialized_scorer"],
      [{ experiment_id: "0", serialized_scorer: "{}" }, 400, "Please select at least one trace to evaluate."],
      [{ experiment_id: "0", serialized_scorer: "{}", trace_ids: [1] }, 400, "trace_ids must be a list of strings"],
      [
        { experiment_id: "0", serialized_scorer: "{}", trace_ids: ["tr-1"], scorer_name: "s" },
        400,
        "scorer_name and scorer_version must be specified together",
      ],
      [
        { experiment_id: "0", serialized_scorer: "{}", trace_ids: ["tr-1"], scorer_name: "s", scorer_version: "1" },
        400,
        "scorer_name must be a string and scorer_version must be an integer",
      ],
    ];
    for (const [body, status, message] of cases) {
      const r = await send(t.app, "POST", "/scorer/invoke", body);
      expect([r.status, r.body.message]).toEqual([status, message]);
    }
    const r = await send(t.app, "POST", "/scorer/invoke", {
      experiment_id: "0",
      serialized_scorer: "{}",
      trace_ids: ["tr-1"],
    });
    expect(r.status).toBe(501);
    expect(r.body.error_code).toBe("NOT_IMPLEMENTED");
    expect(r.body.message).toContain("mlflow.genai.evaluate()");
  });

  it("checks evaluate and issue-detection runs with the reference's schema messages", async () => {
    let r = await send(t.app, "POST", "/genai/evaluate/invoke", {});
    expect(r.status).toBe(400);
    expect(r.body.message).toContain("Missing value for required parameter 'experiment_id'");
    r = await send(t.app, "POST", "/genai/evaluate/invoke", {
      experiment_id: "0",
      trace_ids: ["tr-1"],
      serialized_scorers: [],
    });
    expect(r.body.message).toBe("Please select at least one judge.");
    r = await send(t.app, "POST", "/genai/evaluate/invoke", {
      experiment_id: "0",
      trace_ids: ["tr-1"],
      serialized_scorers: ["{}"],
      scorer_versions: [],
    });
    expect(r.body.message).toBe("scorer_versions must have the same length as serialized_scorers");
    r = await send(t.app, "POST", "/genai/evaluate/invoke", {
      experiment_id: "0",
      trace_ids: ["tr-1"],
      serialized_scorers: ["{}"],
    });
    expect(r.status).toBe(501);
    r = await send(t.app, "POST", "/issues/invoke", {
      experiment_id: "0",
      trace_ids: ["tr-1"],
      categories: [],
      provider: "openai",
    });
    expect([r.status, r.body.message]).toEqual([
      400,
      "Either 'endpoint_name' or both 'provider' and 'model' must be provided",
    ]);
    r = await send(t.app, "POST", "/issues/invoke", { experiment_id: "0", trace_ids: "x" });
    expect(r.status).toBe(400);
    expect(r.body.message).toContain("Invalid value \"x\" for parameter 'trace_ids'");
  });

  it("refuses demo generation and deletes the demo experiment", async () => {
    expect((await send(t.app, "POST", "/demo/generate", {})).status).toBe(501);
    const made = await t.call("POST", "/experiments/create", { name: "MLflow Demo" });
    expect((await send(t.app, "POST", "/demo/delete", {})).body).toEqual({ status: "deleted", features_deleted: [] });
    const got = await t.call("GET", "/experiments/get", { experiment_id: made.body.experiment_id });
    expect(got.body.experiment.lifecycle_stage).toBe("deleted");
  });
});

describe("the UI's GenAI calls with auth", () => {
  const t = useAuthApp({ ini: "[mlflow]\ndefault_permission = EDIT\nadmin_username = admin\n" });

  it("keeps jobs and demo deletion to admins, invoke to experiment writers", async () => {
    const bob = await t.addUser("bob");
    const as = (u: { username: string; password: string }) => ({ Authorization: basic(u.username, u.password) });
    expect((await send(t.app, "GET", "/jobs/abc", undefined, as(bob))).status).toBe(403);
    expect((await send(t.app, "GET", "/jobs/abc", undefined, as(ADMIN))).status).toBe(404);
    expect((await send(t.app, "POST", "/demo/delete", {}, as(bob))).status).toBe(403);
    expect((await send(t.app, "GET", "/ui-telemetry", undefined, as(bob))).status).toBe(200);
    expect((await send(t.app, "GET", "/ui-telemetry")).status).toBe(401);
    const body = { experiment_id: "0", trace_ids: ["tr-1"], serialized_scorers: ["{}"] };
    expect((await send(t.app, "POST", "/genai/evaluate/invoke", body, as(bob))).status).toBe(501);
    const secret = { experiment_id: "0", trace_ids: ["tr-1"], categories: [], provider: "p", secret_id: "s1" };
    expect((await send(t.app, "POST", "/issues/invoke", secret, as(bob))).status).toBe(403);
  });
});

describe("the reference's FastAPI job router", () => {
  const t = useTestApp();
  const call = async (method: string, path: string, body?: unknown) => {
    const init: RequestInit = { method };
    if (body !== undefined) init.body = JSON.stringify(body);
    const res = await t.app.request(`http://localhost/ajax-api/3.0/jobs${path}`, init);
    return { status: res.status, body: await res.json() };
  };

  it("has no job, finds none, and refuses to run one", async () => {
    expect(await call("GET", "/j1")).toEqual({ status: 404, body: { detail: "Job with ID j1 not found" } });
    expect(await call("PATCH", "/cancel/j1")).toEqual({ status: 404, body: { detail: "Job with ID j1 not found" } });
    expect(await call("POST", "/search", {})).toEqual({ status: 200, body: { jobs: [] } });
    const bad = await call("POST", "/search", { statuses: ["DONE"] });
    expect(bad.status).toBe(422);
    expect(bad.body.detail[0]).toMatchObject({ type: "enum", loc: ["body", "statuses", 0], input: "DONE" });
    const missing = await call("POST", "/", {});
    expect(missing.status).toBe(422);
    expect(missing.body.detail.map((d: { loc: string[] }) => d.loc[1])).toEqual(["job_name", "params"]);
    expect(await call("POST", "/", { job_name: "x", params: {} })).toEqual({
      status: 400,
      body: { detail: "Invalid job name: x" },
    });
    expect((await call("POST", "/", { job_name: "optimize_prompts", params: {} })).status).toBe(501);
  });
});
