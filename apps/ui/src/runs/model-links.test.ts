import type { LoggedModel, ModelVersion } from "@tracklite/schemas";
import { describe, expect, it } from "vitest";
import { versionsFromTag } from "../registry/logged-model-tag.js";
import { fakeRun } from "./fake-runs.test-helpers.js";
import { modelLinksOf } from "./model-links.js";
import { indexRun } from "./run-fields.js";

const loggedModel = (id: string, name: string, tags: Record<string, string> = {}): LoggedModel => ({
  info: {
    model_id: id,
    experiment_id: "7",
    name,
    creation_timestamp_ms: 1,
    last_updated_timestamp_ms: 1,
    artifact_uri: `mlflow-artifacts:/7/models/${id}/artifacts`,
    status: "LOGGED_MODEL_READY",
    tags: Object.entries(tags).map(([key, value]) => ({ key, value })),
  },
  data: {},
});
const version = (name: string, v: string, source: string, runId = "r1"): ModelVersion => ({
  name,
  version: v,
  creation_timestamp: 1,
  source,
  run_id: runId,
});

describe("versionsFromTag", () => {
  it("reads the client's list, once per version although it writes numbers and strings", () => {
    const tag = '[{"name": "wine", "version": 1}, {"name": "wine", "version": "1"}, {"name": "wine", "version": 2}]';
    expect(versionsFromTag(tag)).toEqual([
      { name: "wine", version: "1" },
      { name: "wine", version: "2" },
    ]);
  });

  it("ignores what is not such a list", () => {
    expect(versionsFromTag(undefined)).toEqual([]);
    expect(versionsFromTag("not json")).toEqual([]);
    expect(versionsFromTag('{"name": "x"}')).toEqual([]);
    expect(versionsFromTag('[{"name": "x"}, {"version": 3}]')).toEqual([]);
  });
});

describe("modelLinksOf", () => {
  it("shows a registered logged model as name and version, linked to the version page", () => {
    const run = fakeRun("r1");
    run.outputs = { model_outputs: [{ model_id: "m-aaaa", step: 0 }] };
    const links = modelLinksOf(indexRun(run), "7", [version("wine-classifier", "5", "models:/m-aaaa")], new Map());
    expect(links).toEqual([
      {
        kind: "version",
        label: "wine-classifier",
        version: "5",
        href: "#/models/wine-classifier/versions/5",
        title: "wine-classifier version 5 (logged model m-aaaa)",
      },
    ]);
  });

  it("takes versions from the logged model's tag too, newest first, and links unregistered models by name", () => {
    const run = fakeRun("r1");
    run.outputs = {
      model_outputs: [
        { model_id: "m-aaaa", step: 0 },
        { model_id: "m-bbbb", step: 0 },
        { model_id: "m-cccc", step: 0 },
      ],
    };
    const models = new Map([
      ["m-aaaa", loggedModel("m-aaaa", "clf", { "mlflow.modelVersions": '[{"name": "a b/c", "version": 2}]' })],
      ["m-bbbb", loggedModel("m-bbbb", "unregistered")],
    ]);
    const links = modelLinksOf(indexRun(run), "7", [version("a b/c", "1", "models:/m-zzzz")], models);
    expect(links.map((l) => [l.kind, l.label, l.version, l.href])).toEqual([
      ["version", "a b/c", "2", "#/models/a%20b%2Fc/versions/2"],
      ["version", "a b/c", "1", "#/models/a%20b%2Fc/versions/1"],
      ["logged-model", "unregistered", undefined, "#/experiments/7/models/m-bbbb"],
      // Not readable (another experiment, say): its short id, still linked to its page.
      ["logged-model", "m-cccc", undefined, "#/experiments/7/models/m-cccc"],
    ]);
  });

  it("links a model of the log-model history by artifact path, unless a version was made from that path", () => {
    const run = fakeRun("r1", {
      tags: { "mlflow.log-model.history": '[{"artifact_path": "model"}, {"artifact_path": "other"}]' },
    });
    const links = modelLinksOf(indexRun(run), "7", [version("old", "3", "runs:/r1/model")], new Map());
    expect(links.map((l) => [l.kind, l.label, l.version, l.href])).toEqual([
      ["version", "old", "3", "#/models/old/versions/3"],
      ["artifact", "other", undefined, "#/experiments/7/runs/r1?tab=artifacts&path=other"],
    ]);
  });

  it("knows a history model registered through its resolved artifact location", () => {
    const run = fakeRun("r1", { tags: { "mlflow.log-model.history": '[{"artifact_path": "model"}]' } });
    const v = version("old", "4", "mlflow-artifacts:/7/r1/artifacts/model");
    expect(modelLinksOf(indexRun(run), "7", [v], new Map()).map((l) => l.label)).toEqual(["old"]);
  });

  it("has no links for a run without models or versions", () => {
    expect(modelLinksOf(indexRun(fakeRun("r1")), "7", [], new Map())).toEqual([]);
  });
});
