import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { toWireDouble } from "@tracklite/schemas";
import { drizzle } from "drizzle-orm/libsql";
import { migrate } from "drizzle-orm/libsql/migrator";
import { describe, expect, it } from "vitest";
import { useTestApp } from "../testing.test-helpers.js";
import { type DbHandle, openDatabase, openLibsqlClient } from "./db.js";
import { seriesPoints } from "./metric-series.js";
import { type MetricPieces, MetricStore } from "./metrics.js";

const t = useTestApp();

interface Point {
  key: string;
  value: number;
  timestamp: number;
  step: number;
}

async function newRun(): Promise<string> {
  const r = await t.call("POST", "/runs/create", { experiment_id: "0", start_time: 1 });
  return r.body.run.info.run_id as string;
}

const wire = (v: number) => (Number.isFinite(v) ? v : String(v));

async function log(runId: string, points: Point[]): Promise<void> {
  for (let i = 0; i < points.length; i += 1000) {
    const metrics = points.slice(i, i + 1000).map((p) => ({ ...p, value: wire(p.value) }));
    const r = await t.call("POST", "/runs/log-batch", { run_id: runId, metrics });
    expect(r.status).toBe(200);
  }
}

/** The wire form of a point, as the reference and the previous, object-based code wrote it. */
const asMetric = (p: Point, runId?: string) => ({
  key: p.key,
  value: toWireDouble(p.value),
  timestamp: p.timestamp,
  step: p.step,
  ...(runId ? { run_id: runId } : {}),
});

/** NaN is stored as 0 with is_nan = 1, and sorts as that. */
const sortKey = (p: Point) => [p.step, p.timestamp, Number.isNaN(p.value) ? 0 : p.value, Number.isNaN(p.value) ? 1 : 0];
function compare(a: Point, b: Point, order: number[]): number {
  const x = sortKey(a);
  const y = sortKey(b);
  for (const i of order) if (x[i] !== y[i]) return (x[i] as number) < (y[i] as number) ? -1 : 1;
  return 0;
}
const byTime = (a: Point, b: Point) => compare(a, b, [1, 0, 2, 3]);
const byStep = (a: Point, b: Point) => compare(a, b, [0, 1, 2, 3]);

async function rawGet(path: string, query: Record<string, string | number | string[]>): Promise<string> {
  const url = new URL(`http://localhost/ajax-api/2.0/mlflow${path}`);
  for (const [k, v] of Object.entries(query)) for (const x of [v].flat()) url.searchParams.append(k, String(x));
  const res = await t.app.request(url.toString());
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^application\/json/);
  return res.text();
}

/** A second handle on the test database, for a store with small pages and for looking at the tables. */
async function handle(): Promise<DbHandle> {
  return openDatabase({ url: `file:${t.dir}/test.db` });
}

async function collect(pieces: MetricPieces): Promise<{ json: unknown[]; token?: string }> {
  const parts: string[] = [];
  for (;;) {
    const next = await pieces.next();
    if (next.done) return { json: JSON.parse(`[${parts.join(",")}]`), ...(next.value ? { token: next.value } : {}) };
    parts.push(typeof next.value === "string" ? next.value : new TextDecoder().decode(next.value));
  }
}

/** Points that tie on timestamp and step, with NaN, ±Infinity and zero among the values. */
function awkward(key: string, n: number, timeOf: (i: number) => number): Point[] {
  const values = [0.1, Number.NaN, 0, Number.POSITIVE_INFINITY, -2.5, Number.NEGATIVE_INFINITY, 1e21, 1 / 3, -0.0001];
  return Array.from({ length: n }, (_, i) => ({
    key,
    value: values[i % values.length] as number,
    timestamp: timeOf(i),
    step: Math.floor(i / 3),
  }));
}

