import { beforeAll, describe, expect, it } from "vitest";
import { useTestApp } from "../testing.test-helpers.js";
import { NO_JOB_RUNNER } from "./prompt-optimization.js";
import { NO_JUDGE_RUNNER } from "./scorer-invoke.js";

const t = useTestApp();

async function call(method: string, path: string, body?: unknown, prefix = "/api/3.0") {
  const url = new URL(`http://localhost${prefix}/mlflow${path}`);
  const init: RequestInit = { method };
  if (method === "GET" && body) {
    for (const [k, v] of Object.entries(body as Record<string, string>)) url.searchParams.append(k, v);
  } else if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers = { "Content-Type": "application/json" };
  }
  const res = await t.app.request(url.toString(), init);
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

let exp = "";
beforeAll(async () => {
  exp = (await call("POST", "/experiments/create", { name: "optimize" }, "/api/2.0")).body.experiment_id;
});

const JOBS = "/prompt-optimization/jobs";
const config = { optimizer_type: "OPTIMIZER_TYPE_GEPA", scorers: ["Correctness"] };

describe("prompt optimization jobs", () => {
  it("searches find no jobs; a job id is never found", async () => {
    expect(await call("GET", `${JOBS}/search`, { experiment_id: exp })).toEqual({ status: 200, body: {} });
    expect(await call("POST", `${JOBS}/search`, { experiment_id: exp })).toEqual({ status: 200, body: {} });
    const missing = await call("POST", `${JOBS}/search`, {});
    expect(missing.body.message).toContain("Missing value for required parameter 'experiment_id'");
    for (const [method, path] of [
      ["GET", `${JOBS}/j-1`],
      ["DELETE", `${JOBS}/j-1`],
      ["POST", `${JOBS}/j-1/cancel`],
    ] as const) {
      const r = await call(method, path, method === "POST" ? {} : undefined);
      expect(r).toEqual({
        status: 404,
        body: expect.objectContaining({ error_code: "RESOURCE_DOES_NOT_EXIST", message: "Job with ID j-1 not found" }),
      });
    }
  });

  it("checks a new job like the reference, then refuses to run it", async () => {
    const create = (body: Record<string, unknown>) => call("POST", JOBS, body);
    expect((await create({})).body.message).toContain("Missing value for required parameter 'source_prompt_uri'");
    expect((await create({ source_prompt_uri: "prompts:/p/1" })).body.message).toContain(
      "Missing value for required parameter 'config'",
    );
    expect((await create({ source_prompt_uri: "prompts:/p/1", config: {} })).body.message).toBe(
      "optimizer_type is required. Supported types: ['OPTIMIZER_TYPE_GEPA', 'OPTIMIZER_TYPE_METAPROMPT']",
    );
    expect((await create({ source_prompt_uri: "prompts:/p/1", config })).body.message).toBe(
      "experiment_id is required for optimization job",
    );
    const unknown = await create({ experiment_id: "999", source_prompt_uri: "prompts:/p/1", config });
    expect(unknown.body.message).toBe("No Experiment with id=999 exists");
    const bad = await create({
      experiment_id: exp,
      source_prompt_uri: "prompts:/p/1",
      config: { ...config, optimizer_config_json: "{bad" },
    });
    expect(bad.body.message).toMatch(/^Invalid JSON in optimizer_config_json: /);
    const refused = await create({ experiment_id: exp, source_prompt_uri: "prompts:/p/1", config });
    expect(refused).toEqual({ status: 501, body: { error_code: "NOT_IMPLEMENTED", message: NO_JOB_RUNNER } });
    // Nothing was left behind: no run in the experiment.
    const runs = await call("POST", "/runs/search", { experiment_ids: [exp] }, "/api/2.0");
    expect(runs.body).toEqual({});
  });
});

describe("scorer/invoke (ajax only)", () => {
  const invoke = (body: Record<string, unknown>) => call("POST", "/scorer/invoke", body, "/ajax-api/3.0");
  const judge = JSON.stringify({ name: "j", instructions_judge_pydantic_data: { model: "openai:/gpt-4o" } });

  it("checks the request like the reference, then refuses to run the judge", async () => {
    expect((await invoke({})).body.message).toBe("Missing required parameter: experiment_id");
    expect((await invoke({ experiment_id: exp })).body.message).toBe("Missing required parameter: serialized_scorer");
    expect((await invoke({ experiment_id: exp, serialized_scorer: judge })).body.message).toBe(
      "Please select at least one trace to evaluate.",
    );
    expect((await invoke({ experiment_id: exp, serialized_scorer: judge, trace_ids: [1] })).body.message).toBe(
      "trace_ids must be a list of strings",
    );
    const pair = await invoke({ experiment_id: exp, serialized_scorer: judge, trace_ids: ["tr-1"], scorer_name: "j" });
    expect(pair.body.message).toBe("scorer_name and scorer_version must be specified together");
    const refused = await invoke({ experiment_id: exp, serialized_scorer: judge, trace_ids: ["tr-1"] });
    expect(refused).toEqual({ status: 501, body: { error_code: "NOT_IMPLEMENTED", message: NO_JUDGE_RUNNER } });
    expect((await call("POST", "/scorer/invoke", {}, "/api/3.0")).status).toBe(404);
  });
});
