import { describe, expect, it } from "vitest";
import { BATCH_LIMITS } from "../batch-limits.js";
import { isMlflowApiError } from "../errors.js";
import { type SentRequest, sleep, useInProcessServer } from "./test-server.test-helpers.js";

const server = useInProcessServer();

/** A log-batch request's metrics, params and tags. */
const sizes = (r: SentRequest) => ({
  metrics: r.body.metrics?.length ?? 0,
  params: r.body.params?.length ?? 0,
  tags: r.body.tags?.length ?? 0,
});

describe("coalescing", () => {
  it("sends 5,000 metrics in at most 6 log-batch calls, every point stored with its step", async () => {
    const tracking = server.tracking();
    const run = await tracking.startRun({ experimentName: "coalescing" });
    for (let step = 0; step < 5000; step++) await run.logMetric("loss", 1 / (step + 1), { step });
    await run.end();

    const batches = server.logBatches();
    expect(batches.length).toBeLessThanOrEqual(6);
    for (const b of batches) expect(sizes(b).metrics).toBeLessThanOrEqual(BATCH_LIMITS.metrics);
    const history = await tracking.client.getMetricHistory(run.id, "loss");
    expect(history).toHaveLength(5000);
    const byStep = new Map(history.map((m) => [m.step, m.value]));
    for (let step = 0; step < 5000; step++) expect(byStep.get(step)).toBe(1 / (step + 1));
  });

  it("splits 250 params into 3 calls of at most 100", async () => {
    const tracking = server.tracking();
    const run = await tracking.startRun({ experimentName: "coalescing" });
    await run.logParams(Object.fromEntries(Array.from({ length: 250 }, (_, i) => [`p${i}`, i])));
    await run.flush();

    const batches = server.logBatches();
    expect(batches.map((b) => sizes(b).params)).toEqual([100, 100, 50]);
    const stored = (await tracking.client.getRun(run.id)).data.params ?? [];
    expect(stored).toHaveLength(250);
    expect(stored.find((p) => p.key === "p249")?.value).toBe("249");
  });

  it("sends a param logged twice with one value once, and a tag's last value", async () => {
    const tracking = server.tracking({ lingerMs: 20 });
    const run = await tracking.startRun({ experimentName: "coalescing" });
    await run.logParam("lr", 0.01);
    await run.logParam("lr", 0.01);
    await run.setTag("phase", "warmup");
    await run.setTag("phase", "train");
    await run.flush();

    const [batch, ...rest] = server.logBatches();
    expect(rest).toEqual([]);
    expect(batch?.body.params).toEqual([{ key: "lr", value: "0.01" }]);
    expect(batch?.body.tags).toEqual([{ key: "phase", value: "train" }]);
  });

  it("waits for the linger before sending a partial batch", async () => {
    const tracking = server.tracking({ lingerMs: 200 });
    const run = await tracking.startRun({ experimentName: "coalescing" });
    await run.logMetric("a", 1);
    await sleep(20);
    await run.logMetric("b", 2);
    expect(server.logBatches()).toHaveLength(0);
    await sleep(400);
    expect(server.logBatches().map((b) => sizes(b).metrics)).toEqual([2]);
  });
});