describe("get-history", () => {
  it("writes the same bytes as the object-based answer, in (timestamp, step, value) order", async () => {
    const id = await newRun();
    const points = awkward("k", 40, (i) => 1000 + Math.floor(i / 3));
    await log(id, points);
    const text = await rawGet("/metrics/get-history", { run_id: id, metric_key: "k" });
    expect(text).toBe(JSON.stringify({ metrics: [...points].sort(byTime).map((p) => asMetric(p)) }));
    // A key is JSON-escaped once, in the text every object starts with.
    const odd = "ü_é/x-1.2 :Ω";
    const few = awkward(odd, 5, (i) => i);
    await log(id, few);
    const oddText = await rawGet("/metrics/get-history", { run_id: id, metric_key: odd });
    expect(oddText).toBe(JSON.stringify({ metrics: few.sort(byTime).map((p) => asMetric(p)) }));
    expect(await rawGet("/metrics/get-history", { run_id: id, metric_key: "nope" })).toBe("{}");
    expect(await rawGet("/metrics/get-history", { run_id: "f".repeat(32), metric_key: "k" })).toBe("{}");
  });

  it("streams ts-ordered and out-of-order histories across page boundaries, ties included", async () => {
    const h = await handle();
    const store = new MetricStore(h);
    const inOrder = await newRun();
    const ordered = awkward("m", 100, (i) => 5000 + Math.floor(i / 3));
    await log(inOrder, ordered);
    const shuffled = await newRun();
    // Timestamps go back along the steps: only a sort gives get-history's order.
    const mixed = awkward("m", 100, (i) => 9000 - (i % 17) * 10);
    await log(shuffled, mixed);
    for (const [id, points] of [
      [inOrder, ordered],
      [shuffled, mixed],
    ] as const) {
      const expected = [...points].sort(byTime).map((p) => asMetric(p));
      expect((await collect(store.history(id, "m"))).json).toEqual(expected);
      for (const size of [1, 6, 7, 8, 33, 100, 150]) {
        const pages: unknown[] = [];
        let token: string | undefined;
        let offset = 0;
        do {
          const page = await collect(store.history(id, "m", size, token));
          pages.push(...page.json);
          offset += size;
          if (page.token) expect(JSON.parse(atob(page.token))).toEqual({ offset });
          token = page.token;
        } while (token);
        expect(pages).toEqual(expected);
      }
    }
    h.client.close();
  });

  it("cuts a big sorted read into pieces without losing or repeating points", async () => {
    const h = await handle();
    const store = new MetricStore(h);
    const id = await newRun();
    const points = awkward("big", 4700, (i) => 10_000 - (i % 101) * 7);
    await log(id, points);
    const { json } = await collect(store.history(id, "big"));
    expect(json).toEqual([...points].sort(byTime).map((p) => asMetric(p)));
    h.client.close();
  });

  it("refuses a non-positive max_results and a bad page token before answering", async () => {
    const id = await newRun();
    const zero = await t.call("GET", "/metrics/get-history", { run_id: id, metric_key: "k", max_results: 0 });
    expect(zero.status).toBe(400);
    const bad = await t.call("GET", "/metrics/get-history", { run_id: id, metric_key: "k", page_token: "xyz" });
    expect(bad.body.error_code).toBe("INVALID_PARAMETER_VALUE");
  });
});

/**
 * The reference's sampling written out over a step-ordered series: the first point of each of `max` NTILE buckets
 * (the first `n mod max` buckets one point longer), the last point of all replacing the last kept one.
 * @see mlflow/store/tracking/sqlalchemy_store.py `_sample_rows_with_window_functions`
 */
function samplePoints(rows: Point[], max: number): Point[] {
  if (rows.length <= max) return rows;
  const size = Math.floor(rows.length / max);
  const longer = rows.length % max;
  const kept: Point[] = [];
  for (let b = 0, i = 0; b < max; i += size + (b < longer ? 1 : 0), b++) kept.push(rows[i] as Point);
  kept[kept.length - 1] = rows[rows.length - 1] as Point;
  return kept;
}

