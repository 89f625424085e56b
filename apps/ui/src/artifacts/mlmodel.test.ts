import { describe, expect, it } from "vitest";
import { mlmodelSummary, signaturePart, typeText } from "./mlmodel.js";
import { parseYaml } from "./parse-yaml.js";

const MLMODEL = `artifact_path: model
flavors:
  python_function:
    env:
      conda: conda.yaml
      virtualenv: python_env.yaml
    loader_module: mlflow.sklearn
    model_path: model.pkl
    predict_fn: predict
    python_version: 3.11.2
  sklearn:
    code: null
    pickled_model: model.pkl
    serialization_format: cloudpickle
    sklearn_version: 1.9.1
mlflow_version: 3.17.2
model_id: m-0123456789abcdef
model_uuid: 5a1c1f1e2d3c4b5a
run_id: 0f1e2d3c4b5a69788796a5b4c3d2e1f0
signature:
  inputs: '[{"type": "double", "name": "sepal length", "required": true}, {"type": "long", "name": "petals", "required": false}]'
  outputs: '[{"type": "tensor", "tensor-spec": {"dtype": "int64", "shape": [-1]}}]'
  params: '[{"name": "temperature", "type": "double", "default": 0.5, "shape": null}]'
utc_time_created: '2026-11-27 10:31:46.123456'
`;

describe("mlmodelSummary", () => {
  it("reads flavors, ids and the signature's JSON strings", async () => {
    const s = mlmodelSummary(await parseYaml(MLMODEL));
    expect(s.flavors).toEqual([
      { name: "python_function", detail: "mlflow.sklearn" },
      { name: "sklearn", detail: "1.9.1" },
    ]);
    expect(s.runId).toBe("0f1e2d3c4b5a69788796a5b4c3d2e1f0");
    expect(s.modelId).toBe("m-0123456789abcdef");
    expect(s.created).toBe("2026-11-27 10:31:46.123456");
    expect(s.signature?.inputs).toEqual({
      columns: [
        { name: "sepal length", type: "double", shape: "", required: true, default: "" },
        { name: "petals", type: "long", shape: "", required: false, default: "" },
      ],
    });
    expect(s.signature?.outputs).toEqual({
      columns: [{ name: "[0]", type: "tensor<int64>", shape: "(-1,)", required: true, default: "" }],
    });
    expect(s.signature?.params).toEqual({
      columns: [{ name: "temperature", type: "double", shape: "", required: true, default: "0.5" }],
    });
  });

  it("has no signature when the file has none, and survives junk", async () => {
    expect(mlmodelSummary(await parseYaml("flavors: {}\n")).signature).toBeUndefined();
    expect(mlmodelSummary("not a mapping")).toEqual({
      flavors: [],
      runId: "",
      modelId: "",
      created: "",
      modelUuid: "",
    });
    expect(mlmodelSummary(await parseYaml("signature:\n  inputs: null\n")).signature).toEqual({});
  });
});

describe("signaturePart", () => {
  it("keeps an unquoted timestamp a string (the core schema, no Date)", async () => {
    const parsed = (await parseYaml("utc_time_created: 2026-11-27 10:31:46.123456\n")) as Record<string, unknown>;
    expect(parsed.utc_time_created).toBe("2026-11-27 10:31:46.123456");
  });

  it("reports invalid JSON instead of throwing", async () => {
    expect(signaturePart("[{")).toMatchObject({ error: expect.stringContaining("Not valid JSON") });
    expect(signaturePart('{"a": 1}')).toEqual({ error: "Expected a list of column specs." });
  });

  it("accepts a YAML list as well as a JSON string", async () => {
    expect(signaturePart([{ name: "x", type: "string" }])).toEqual({
      columns: [{ name: "x", type: "string", shape: "", required: true, default: "" }],
    });
  });

  it("shows tensor shapes of several dimensions", async () => {
    const part = signaturePart('[{"type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1, 28, 28]}}]');
    expect(part).toEqual({
      columns: [{ name: "[0]", type: "tensor<float32>", shape: "(-1, 28, 28)", required: true, default: "" }],
    });
  });
});

describe("typeText", () => {
  it("spells nested types", async () => {
    expect(typeText({ type: "array", items: { type: "string" } })).toBe("array<string>");
    expect(
      typeText({
        type: "object",
        properties: { a: { type: "long" }, b: { type: "array", items: { type: "double" } } },
      }),
    ).toBe("object{a: long, b: array<double>}");
    expect(typeText({ type: "map", values: { type: "double" } })).toBe("map<string, double>");
  });
});
