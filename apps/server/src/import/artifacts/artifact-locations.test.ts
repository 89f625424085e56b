import { describe, expect, it } from "vitest";
import { artifactUnit, LocationMap, targetArtifactLocation } from "./artifact-locations.js";

describe("targetArtifactLocation", () => {
  const run = { kind: "run", experimentId: "7", runId: "abc" } as const;
  const model = { kind: "logged-model", experimentId: "7", modelId: "m-1" } as const;

  it("keeps a proxied location's path, in both its forms", () => {
    expect(targetArtifactLocation("mlflow-artifacts:/1/abc/artifacts", run)).toEqual({
      uri: "mlflow-artifacts:/1/abc/artifacts",
      path: "1/abc/artifacts",
    });
    expect(targetArtifactLocation("http://old:5000/api/2.0/mlflow-artifacts/artifacts/1/abc/artifacts", run).uri).toBe(
      "mlflow-artifacts:/1/abc/artifacts",
    );
  });

  it("moves local and bucket locations to tracklite's layout, with the target experiment id", () => {
    for (const uri of ["/old/mlruns/1/abc/artifacts", "file:///old/mlruns/1/abc/artifacts", "s3://b/x/1/abc/artifacts"])
      expect(targetArtifactLocation(uri, run), uri).toEqual({
        uri: "mlflow-artifacts:/7/abc/artifacts",
        path: "7/abc/artifacts",
      });
    expect(targetArtifactLocation("s3://b/1/models/m-1/artifacts", model).uri).toBe(
      "mlflow-artifacts:/7/models/m-1/artifacts",
    );
    expect(targetArtifactLocation("/x", { kind: "model-version", name: "a b/c", version: "3" }).path).toBe(
      "model-versions/a%20b%2Fc/3",
    );
    expect(artifactUnit(run)).toBe("artifacts:run:abc");
    expect(artifactUnit(model)).toBe("artifacts:model:m-1");
  });
});

describe("LocationMap", () => {
  it("rewrites a location at or below a placed one, on whole segments, longest first", () => {
    const map = new LocationMap();
    map.add("file:///old/mlruns/1/abc/artifacts/", "mlflow-artifacts:/7/abc/artifacts");
    map.add("file:///old/mlruns/1/abc/artifacts/model", "mlflow-artifacts:/elsewhere");
    map.add("s3://b/1/models/m-1/artifacts", "mlflow-artifacts:/7/models/m-1/artifacts");
    expect(map.rewrite("file:///old/mlruns/1/abc/artifacts")).toBe("mlflow-artifacts:/7/abc/artifacts");
    expect(map.rewrite("file:///old/mlruns/1/abc/artifacts/sub/x")).toBe("mlflow-artifacts:/7/abc/artifacts/sub/x");
    expect(map.rewrite("file:///old/mlruns/1/abc/artifacts/model/y")).toBe("mlflow-artifacts:/elsewhere/y");
    expect(map.rewrite("s3://b/1/models/m-1/artifacts/")).toBe("mlflow-artifacts:/7/models/m-1/artifacts");
    expect(map.rewrite("file:///old/mlruns/1/abcd/artifacts")).toBeUndefined();
    expect(map.rewrite("runs:/abc/model")).toBeUndefined();
    expect(map.rewrite("models:/m-1")).toBeUndefined();
    expect(map.rewrite("s3://b")).toBeUndefined();
  });
});
