import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../app.js";
import { createLocalArtifactStore } from "../artifacts/local.js";
import { createStore, type Store } from "./index.js";
import { type Sqld, startSqld } from "./sqld.test-helpers.js";

/**
 * Scale-out: stateless tracklite replicas over one libSQL server (sqld). Runs when `npm test` provides sqld
 * (TRACKLITE_SQLD_BIN, or .tools/); without it the tests fail, saying where to get it.
 */
describe("two replicas on one sqld", () => {
  const dir = mkdtempSync(join(tmpdir(), "tracklite-sqld-"));
  let sqld: Sqld;
  const stores: Store[] = [];

  beforeAll(async () => {
    sqld = await startSqld({ dir });
    // Migrations run once before the replicas serve, as the deployment notes advise.
    stores.push(await createStore({ url: sqld.url, defaultArtifactRoot: "mlflow-artifacts:/" }));
    stores.push(
      await createStore({ url: sqld.url.replace("http:", "ws:"), defaultArtifactRoot: "mlflow-artifacts:/" }),
    );
  }, 30_000);

  afterAll(async () => {
    for (const s of stores) s.close();
    await sqld?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("serves interleaved writes from both replicas without loss", async () => {
    const artifacts = createLocalArtifactStore(join(dir, "artifacts"));
    const apps = stores.map((store) => createApp({ store, artifacts, config: { mlflowVersion: "test" } }));
    const post = (i: number, path: string, body: unknown) =>
      (apps[i % 2] as ReturnType<typeof createApp>).request(`/api/2.0/mlflow${path}`, {
        method: "POST",
        body: JSON.stringify(body),
        headers: { "Content-Type": "application/json" },
      });
    const created = await (await post(0, "/runs/create", { experiment_id: "0", start_time: 1 })).json();
    const runId = created.run.info.run_id as string;
    const writes = Array.from({ length: 100 }, (_, i) =>
      post(i, "/runs/log-batch", {
        run_id: runId,
        metrics: [{ key: "m", value: i, timestamp: 1, step: i }],
        params: [{ key: `p${i}`, value: String(i) }],
      }),
    );
    const statuses = (await Promise.all(writes)).map((r) => r.status);
    expect(statuses.every((s) => s === 200)).toBe(true);
    for (const app of apps) {
      const res = await app.request(`/api/2.0/mlflow/metrics/get-history?run_id=${runId}&metric_key=m`);
      const body = await res.json();
      expect(body.metrics).toHaveLength(100);
      const run = await (await app.request(`/api/2.0/mlflow/runs/get?run_id=${runId}`)).json();
      expect(run.run.data.params).toHaveLength(100);
      expect(run.run.data.metrics[0]).toMatchObject({ key: "m", value: 99, step: 99 });
    }
  }, 60_000);
});
