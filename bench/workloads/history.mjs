/**
 * Reading metric histories: get-history of one metric with many points, and get-history-bulk-interval (the UI's
 * sampled charts) over many runs with many points each, at the default max_results. Seeded through log-batch
 * (1,000 points of one key per request, in parallel); the reference first within a time box, tracklite with exactly
 * the same batches.
 */
import { performance } from "node:perf_hooks";
import { parallel, percentile, queryString, sequential } from "../load.mjs";
import { alternate, each, fmtInt, medianOf, newExperiment, newRun, row } from "./common.mjs";

const T0 = 1_700_000_000_000;
const BATCH = 1000;

/** 1,000 consecutive steps of `key` starting at `base`: a noisy decaying loss. */
function pointsBody(runId, key, base) {
  const metrics = [];
  for (let s = base; s < base + BATCH; s++) {
    metrics.push({ key, value: 1 / (1 + s / 1000) + ((s * 7919) % 101) / 10_000, timestamp: T0 + s, step: s });
  }
  return JSON.stringify({ run_id: runId, metrics });
}

/**
 * Sends `batches` log-batch requests: batch i goes to run i % runs.length with steps from floor(i / runs.length)
 * × 1,000, so a time-boxed seeding still leaves every run with (nearly) the same number of points.
 */
async function seed(api, runs, batches, deadline) {
  return parallel(
    batches,
    6,
    async (i) => {
      const { status, text } = await api.send(
        "POST",
        "/api/2.0/mlflow/runs/log-batch",
        pointsBody(runs[i % runs.length], "loss", Math.floor(i / runs.length) * BATCH),
      );
      if (status !== 200) throw new Error(`log-batch → ${status}: ${text.slice(0, 300)}`);
    },
    deadline,
  );
}

/** Seeds the reference (time-boxed) then tracklite with the same batches; returns the batch count and times. */
async function seedBoth(ctx, runsOf, batches, what) {
  const times = {};
  let done = batches;
  for (const kind of ["reference", "tracklite"]) {
    const t0 = performance.now();
    const deadline = kind === "reference" ? t0 + ctx.cfg.seedBudgetMs : Number.POSITIVE_INFINITY;
    done = await seed(ctx.apis[kind], runsOf[kind], done, deadline);
    times[kind] = (performance.now() - t0) / 1000;
    ctx.log(`${what}: seeded ${fmtInt(done * BATCH)} points into ${kind} in ${times[kind].toFixed(1)} s`);
  }
  if (done < batches) {
    ctx.notes.push(
      `${what}: the reference's seeding hit its ${ctx.cfg.seedBudgetMs / 1000} s time box at ${fmtInt(done * BATCH)} of ${fmtInt(batches * BATCH)} points; both servers hold those points.`,
    );
  }
  ctx.notes.push(
    `${what} seeding (log-batch of 1,000 points, 6 in parallel): reference ${fmtInt((done * BATCH) / times.reference)} points/s, tracklite ${fmtInt((done * BATCH) / times.tracklite)} points/s.`,
  );
  return done;
}

export async function history(ctx) {
  const { cfg, apis, log } = ctx;
  const rows = [];
  const exps = await each(ctx, (kind) => newExperiment(apis[kind], "bench-history"));

  // get-history of one metric with cfg.historyPoints points.
  const single = await each(ctx, async (kind) => [await newRun(apis[kind], exps[kind])]);
  const done = await seedBoth(ctx, single, Math.ceil(cfg.historyPoints / BATCH), "get-history");
  const getHistory = (kind) =>
    apis[kind].send(
      "GET",
      `/api/2.0/mlflow/metrics/get-history${queryString({ run_id: single[kind][0], metric_key: "loss" })}`,
    );
  const counts = await each(ctx, async (kind) => JSON.parse((await getHistory(kind)).text).metrics?.length ?? 0);
  log(`get-history: points returned: reference ${fmtInt(counts.reference)}, tracklite ${fmtInt(counts.tracklite)}`);
  if (counts.reference !== counts.tracklite) {
    ctx.notes.push(
      `get-history: the servers returned different point counts (reference ${counts.reference}, tracklite ${counts.tracklite}).`,
    );
  }
  const h = await alternate(ctx, cfg.historyReps, (kind) => sequential(1, () => getHistory(kind)));
  rows.push(
    row(
      `metrics/get-history, ${fmtInt(done * BATCH)} points`,
      "p50 latency",
      "ms",
      "lower",
      medianOf(h, (r) => r.latencies[0]),
      {
        genCpu: medianOf(h, (r) => r.cpuShare),
      },
    ),
  );

  // get-history-bulk-interval over cfg.bulkRuns runs × cfg.bulkPoints points, default max_results.
  const many = await each(ctx, async (kind) => {
    const ids = [];
    for (let i = 0; i < cfg.bulkRuns; i++) ids.push(await newRun(apis[kind], exps[kind]));
    return ids;
  });
  const bulkDone = await seedBoth(ctx, many, Math.ceil((cfg.bulkRuns * cfg.bulkPoints) / BATCH), "bulk-interval");
  const bulk = (kind) =>
    apis[kind].send(
      "GET",
      `/ajax-api/2.0/mlflow/metrics/get-history-bulk-interval${queryString({ run_ids: many[kind], metric_key: "loss" })}`,
    );
  const bulkCounts = await each(ctx, async (kind) => {
    const { status, text } = await bulk(kind);
    if (status !== 200) throw new Error(`${kind} bulk-interval → ${status}: ${text.slice(0, 300)}`);
    return JSON.parse(text).metrics?.length ?? 0;
  });
  log(
    `bulk-interval: points returned: reference ${fmtInt(bulkCounts.reference)}, tracklite ${fmtInt(bulkCounts.tracklite)}`,
  );
  const b = await alternate(ctx, cfg.historyReps, (kind) => sequential(1, () => bulk(kind)));
  const perRun = Math.round((bulkDone * BATCH) / cfg.bulkRuns);
  rows.push(
    row(
      `metrics/get-history-bulk-interval, ${cfg.bulkRuns} runs × ${fmtInt(perRun)} points`,
      "p50 latency",
      "ms",
      "lower",
      medianOf(b, (r) => percentile(r.latencies, 50)),
      {
        genCpu: medianOf(b, (r) => r.cpuShare),
      },
    ),
  );
  ctx.notes.push(
    `bulk-interval answers held ${fmtInt(bulkCounts.reference)} points (reference) and ${fmtInt(bulkCounts.tracklite)} (tracklite).`,
  );
  return rows;
}
