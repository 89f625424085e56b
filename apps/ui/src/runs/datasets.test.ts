import { describe, expect, it } from "vitest";
import { datasetsOf, sourceText } from "./datasets.js";
import { fakeRun } from "./fake-runs.test-helpers.js";
import { indexRun } from "./run-fields.js";

const withData = (id: string, sets: [string, string, string?][]) => {
  const run = fakeRun(id);
  run.inputs = {
    dataset_inputs: sets.map(([name, digest, context]) => ({
      dataset: { name, digest, source_type: "local", source: `/data/${name}` },
      tags: context ? [{ key: "mlflow.data.context", value: context }] : [],
    })),
  };
  return indexRun(run);
};

describe("datasetsOf", () => {
  it("groups by name and digest, most used first", () => {
    const out = datasetsOf([
      withData("a", [
        ["mnist", "d1", "train"],
        ["mnist", "d2"],
      ]),
      withData("b", [["mnist", "d1", "eval"]]),
    ]);
    expect(out.map((d) => [d.name, d.digest, d.runs.map((r) => r.id), d.contexts])).toEqual([
      ["mnist", "d1", ["a", "b"], ["train", "eval"]],
      ["mnist", "d2", ["a"], []],
    ]);
  });
});

describe("sourceText", () => {
  it("shows the uri of a JSON source, anything else as it is", () => {
    expect(sourceText('{"uri": "/data/mnist.csv"}')).toBe("/data/mnist.csv");
    expect(sourceText('{"url": "https://x/y"}')).toBe("https://x/y");
    expect(sourceText('{"other": 1}')).toBe('{"other": 1}');
    expect(sourceText("s3://bucket/key")).toBe("s3://bucket/key");
  });
});