describe("get-history-bulk-interval", () => {
  const bulk = async (runIds: string[], extra: Record<string, number> = {}) =>
    JSON.parse(await rawGet("/metrics/get-history-bulk-interval", { run_ids: runIds, metric_key: "s", ...extra }));

  it("keeps the reference's points: the first of each NTILE bucket and the last", async () => {
    const id = await newRun();
    await log(
      id,
      Array.from({ length: 10 }, (_, step) => ({ key: "s", value: step * 1.5, timestamp: 1, step })),
    );
    const steps = async (extra: Record<string, number>) =>
      (await bulk([id], extra)).metrics.map((m: { step: number }) => m.step);
    expect(await steps({ max_results: 5 })).toEqual([0, 2, 4, 6, 9]);
    expect(await steps({ max_results: 3 })).toEqual([0, 4, 9]);
    expect(await steps({ max_results: 1 })).toEqual([9]);
    expect(await steps({ max_results: 2 })).toEqual([0, 9]);
    expect(await steps({ max_results: 10 })).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(await steps({ max_results: 4, start_step: 0, end_step: 4 })).toEqual([0, 2, 3, 4]);
    // Each run is sampled on its own, in the order asked.
    const id2 = await newRun();
    await log(
      id2,
      Array.from({ length: 20 }, (_, step) => ({ key: "s", value: 1, timestamp: 1, step })),
    );
    const both = await bulk([id2, id], { max_results: 5 });
    expect(both.metrics.map((m: { run_id: string; step: number }) => [m.run_id === id, m.step])).toEqual([
      [false, 0],
      [false, 4],
      [false, 8],
      [false, 12],
      [false, 19],
      [true, 0],
      [true, 2],
      [true, 4],
      [true, 6],
      [true, 9],
    ]);
    // Rows, not steps, are sampled: two points per step fill the buckets.
    await log(
      id,
      Array.from({ length: 10 }, (_, step) => ({ key: "s", value: step * 1.5, timestamp: 2, step })),
    );
    const rows = (await bulk([id], { max_results: 5 })).metrics.map((m: { step: number; timestamp: number }) => [
      m.step,
      m.timestamp,
    ]);
    expect(rows).toEqual([
      [0, 1],
      [2, 1],
      [4, 1],
      [6, 1],
      [9, 2],
    ]);
  });

  it("samples exactly as the written-out rule, with NaN, infinities, ties and several points per step", async () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 16807) % 2147483647;
      return seed / 2147483647;
    };
    const special = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1, 1, 0];
    const series: Point[][] = [];
    const ids: string[] = [];
    for (const n of [1, 3, 57, 400, 1500]) {
      const points: Point[] = [];
      for (let i = 0; i < n; i++) {
        const r = random();
        const step = Math.floor(i * (r < 0.2 ? 0.5 : 2)) + 3;
        const value = r < 0.15 ? (special[i % special.length] as number) : Math.round(random() * 20) / 4;
        points.push({ key: "s", value, timestamp: 100 + Math.floor(random() * 50), step });
      }
      const id = await newRun();
      await log(id, points);
      ids.push(id);
      // Identical points are stored once.
      const unique = new Map(points.map((p) => [JSON.stringify(sortKey(p)), p]));
      series.push([...unique.values()].sort(byStep));
    }
    for (const max of [1, 2, 3, 4, 5, 8, 11, 100, 2500]) {
      const expected = series.flatMap((rows, i) => samplePoints(rows, max).map((p) => asMetric(p, ids[i])));
      const got = await bulk(ids, { max_results: max });
      expect(got.metrics ?? []).toEqual(expected);
    }
    const [a, b] = [20, 300];
    const ranged = series.flatMap((rows, i) =>
      samplePoints(
        rows.filter((p) => p.step >= a && p.step <= b),
        9,
      ).map((p) => asMetric(p, ids[i])),
    );
    expect((await bulk(ids, { max_results: 9, start_step: a, end_step: b })).metrics).toEqual(ranged);
  });

  it("answers {} when no run has points, and skips unknown runs", async () => {
    const id = await newRun();
    expect(await rawGet("/metrics/get-history-bulk-interval", { run_ids: [id, "0".repeat(32)], metric_key: "s" })).toBe(
      "{}",
    );
  });
});

