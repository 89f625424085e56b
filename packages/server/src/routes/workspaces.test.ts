import { describe, expect, it } from "vitest";
import { useTestApp } from "../testing.test-helpers.js";
import { send } from "../workspaces/send.test-helpers.js";

const V3 = { prefix: "/api/3.0" };

describe("workspaces off (the default)", () => {
  const t = useTestApp();

  it("answers the workspace API with the reference's 503", async () => {
    const r = await send(t, "GET", "/mlflow/workspaces", V3);
    expect(r.status).toBe(503);
    expect(r.body).toBe(
      "Endpoint: /api/3.0/mlflow/workspaces disabled because the server is running without workspaces support. To enable workspace, run `mlflow server` with `--enable-workspaces`",
    );
    const del = await send(t, "DELETE", "/mlflow/workspaces/team-a", { prefix: "/ajax-api/3.0" });
    expect(del.status).toBe(503);
    expect(del.body).toContain("Endpoint: /ajax-api/3.0/mlflow/workspaces/<workspace_name> disabled");
  });

  it("refuses a workspace header, and reports workspaces off in server-info", async () => {
    const r = await send(t, "GET", "/mlflow/experiments/get", { ws: "team-a", body: { experiment_id: "0" } });
    expect(r.status).toBe(400);
    expect(r.body.error_code).toBe("FEATURE_DISABLED");
    expect((await send(t, "GET", "/mlflow/experiments/get", { ws: "  ", body: { experiment_id: "0" } })).status).toBe(
      200,
    );
    const info = await send(t, "GET", "/mlflow/server-info", { ...V3, ws: "team-a" });
    expect(info.body.workspaces_enabled).toBe(false);
  });

  it("keeps the legacy artifact root and the 'default' workspace field", async () => {
    const r = await send(t, "POST", "/mlflow/experiments/create", { body: { name: "plain" } });
    const e = await send(t, "GET", "/mlflow/experiments/get", { body: { experiment_id: r.body.experiment_id } });
    expect(e.body.experiment.artifact_location).toBe(`mlflow-artifacts:/${r.body.experiment_id}`);
    expect(e.body.experiment.workspace).toBe("default");
  });
});

