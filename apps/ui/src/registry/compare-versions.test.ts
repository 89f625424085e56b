import type { ModelVersion, Run } from "@tracklite/schemas";
import { describe, expect, it } from "vitest";
import { fakeRun } from "../runs/fake-runs.test-helpers.js";
import { compareRows, signatureText, versionsFromQuery } from "./compare-versions.js";

const mv = (version: string, extra: Partial<ModelVersion> = {}): ModelVersion => ({
  name: "wine",
  version,
  creation_timestamp: 1,
  current_stage: "None",
  ...extra,
});
const col = (name: string, type: string) => ({ name, type, shape: "", required: true, default: "" });

describe("versionsFromQuery", () => {
  it("reads versions=1,3 and MLflow's runs={…} keys", () => {
    expect(versionsFromQuery(new URLSearchParams("versions=1,3,1"))).toEqual(["1", "3"]);
    expect(versionsFromQuery(new URLSearchParams(`runs=${encodeURIComponent('{"2":"abc","4":null}')}`))).toEqual([
      "2",
      "4",
    ]);
    expect(versionsFromQuery(new URLSearchParams("runs=[1,2]"))).toEqual([]);
    expect(versionsFromQuery(new URLSearchParams(""))).toEqual([]);
  });
});

describe("compareRows", () => {
  it("puts details, tags, params, metrics and the signature side by side and marks differences", () => {
    const r1: Run = fakeRun("r1", { name: "shallow", params: { max_depth: "4", n: "100" }, metrics: { acc: 0.912 } });
    const r2: Run = fakeRun("r2", { name: "deep", params: { max_depth: "12", n: "100" }, metrics: { acc: 0.947 } });
    const rows = compareRows([
      {
        version: mv("1", { aliases: ["challenger"], tags: [{ key: "validation", value: "pending" }] }),
        run: r1,
        runName: "shallow",
        signature: { inputs: { columns: [col("alcohol", "double")] } },
      },
      {
        version: mv("2", {
          aliases: ["champion"],
          tags: [
            { key: "validation", value: "passed" },
            { key: "mlflow.internal", value: "x" },
          ],
        }),
        run: r2,
        runName: "deep",
        signature: { inputs: { columns: [col("alcohol", "double")] } },
      },
    ]);
    const get = (section: string, key: string) => rows.find((r) => r.section === section && r.key === key);
    expect(get("Details", "Stage")).toMatchObject({ values: ["None", "None"], differs: false });
    expect(get("Details", "Aliases")).toMatchObject({ values: ["@challenger", "@champion"], differs: true });
    expect(get("Details", "Source run")?.values).toEqual(["shallow", "deep"]);
    expect(get("Tags", "validation")).toMatchObject({ values: ["pending", "passed"], differs: true });
    expect(get("Tags", "mlflow.internal")).toBeUndefined();
    expect(get("Parameters", "max_depth")).toMatchObject({ values: ["4", "12"], differs: true });
    expect(get("Parameters", "n")).toMatchObject({ values: ["100", "100"], differs: false });
    expect(get("Metrics", "acc")).toMatchObject({ values: ["0.912", "0.947"], differs: true });
    expect(get("Signature", "inputs")).toMatchObject({
      values: ["alcohol: double", "alcohol: double"],
      differs: false,
    });
    expect(get("Signature", "outputs")).toBeUndefined();
  });

  it("leaves a value empty where a version lacks it", () => {
    const rows = compareRows([{ version: mv("1", { tags: [{ key: "only", value: "here" }] }) }, { version: mv("2") }]);
    expect(rows.find((r) => r.key === "only")).toMatchObject({ values: ["here", ""], differs: true });
  });
});

describe("signatureText", () => {
  it("writes columns as name: type, or the error", () => {
    expect(signatureText({ columns: [col("a", "double"), { ...col("", "tensor<float64>"), shape: "(-1, 4)" }] })).toBe(
      "a: double, tensor<float64> (-1, 4)",
    );
    expect(signatureText({ error: "bad" })).toBe("bad");
    expect(signatureText(undefined)).toBe("");
  });
});
