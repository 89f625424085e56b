import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient } from "@libsql/client";
import { afterAll, describe, expect, it } from "vitest";
import { createStore } from "./index.js";

const dir = mkdtempSync(join(tmpdir(), "tracklite-ws-store-"));
const url = `file:${join(dir, "ws.db")}`;
const open = (enableWorkspaces: boolean) =>
  createStore({ url, defaultArtifactRoot: "mlflow-artifacts:/", enableWorkspaces });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Rows in each table a workspace's contents live in, read through a connection of its own. */
async function counts(): Promise<Record<string, number>> {
  const client = createClient({ url });
  const out: Record<string, number> = {};
  for (const table of [
    "experiments",
    "runs",
    "params",
    "metric_chunks",
    "latest_metrics",
    "logged_models",
    "registered_models",
  ]) {
    const rs = await client.execute(`SELECT count(*) AS n FROM ${table}`);
    out[table] = Number(rs.rows[0]?.n);
  }
  client.close();
  return out;
}

describe("the workspace store", () => {
  it("confines views, cascades a delete to everything under the workspace, and guards single-tenant starts", async () => {
    let store = await open(true);
    await store.workspaces.create({ name: "team-a" });
    const a = store.in("team-a");
    const eid = await a.experiments.create("exp", undefined);
    const run = await a.runs.create({ experimentId: eid, startTime: 1 });
    await a.logging.logBatch(run.info.run_id ?? "", {
      metrics: [{ key: "m", value: 1, timestamp: 1, step: 0 }],
      params: [{ key: "p", value: "v" }],
      tags: [],
    });
    await a.loggedModels.create({ experimentId: eid, name: "lm" });
    await a.registeredModels.create("rm", [], undefined);
    // The default workspace's view sees none of it.
    await expect(store.in("default").experiments.get(eid)).rejects.toThrow(`No Experiment with id=${eid} exists`);
    await expect(store.in("default").runs.get(run.info.run_id ?? "")).rejects.toThrow("not found");
    const before = await counts();
    store.close();

    // Without --enable-workspaces, a database with another workspace's data is refused.
    await expect(open(false)).rejects.toThrow("Cannot disable workspaces because experiments exist outside");

    store = await open(true);
    await store.workspaces.delete("team-a", "CASCADE");
    const after = await counts();
    for (const table of ["runs", "params", "metric_chunks", "latest_metrics", "logged_models", "registered_models"]) {
      expect(after[table], table).toBe((before[table] ?? 0) - 1);
    }
    expect(after.experiments).toBe(1); // Default
    expect(await store.workspaces.list()).toEqual([
      { name: "default", description: "Default workspace for legacy resources" },
    ]);
    store.close();
    // Nothing is left outside the default workspace: single-tenant starts work again.
    (await open(false)).close();
  });
});
