import { beforeAll, describe, expect, it } from "vitest";
import { useTestApp } from "../testing.test-helpers.js";

const t = useTestApp();

/** GETs one of tracklite's UI routes (served under /ajax-api only). */
async function ajax(path: string, query: Record<string, string | string[] | number>) {
  const url = new URL(`http://localhost/ajax-api/2.0/tracklite/metrics/${path}`);
  for (const [k, v] of Object.entries(query)) for (const item of [v].flat()) url.searchParams.append(k, String(item));
  const res = await t.app.request(url.toString());
  return { status: res.status, body: await res.json() };
}

let runA: string;
let runB: string;

beforeAll(async () => {
  const exp = await t.call("POST", "/experiments/create", { name: "ui-metrics" });
  const create = async () =>
    (await t.call("POST", "/runs/create", { experiment_id: exp.body.experiment_id })).body.run.info.run_id as string;
  runA = await create();
  runB = await create();
  // runA: loss 100 steps with a spike at step 37 and a NaN at step 50; acc only NaN.
  const metrics = Array.from({ length: 100 }, (_, step) => ({
    key: "loss",
    value: step === 37 ? 1000 : step === 50 ? "NaN" : 100 - step,
    timestamp: 1000 + step,
    step,
  }));
  await t.call("POST", "/runs/log-batch", {
    run_id: runA,
    metrics: [...metrics, { key: "acc", value: "NaN", timestamp: 1, step: 0 }],
  });
  await t.call("POST", "/runs/log-batch", {
    run_id: runB,
    metrics: [
      { key: "loss", value: 5, timestamp: 10, step: 3 },
      { key: "loss", value: 7, timestamp: 11, step: 3 },
    ],
  });
});

describe("GET /ajax-api/2.0/tracklite/metrics/summaries", () => {
  it("gives min, max, count and the latest value per run and key, NaN left out of min and max", async () => {
    const r = await ajax("summaries", { run_ids: [runA, runB] });
    expect(r.status).toBe(200);
    const byKey = Object.fromEntries(
      r.body.summaries.map((s: { run_id: string; key: string }) => [`${s.run_id === runA ? "A" : "B"}:${s.key}`, s]),
    );
    expect(byKey["A:loss"]).toEqual({
      run_id: runA,
      key: "loss",
      last: 1,
      last_step: 99,
      last_timestamp: 1099,
      min: 1,
      max: 1000,
      count: 100,
    });
    expect(byKey["A:acc"]).toEqual({
      run_id: runA,
      key: "acc",
      last: "NaN",
      last_step: 0,
      last_timestamp: 1,
      count: 1,
    });
    expect(byKey["B:loss"]).toMatchObject({ last: 7, min: 5, max: 7, count: 2 });
  });

  it("narrows to the keys asked for", async () => {
    const r = await ajax("summaries", { run_ids: runA, metric_keys: "acc" });
    expect(r.body.summaries.map((s: { key: string }) => s.key)).toEqual(["acc"]);
  });

  it("refuses no runs and more than 100 with MLflow-style errors", async () => {
    expect(await ajax("summaries", {})).toMatchObject({ status: 400, body: { error_code: "INVALID_PARAMETER_VALUE" } });
    const many = Array.from({ length: 101 }, (_, i) => `r${i}`);
    expect((await ajax("summaries", { run_ids: many })).status).toBe(400);
  });

  it("is not served under /api (it is not an MLflow endpoint)", async () => {
    const res = await t.app.request(`http://localhost/api/2.0/tracklite/metrics/summaries?run_ids=${runA}`);
    expect(res.status).toBe(404);
  });
});

describe("GET /ajax-api/2.0/tracklite/metrics/buckets", () => {
  it("cuts the steps into buckets: last point each, with min and max that keep the spike", async () => {
    const r = await ajax("buckets", { run_ids: runA, metric_key: "loss", buckets: 10 });
    expect(r.status).toBe(200);
    const b = r.body.buckets;
    expect(b).toHaveLength(10);
    expect(b.map((x: { step: number }) => x.step)).toEqual([9, 19, 29, 39, 49, 59, 69, 79, 89, 99]);
    expect(b.reduce((n: number, x: { count: number }) => n + x.count, 0)).toBe(100);
    expect(b[3]).toMatchObject({ run_id: runA, value: 61, timestamp: 1039, min: 61, max: 1000, count: 10 });
    // The NaN at step 50 counts but bounds only the numbers.
    expect(b[5]).toMatchObject({ min: 41, max: 49, count: 10 });
  });

  it("narrows to a step window at full resolution", async () => {
    const r = await ajax("buckets", { run_ids: runA, metric_key: "loss", buckets: 500, start_step: 30, end_step: 39 });
    expect(r.body.buckets.map((x: { step: number }) => x.step)).toEqual([30, 31, 32, 33, 34, 35, 36, 37, 38, 39]);
    expect(r.body.buckets.every((x: { count: number }) => x.count === 1)).toBe(true);
  });

  it("takes the latest timestamp's value when a step was logged twice", async () => {
    const r = await ajax("buckets", { run_ids: runB, metric_key: "loss" });
    expect(r.body.buckets).toEqual([{ run_id: runB, step: 3, timestamp: 11, value: 7, min: 5, max: 7, count: 2 }]);
  });

  it("gives nothing for unknown runs and keys, and refuses bad arguments", async () => {
    expect((await ajax("buckets", { run_ids: "nope", metric_key: "loss" })).body).toEqual({ buckets: [] });
    expect((await ajax("buckets", { run_ids: runA, metric_key: "loss", buckets: 0 })).status).toBe(400);
    expect((await ajax("buckets", { run_ids: runA, metric_key: "loss", start_step: 3 })).status).toBe(400);
    expect((await ajax("buckets", { run_ids: runA })).status).toBe(400);
  });
});
