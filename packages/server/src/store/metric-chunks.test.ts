import { describe, expect, it } from "vitest";
import { useTestApp } from "../testing.test-helpers.js";
import { openDatabase } from "./db.js";
import { CHUNK_POINTS, chunkBounds, decodePoints, encodePoints, sortPoints } from "./metric-chunks.js";
import { compactionStatements } from "./metric-compaction.js";
import { disjoint, seriesHeads } from "./metric-series.js";

const t = useTestApp();

interface Point {
  key: string;
  value: number;
  timestamp: number;
  step: number;
}

const wire = (v: number) => (Number.isFinite(v) ? v : String(v));
const asWire = (p: Point) => ({ key: p.key, value: wire(p.value), timestamp: p.timestamp, step: p.step });

async function newRun(): Promise<string> {
  const r = await t.call("POST", "/runs/create", { experiment_id: "0", start_time: 1 });
  return r.body.run.info.run_id as string;
}

async function log(runId: string, points: Point[]): Promise<void> {
  for (let i = 0; i < points.length; i += 1000) {
    const r = await t.call("POST", "/runs/log-batch", {
      run_id: runId,
      metrics: points.slice(i, i + 1000).map(asWire),
    });
    expect(r.status).toBe(200);
  }
}

/** get-history's order: timestamp, step, value (NaN as 0, after a real 0). */
const key = (p: Point) => [p.timestamp, p.step, Number.isNaN(p.value) ? 0 : p.value, Number.isNaN(p.value) ? 1 : 0];
function byTime(a: Point, b: Point): number {
  const x = key(a);
  const y = key(b);
  for (let i = 0; i < 4; i++) if (x[i] !== y[i]) return (x[i] as number) < (y[i] as number) ? -1 : 1;
  return 0;
}
/** Each distinct point once, in get-history's order. */
const expected = (points: Point[]) =>
  [...new Map(points.map((p) => [JSON.stringify(key(p)), p])).values()].sort(byTime).map(asWire);

async function history(runId: string, k: string, extra: Record<string, unknown> = {}) {
  const r = await t.call("GET", "/metrics/get-history", { run_id: runId, metric_key: k, ...extra });
  expect(r.status).toBe(200);
  return r.body as { metrics?: unknown[]; next_page_token?: string };
}

/** GETs one of tracklite's UI routes (served under /ajax-api only). */
async function ajax(path: string, query: Record<string, string | string[] | number>) {
  const url = new URL(`http://localhost/ajax-api/2.0/tracklite/metrics/${path}`);
  for (const [k, v] of Object.entries(query)) for (const x of [v].flat()) url.searchParams.append(k, String(x));
  const res = await t.app.request(url.toString());
  expect(res.status).toBe(200);
  return res.json();
}

async function rowIdOf(runId: string): Promise<number> {
  const h = await openDatabase({ url: `file:${t.dir}/test.db` });
  const rs = await h.client.execute({ sql: "SELECT id FROM runs WHERE run_uuid = ?", args: [runId] });
  h.client.close();
  return rs.rows[0]?.id as number;
}

/** Runs one compaction of a series now, through a second handle on the test database. */
async function compact(runId: string, k: string) {
  const h = await openDatabase({ url: `file:${t.dir}/test.db` });
  const id = await rowIdOf(runId);
  await h.client.batch(await compactionStatements(h, id, [k]), "write");
  const heads = await seriesHeads(h, id, k);
  h.client.close();
  return heads;
}

describe("chunk codec", () => {
  it("sorts in MLflow's point order with NaN after a real 0, and keeps identical points once", () => {
    const p = sortPoints([2, 1, 1, 1, 1, 2], [5, 9, 9, 9, 9, 5], [Number.NaN, 0, Number.NaN, 0, -1, Number.NaN]);
    expect([...p.steps]).toEqual([1, 1, 1, 2]);
    expect([...p.values]).toEqual([-1, 0, Number.NaN, Number.NaN]);
    const back = decodePoints(encodePoints(p));
    expect([...back.values]).toEqual([...p.values]);
  });

  it("never cuts between two points of one (step, timestamp)", () => {
    const n = CHUNK_POINTS + 50;
    const steps = Array.from({ length: n }, (_, i) => (i < CHUNK_POINTS - 10 ? i : CHUNK_POINTS));
    const p = sortPoints(
      steps,
      steps.map(() => 7),
      steps.map((_, i) => i),
    );
    expect(chunkBounds(p)).toEqual([0, n]);
  });
});