describe("ordering", () => {
  it("keeps a run's order with one call in flight per run, runs in parallel", async () => {
    const tracking = server.tracking({ lingerMs: 5 });
    const [a, b] = await Promise.all([
      tracking.startRun({ experimentName: "ordering" }),
      tracking.startRun({ experimentName: "ordering" }),
    ]);
    const inFlight = new Map<string, number>();
    let maxPerRun = 0;
    let maxOverall = 0;
    server.beforeRequest = async (req) => {
      if (!req.path.endsWith("/runs/log-batch")) return;
      const runId = req.body.run_id as string;
      inFlight.set(runId, (inFlight.get(runId) ?? 0) + 1);
      maxPerRun = Math.max(maxPerRun, inFlight.get(runId)!);
      maxOverall = Math.max(
        maxOverall,
        [...inFlight.values()].reduce((x, y) => x + y, 0),
      );
      await sleep(15);
      inFlight.set(runId, inFlight.get(runId)! - 1);
    };
    for (let i = 0; i < 3000; i++) {
      await a!.logMetric("m", i, { step: 0, timestamp: 1000 });
      await b!.logMetric("m", -i - 1, { step: 0, timestamp: 1000 });
      if (i % 500 === 0) await sleep(20);
    }
    await Promise.all([a!.end(), b!.end()]);

    expect(maxPerRun).toBe(1);
    expect(maxOverall).toBe(2);
    const sent = (runId: string) =>
      server
        .logBatches()
        .filter((r) => r.body.run_id === runId)
        .flatMap((r) => (r.body.metrics ?? []).map((m: { value: number }) => m.value));
    expect(sent(a!.id)).toEqual(Array.from({ length: 3000 }, (_, i) => i));
    expect(sent(b!.id)).toEqual(Array.from({ length: 3000 }, (_, i) => -i - 1));
  });
});

describe("backpressure", () => {
  it("keeps logMetric pending while the queue is full, and resolves it once the sender drains", async () => {
    const tracking = server.tracking({ maxQueued: 100, lingerMs: 10 });
    const run = await tracking.startRun({ experimentName: "backpressure" });
    let open!: () => void;
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    server.beforeRequest = (req) => (req.path.endsWith("/runs/log-batch") ? gate : undefined);

    // 100 go in flight (held at the gate), 100 more fill the queue.
    for (let step = 0; step < 200; step++) await run.logMetric("x", step, { step });
    expect(tracking.queued).toBe(100);
    let resolved = false;
    const blocked = run.logMetric("x", 200, { step: 200 }).then(() => {
      resolved = true;
    });
    await sleep(50);
    expect(resolved).toBe(false);
    expect(tracking.queued).toBe(100);

    open();
    await blocked;
    await run.end();
    expect(await tracking.client.getMetricHistory(run.id, "x")).toHaveLength(201);
  });

  it("never holds more than the bound while a fast producer outruns a slow server", async () => {
    const tracking = server.tracking({ maxQueued: 100, lingerMs: 10 });
    const run = await tracking.startRun({ experimentName: "backpressure" });
    let maxQueued = 0;
    server.beforeRequest = async (req) => {
      maxQueued = Math.max(maxQueued, tracking.queued);
      if (req.path.endsWith("/runs/log-batch")) await sleep(10);
    };
    const calls: Promise<void>[] = [];
    for (let step = 0; step < 2000; step++) {
      calls.push(run.logMetric("y", step, { step }));
      maxQueued = Math.max(maxQueued, tracking.queued);
    }
    await Promise.all(calls);
    await run.end();

    expect(maxQueued).toBeLessThanOrEqual(100);
    const values = server.logBatches().flatMap((r) => (r.body.metrics ?? []).map((m: { value: number }) => m.value));
    expect(values).toEqual(Array.from({ length: 2000 }, (_, i) => i));
  });

  it("shares the bound between runs without reordering or repeating entries", async () => {
    const tracking = server.tracking({ maxQueued: 50, lingerMs: 5 });
    const runs = await Promise.all([1, 2, 3].map(() => tracking.startRun({ experimentName: "backpressure" })));
    const inFlight = new Map<string, number>();
    let maxPerRun = 0;
    server.beforeRequest = async (req) => {
      if (!req.path.endsWith("/runs/log-batch")) return;
      const runId = req.body.run_id as string;
      inFlight.set(runId, (inFlight.get(runId) ?? 0) + 1);
      maxPerRun = Math.max(maxPerRun, inFlight.get(runId)!);
      await sleep(3);
      inFlight.set(runId, inFlight.get(runId)! - 1);
    };
    const calls: Promise<void>[] = [];
    for (let step = 0; step < 600; step++) {
      for (const run of runs) calls.push(run.logMetrics({ a: step, b: -step }, { step }));
    }
    await Promise.all(calls);
    await Promise.all(runs.map((r) => r.end()));

    expect(maxPerRun).toBe(1);
    for (const run of runs) {
      const sent = server
        .logBatches()
        .filter((r) => r.body.run_id === run.id)
        .flatMap((r) => (r.body.metrics ?? []).map((m: { key: string; step: number }) => `${m.key}${m.step}`));
      expect(sent).toEqual(Array.from({ length: 600 }, (_, i) => [`a${i}`, `b${i}`]).flat());
    }
  });

  it("lets a waiting caller into an idle run once, however the room is made", async () => {
    const tracking = server.tracking({ maxQueued: 10, lingerMs: 50 });
    const [x, y] = await Promise.all([1, 2].map(() => tracking.startRun({ experimentName: "backpressure" })));
    let open!: () => void;
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    server.beforeRequest = (req) => (req.path.endsWith("/runs/log-batch") ? gate : undefined);
    const metrics = (prefix: string, n: number) =>
      Object.fromEntries(Array.from({ length: n }, (_, i) => [`${prefix}${i}`, i]));

    await y!.logMetrics(metrics("y", 10)); // a full queue: sent at once, held at the gate
    await sleep(5);
    await x!.logMetric("x", 0); // lingers: run x is idle
    await y!.logMetrics(metrics("z", 9)); // the queue is full again
    const waiting = x!.logMetrics(metrics("w", 20)); // waits for room, which run y's next call makes
    open();
    await waiting;
    await Promise.all([x!.end(), y!.end()]);

    const sentFor = (runId: string) =>
      server
        .logBatches()
        .filter((r) => r.body.run_id === runId)
        .flatMap((r) => (r.body.metrics ?? []).map((m: { key: string }) => m.key));
    expect(sentFor(x!.id)).toEqual(["x", ...Object.keys(metrics("w", 20))]);
    expect(sentFor(y!.id)).toEqual([...Object.keys(metrics("y", 10)), ...Object.keys(metrics("z", 9))]);
  });
});

