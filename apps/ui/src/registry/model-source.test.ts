import type { LoggedModel, ModelVersion, Run } from "@tracklite/schemas";
import { describe, expect, it } from "vitest";
import { mlmodelUrl, modelArtifactUri, parseModelSource, type SourceResolver, sourceRunId } from "./model-source.js";

describe("parseModelSource", () => {
  it("reads every kind of source", () => {
    expect(parseModelSource("models:/m-0123abc")).toEqual({ kind: "logged-model", modelId: "m-0123abc" });
    expect(parseModelSource("models:/iris/3")).toEqual({ kind: "registered", name: "iris", version: "3" });
    expect(parseModelSource("runs:/r1/model/")).toEqual({ kind: "run", runId: "r1", path: "model" });
    expect(parseModelSource("runs:/r1")).toEqual({ kind: "run", runId: "r1", path: "" });
    expect(parseModelSource("mlflow-artifacts:/1/r1/artifacts/model/")).toEqual({
      kind: "artifacts",
      uri: "mlflow-artifacts:/1/r1/artifacts/model",
    });
    expect(parseModelSource("s3://b/k")).toEqual({ kind: "other", uri: "s3://b/k" });
    expect(sourceRunId("runs:/abc/model")).toBe("abc");
    expect(sourceRunId("models:/m-1")).toBeUndefined();
  });
});

function fakeApi(): SourceResolver & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    async getLoggedModel(id) {
      calls.push(`model ${id}`);
      return { info: { artifact_uri: `mlflow-artifacts:/1/models/${id}/artifacts` } } as LoggedModel;
    },
    async getRun(id) {
      calls.push(`run ${id}`);
      return { info: { artifact_uri: `mlflow-artifacts:/1/${id}/artifacts/` } } as Run;
    },
    async getModelVersion(name, version) {
      calls.push(`version ${name}/${version}`);
      return { name, version, creation_timestamp: 0, source: "runs:/r9/model" } as ModelVersion;
    },
    artifactUrl: (uri, path) => `URL(${uri}|${path})`,
  };
}

describe("mlmodelUrl", () => {
  it("reads a logged model's artifact location", async () => {
    const api = fakeApi();
    expect(await mlmodelUrl("models:/m-abc", api)).toBe("URL(mlflow-artifacts:/1/models/m-abc/artifacts|MLmodel)");
    expect(api.calls).toEqual(["model m-abc"]);
  });

  it("joins a run's artifact location and the path", async () => {
    const api = fakeApi();
    expect(await modelArtifactUri("runs:/r1/model", api)).toBe("mlflow-artifacts:/1/r1/artifacts/model");
  });

  it("uses an mlflow-artifacts location as it is", async () => {
    const api = fakeApi();
    expect(await mlmodelUrl("mlflow-artifacts:/1/r1/artifacts/m", api)).toBe(
      "URL(mlflow-artifacts:/1/r1/artifacts/m|MLmodel)",
    );
    expect(api.calls).toEqual([]);
  });

  it("follows a registered version to its own source", async () => {
    const api = fakeApi();
    expect(await modelArtifactUri("models:/iris/2", api)).toBe("mlflow-artifacts:/1/r9/artifacts/model");
    expect(api.calls).toEqual(["version iris/2", "run r9"]);
  });

  it("refuses locations the server does not serve", async () => {
    await expect(mlmodelUrl("s3://bucket/model", fakeApi())).rejects.toThrow(/not served by this server/);
    await expect(mlmodelUrl("", fakeApi())).rejects.toThrow(/no source/);
  });
});
