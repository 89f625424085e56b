import { describe, expect, it } from "vitest";
import { useTestApp } from "../testing.test-helpers.js";

const t = useTestApp();

const PROMPT = { key: "mlflow.prompt.is_prompt", value: "true" };

async function model(name: string, body: Record<string, unknown> = {}) {
  const r = await t.call("POST", "/registered-models/create", { name, ...body });
  expect(r.status).toBe(200);
  return r.body.registered_model;
}

async function version(name: string, source = "s3://bucket/model", body: Record<string, unknown> = {}) {
  const r = await t.call("POST", "/model-versions/create", { name, source, ...body });
  expect(r.status).toBe(200);
  return r.body.model_version;
}

const names = async (query: Record<string, unknown>) => {
  const r = await t.call("GET", "/registered-models/search", query);
  expect(r.status).toBe(200);
  return (r.body.registered_models ?? []).map((m: { name: string }) => m.name) as string[];
};

describe("registered models", () => {
  it("creates a model with tags in first-set order (a repeated key keeps its last value)", async () => {
    const m = await model("rm-a", {
      description: "about",
      tags: [{ key: "b", value: "1" }, { key: "a", value: "2" }, { key: "b", value: "3" }, { key: "c" }],
    });
    expect(m).toEqual({
      name: "rm-a",
      creation_timestamp: m.creation_timestamp,
      last_updated_timestamp: m.creation_timestamp,
      description: "about",
      tags: [
        { key: "b", value: "3" },
        { key: "a", value: "2" },
        { key: "c", value: "" },
      ],
    });
    expect((await t.call("GET", "/registered-models/get", { name: "rm-a" })).body.registered_model).toEqual(m);
  });

  it("refuses taken and malformed names with the reference's codes and messages", async () => {
    await model("rm-taken");
    const taken = await t.call("POST", "/registered-models/create", { name: "rm-taken" });
    expect([taken.status, taken.body.error_code, taken.body.message]).toEqual([
      400,
      "RESOURCE_ALREADY_EXISTS",
      "Registered Model (name=rm-taken) already exists.",
    ]);
    const prompt = await t.call("POST", "/registered-models/create", { name: "rm-taken", tags: [PROMPT] });
    expect(prompt.body.message).toMatch(
      /^Tried to create a prompt with name 'rm-taken', but the name is already taken/,
    );
    const slash = await t.call("POST", "/registered-models/create", { name: "a/b" });
    expect(slash.body.message).toBe("Invalid model name 'a/b'. Names cannot contain '/' or ':'.");
    const missing = await t.call("POST", "/registered-models/create", {});
    expect(missing.body.message).toMatch(/^Missing value for required parameter 'name'/);
    const unknown = await t.call("GET", "/registered-models/get", { name: "nope" });
    expect([unknown.status, unknown.body.message]).toEqual([404, "Registered Model with name=nope not found"]);
  });

  it("renames (versions follow), updates, tags and deletes", async () => {
    await model("rm-old");
    await version("rm-old");
    const renamed = await t.call("POST", "/registered-models/rename", { name: "rm-old", new_name: "rm-new" });
    expect(renamed.body.registered_model.name).toBe("rm-new");
    expect((await t.call("GET", "/model-versions/get", { name: "rm-new", version: "1" })).status).toBe(200);
    const clash = await t.call("POST", "/registered-models/rename", { name: "rm-new", new_name: "rm-a" });
    expect(clash.body.error_code).toBe("RESOURCE_ALREADY_EXISTS");

    const updated = await t.call("PATCH", "/registered-models/update", { name: "rm-new", description: "d" });
    expect(updated.body.registered_model.description).toBe("d");
    await t.call("POST", "/registered-models/set-tag", { name: "rm-new", key: "k", value: "v" });
    await t.call("DELETE", "/registered-models/delete-tag", { name: "rm-new", key: "absent" });
    expect((await t.call("GET", "/registered-models/get", { name: "rm-new" })).body.registered_model.tags).toEqual([
      { key: "k", value: "v" },
    ]);

    expect((await t.call("DELETE", "/registered-models/delete", { name: "rm-new" })).body).toEqual({});
    expect((await t.call("GET", "/model-versions/get", { name: "rm-new", version: "1" })).status).toBe(404);
    expect((await t.call("DELETE", "/registered-models/delete", { name: "rm-new" })).status).toBe(404);
  });

  it("lists the latest version per stage, in first-seen order for get and by stage for search", async () => {
    await model("rm-stages");
    for (const i of [1, 2, 3]) await version("rm-stages", `s3://bucket/${i}`);
    await t.call("POST", "/model-versions/transition-stage", { name: "rm-stages", version: "2", stage: "staging" });
    const got = (await t.call("GET", "/registered-models/get", { name: "rm-stages" })).body.registered_model;
    expect(got.latest_versions.map((v: { version: string }) => v.version)).toEqual(["3", "2"]);
    const found = await t.call("GET", "/registered-models/search", { filter: "name = 'rm-stages'" });
    expect(found.body.registered_models[0].latest_versions.map((v: { version: string }) => v.version)).toEqual([
      "3",
      "2",
    ]);
    const latest = await t.call("POST", "/registered-models/get-latest-versions", {
      name: "rm-stages",
      stages: ["Staging"],
    });
    expect(latest.body.model_versions.map((v: { version: string }) => v.version)).toEqual(["2"]);
    const bad = await t.call("GET", "/registered-models/get-latest-versions", { name: "rm-stages", stages: ["x"] });
    expect(bad.body.message).toBe(
      "Invalid Model Version stage: x. Value must be one of None, Staging, Production, Archived.",
    );
  });

  it("searches by name and tags, hides prompts, and pages with offset tokens", async () => {
    await model("s-1", { tags: [{ key: "team", value: "x" }] });
    await model("s-2", { tags: [{ key: "team", value: "y" }] });
    await model("s-3", { tags: [{ key: "team", value: "x" }] });
    await model("s-prompt", { tags: [PROMPT] });
    expect(await names({ filter: "name LIKE 's-%'" })).toEqual(["s-1", "s-2", "s-3"]);
    expect(await names({ filter: "name LIKE 's-%' AND tags.team = 'x'", order_by: ["name DESC"] })).toEqual([
      "s-3",
      "s-1",
    ]);
    expect(await names({ filter: "tags.`mlflow.prompt.is_prompt` = 'true' AND name LIKE 's-%'" })).toEqual([
      "s-prompt",
    ]);
    expect(await names({ filter: "tags.`mlflow.prompt.is_prompt` != 'true' AND name LIKE 's-%'" })).toEqual([
      "s-1",
      "s-2",
      "s-3",
    ]);
    const first = await t.call("GET", "/registered-models/search", { filter: "name LIKE 's-%'", max_results: 2 });
    expect(atob(first.body.next_page_token)).toBe('{"offset": 2}');
    expect(await names({ filter: "name LIKE 's-%'", max_results: 2, page_token: first.body.next_page_token })).toEqual([
      "s-3",
    ]);
    const tooMany = await t.call("GET", "/registered-models/search", { max_results: 1001 });
    expect(tooMany.body.message).toMatch(/^Invalid value "1001" for parameter 'max_results' supplied/);
  });
});
