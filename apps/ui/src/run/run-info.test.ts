import type { Run } from "@tracklite/schemas";
import { describe, expect, it } from "vitest";
import { datasetRows, filterEntries, runSummary, splitMetricKeys } from "./run-info.js";

const run = (over: Partial<Run["info"]> = {}, tags: Record<string, string> = {}): Run => ({
  info: {
    run_id: "abc123",
    run_uuid: "abc123",
    run_name: "bright-owl",
    experiment_id: "7",
    status: "FINISHED",
    start_time: 1_000,
    end_time: 61_000,
    lifecycle_stage: "active",
    ...over,
  },
  data: { tags: Object.entries(tags).map(([key, value]) => ({ key, value })) },
});

describe("runSummary", () => {
  it("reads system tags", () => {
    const s = runSummary(
      run(
        {},
        {
          "mlflow.user": "ada",
          "mlflow.source.name": "train.py",
          "mlflow.source.git.commit": "deadbeef",
          "mlflow.source.git.branch": "feature/links",
          "mlflow.parentRunId": "p1",
          "mlflow.note.content": "# Notes",
        },
      ),
    );
    expect(s).toMatchObject({
      name: "bright-owl",
      user: "ada",
      source: "train.py",
      gitCommit: "deadbeef",
      gitBranch: "feature/links",
      parentId: "p1",
      note: "# Notes",
      duration: 60_000,
    });
  });

  it("measures a running run up to now and an unfinished one not at all", () => {
    expect(runSummary(run({ status: "RUNNING", end_time: undefined }), 11_000).duration).toBe(10_000);
    expect(runSummary(run({ status: "FAILED", end_time: undefined })).duration).toBeUndefined();
    expect(runSummary(run({ start_time: undefined })).duration).toBeUndefined();
  });

  it("falls back to the user id and the run id", () => {
    const s = runSummary(run({ run_name: undefined, user_id: "bob" }));
    expect(s.name).toBe("abc123");
    expect(s.user).toBe("bob");
  });
});

describe("splitMetricKeys", () => {
  it("puts system/ metrics apart, sorted and unique", () => {
    expect(splitMetricKeys(["loss", "system/cpu", "acc", "loss", "system/gpu_0"])).toEqual({
      model: ["acc", "loss"],
      system: ["system/cpu", "system/gpu_0"],
    });
  });
});

describe("datasetRows", () => {
  it("lists datasets with their context", () => {
    const r = run();
    r.inputs = {
      dataset_inputs: [
        {
          tags: [{ key: "mlflow.data.context", value: "training" }],
          dataset: { name: "iris", digest: "d1", source_type: "code", source: "{}" },
        },
      ],
    };
    expect(datasetRows(r)).toEqual([{ name: "iris", digest: "d1", sourceType: "code", context: "training" }]);
    expect(datasetRows(run())).toEqual([]);
  });
});

describe("filterEntries", () => {
  const entries = [
    { key: "lr", value: "0.01" },
    { key: "optimizer", value: "Adam" },
  ];
  it("matches keys and values, case-insensitively", () => {
    expect(filterEntries(entries, "ADAM")).toEqual([entries[1]]);
    expect(filterEntries(entries, "lr")).toEqual([entries[0]]);
    expect(filterEntries(entries, " ")).toEqual(entries);
  });
});
