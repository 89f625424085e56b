import { copyFileSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApp, createStore } from "@tracklite/server";
import { createLocalArtifactStore } from "@tracklite/server/local-artifacts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ImportOptions } from "../command.js";
import { openRestSource } from "../sources/rest/index.js";
import { openTargetApp, type TargetApp } from "./open-target.js";
import { verifyImport } from "./verify-import.js";

/**
 * The verifier as `tracklite import --verify` runs it: tracklite opened in-process on a real database file and read
 * through the REST source, on both sides (a copy of the same store, then the copy changed).
 */
const dir = mkdtempSync(join(tmpdir(), "tracklite-verify-"));
const options = (db: string): ImportOptions => ({
  source: "unused",
  backendStoreUri: `file:${join(dir, db)}`,
  artifactsDestination: join(dir, "artifacts"),
  dryRun: false,
  flags: {},
});
let runId = "";
const opened: TargetApp[] = [];

async function call(app: TargetApp, path: string, body: Record<string, unknown>) {
  const res = await app.fetch(`${app.url}/api/2.0/mlflow/${path}`, {
    method: "POST",
    body: JSON.stringify(body),
    headers: { "Content-Type": "application/json" },
  });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as Record<string, any>;
}

async function open(db: string) {
  const app = await openTargetApp(options(db), {});
  opened.push(app);
  return { app, source: await openRestSource(app.url, { fetch: app.fetch, maxRetries: 0 }) };
}

beforeAll(async () => {
  // the source: seeded through tracklite's own REST API, then copied as the "imported" store
  const store = await createStore({ url: `file:${join(dir, "a.db")}`, defaultArtifactRoot: "mlflow-artifacts:/" });
  const app = createApp({
    store,
    artifacts: createLocalArtifactStore(join(dir, "artifacts")),
    config: { mlflowVersion: "0.0.0-test" },
  });
  const target: TargetApp = {
    fetch: (async (i: RequestInfo | URL, init?: RequestInit) => app.request(i, init)) as typeof fetch,
    url: "http://127.0.0.1",
    close: async () => {},
  };
  const { experiment_id } = await call(target, "experiments/create", {
    name: "alpha",
    tags: [{ key: "team", value: "v" }],
  });
  const { run } = await call(target, "runs/create", { experiment_id, run_name: "r", start_time: 1000 });
  runId = run.info.run_id;
  const metrics = Array.from({ length: 40 }, (_, s) => [
    { key: "loss", value: 1 / (s + 1), timestamp: 1000 + s, step: s },
    { key: "acc", value: s === 0 ? "NaN" : s / 40, timestamp: 1000 + s, step: s },
  ]).flat();
  await call(target, "runs/log-batch", { run_id: runId, metrics, params: [{ key: "lr", value: "0.01" }] });
  await call(target, "registered-models/create", { name: "m", tags: [{ key: "k", value: "v" }] });
  await call(target, "model-versions/create", { name: "m", source: `runs:/${runId}/model`, run_id: runId });
  await call(target, "registered-models/alias", { name: "m", alias: "champion", version: "1" });
  await store.drainWrites();
  store.close();
  copyFileSync(join(dir, "a.db"), join(dir, "b.db"));
  if (existsSync(join(dir, "a.db-wal"))) copyFileSync(join(dir, "a.db-wal"), join(dir, "b.db-wal"));
});

afterAll(async () => {
  for (const app of opened) await app.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("verify over REST, tracklite in-process", () => {
  it("finds no difference between a store and its copy", async () => {
    const a = await open("a.db");
    const b = await open("b.db");
    const report = await verifyImport(a.source, b.source);
    expect(report.differences).toEqual([]);
    expect(report.checked).toMatchObject({ experiments: 2, runs: 1, "metric histories": 2, "registered models": 2 });
  });

  it("finds an added run tag, an extra point in a history and a moved alias", async () => {
    const b = await open("b.db");
    await call(b.app, "runs/set-tag", { run_id: runId, key: "team", value: "other" });
    await call(b.app, "runs/log-metric", { run_id: runId, key: "loss", value: 9, timestamp: 5000, step: 99 });
    await call(b.app, "model-versions/create", { name: "m", source: `runs:/${runId}/model`, run_id: runId });
    await call(b.app, "registered-models/alias", { name: "m", alias: "champion", version: "2" });
    const a = await open("a.db");
    const report = await verifyImport(a.source, b.source);
    const lines = report.differences.map((d) => `${d.what} | ${d.path} | ${String(d.source)} | ${String(d.target)}`);
    expect(lines).toContain(`run ${runId} in experiment 'alpha' | data.tags.[key=team] | undefined | [object Object]`);
    expect(lines).toContain(`history of run ${runId} in experiment 'alpha' | metric 'loss' | 40 points | 41 points`);
    expect(lines).toContain("registered model 'm' | aliases.[alias=champion].version | 1 | 2");
  });

  it("refuses to verify a store that does not exist", async () => {
    await expect(openTargetApp(options("missing.db"), {})).rejects.toThrow(
      /no such database\. Run `tracklite import` first, then verify\./,
    );
  });
});