describe("migrations 0002 and 0010", () => {
  it("keeps every point of the old metrics table as chunks, computes ts_ordered, and drops the table", async () => {
    const shipped = new URL("../../drizzle", import.meta.url).pathname;
    const dir = mkdtempSync(join(tmpdir(), "tracklite-migrate-"));
    const before = join(dir, "drizzle");
    mkdirSync(join(before, "meta"), { recursive: true });
    const journal = JSON.parse(readFileSync(join(shipped, "meta/_journal.json"), "utf8"));
    journal.entries = journal.entries.filter((e: { idx: number }) => e.idx < 2);
    writeFileSync(join(before, "meta/_journal.json"), JSON.stringify(journal));
    for (const e of journal.entries) copyFileSync(join(shipped, `${e.tag}.sql`), join(before, `${e.tag}.sql`));
    const url = `file:${join(dir, "old.db")}`;

    // The schema before 0002, migrated alone (openDatabase would also convert what it finds).
    const old = { client: await openLibsqlClient(url) };
    await migrate(drizzle(old.client), { migrationsFolder: before });
    await old.client.execute(
      "INSERT INTO runs (id, run_uuid, experiment_id, name, user_id, status, start_time, lifecycle_stage, artifact_uri) VALUES (1, 'r1', 0, 'n', 'u', 'RUNNING', 0, 'active', 'a')",
    );
    const rows: [string, number, number, string, number][] = [];
    for (let step = 0; step < 50; step++) {
      rows.push(["up", step, 100 + step, String(step / 7), 0], ["down", step, 1000 - step, "0", step % 2]);
    }
    rows.push(["up", 3, 103, "9e999", 0], ["down", 7, 5, "-9e999", 0]);
    await old.client.batch(
      rows.map(([key, step, ts, value, isNan]) => ({
        sql: `INSERT INTO metrics (run_id, key, step, timestamp, value, is_nan, dataset_name) VALUES (1, ?, ?, ?, ${value}, ?, 'd')`,
        args: [key, step, ts, isNan],
      })),
    );
    await old.client.execute(
      "INSERT INTO latest_metrics (run_id, key, step, timestamp, value, is_nan) VALUES (1, 'up', 49, 149, 7, 0), (1, 'down', 49, 951, 0, 1)",
    );
    const dump = "SELECT key, step, timestamp, value, is_nan FROM metrics ORDER BY key, step, timestamp, value, is_nan";
    const saved = (await old.client.execute(dump)).rows.map((r) => [
      r.step,
      r.timestamp,
      r.is_nan ? Number.NaN : r.value,
      r.key,
    ]);
    old.client.close();

    const h = await openDatabase({ url });
    const converted: unknown[] = [];
    for (const key of ["down", "up"]) {
      const p = await seriesPoints(h, 1, key);
      for (let i = 0; i < p.steps.length; i++) converted.push([p.steps[i], p.timestamps[i], p.values[i], key]);
    }
    expect(converted).toEqual(saved);
    const table = await h.client.execute("SELECT 1 FROM sqlite_master WHERE name = 'metrics'");
    expect(table.rows).toEqual([]);
    const flags = await h.client.execute("SELECT key, ts_ordered FROM latest_metrics ORDER BY key");
    expect(flags.rows.map((r) => [r.key, r.ts_ordered])).toEqual([
      ["down", 0],
      ["up", 1],
    ]);
    const history = await collect(new MetricStore(h).history("r1", "down"));
    expect(history.json.map((m) => (m as { timestamp: number }).timestamp)).toEqual(
      rows
        .filter((r) => r[0] === "down")
        .map((r) => r[2])
        .sort((a, b) => a - b),
    );
    h.client.close();
    rmSync(dir, { recursive: true, force: true });
  });
});
