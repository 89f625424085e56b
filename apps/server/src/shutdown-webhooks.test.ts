import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient } from "@libsql/client";
import { afterAll, describe, expect, it } from "vitest";
import { type Sqld, startSqld } from "../../../packages/server/src/store/sqld.test-helpers.js";
import { type Received, useReceiver } from "../../../packages/server/src/webhooks/receiver.test-helpers.js";
import { postJson, type Running, startServer, terminate } from "./shutdown.test-helpers.js";

const recv = useReceiver();
const root = mkdtempSync(join(tmpdir(), "tracklite-shutdown-hooks-"));
const started: Running[] = [];
afterAll(async () => {
  for (const run of started) run.child.kill("SIGKILL");
  await sqld?.stop();
  rmSync(root, { recursive: true, force: true });
});

/** A fresh database folder per test. */
function place(name: string) {
  const dir = join(root, name);
  return { db: join(dir, "mlflow.db"), artifacts: join(dir, "artifacts") };
}

const WEBHOOK_ENV = { MLFLOW_WEBHOOK_ALLOWED_SCHEMES: "http,https", MLFLOW_WEBHOOK_ALLOW_PRIVATE_IPS: "true" };

async function start(where: { db: string; artifacts: string }, env: Record<string, string>): Promise<Running> {
  const run = await startServer(where.db, where.artifacts, { ...WEBHOOK_ENV, ...env });
  started.push(run);
  return run;
}

async function hookAndModels(base: string, url: string, names: string[]): Promise<void> {
  await postJson(base, "/api/2.0/mlflow/webhooks", {
    name: "h",
    url,
    events: [{ entity: "REGISTERED_MODEL", action: "CREATED" }],
  });
  for (const name of names) await postJson(base, "/api/2.0/mlflow/registered-models/create", { name });
}

async function keptRows(db: string): Promise<number> {
  const client = createClient({ url: db.includes("://") ? db : `file:${db}` });
  try {
    const rs = await client.execute("SELECT COUNT(*) AS n FROM webhook_deliveries");
    return Number(rs.rows[0]?.n);
  } finally {
    client.close();
  }
}

let sqld: Sqld | undefined;

async function until(check: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!check() && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
}

const idOf = (r: Received) => String(r.headers["x-mlflow-delivery-id"]);
const nameOf = (r: Received) => (JSON.parse(r.body) as { data: { name: string } }).data.name;

/** Answered deliveries by delivery id: each must be answered exactly once. */
function answeredById(received: Received[]): Map<string, Received[]> {
  const byId = new Map<string, Received[]>();
  for (const r of received.filter((x) => x.answered)) byId.set(idOf(r), [...(byId.get(idOf(r)) ?? []), r]);
  return byId;
}

