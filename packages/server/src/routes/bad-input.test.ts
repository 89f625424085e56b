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
