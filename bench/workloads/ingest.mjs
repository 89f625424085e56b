/**
 * Write paths: log-metric throughput, log-batch(1,000) latency and sustained points/s, runs/create latency, and a
 * GET /health latency probe that shows each server's fixed per-request floor.
 */
import { closedLoop, percentile, sequential } from "../load.mjs";
import { alternate, each, medianOf, metricBatchBody, newExperiment, newRun, row } from "./common.mjs";

const TS = 1_700_000_000_000;

export async function ingest(ctx) {
  const { cfg, apis } = ctx;
  const rows = [];

  // 1. log-metric, 8 clients, closed loop. Every point is new (step = request number) so no server takes a
  // duplicate-point shortcut or slow path.
  ctx.log("log-metric: 8 concurrent clients");
  const lm = await each(ctx, async (kind) => {
    const exp = await newExperiment(apis[kind], "bench-log-metric");
    return { run: await newRun(apis[kind], exp), next: 0 };
  });
  const logMetric = (kind, durationMs) => {
    const s = lm[kind];
    const base = s.next;
    return closedLoop({
      concurrency: 8,
      durationMs,
      request: (i) => {
        const step = base + i;
        s.next = Math.max(s.next, step + 1);
        return apis[kind].send(
          "POST",
          "/api/2.0/mlflow/runs/log-metric",
          `{"run_id":"${s.run}","key":"loss","value":${(step % 997) / 997},"timestamp":${TS + step},"step":${step}}`,
        );
      },
    });
  };
  await alternate(ctx, 1, (kind) => logMetric(kind, cfg.warmupMs));
  // One client, one request at a time: the per-request latency under no contention, and a floor probe.
  const lmSeq = await alternate(ctx, 1, (kind) => {
    const s = lm[kind];
    return sequential(cfg.createRuns, () => {
      const step = s.next++;
      return apis[kind].send(
        "POST",
        "/api/2.0/mlflow/runs/log-metric",
        `{"run_id":"${s.run}","key":"loss","value":0.5,"timestamp":${TS + step},"step":${step}}`,
      );
    });
  });
  const lmRes = await alternate(ctx, cfg.reps, (kind) => logMetric(kind, cfg.logMetricMs));
  rows.push(
    row(
      "log-metric, 8 clients",
      "throughput",
      "req/s",
      "higher",
      medianOf(lmRes, (r) => r.rps),
      {
        genCpu: medianOf(lmRes, (r) => r.cpuShare),
        errors: sumErrors(lmRes),
      },
    ),
  );

  rows.push(
    row(
      "log-metric, 1 client, sequential",
      "p50 latency",
      "ms",
      "lower",
      medianOf(lmSeq, (r) => percentile(r.latencies, 50)),
      {
        latencySeries: { reference: lmSeq.reference[0].latencies, tracklite: lmSeq.tracklite[0].latencies },
      },
    ),
  );

  // 2a. log-batch with 1,000 metrics (100 keys × 10 steps), sequential latency.
  ctx.log("log-batch(1000): sequential latency");
  const lb = await each(ctx, async (kind) => {
    const exp = await newExperiment(apis[kind], "bench-log-batch");
    const runs = [];
    for (let i = 0; i < 8; i++) runs.push(await newRun(apis[kind], exp));
    return { exp, runs, next: 0 };
  });
  const batchRequest = (kind, i) => {
    const s = lb[kind];
    const base = s.next;
    s.next += 10;
    const run = s.runs[i % s.runs.length];
    return apis[kind].send("POST", "/api/2.0/mlflow/runs/log-batch", metricBatchBody(run, base, 100, 10, TS));
  };
  await alternate(ctx, 1, (kind) => sequential(cfg.batchWarmup, (i) => batchRequest(kind, i)));
  const lbSeq = await alternate(ctx, cfg.reps, (kind) => sequential(cfg.batchSequential, (i) => batchRequest(kind, i)));
  rows.push(
    row(
      "log-batch (1,000 metrics), sequential",
      "p50 latency",
      "ms",
      "lower",
      medianOf(lbSeq, (r) => percentile(r.latencies, 50)),
      {
        genCpu: medianOf(lbSeq, (r) => r.cpuShare),
      },
    ),
    row(
      "log-batch (1,000 metrics), sequential",
      "p99 latency",
      "ms",
      "lower",
      medianOf(lbSeq, (r) => percentile(r.latencies, 99)),
    ),
  );

  // 2b. log-batch sustained, 8 concurrent writers on 8 runs.
  ctx.log(`log-batch(1000): 8 writers for ${cfg.sustainedMs / 1000} s`);
  const lbSus = await alternate(ctx, cfg.sustainedReps, (kind) =>
    closedLoop({ concurrency: 8, durationMs: cfg.sustainedMs, request: (i) => batchRequest(kind, i) }),
  );
  rows.push(
    row(
      "log-batch (1,000 metrics), 8 writers",
      "sustained ingest",
      "points/s",
      "higher",
      medianOf(lbSus, (r) => r.rps * 1000),
      {
        genCpu: medianOf(lbSus, (r) => r.cpuShare),
        errors: sumErrors(lbSus),
      },
    ),
  );

  // 3. runs/create, sequential.
  ctx.log("runs/create: sequential latency");
  const createRun = (kind, i) =>
    apis[kind].send(
      "POST",
      "/api/2.0/mlflow/runs/create",
      JSON.stringify({ experiment_id: lb[kind].exp, start_time: TS + i, run_name: `create-${i}` }),
    );
  await alternate(ctx, 1, (kind) => sequential(10, (i) => createRun(kind, i)));
  const rc = await alternate(ctx, cfg.reps, (kind) => sequential(cfg.createRuns, (i) => createRun(kind, i)));
  rows.push(
    row(
      "runs/create, sequential",
      "p50 latency",
      "ms",
      "lower",
      medianOf(rc, (r) => percentile(r.latencies, 50)),
      {
        genCpu: medianOf(rc, (r) => r.cpuShare),
        latencySeries: {
          reference: rc.reference.flatMap((r) => r.latencies),
          tracklite: rc.tracklite.flatMap((r) => r.latencies),
        },
      },
    ),
  );

  // Floor probe: the cheapest request each server has.
  const health = await alternate(ctx, cfg.reps, (kind) =>
    sequential(cfg.healthProbes, () => apis[kind].send("GET", "/health")),
  );
  rows.push(
    row(
      "GET /health, sequential (floor probe)",
      "p50 latency",
      "ms",
      "lower",
      medianOf(health, (r) => percentile(r.latencies, 50)),
      {
        latencySeries: {
          reference: health.reference.flatMap((r) => r.latencies),
          tracklite: health.tracklite.flatMap((r) => r.latencies),
        },
      },
    ),
  );
  return rows;
}

export function sumErrors(results) {
  return {
    reference: results.reference.reduce((a, r) => a + r.errors, 0),
    tracklite: results.tracklite.reduce((a, r) => a + r.errors, 0),
  };
}
