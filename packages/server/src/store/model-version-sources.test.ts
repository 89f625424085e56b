import { describe, expect, it } from "vitest";
import { parseModelUri } from "./model-uri.js";
import {
  checkNoRelativePaths,
  rejectHostAddressed,
  urlparse,
  validateModelSource,
  validateRunSource,
} from "./model-version-sources.js";

const RUN = "0123456789abcdef0123456789abcdef";
const RUN_ROOT = `mlflow-artifacts:/1/${RUN}/artifacts`;
const MODEL_ROOT = "mlflow-artifacts:/1/models/m-1/artifacts";
const runs = async (id: string) => (id === RUN ? { artifactUri: RUN_ROOT } : undefined);
const models = async (id: string) => (id === "m-1" ? { artifactUri: MODEL_ROOT } : undefined);
const modelIdOf = (source: string) => parseModelUri(source).modelId;

describe("urlparse", () => {
  it("splits like Python's urlparse", () => {
    expect(urlparse("S3://Bucket/a/b?x#y")).toEqual({ scheme: "s3", netloc: "Bucket", path: "/a/b" });
    expect(urlparse("mlflow-artifacts:/1/x")).toEqual({ scheme: "mlflow-artifacts", netloc: "", path: "/1/x" });
    expect(urlparse("relative/path")).toEqual({ scheme: "", netloc: "", path: "relative/path" });
  });
});

describe("models:/ URIs", () => {
  it("tell logged models, versions, stages, latest and aliases apart", () => {
    expect(parseModelUri("models:/m-123")).toEqual({ modelId: "m-123" });
    expect(parseModelUri("models:/clf/3")).toEqual({ name: "clf", version: "3" });
    expect(parseModelUri("models:/clf/Latest")).toEqual({ name: "clf" });
    expect(parseModelUri("models:/clf/Staging")).toEqual({ name: "clf", stage: "Staging" });
    expect(parseModelUri("models:/clf@champ")).toEqual({ name: "clf", alias: "champ" });
    for (const bad of ["models:/", "models:/a/b/c", "models:/a/ ", "runs:/x", "models:/clf@"]) {
      expect(() => parseModelUri(bad), bad).toThrow(/Not a proper models:\/ URI/);
    }
  });
});

describe("source checks", () => {
  it("refuse traversal, NUL and relative paths, however encoded", () => {
    for (const bad of [
      "s3://b/a/../c",
      "s3://b/a/%2e%2e/c",
      "s3://b/a/%252e%252e/c",
      "s3://b/a%00",
      "s3://b",
      "s3://b/a/./c",
      "s3:rel/path",
    ]) {
      expect(() => checkNoRelativePaths(bad), bad).toThrow(/an absolute path must be provided/);
    }
    expect(() => checkNoRelativePaths("s3://b//a/b/")).not.toThrow();
  });

  it("refuse sources naming a host the server would connect to", () => {
    expect(() => rejectHostAddressed("https://h/x")).toThrow(/'source' cannot use the 'https' scheme/);
    expect(() => rejectHostAddressed("mlflow-artifacts://h:1/x")).toThrow(/'mlflow-artifacts' scheme/);
    expect(() => rejectHostAddressed("mlflow-artifacts:/1/x")).not.toThrow();
    expect(() => rejectHostAddressed("s3://bucket/x")).not.toThrow();
  });

  it("accept a run's source only inside that run's artifacts", async () => {
    await expect(validateRunSource(`${RUN_ROOT}/model`, RUN, runs, modelIdOf)).resolves.toBeUndefined();
    await expect(validateRunSource(`runs:/${RUN}/model`, RUN, runs, modelIdOf)).resolves.toBeUndefined();
    await expect(validateRunSource("s3://bucket/model", "", runs, modelIdOf)).resolves.toBeUndefined();
    await expect(validateRunSource(`${RUN_ROOT}/model`, "", runs, modelIdOf)).rejects.toThrow(
      /The run_id request parameter must identify/,
    );
    await expect(validateRunSource("mlflow-artifacts:/1/other/model", RUN, runs, modelIdOf)).rejects.toThrow(
      /The run_id request parameter/,
    );
    await expect(validateRunSource(`runs:/${RUN}/model`, "other", runs, modelIdOf)).rejects.toThrow(/run_id/);
    await expect(validateRunSource("models:/m-1", "", runs, modelIdOf)).rejects.toThrow(/The model_id request/);
    await expect(validateRunSource("/tmp/model", RUN, runs, modelIdOf)).rejects.toThrow(/To use a local path/);
  });

  it("accept a logged model's source only inside that model's artifacts", async () => {
    await expect(validateModelSource(`${MODEL_ROOT}/x`, "m-1", models, modelIdOf)).resolves.toBeUndefined();
    await expect(validateModelSource("models:/m-1", "m-1", models, modelIdOf)).resolves.toBeUndefined();
    await expect(validateModelSource("models:/m-2", "m-1", models, modelIdOf)).rejects.toThrow(/model_id/);
    await expect(validateModelSource(`runs:/${RUN}/m`, "m-1", models, modelIdOf)).rejects.toThrow(/model_id/);
    await expect(validateModelSource(`${MODEL_ROOT}/x`, "m-2", models, modelIdOf)).rejects.toThrow(/model_id/);
  });
});
