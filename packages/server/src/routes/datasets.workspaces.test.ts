import { beforeAll, describe, expect, it } from "vitest";
import { useTestApp } from "../testing.test-helpers.js";
import { send } from "../workspaces/send.test-helpers.js";

/**
 * With `--enable-workspaces`, a dataset lives in the workspace it was created in: other workspaces neither see nor
 * change it, and its record calls answer the reference's "Dataset '…' not found." there.
 * @see mlflow/store/tracking/sqlalchemy_workspace_store.py _validate_dataset_accessible
 */

const t = useTestApp({ enableWorkspaces: true });
const V3 = "/api/3.0";
let ds: string;
let expA: string;

beforeAll(async () => {
  for (const name of ["team-a", "team-b"])
    expect((await send(t, "POST", "/mlflow/workspaces", { prefix: V3, body: { name } })).status).toBe(201);
  expA = (await send(t, "POST", "/mlflow/experiments/create", { ws: "team-a", body: { name: "a" } })).body
    .experiment_id;
  const r = await send(t, "POST", "/mlflow/datasets/create", {
    prefix: V3,
    ws: "team-a",
    body: { name: "scoped", experiment_ids: [expA] },
  });
  ds = r.body.dataset.dataset_id;
  const records = JSON.stringify([{ inputs: { q: "a" } }]);
  expect(
    (await send(t, "POST", `/mlflow/datasets/${ds}/records`, { prefix: V3, ws: "team-a", body: { records } })).status,
  ).toBe(200);
});

describe("evaluation datasets in workspaces", () => {
  it("are found in their own workspace only", async () => {
    const inA = (method: string, path: string, body?: unknown) =>
      send(t, method, path, { prefix: V3, ws: "team-a", body });
    const inB = (method: string, path: string, body?: unknown) =>
      send(t, method, path, { prefix: V3, ws: "team-b", body });
    expect((await inA("GET", `/mlflow/datasets/${ds}`)).status).toBe(200);
    expect((await inB("GET", `/mlflow/datasets/${ds}`)).status).toBe(404);
    expect((await inA("POST", "/mlflow/datasets/search", {})).body.datasets).toHaveLength(1);
    expect((await inB("POST", "/mlflow/datasets/search", {})).body).toEqual({});
    const records = await inB("GET", `/mlflow/datasets/${ds}/records`);
    expect([records.status, records.body.message]).toEqual([404, `Dataset '${ds}' not found.`]);
    expect((await inB("POST", `/mlflow/datasets/${ds}/records`, { records: "[]" })).status).toBe(404);
    expect((await inB("PATCH", `/mlflow/datasets/${ds}/tags`, { tags: '{"x": "1"}' })).status).toBe(404);
    // another workspace's delete is a no-op, as for an unknown id
    expect((await inB("DELETE", `/mlflow/datasets/${ds}`)).status).toBe(200);
    expect((await inA("GET", `/mlflow/datasets/${ds}`)).status).toBe(200);
    // experiments of another workspace cannot be linked
    const expB = (await send(t, "POST", "/mlflow/experiments/create", { ws: "team-b", body: { name: "b" } })).body
      .experiment_id;
    const link = await inA("POST", `/mlflow/datasets/${ds}/add-experiments`, { experiment_ids: [expB] });
    expect([link.status, link.body.message]).toEqual([404, `No Experiment with id=${expB}`]);
  });

  it("count in a workspace's deletion: RESTRICT refuses, CASCADE takes them with their records", async () => {
    const only = await send(t, "POST", "/mlflow/workspaces", { prefix: V3, body: { name: "team-c" } });
    expect(only.status).toBe(201);
    const made = await send(t, "POST", "/mlflow/datasets/create", { prefix: V3, ws: "team-c", body: { name: "c" } });
    const id = made.body.dataset.dataset_id;
    const refused = await send(t, "DELETE", "/mlflow/workspaces/team-c", { prefix: V3 });
    expect(refused.body.message).toBe(
      "Cannot delete workspace 'team-c': table 'evaluation_datasets' still contains 1 resource(s). Remove or reassign them before deleting the workspace.",
    );
    expect((await send(t, "DELETE", "/mlflow/workspaces/team-c?mode=CASCADE", { prefix: V3 })).status).toBe(204);
    // gone from the database, not just from sight (the root store reads every workspace)
    await expect(t.store.datasets.get(id)).rejects.toThrow("not found");
  });
});