describe("errors of background calls", () => {
  it("rejects end() with the server's error when a param is re-logged with another value", async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    try {
      const tracking = server.tracking({ lingerMs: 5 });
      const run = await tracking.startRun({ experimentName: "errors" });
      await run.logParam("lr", 0.01);
      await run.flush();
      await run.logParam("lr", 0.02);
      await run.logMetric("loss", 1);
      const err = await run.end().catch((e: unknown) => e);
      expect(isMlflowApiError(err, "INVALID_PARAMETER_VALUE")).toBe(true);
      // The run is ended all the same.
      expect((await tracking.client.getRun(run.id)).info.status).toBe("FINISHED");
      await sleep(10);
    } finally {
      process.off("unhandledRejection", onUnhandled);
    }
    expect(unhandled).toEqual([]);
  });

  it("throws a failure from the run's next call and from flush(), which clears it", async () => {
    const tracking = server.tracking({ lingerMs: 5 });
    const run = await tracking.startRun({ experimentName: "errors" });
    await run.logParam("seed", 1);
    await run.flush();
    await run.logParam("seed", 2);
    await sleep(50); // the linger passes and the call fails in the background

    const next = await run.logMetric("loss", 1).catch((e: unknown) => e);
    expect(isMlflowApiError(next, "INVALID_PARAMETER_VALUE")).toBe(true);
    await expect(run.logText("x", "x.txt")).rejects.toBe(next);
    await expect(run.flush()).rejects.toBe(next);
    await run.logMetric("loss", 2);
    await run.end();
    expect(await tracking.client.getMetricHistory(run.id, "loss")).toMatchObject([{ value: 2 }]);
  });

  it("reports failures of several runs from Tracking.flush() together", async () => {
    const tracking = server.tracking({ lingerMs: 5 });
    const runs = await Promise.all([1, 2].map(() => tracking.startRun({ experimentName: "errors" })));
    for (const run of runs) {
      await run.logParam("k", "a");
      await run.flush();
      await run.logParam("k", "b");
    }
    const err = await tracking.flush().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AggregateError);
    expect((err as AggregateError).errors).toHaveLength(2);
    await tracking.flush();
  });
});
