import { describe, expect, it } from "vitest";
import { type TestApp, useTestApp } from "../testing.test-helpers.js";

/** An MLmodel record of about 1.7 KB, as `mlflow.pyfunc.log_model` sends it. */
function mlmodel(runId: string, i: number): string {
  return JSON.stringify({
    artifact_path: `model/path/${i}`,
    flavors: {
      python_function: { loader_module: "mlflow.pyfunc", python_version: "3.11.7", env: { conda: "conda.yaml" } },
    },
    run_id: runId,
    utc_time_created: "2026-12-06 10:00:00.000000",
    model_uuid: `${i}`.padStart(32, "0"),
    mlflow_version: "3.17.2",
    signature: { inputs: "x".repeat(1450) },
  });
}

async function newRun(t: TestApp): Promise<string> {
  const r = await t.call("POST", "/runs/create", { experiment_id: "0" });
  return r.body.run.info.run_id as string;
}

describe("runs/log-model history", () => {
  const t = useTestApp();
  const lenient = useTestApp({ truncateLongValues: false });

  it("keeps every record however long the tag grows, as the reference stores it whole", async () => {
    const run = await newRun(t);
    for (let i = 0; i < 6; i++) {
      const r = await t.call("POST", "/runs/log-model", { run_id: run, model_json: mlmodel(run, i) });
      expect(r.status).toBe(200);
    }
    const got = await t.call("GET", "/runs/get", { run_id: run });
    const tag = got.body.run.data.tags.find((x: { key: string }) => x.key === "mlflow.log-model.history");
    expect(tag.value.length).toBeGreaterThan(8000);
    expect(JSON.parse(tag.value).map((m: { artifact_path: string }) => m.artifact_path)).toEqual(
      Array.from({ length: 6 }, (_, i) => `model/path/${i}`),
    );
  });

  it("refuses the record that takes the tag past 8000 characters when long values are not truncated", async () => {
    const run = await newRun(lenient);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      statuses.push(
        (await lenient.call("POST", "/runs/log-model", { run_id: run, model_json: mlmodel(run, i) })).status,
      );
    }
    expect(statuses.slice(0, 4)).toEqual([200, 200, 200, 200]);
    expect(statuses[4]).toBe(400);
  });
});