describe("workspaces on", () => {
  const t = useTestApp({ enableWorkspaces: true });

  it("lists the default workspace, creates (201), gets, updates and deletes (204) others", async () => {
    expect((await send(t, "GET", "/mlflow/workspaces", V3)).body).toEqual({
      workspaces: [{ name: "default", description: "Default workspace for legacy resources" }],
    });
    const created = await send(t, "POST", "/mlflow/workspaces", { ...V3, body: { name: "team-a", description: "A" } });
    expect(created).toEqual({ status: 201, body: { workspace: { name: "team-a", description: "A" } } });
    expect((await send(t, "POST", "/mlflow/workspaces", { ...V3, body: { name: "team-b" } })).status).toBe(201);
    expect((await send(t, "GET", "/mlflow/workspaces/team-a", { prefix: "/ajax-api/3.0" })).body).toEqual({
      workspace: { name: "team-a", description: "A" },
    });
    const updated = await send(t, "PATCH", "/mlflow/workspaces/team-b", { ...V3, body: { description: "B" } });
    expect(updated.body).toEqual({ workspace: { name: "team-b", description: "B" } });
    expect((await send(t, "DELETE", "/mlflow/workspaces/team-b", V3)).status).toBe(204);
    expect((await send(t, "GET", "/mlflow/workspaces/team-b", V3)).body.message).toBe("Workspace 'team-b' not found");
    // Only under the 3.0 prefixes, as in the reference.
    expect((await send(t, "GET", "/mlflow/workspaces")).status).toBe(404);
  });

  it("refuses bad names, reserved names, duplicates and empty updates with the reference's messages", async () => {
    const cases: [string, string, unknown, number, string][] = [
      [
        "POST",
        "/mlflow/workspaces",
        { name: "default" },
        400,
        "The 'default' workspace is reserved and cannot be created",
      ],
      ["POST", "/mlflow/workspaces", { name: "Bad_1" }, 400, "Workspace name 'Bad_1' must match the pattern"],
      ["POST", "/mlflow/workspaces", { name: "a" }, 400, "Workspace name 'a' must be between 2 and 63 characters."],
      ["POST", "/mlflow/workspaces", { name: "api" }, 400, "Workspace name 'api' is reserved and cannot be used."],
      ["POST", "/mlflow/workspaces", {}, 400, "Missing value for required parameter 'name'."],
      ["POST", "/mlflow/workspaces", { name: "team-a" }, 400, "Workspace 'team-a' already exists."],
      ["PATCH", "/mlflow/workspaces/team-a", {}, 400, "Workspace update must have at least one key"],
      ["PATCH", "/mlflow/workspaces/nope", { description: "x" }, 404, "Workspace 'nope' not found"],
      [
        "DELETE",
        "/mlflow/workspaces/default",
        undefined,
        400,
        "The 'default' workspace is reserved and cannot be deleted",
      ],
      [
        "DELETE",
        "/mlflow/workspaces/team-a?mode=bogus",
        undefined,
        400,
        "Invalid deletion mode 'bogus'. Must be one of: SET_DEFAULT, CASCADE, RESTRICT",
      ],
    ];
    for (const [method, path, body, status, message] of cases) {
      const r = await send(t, method, path, { ...V3, body });
      expect(r.status, `${method} ${path}`).toBe(status);
      expect(r.body.message, `${method} ${path}`).toContain(message);
    }
  });

  it("resolves the header: unknown → 404, malformed → 400, blank → default", async () => {
    const get = (ws: string) => send(t, "GET", "/mlflow/experiments/get", { ws, body: { experiment_id: "0" } });
    expect((await get("nope")).body).toMatchObject({
      error_code: "RESOURCE_DOES_NOT_EXIST",
      message: "Workspace 'nope' not found",
    });
    expect((await get("Bad_X")).status).toBe(400);
    const blank = await get(" ");
    expect(blank.status).toBe(200);
    expect(blank.body.experiment).toMatchObject({
      workspace: "default",
      artifact_location: "mlflow-artifacts:/workspaces/default/0",
    });
    const info = await send(t, "GET", "/mlflow/server-info", { ...V3, ws: "nope" });
    expect(info.body.workspaces_enabled).toBe(true);
  });

  it("scopes experiments: one name per workspace, search sees its own, other workspaces' ids are not found", async () => {
    await send(t, "POST", "/mlflow/workspaces", { ...V3, body: { name: "team-c" } });
    const a = await send(t, "POST", "/mlflow/experiments/create", { ws: "team-a", body: { name: "shared" } });
    const d = await send(t, "POST", "/mlflow/experiments/create", { body: { name: "shared" } });
    expect(a.status).toBe(200);
    expect(d.status).toBe(200);
    const again = await send(t, "POST", "/mlflow/experiments/create", { ws: "team-a", body: { name: "shared" } });
    expect(again.body.error_code).toBe("RESOURCE_ALREADY_EXISTS");
    const withLocation = await send(t, "POST", "/mlflow/experiments/create", {
      ws: "team-a",
      body: { name: "x", artifact_location: "/tmp/x" },
    });
    expect(withLocation.body.message).toBe("artifact_location cannot be specified when workspaces are enabled");

    const got = await send(t, "GET", "/mlflow/experiments/get", {
      ws: "team-a",
      body: { experiment_id: a.body.experiment_id },
    });
    expect(got.body.experiment).toMatchObject({
      name: "shared",
      workspace: "team-a",
      artifact_location: `mlflow-artifacts:/workspaces/team-a/${a.body.experiment_id}`,
    });
    const cross = await send(t, "GET", "/mlflow/experiments/get", { body: { experiment_id: a.body.experiment_id } });
    expect(cross).toEqual({
      status: 404,
      body: expect.objectContaining({ message: `No Experiment with id=${a.body.experiment_id} exists` }),
    });
    const byName = await send(t, "GET", "/mlflow/experiments/get-by-name", {
      ws: "team-c",
      body: { experiment_name: "shared" },
    });
    expect(byName.status).toBe(404);

    const search = async (ws?: string) =>
      (await send(t, "POST", "/mlflow/experiments/search", { ...(ws ? { ws } : {}), body: { max_results: 100 } })).body
        .experiments ?? [];
    expect((await search("team-a")).map((e: any) => e.experiment_id)).toEqual([a.body.experiment_id]);
    expect((await search()).map((e: any) => e.name).sort()).toEqual(["Default", "shared"]);
    expect(await search("team-c")).toEqual([]);
  });

  it("scopes runs, metrics and logged models through their experiment", async () => {
    const exp = await send(t, "POST", "/mlflow/experiments/create", { ws: "team-a", body: { name: "runs-a" } });
    const eid = exp.body.experiment_id;
    const run = await send(t, "POST", "/mlflow/runs/create", { ws: "team-a", body: { experiment_id: eid } });
    const runId = run.body.run.info.run_id;
    expect(run.body.run.info.artifact_uri).toBe(`mlflow-artifacts:/workspaces/team-a/${eid}/${runId}/artifacts`);
    const metric = { run_id: runId, key: "loss", value: 1, timestamp: 1, step: 0 };
    expect((await send(t, "POST", "/mlflow/runs/log-metric", { ws: "team-a", body: metric })).status).toBe(200);

    const notFound = { status: 404, body: expect.objectContaining({ message: `Run with id=${runId} not found` }) };
    expect(await send(t, "GET", "/mlflow/runs/get", { body: { run_id: runId } })).toEqual(notFound);
    expect(await send(t, "POST", "/mlflow/runs/log-metric", { body: metric })).toEqual(notFound);
    expect(
      await send(t, "GET", "/mlflow/metrics/get-history", { body: { run_id: runId, metric_key: "loss" } }),
    ).toEqual(notFound);
    expect(await send(t, "POST", "/mlflow/runs/create", { body: { experiment_id: eid } })).toMatchObject({
      status: 404,
    });
    const bulk = { run_ids: runId, metric_key: "loss" };
    expect(await send(t, "GET", "/mlflow/metrics/get-history-bulk-interval", { body: bulk })).toEqual(notFound);
    const sampled = await send(t, "GET", "/mlflow/metrics/get-history-bulk-interval", { ws: "team-a", body: bulk });
    expect(sampled.body.metrics).toHaveLength(1);
    const ajaxBulk = await send(t, "GET", "/mlflow/metrics/get-history-bulk", {
      prefix: "/ajax-api/2.0",
      body: { run_id: runId, metric_key: "loss" },
    });
    expect(ajaxBulk.body).toEqual({ metrics: [] });

    const searchRuns = async (ws?: string) =>
      (await send(t, "POST", "/mlflow/runs/search", { ...(ws ? { ws } : {}), body: { experiment_ids: [eid] } })).body;
    expect((await searchRuns("team-a")).runs).toHaveLength(1);
    expect(await searchRuns()).toEqual({});

    const model = await send(t, "POST", "/mlflow/logged-models", {
      ws: "team-a",
      body: { experiment_id: eid, name: "lm" },
    });
    expect(model.body.model.info.artifact_uri).toBe(
      `mlflow-artifacts:/workspaces/team-a/${eid}/models/${model.body.model.info.model_id}/artifacts`,
    );
    const otherGet = await send(t, "GET", `/mlflow/logged-models/${model.body.model.info.model_id}`);
    expect(otherGet.status).toBe(404);
  });

  it("scopes registered models and their versions", async () => {
    for (const ws of ["team-a", undefined]) {
      const r = await send(t, "POST", "/mlflow/registered-models/create", {
        ...(ws ? { ws } : {}),
        body: { name: "m1" },
      });
      expect(r.status).toBe(200);
    }
    await send(t, "POST", "/mlflow/registered-models/create", { ws: "team-a", body: { name: "only-a" } });
    const names = async (ws?: string) =>
      (
        (await send(t, "GET", "/mlflow/registered-models/search", { ...(ws ? { ws } : {}) })).body.registered_models ??
        []
      )
        .map((m: any) => m.name)
        .sort();
    expect(await names("team-a")).toEqual(["m1", "only-a"]);
    expect(await names()).toEqual(["m1"]);
    expect((await send(t, "GET", "/mlflow/registered-models/get", { body: { name: "only-a" } })).status).toBe(404);
    const exp = await send(t, "POST", "/mlflow/experiments/create", { ws: "team-a", body: { name: "for-models" } });
    const run = await send(t, "POST", "/mlflow/runs/create", {
      ws: "team-a",
      body: { experiment_id: exp.body.experiment_id },
    });
    const runId = run.body.run.info.run_id;
    const mv = await send(t, "POST", "/mlflow/model-versions/create", {
      ws: "team-a",
      body: { name: "only-a", source: `runs:/${runId}/model`, run_id: runId },
    });
    expect(mv.status).toBe(200);
    expect((await send(t, "GET", "/mlflow/model-versions/search", { ws: "team-a" })).body.model_versions).toHaveLength(
      1,
    );
    expect((await send(t, "GET", "/mlflow/model-versions/search")).body).toEqual({});
    expect(
      (await send(t, "GET", "/mlflow/model-versions/get", { body: { name: "only-a", version: "1" } })).status,
    ).toBe(404);
  });

  it("keeps proxied artifacts under workspaces/<name>/ and refuses another workspace's prefix", async () => {
    const put = (ws: string | undefined, path: string) =>
      t.app.request(`http://localhost/api/2.0/mlflow-artifacts/artifacts/${path}`, {
        method: "PUT",
        body: "x",
        headers: ws ? { "X-MLFLOW-WORKSPACE": ws } : {},
      });
    expect((await put("team-a", "a/file.txt")).status).toBe(200);
    expect((await put("team-a", "workspaces/team-a/b.txt")).status).toBe(200);
    expect((await put(undefined, "legacy.txt")).status).toBe(200);
    const refused = await put("team-a", "workspaces/team-c/x.txt");
    expect(refused.status).toBe(400);
    expect((await refused.json()).message).toBe(
      "Artifact path targets workspace 'team-c' but the workspace specified in the request is 'team-a'.",
    );
    const { existsSync } = await import("node:fs");
    const { join } = await import("node:path");
    expect(existsSync(join(t.dir, "artifacts/workspaces/team-a/a/file.txt"))).toBe(true);
    expect(existsSync(join(t.dir, "artifacts/workspaces/team-a/b.txt"))).toBe(true);
    expect(existsSync(join(t.dir, "artifacts/legacy.txt"))).toBe(true);
    // A workspace reads its own files by their unprefixed path; the default workspace does not see them.
    const read = await t.app.request("http://localhost/api/2.0/mlflow-artifacts/artifacts/a/file.txt", {
      headers: { "X-MLFLOW-WORKSPACE": "team-a" },
    });
    expect(await read.text()).toBe("x");
    expect((await t.app.request("http://localhost/api/2.0/mlflow-artifacts/artifacts/a/file.txt")).status).toBe(404);
  });

  it("deletes a workspace by mode: RESTRICT refuses, SET_DEFAULT checks names, CASCADE removes", async () => {
    const restrict = await send(t, "DELETE", "/mlflow/workspaces/team-a", V3);
    expect(restrict.body.message).toBe(
      "Cannot delete workspace 'team-a': table 'registered_models' still contains 2 resource(s). Remove or reassign them before deleting the workspace.",
    );
    const setDefault = await send(t, "DELETE", "/mlflow/workspaces/team-a?mode=SET_DEFAULT", V3);
    expect(setDefault.body.message).toBe(
      "Cannot reassign resources from workspace 'team-a' to 'default': the following names already exist in the default workspace and would cause conflicts:\n  - registered_models: 'm1'\n  - experiments: 'shared'\nRename or remove the conflicting resources before retrying.",
    );
    expect((await send(t, "DELETE", "/mlflow/workspaces/team-a?mode=CASCADE", V3)).status).toBe(204);
    expect(
      (await send(t, "GET", "/mlflow/experiments/get-by-name", { body: { experiment_name: "runs-a" } })).status,
    ).toBe(404);
    const left = await t.store.in(undefined).searchRuns({ experimentIds: ["1", "2", "3", "4", "5"] });
    expect(left.runs).toEqual([]);

    // SET_DEFAULT moves a workspace's contents to the default one.
    await send(t, "POST", "/mlflow/workspaces", { ...V3, body: { name: "team-d" } });
    await send(t, "POST", "/mlflow/experiments/create", { ws: "team-d", body: { name: "moved" } });
    expect((await send(t, "DELETE", "/mlflow/workspaces/team-d?mode=SET_DEFAULT", V3)).status).toBe(204);
    const moved = await send(t, "GET", "/mlflow/experiments/get-by-name", { body: { experiment_name: "moved" } });
    expect(moved.body.experiment.workspace).toBe("default");
  });
});
