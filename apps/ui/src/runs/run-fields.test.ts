import { describe, expect, it } from "vitest";
import { fakeRun } from "./fake-runs.test-helpers.js";
import { indexRun, keysSeen, maxStep, modelsFromHistory, runDuration, shortSource } from "./run-fields.js";

describe("indexRun", () => {
  it("derives the fixed columns", () => {
    const run = fakeRun("r1", {
      name: "",
      parent: "p1",
      tags: { "mlflow.runName": "from-tag", "mlflow.user": "ana", "mlflow.source.name": "/home/ana/train.py" },
      params: { lr: "0.1" },
      metrics: { loss: { value: 0.5, step: 3, timestamp: 9 } },
    });
    run.inputs = {
      dataset_inputs: [
        { dataset: { name: "mnist", digest: "aaaaaaaaaa", source_type: "local", source: "x" } },
        { dataset: { name: "mnist", digest: "bbbbbbbbbb", source_type: "local", source: "y" } },
        { dataset: { name: "cifar", digest: "cc", source_type: "local", source: "z" } },
      ],
    };
    run.outputs = { model_outputs: [{ model_id: "m-123", step: 0 }] };
    const r = indexRun(run);
    expect(r.name).toBe("from-tag");
    expect(r.user).toBe("ana");
    expect(r.parentId).toBe("p1");
    expect(r.params).toEqual({ lr: "0.1" });
    expect(r.metrics.loss).toEqual({ value: 0.5, step: 3, timestamp: 9 });
    expect(r.datasets).toEqual(["mnist (aaaaaaaa)", "mnist (bbbbbbbb)", "cifar"]);
    expect(r.models).toEqual(["m-123"]);
  });

  it("ignores a run that names itself as parent", () => {
    expect(indexRun(fakeRun("r1", { parent: "r1" })).parentId).toBeUndefined();
  });

  it("reads models from the log-model history tag", () => {
    const history = JSON.stringify([
      { artifact_path: "model", flavors: {} },
      { model_id: "m-9", artifact_path: "m" },
    ]);
    expect(modelsFromHistory(history)).toEqual(["model", "m-9"]);
    expect(modelsFromHistory("not json")).toEqual([]);
    expect(modelsFromHistory('{"a":1}')).toEqual([]);
  });
});

describe("shortSource", () => {
  it("keeps the last path or URL segment", () => {
    expect(shortSource("/home/ana/project/train.py")).toBe("train.py");
    expect(shortSource("C:\\work\\nb.ipynb")).toBe("nb.ipynb");
    expect(shortSource("https://github.com/org/repo.git#sub")).toBe("repo");
    expect(shortSource("git@github.com:org/repo.git")).toBe("repo");
    expect(shortSource("script")).toBe("script");
    expect(shortSource(`/x/${"a".repeat(60)}`)).toHaveLength(40);
  });
});

describe("runDuration", () => {
  it("is end - start, or until now while running", () => {
    expect(runDuration({ start: 1000, end: 4000, status: "FINISHED" })).toBe(3000);
    expect(runDuration({ start: 1000, end: undefined, status: "RUNNING" }, 1500)).toBe(500);
    expect(runDuration({ start: 1000, end: undefined, status: "FAILED" })).toBeUndefined();
    expect(runDuration({ start: undefined, end: 5, status: "FINISHED" })).toBeUndefined();
  });
});

describe("keysSeen / maxStep", () => {
  it("collects sorted keys with system tags last", () => {
    const rows = [
      indexRun(
        fakeRun("a", { params: { b: "1", a: "2" }, metrics: { m10: 1, m2: 1 }, tags: { "mlflow.x": "", z: "" } }),
      ),
      indexRun(fakeRun("b", { params: { a: "3" } })),
    ];
    expect(keysSeen(rows)).toEqual({ params: ["a", "b"], metrics: ["m2", "m10"], tags: ["z", "mlflow.x"] });
  });

  it("finds the highest step outside system metrics", () => {
    const r = indexRun(
      fakeRun("a", {
        metrics: {
          loss: { value: 1, step: 10, timestamp: 100 },
          acc: { value: 1, step: 12, timestamp: 90 },
          "system/cpu": { value: 1, step: 500, timestamp: 200 },
        },
      }),
    );
    expect(maxStep(r)).toEqual({ step: 12, timestamp: 90 });
    expect(maxStep(indexRun(fakeRun("b")))).toBeUndefined();
  });
});
