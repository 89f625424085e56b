import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { useTestApp } from "../testing.test-helpers.js";
import { openDatabase } from "./db.js";
import { loadRuns } from "./run-loader.js";

const t = useTestApp();

/** The answer's text as sent: key order and number spelling are part of what the reference compares. */
async function rawCall(method: "GET" | "POST", path: string, body: Record<string, unknown>): Promise<string> {
  const url = new URL(`http://localhost/api/2.0/mlflow${path}`);
  if (method === "GET") for (const [k, v] of Object.entries(body)) url.searchParams.append(k, String(v));
  const res = await t.app.request(url.toString(), {
    method,
    ...(method === "POST" ? { body: JSON.stringify(body), headers: { "Content-Type": "application/json" } } : {}),
  });
  expect(res.status).toBe(200);
  return res.text();
}

async function newExperiment(name: string): Promise<string> {
  return (await t.call("POST", "/experiments/create", { name })).body.experiment_id;
}

async function newRun(experimentId: string, name: string, startTime: number): Promise<string> {
  const r = await t.call("POST", "/runs/create", {
    experiment_id: experimentId,
    run_name: name,
    start_time: startTime,
  });
  expect(r.status).toBe(200);
  return r.body.run.info.run_id;
}

describe("run loading", () => {
  it("writes a whole run as the reference does, in runs/get and runs/search", async () => {
    const exp = await newExperiment("loader-wire");
    const id = await newRun(exp, "wire", 1000);
    const model = (await t.call("POST", "/logged-models", { experiment_id: exp, name: "m" })).body.model.info.model_id;
    await t.call("POST", "/runs/log-batch", {
      run_id: id,
      metrics: [
        { key: "z", value: 0.1 + 0.2, timestamp: 5, step: 2 },
        { key: "nan", value: "NaN", timestamp: 1, step: 0 },
        { key: "inf", value: "Infinity", timestamp: 1, step: 0 },
        { key: "ninf", value: "-Infinity", timestamp: 1, step: 0 },
        { key: "tiny", value: 5e-324, timestamp: 1, step: 0 },
        { key: "max", value: 1.7976931348623157e308, timestamp: 1, step: 0 },
        { key: "int", value: 42, timestamp: 1_700_000_000_000, step: 9_007_199_254_740_991 },
        { key: "big", value: 1e21, timestamp: 1, step: 0 },
      ],
      params: [
        { key: "p10", value: 'say "hi"\\' },
        { key: "p2", value: "ünïcødé 😀" },
        { key: "p1", value: "tab\tnewline\n\u0001\u2028" },
      ],
      tags: [{ key: "team", value: "ml" }],
    });
    await t.call("POST", "/runs/log-inputs", {
      run_id: id,
      datasets: [
        {
          dataset: { name: "iris", digest: "d1", source_type: "local", source: "{}", schema: "{s}", profile: "{p}" },
          tags: [{ key: "mlflow.data.context", value: "training" }],
        },
        { dataset: { name: "wine", digest: "d2", source_type: "local", source: "s3://x" } },
      ],
      models: [{ model_id: model }],
    });
    await t.call("POST", "/runs/outputs", { run_id: id, models: [{ model_id: model, step: 3 }] });

    const info = `{"run_uuid":"${id}","experiment_id":"${exp}","run_name":"wire","user_id":"","status":"RUNNING","start_time":1000,"artifact_uri":"mlflow-artifacts:/${exp}/${id}/artifacts","lifecycle_stage":"active","run_id":"${id}"}`;
    const data =
      '{"metrics":[{"key":"z","value":0.30000000000000004,"timestamp":5,"step":2},' +
      '{"key":"nan","value":"NaN","timestamp":1,"step":0},{"key":"inf","value":"Infinity","timestamp":1,"step":0},' +
      '{"key":"ninf","value":"-Infinity","timestamp":1,"step":0},{"key":"tiny","value":5e-324,"timestamp":1,"step":0},' +
      '{"key":"max","value":1.7976931348623157e+308,"timestamp":1,"step":0},' +
      '{"key":"int","value":42,"timestamp":1700000000000,"step":9007199254740991},' +
      '{"key":"big","value":1e+21,"timestamp":1,"step":0}],' +
      '"params":[{"key":"p10","value":"say \\"hi\\"\\\\"},{"key":"p2","value":"ünïcødé 😀"},' +
      '{"key":"p1","value":"tab\\tnewline\\n\\u0001\u2028"}],' +
      '"tags":[{"key":"mlflow.runName","value":"wire"},{"key":"team","value":"ml"}]}';
    const datasets =
      '"dataset_inputs":[{"tags":[{"key":"mlflow.data.context","value":"training"}],' +
      '"dataset":{"name":"iris","digest":"d1","source_type":"local","source":"{}","schema":"{s}","profile":"{p}"}},' +
      '{"dataset":{"name":"wine","digest":"d2","source_type":"local","source":"s3://x"}}]';
    const outputs = `{"model_outputs":[{"model_id":"${model}","step":3}]}`;

    expect(await rawCall("GET", "/runs/get", { run_id: id })).toBe(
      `{"run":{"info":${info},"data":${data},"inputs":{${datasets},"model_inputs":[{"model_id":"${model}"}]},"outputs":${outputs}}}`,
    );
    // runs/search leaves model inputs out, as the reference does.
    expect(await rawCall("POST", "/runs/search", { experiment_ids: [exp] })).toBe(
      `{"runs":[{"info":${info},"data":${data},"inputs":{${datasets}},"outputs":${outputs}}]}`,
    );
  });

  it("leaves out empty lists and unset fields", async () => {
    const exp = await newExperiment("loader-empty");
    const id = await newRun(exp, "bare", 7);
    await t.call("POST", "/runs/delete-tag", { run_id: id, key: "mlflow.runName" });
    await t.call("POST", "/runs/update", { run_id: id, status: "FINISHED", end_time: 8 });
    const info = `{"run_uuid":"${id}","experiment_id":"${exp}","run_name":"bare","user_id":"","status":"FINISHED","start_time":7,"end_time":8,"artifact_uri":"mlflow-artifacts:/${exp}/${id}/artifacts","lifecycle_stage":"active","run_id":"${id}"}`;
    expect(await rawCall("GET", "/runs/get", { run_id: id })).toBe(
      `{"run":{"info":${info},"data":{},"inputs":{},"outputs":{}}}`,
    );
    expect(await rawCall("POST", "/runs/search", { experiment_ids: [exp] })).toBe(
      `{"runs":[{"info":${info},"data":{},"inputs":{},"outputs":{}}]}`,
    );
  });

  it("lists children in the order they were first written, not by key", async () => {
    const exp = await newExperiment("loader-order");
    const id = await newRun(exp, "order", 1);
    await t.call("POST", "/runs/log-batch", {
      run_id: id,
      metrics: ["b", "a", "c"].map((key, step) => ({ key, value: step, timestamp: 1, step })),
      params: ["p10", "p2", "p1"].map((key) => ({ key, value: key })),
      tags: ["t2", "t1", "t0"].map((key) => ({ key, value: "v" })),
    });
    // A newer point of a metric and a new tag value keep their place; a tag deleted and set again moves last.
    await t.call("POST", "/runs/log-metric", { run_id: id, key: "b", value: 9, timestamp: 2, step: 5 });
    await t.call("POST", "/runs/set-tag", { run_id: id, key: "t2", value: "new" });
    await t.call("POST", "/runs/delete-tag", { run_id: id, key: "t1" });
    await t.call("POST", "/runs/set-tag", { run_id: id, key: "t1", value: "again" });
    const keys = (xs: { key: string }[]) => xs.map((x) => x.key);
    for (const run of [
      (await t.call("GET", "/runs/get", { run_id: id })).body.run,
      (await t.call("POST", "/runs/search", { experiment_ids: [exp] })).body.runs[0],
    ]) {
      expect(keys(run.data.metrics)).toEqual(["b", "a", "c"]);
      expect(run.data.metrics[0]).toEqual({ key: "b", value: 9, timestamp: 2, step: 5 });
      expect(keys(run.data.params)).toEqual(["p10", "p2", "p1"]);
      expect(run.data.tags).toEqual([
        { key: "mlflow.runName", value: "order" },
        { key: "t2", value: "new" },
        { key: "t0", value: "v" },
        { key: "t1", value: "again" },
      ]);
    }
  });

  it("reads back exactly the doubles that were logged", async () => {
    const exp = await newExperiment("loader-doubles");
    const id = await newRun(exp, "doubles", 1);
    const view = new DataView(new ArrayBuffer(8));
    let seed = 12345;
    const random32 = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed;
    };
    const values: number[] = [-0, 2.2250738585072014e-308, 4.9406564584124654e-324, 123456789012345680000];
    while (values.length < 1000) {
      view.setUint32(0, random32());
      view.setUint32(4, random32());
      const v = view.getFloat64(0);
      if (Number.isFinite(v)) values.push(v);
    }
    await t.call("POST", "/runs/log-batch", {
      run_id: id,
      metrics: values.map((value, i) => ({ key: `m${i}`, value, timestamp: 1, step: 0 })),
    });
    const got = await t.call("POST", "/runs/search", { experiment_ids: [exp] });
    const read = got.body.runs[0].data.metrics.map((m: { value: number }) => m.value);
    // JSON has no -0: the reference writes it as 0, as JSON.stringify does.
    expect(read).toEqual(values.map((v) => (Object.is(v, -0) ? 0 : v)));
  });

  it("loads a page of more runs than SQLite takes bound variables", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tracklite-loader-"));
    const h = await openDatabase({ url: `file:${join(dir, "many.db")}` });
    try {
      await h.client.execute(
        `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 40000)
         INSERT INTO runs (id, run_uuid, experiment_id, name, user_id, status, start_time, lifecycle_stage, artifact_uri)
         SELECT i, printf('%032x', i), 0, 'r' || i, '', 'RUNNING', i, 'active', '' FROM n`,
      );
      await h.client.execute("INSERT INTO params VALUES (39999, 'p', 'v')");
      const ids = Array.from({ length: 40000 }, (_, i) => 40000 - i);
      const runs = await loadRuns(h, [...ids, 50000], { outputs: true, modelInputs: false });
      expect(runs.map((r) => r.info.run_name)).toEqual(ids.map((i) => `r${i}`));
      expect(runs[1]?.data).toEqual({ params: [{ key: "p", value: "v" }] });
    } finally {
      h.client.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