describe("chunked series", () => {
  it("keeps each point once when a batch is logged again, before and after compaction", async () => {
    const id = await newRun();
    const points = Array.from({ length: 2500 }, (_, i) => ({
      key: "loss",
      value: i / 7,
      timestamp: 1000 + i,
      step: i,
    }));
    await log(id, points);
    await log(id, points.slice(1200, 1300)); // a retried request
    const want = expected(points);
    expect((await history(id, "loss")).metrics).toEqual(want);
    const summary = await ajax("summaries", { run_ids: [id], metric_keys: ["loss"] });
    expect(summary.summaries[0].count).toBe(2500);
    const heads = await compact(id, "loss");
    expect(disjoint(heads)).toBe(true);
    expect(heads.reduce((n, c) => n + c.n, 0)).toBe(2500);
    expect((await history(id, "loss")).metrics).toEqual(want);
  });

  it("merges points logged inside sealed chunks, with NaN and infinities, into disjoint chunks", async () => {
    const id = await newRun();
    const special = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 0, -0.5];
    const first = Array.from({ length: 3000 }, (_, i) => ({
      key: "m",
      value: special[i % 5] as number,
      timestamp: 10 * i,
      step: 2 * i,
    }));
    await log(id, first);
    // Odd steps fall between the stored ones, timestamps keep the order; some points repeat stored ones.
    const late = Array.from({ length: 900 }, (_, i) => ({
      key: "m",
      value: i,
      timestamp: 10 * (3 * i) + 5,
      step: 6 * i + 1,
    }));
    const again = first.filter((_, i) => i % 97 === 0);
    await log(id, [...late, ...again]);
    const all = [...first, ...late];
    const want = expected(all);
    expect((await history(id, "m")).metrics).toEqual(want);
    const heads = await compact(id, "m");
    expect(disjoint(heads)).toBe(true);
    expect(heads.reduce((n, c) => n + c.n, 0)).toBe(3900);
    expect(heads.filter((c) => !c.sealed).length).toBeLessThanOrEqual(1);
    expect((await history(id, "m")).metrics).toEqual(want);
    // That read stored the JSON of the sealed chunks it sent whole (after answering): the next reads send it.
    const h = await openDatabase({ url: `file:${t.dir}/test.db` });
    const stored = async () =>
      Number(
        (
          await h.client.execute({
            sql: "SELECT count(*) AS n FROM metric_chunks WHERE run_id = ? AND sealed = 1 AND json IS NOT NULL",
            args: [await rowIdOf(id)],
          })
        ).rows[0]?.n,
      );
    for (let tries = 0; (await stored()) < 3 && tries < 100; tries++) await new Promise((r) => setTimeout(r, 20));
    expect(await stored()).toBe(3);
    h.client.close();
    expect((await history(id, "m")).metrics).toEqual(want);
    // Pages across chunk boundaries, whole sealed chunks sent as their stored JSON.
    const pages: unknown[] = [];
    let token: string | undefined;
    do {
      const page = await history(id, "m", { max_results: 700, ...(token ? { page_token: token } : {}) });
      pages.push(...(page.metrics ?? []));
      token = page.next_page_token;
    } while (token);
    expect(pages).toEqual(want);
    // Buckets and summaries see each point once too.
    const summary = await ajax("summaries", { run_ids: [id] });
    expect(summary.summaries[0]).toMatchObject({ count: 3900, min: "-Infinity", max: "Infinity" });
    const buckets = await ajax("buckets", { run_ids: [id], metric_key: "m", buckets: 10 });
    expect(buckets.buckets.reduce((n: number, b: { count: number }) => n + b.count, 0)).toBe(3900);
  });

  it("a compaction prepared twice (two replicas) applies once", async () => {
    const id = await newRun();
    for (let i = 0; i < 5; i++) {
      await log(
        id,
        Array.from({ length: 10 }, (_, j) => ({ key: "x", value: j, timestamp: i * 10 + j, step: i * 10 + j })),
      );
    }
    const h = await openDatabase({ url: `file:${t.dir}/test.db` });
    const runId = await rowIdOf(id);
    const one = await compactionStatements(h, runId, ["x"]);
    const two = await compactionStatements(h, runId, ["x"]);
    await h.client.batch(one, "write");
    await h.client.batch(two, "write");
    const heads = await seriesHeads(h, runId, "x");
    h.client.close();
    expect(heads.reduce((n, c) => n + c.n, 0)).toBe(50);
    expect((await history(id, "x")).metrics).toHaveLength(50);
  });

  it("the server merges a series' small chunks as points arrive one at a time", async () => {
    const id = await newRun();
    for (let i = 0; i < 300; i++) {
      const r = await t.call("POST", "/runs/log-metric", { run_id: id, key: "one", value: i, timestamp: i, step: i });
      expect(r.status).toBe(200);
    }
    const h = await openDatabase({ url: `file:${t.dir}/test.db` });
    const runId = await rowIdOf(id);
    // Compactions run behind the answers: wait until the writer has done them.
    let heads = await seriesHeads(h, runId, "one");
    for (let tries = 0; heads.length > 200 && tries < 100; tries++) {
      await new Promise((r) => setTimeout(r, 20));
      heads = await seriesHeads(h, runId, "one");
    }
    h.client.close();
    expect(heads.length).toBeLessThan(200);
    expect((await history(id, "one")).metrics).toHaveLength(300);
  });
});
