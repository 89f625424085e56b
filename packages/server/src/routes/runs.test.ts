import { describe, expect, it } from "vitest";
import { useTestApp } from "../testing.test-helpers.js";

const t = useTestApp();

async function newRun(extra: Record<string, unknown> = {}) {
  const r = await t.call("POST", "/runs/create", { experiment_id: "0", start_time: 1000, ...extra });
  expect(r.status).toBe(200);
  return r.body.run.info.run_id as string;
}

describe("runs", () => {
  it("creates a run with a generated name mirrored in mlflow.runName", async () => {
    const r = await t.call("POST", "/runs/create", { experiment_id: "0", user_id: "ana", start_time: 123 });
    const { info, data } = r.body.run;
    expect(info).toMatchObject({
      experiment_id: "0",
      user_id: "ana",
      status: "RUNNING",
      start_time: 123,
      lifecycle_stage: "active",
    });
    expect(info.run_id).toMatch(/^[0-9a-f]{32}$/);
    expect(info.run_uuid).toBe(info.run_id);
    expect(info.artifact_uri).toBe(`mlflow-artifacts:/0/${info.run_id}/artifacts`);
    expect(info.end_time).toBeUndefined();
    expect(info.run_name).toMatch(/^[a-z]+-[a-z]+-\d+$/);
    expect(data.tags).toEqual([{ key: "mlflow.runName", value: info.run_name }]);
  });

  it("reads null fields as unset, as the reference does", async () => {
    const r = await t.call("POST", "/runs/create", {
      experiment_id: "0",
      run_name: null,
      user_id: null,
      start_time: 5,
    });
    expect(r.status).toBe(200);
    expect(r.body.run.info.run_name).toMatch(/^[a-z]+-[a-z]+-\d+$/);
    expect(r.body.run.info.user_id).toBe("");
  });

  it("refuses conflicting run_name and mlflow.runName", async () => {
    const r = await t.call("POST", "/runs/create", {
      experiment_id: "0",
      run_name: "a",
      tags: [{ key: "mlflow.runName", value: "b" }],
    });
    expect(r.body.error_code).toBe("INVALID_PARAMETER_VALUE");
  });

  it("logs metrics, params and tags and reads them back", async () => {
    const id = await newRun({ run_name: "logged" });
    await t.call("POST", "/runs/log-metric", {
      run_id: id,
      run_uuid: id,
      key: "loss",
      value: 0.5,
      timestamp: 10,
      step: 1,
    });
    await t.call("POST", "/runs/log-parameter", { run_id: id, key: "lr", value: "0.1" });
    await t.call("POST", "/runs/set-tag", { run_id: id, key: "team", value: "ml" });
    const got = await t.call("GET", "/runs/get", { run_id: id });
    expect(got.body.run.data.metrics).toEqual([{ key: "loss", value: 0.5, timestamp: 10, step: 1 }]);
    expect(got.body.run.data.params).toEqual([{ key: "lr", value: "0.1" }]);
    expect(got.body.run.data.tags).toContainEqual({ key: "team", value: "ml" });
    expect(got.body.run.info.run_name).toBe("logged");
  });

  it("keeps the latest metric by (step, timestamp, value)", async () => {
    const id = await newRun();
    const log = (value: number, step: number, timestamp: number) =>
      t.call("POST", "/runs/log-metric", { run_id: id, key: "m", value, timestamp, step });
    await log(1, 5, 100);
    await log(2, 3, 200); // lower step logged later does not win
    let got = await t.call("GET", "/runs/get", { run_id: id });
    expect(got.body.run.data.metrics[0]).toMatchObject({ value: 1, step: 5 });
    await log(7, 5, 100); // same step and time, higher value wins
    got = await t.call("GET", "/runs/get", { run_id: id });
    expect(got.body.run.data.metrics[0]).toMatchObject({ value: 7, step: 5 });
  });

  it("round-trips NaN and infinities as strings", async () => {
    const id = await newRun();
    await t.call("POST", "/runs/log-batch", {
      run_id: id,
      metrics: [
        { key: "nan", value: "NaN", timestamp: 1, step: 0 },
        { key: "inf", value: "Infinity", timestamp: 1, step: 0 },
        { key: "ninf", value: "-Infinity", timestamp: 1, step: 0 },
      ],
    });
    const got = await t.call("GET", "/runs/get", { run_id: id });
    const values = Object.fromEntries(
      got.body.run.data.metrics.map((m: { key: string; value: unknown }) => [m.key, m.value]),
    );
    expect(values).toEqual({ nan: "NaN", inf: "Infinity", ninf: "-Infinity" });
    const hist = await t.call("GET", "/metrics/get-history", { run_id: id, metric_key: "inf" });
    expect(hist.body.metrics[0].value).toBe("Infinity");
  });

  it("treats params as write-once", async () => {
    const id = await newRun();
    expect((await t.call("POST", "/runs/log-parameter", { run_id: id, key: "p", value: "1" })).status).toBe(200);
    expect((await t.call("POST", "/runs/log-parameter", { run_id: id, key: "p", value: "1" })).status).toBe(200);
    const changed = await t.call("POST", "/runs/log-parameter", { run_id: id, key: "p", value: "2" });
    expect(changed.status).toBe(400);
    expect(changed.body.message).toBe(
      `Changing param values is not allowed. Param with key='p' was already logged with value='1' for run ID='${id}'. Attempted logging new value '2'.`,
    );
    const batch = await t.call("POST", "/runs/log-batch", { run_id: id, params: [{ key: "p", value: "3" }] });
    expect(batch.body.error_code).toBe("INVALID_PARAMETER_VALUE");
    expect(batch.body.message).toContain("'old_value': '1', 'new_value': '3'");
  });

  it("rejects over-limit batches and changes nothing", async () => {
    const id = await newRun();
    const metrics = Array.from({ length: 1001 }, (_, i) => ({ key: "m", value: i, timestamp: 1, step: i }));
    const r = await t.call("POST", "/runs/log-batch", { run_id: id, metrics });
    expect(r.status).toBe(400);
    expect(r.body.message).toContain("at most 1000 metrics");
    const hist = await t.call("GET", "/metrics/get-history", { run_id: id, metric_key: "m" });
    expect(hist.body.metrics).toBeUndefined();
  });

  it("refuses logging to a deleted run, and restores it", async () => {
    const id = await newRun();
    await t.call("POST", "/runs/delete", { run_id: id });
    const r = await t.call("POST", "/runs/set-tag", { run_id: id, key: "k", value: "v" });
    expect(r.body).toMatchObject({
      error_code: "INVALID_PARAMETER_VALUE",
      message: `The run ${id} must be in the 'active' state. Current state is deleted.`,
    });
    await t.call("POST", "/runs/restore", { run_id: id });
    expect((await t.call("POST", "/runs/set-tag", { run_id: id, key: "k", value: "v" })).status).toBe(200);
  });

  it("updates status, end time and name", async () => {
    const id = await newRun();
    const r = await t.call("POST", "/runs/update", {
      run_id: id,
      status: "FINISHED",
      end_time: 5000,
      run_name: "renamed",
    });
    expect(r.body.run_info).toMatchObject({ status: "FINISHED", end_time: 5000, run_name: "renamed" });
    const got = await t.call("GET", "/runs/get", { run_id: id });
    expect(got.body.run.data.tags).toContainEqual({ key: "mlflow.runName", value: "renamed" });
  });

  it("answers unknown runs with RESOURCE_DOES_NOT_EXIST", async () => {
    const r = await t.call("GET", "/runs/get", { run_id: "0123456789abcdef0123456789abcdef" });
    expect(r.status).toBe(404);
    expect(r.body).toMatchObject({
      error_code: "RESOURCE_DOES_NOT_EXIST",
      message: "Run with id=0123456789abcdef0123456789abcdef not found",
    });
  });

  it("loses nothing under concurrent log-batch calls to one run", async () => {
    const id = await newRun();
    const calls = Array.from({ length: 40 }, (_, i) =>
      t.call("POST", "/runs/log-batch", {
        run_id: id,
        metrics: Array.from({ length: 50 }, (_, j) => ({
          key: "c",
          value: i * 50 + j,
          timestamp: 1,
          step: i * 50 + j,
        })),
        tags: [{ key: `t${i}`, value: "x" }],
      }),
    );
    const results = await Promise.all(calls);
    expect(results.every((r) => r.status === 200)).toBe(true);
    const hist = await t.call("GET", "/metrics/get-history", { run_id: id, metric_key: "c" });
    expect(hist.body.metrics).toHaveLength(2000);
    expect(hist.body.metrics.map((m: { step: number }) => m.step)).toEqual(Array.from({ length: 2000 }, (_, i) => i));
  });

  it("gives each of concurrent conflicting writes its own answer", async () => {
    const id = await newRun();
    const same = await Promise.all(
      Array.from({ length: 10 }, () => t.call("POST", "/runs/log-parameter", { run_id: id, key: "same", value: "v" })),
    );
    expect(same.map((r) => r.status)).toEqual(Array(10).fill(200));
    const racing = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        t.call("POST", "/runs/log-parameter", { run_id: id, key: "race", value: `v${i}` }),
      ),
    );
    expect(racing.filter((r) => r.status === 200)).toHaveLength(1);
    const refused = racing.filter((r) => r.status === 400);
    expect(refused).toHaveLength(9);
    for (const r of refused)
      expect(r.body.message).toMatch(/^Changing param values is not allowed. Param with key='race'/);
    const got = await t.call("GET", "/runs/get", { run_id: id });
    expect(got.body.run.data.params.filter((p: { key: string }) => p.key === "race")).toHaveLength(1);
  });

  it("pages metric history", async () => {
    const id = await newRun();
    const metrics = Array.from({ length: 25 }, (_, i) => ({ key: "h", value: i, timestamp: 1, step: i }));
    await t.call("POST", "/runs/log-batch", { run_id: id, metrics });
    const steps: number[] = [];
    let token: string | undefined;
    do {
      const page = await t.call("GET", "/metrics/get-history", {
        run_id: id,
        metric_key: "h",
        max_results: 10,
        ...(token ? { page_token: token } : {}),
      });
      steps.push(...page.body.metrics.map((m: { step: number }) => m.step));
      token = page.body.next_page_token;
    } while (token);
    expect(steps).toEqual(Array.from({ length: 25 }, (_, i) => i));
  });

  it("logs dataset inputs with their context tag", async () => {
    const id = await newRun();
    const dataset = { name: "iris", digest: "abc123", source_type: "local", source: "{}", schema: "{}", profile: "{}" };
    const r = await t.call("POST", "/runs/log-inputs", {
      run_id: id,
      datasets: [{ dataset, tags: [{ key: "mlflow.data.context", value: "training" }] }],
    });
    expect(r.status).toBe(200);
    const got = await t.call("GET", "/runs/get", { run_id: id });
    expect(got.body.run.inputs.dataset_inputs).toEqual([
      { dataset, tags: [{ key: "mlflow.data.context", value: "training" }] },
    ]);
  });
});