describe("webhook deliveries at shutdown", () => {
  it("a slow receiver's delivery is finished within the grace period, then the process exits 0", async () => {
    const where = place("slow");
    const run = await start(where, { TRACKLITE_GRACEFUL_TIMEOUT: "10" });
    await hookAndModels(run.url, `${recv.url}/slow/1500/slow`, ["slow-model"]);
    await until(() => recv.at("/slow/1500/slow").length === 1, 5000);
    const t0 = Date.now();
    expect(await terminate(run)).toBe(0);
    expect(Date.now() - t0).toBeGreaterThan(800);
    const got = recv.at("/slow/1500/slow");
    expect(got.map((r) => [nameOf(r), r.answered])).toEqual([["slow-model", true]]);
    expect(await keptRows(where.db)).toBe(0);
  }, 30_000);

  it("unsent deliveries are kept at the grace period's end and sent exactly once by one of two new processes", async () => {
    const where = place("kept");
    // One delivery at a time: the first hangs, the other two wait for its slot when the signal comes.
    const run = await start(where, { TRACKLITE_GRACEFUL_TIMEOUT: "1", MLFLOW_WEBHOOK_DELIVERY_MAX_WORKERS: "1" });
    const names = ["kept-a", "kept-b", "kept-c"];
    await hookAndModels(run.url, `${recv.url}/hang/1/kept`, names);
    await until(() => recv.at("/hang/1/kept").length === 1, 5000);
    const firstId = idOf(recv.at("/hang/1/kept")[0] as Received);
    const t0 = Date.now();
    expect(await terminate(run)).toBe(0);
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(run.output()).toContain("Kept 3 unsent webhook deliveries in the database");
    expect(await keptRows(where.db)).toBe(3);

    // Two servers start together on the same database: each kept delivery is claimed by one of them.
    const [b, c] = await Promise.all([start(where, {}), start(where, {})]);
    await until(() => answeredById(recv.at("/hang/1/kept")).size === 3, 15_000);
    await new Promise((r) => setTimeout(r, 1000));
    const byId = answeredById(recv.at("/hang/1/kept"));
    expect([...byId.values()].map((rs) => rs.length)).toEqual([1, 1, 1]);
    expect(byId.has(firstId)).toBe(true);
    expect([...byId.values()].map((rs) => nameOf(rs[0] as Received)).sort()).toEqual(names);
    expect(await Promise.all([terminate(b), terminate(c)])).toEqual([0, 0]);
    expect(await keptRows(where.db)).toBe(0);
  }, 60_000);

  it("a replica already running sends what another replica kept when it stopped", async () => {
    const where = place("replica");
    const a = await start(where, { TRACKLITE_GRACEFUL_TIMEOUT: "0.5" });
    const b = await start(where, { TRACKLITE_WEBHOOK_RESUME_INTERVAL: "0.5" });
    await hookAndModels(a.url, `${recv.url}/hang/1/replica`, ["replica-model"]);
    await until(() => recv.at("/hang/1/replica").length === 1, 5000);
    expect(await terminate(a)).toBe(0);
    await until(() => answeredById(recv.at("/hang/1/replica")).size === 1, 10_000);
    const byId = answeredById(recv.at("/hang/1/replica"));
    expect([...byId.keys()]).toEqual([idOf(recv.at("/hang/1/replica")[0] as Received)]);
    expect(await terminate(b)).toBe(0);
    expect(await keptRows(where.db)).toBe(0);
  }, 60_000);

  it("on sqld, three servers started together send each kept delivery exactly once", async () => {
    sqld = await startSqld({ dir: root });
    const url = sqld.url;
    const where = { db: url, artifacts: join(root, "sqld-artifacts") };
    const run = await start(where, { TRACKLITE_GRACEFUL_TIMEOUT: "1", MLFLOW_WEBHOOK_DELIVERY_MAX_WORKERS: "2" });
    const names = Array.from({ length: 8 }, (_, i) => `sqld-${i}`);
    await hookAndModels(run.url, `${recv.url}/hang/2/sqld`, names);
    await until(() => recv.at("/hang/2/sqld").length === 2, 5000);
    expect(await terminate(run)).toBe(0);
    expect(await keptRows(url)).toBe(8);
    // Two delivery slots each: six claimed at first, the last two as slots free up.
    const two = { MLFLOW_WEBHOOK_DELIVERY_MAX_WORKERS: "2" };
    const replicas = await Promise.all([start(where, two), start(where, two), start(where, two)]);
    await until(() => answeredById(recv.at("/hang/2/sqld")).size === 8, 15_000);
    await new Promise((r) => setTimeout(r, 1000));
    const byId = answeredById(recv.at("/hang/2/sqld"));
    expect([...byId.values()].map((rs) => rs.length)).toEqual(names.map(() => 1));
    expect([...byId.values()].map((rs) => nameOf(rs[0] as Received)).sort()).toEqual(names);
    expect(await Promise.all(replicas.map((r) => terminate(r)))).toEqual([0, 0, 0]);
    expect(await keptRows(url)).toBe(0);
  }, 60_000);
});
