/**
 * The many-metrics chart load at the `--large` scale: `chartRuns` runs × `chartMetrics` metrics × `chartSteps` steps
 * (the issue's 1,000 × 10 × 100,000 is 10⁹ points, more than a 2-core machine seeds in a bench run, so every size is a
 * flag and the report states the scale reached). Figures:
 * - chart load of `chartLoadRuns` runs: the wall time to fetch every metric's chart as the UIs do, one request per
 *   metric over all the runs with 6 in flight (a browser's per-host limit): tracklite's UI through
 *   `metrics/buckets` (500 buckets), MLflow's UI through get-history-bulk-interval (on both servers);
 * - database size per 1,000,000 points (growth of the database files over the seeding ÷ points).
 *
 * Seeding is log-batch of 1,000 points (every metric × 1,000 / `chartMetrics` steps) round-robin over the runs, so a
 * seeding cut by its time box leaves every run with (nearly) the same steps. The reference is seeded within
 * `largeSeedBudgetMs`, tracklite gets exactly those batches (the pair gives the ratios), then tracklite alone goes on
 * to the full size within `chartSeedBudgetMs`.
 */
import { performance } from "node:perf_hooks";
import { parallel, percentile, queryString } from "../load.mjs";
import { alternate, each, fmtInt, newExperiment, row, underLoad } from "./common.mjs";
import { dbBytes, mibPerMillion } from "./db-size.mjs";

const T0 = 1_700_000_000_000;
const POINTS_PER_BATCH = 1000;
const SEED_CONCURRENCY = 6;
/** Requests a browser keeps in flight to one host over HTTP/1.1. */
const BROWSER_CONCURRENCY = 6;

/** The batch plan: batch i goes to run i % runs, steps [base, base + count). */
function plan(cfg) {
  const stepsPerBatch = Math.max(1, Math.floor(POINTS_PER_BATCH / cfg.chartMetrics));
  const blocks = Math.ceil(cfg.chartSteps / stepsPerBatch);
  const batches = blocks * cfg.chartRuns;
  const at = (i) => {
    const base = Math.floor(i / cfg.chartRuns) * stepsPerBatch;
    return { run: i % cfg.chartRuns, base, count: Math.min(stepsPerBatch, cfg.chartSteps - base) };
  };
  /** Steps run `r` holds once batches [0, n) are in. */
  const stepsOf = (r, n) =>
    r < n ? Math.min(cfg.chartSteps, (Math.floor((n - 1 - r) / cfg.chartRuns) + 1) * stepsPerBatch) : 0;
  /** "N steps" or "N–M steps": what the first `chartLoadRuns` runs hold. */
  const stepsLabel = (n) => {
    const hi = stepsOf(0, n);
    const lo = stepsOf(Math.min(cfg.chartLoadRuns, cfg.chartRuns) - 1, n);
    return lo === hi
      ? `${hi.toLocaleString("en-US")} steps`
      : `${lo.toLocaleString("en-US")}–${hi.toLocaleString("en-US")} steps`;
  };
  const pointsUpTo = (n) => {
    let points = 0;
    for (let i = 0; i < n; i++) points += at(i).count * cfg.chartMetrics;
    return points;
  };
  return { batches, at, pointsUpTo, stepsLabel };
}

/** One log-batch body: every metric over steps [base, base + count), a noisy decaying curve per metric. */
function batchBody(runId, metrics, base, count) {
  const out = [];
  for (let s = base; s < base + count; s++) {
    for (let k = 0; k < metrics; k++) {
      const value = (k + 1) / (1 + s / 1000) + (((s + 1) * (k + 7919)) % 101) / 10_000;
      out.push({ key: `m${k}`, value, timestamp: T0 + s, step: s });
    }
  }
  return JSON.stringify({ run_id: runId, metrics: out });
}

/** Sends batches [from, to) to `kind`, stopping at `deadline`; returns the index reached. */
async function seedRange(ctx, kind, runIds, p, from, to, deadline) {
  const api = ctx.apis[kind];
  const t0 = performance.now();
  let lastLog = t0;
  const done = await parallel(
    to - from,
    SEED_CONCURRENCY,
    async (j) => {
      const { run, base, count } = p.at(from + j);
      const body = batchBody(runIds[run], ctx.cfg.chartMetrics, base, count);
      const { status, text } = await api.send("POST", "/api/2.0/mlflow/runs/log-batch", body);
      if (status !== 200) throw new Error(`${kind} log-batch → ${status}: ${text.slice(0, 300)}`);
      if (performance.now() - lastLog > 30_000) {
        lastLog = performance.now();
        ctx.log(`chart-load: ${kind}: batch ${fmtInt(from + j)} of ${fmtInt(to)}`);
      }
    },
    deadline,
  );
  const s = (performance.now() - t0) / 1000;
  const points = p.pointsUpTo(from + done) - p.pointsUpTo(from);
  ctx.log(`chart-load: ${kind}: ${fmtInt(points)} points in ${s.toFixed(1)} s (${fmtInt(points / s)} points/s)`);
  return { reached: from + done, points, perS: points / s };
}

/** Runs `tasks` with at most `n` in flight; resolves to the wall time in ms. */
async function wallOf(tasks, n) {
  const t0 = performance.now();
  await parallel(tasks.length, n, (i) => tasks[i]());
  return performance.now() - t0;
}

/**
 * A GET retried once when the connection drops: uvicorn and Node close a keep-alive connection after 5 s idle, and a request
 * the pool sends on it just then fails with "other side closed" though the server is fine.
 */
async function getRetryingOnce(api, path) {
  try {
    return await api.send("GET", path);
  } catch (e) {
    if (e?.code !== "UND_ERR_SOCKET" && e?.code !== "ECONNRESET") throw e;
    return api.send("GET", path);
  }
}

/** The requests of one chart load: one per metric over `runIds`. */
function chartRequests(api, runIds, metrics, via) {
  return Array.from({ length: metrics }, (_, k) => async () => {
    const path =
      via === "buckets"
        ? `/ajax-api/2.0/tracklite/metrics/buckets${queryString({ run_ids: runIds, metric_key: `m${k}`, buckets: 500 })}`
        : `/ajax-api/2.0/mlflow/metrics/get-history-bulk-interval${queryString({ run_ids: runIds, metric_key: `m${k}` })}`;
    const { status, text } = await getRetryingOnce(api, path);
    if (status !== 200) throw new Error(`${via} → ${status}: ${text.slice(0, 300)}`);
    const body = JSON.parse(text);
    return (body.buckets ?? body.metrics ?? []).length;
  });
}

/** Points (or buckets) one chart load returns, to show both servers answered with data. */
async function answered(api, runIds, metrics, via) {
  let n = 0;
  for (const f of chartRequests(api, runIds, metrics, via)) n += await f();
  return n;
}

/** measureCharts, but a failure becomes a note and no rows, so the rows measured before it stay in the report. */
async function measureChartsOrNote(ctx, runsOf, label, trackliteOnly) {
  try {
    return await measureCharts(ctx, runsOf, label, trackliteOnly);
  } catch (e) {
    ctx.log(`chart-load (${label}) failed: ${e.stack ?? e}`);
    ctx.notes.push(`chart load (${label}) failed: ${String(e.message ?? e).slice(0, 300)}`);
    return [];
  }
}

/** Chart-load rows at the current data: bulk-interval on both (unless `trackliteOnly`), buckets on tracklite. */
async function measureCharts(ctx, runsOf, label, trackliteOnly) {
  const { cfg, apis } = ctx;
  const load = cfg.chartLoadRuns;
  const ids = { reference: runsOf.reference?.slice(0, load), tracklite: runsOf.tracklite.slice(0, load) };
  const kinds = trackliteOnly ? ["tracklite"] : ["reference", "tracklite"];
  for (const kind of kinds) {
    const n = await answered(apis[kind], ids[kind], cfg.chartMetrics, "bulk-interval");
    ctx.log(`chart-load (${label}): ${kind} bulk-interval answers hold ${fmtInt(n)} points`);
    ctx.notes.push(`chart load (${label}): ${kind}'s bulk-interval answers held ${fmtInt(n)} points.`);
  }
  const nb = await answered(apis.tracklite, ids.tracklite, cfg.chartMetrics, "buckets");
  ctx.log(`chart-load (${label}): tracklite buckets answers hold ${fmtInt(nb)} buckets`);

  const reps = cfg.largeChartReps;
  const load1 = (kind, via) => wallOf(chartRequests(apis[kind], ids[kind], cfg.chartMetrics, via), BROWSER_CONCURRENCY);
  const bulk = trackliteOnly
    ? { reference: [], tracklite: await repeat(ctx, reps, () => load1("tracklite", "bulk-interval")) }
    : await alternate(ctx, reps, (kind) => load1(kind, "bulk-interval"));
  const buckets = await repeat(ctx, reps, () => load1("tracklite", "buckets"));
  const p50 = (xs) => (xs.length ? percentile(xs, 50) : Number.NaN);
  const name = `chart load, ${load} runs × ${cfg.chartMetrics} metrics, ${label}`;
  return [
    row(name, "get-history-bulk-interval, all charts", "ms", "lower", {
      reference: p50(bulk.reference),
      tracklite: p50(bulk.tracklite),
    }),
    row(name, "metrics/buckets (500), all charts", "ms", "lower", { reference: Number.NaN, tracklite: p50(buckets) }),
  ];
}

async function repeat(ctx, reps, fn) {
  const out = [];
  for (let i = 0; i < reps; i++) out.push(await underLoad(ctx, "tracklite", fn));
  return out;
}

/** Creates `n` runs in a fresh experiment; returns their ids in creation order. */
async function createRuns(api, n) {
  const exp = await newExperiment(api, "bench-chart-load");
  const ids = new Array(n);
  await parallel(n, 8, async (i) => {
    const { run } = await api.post("runs/create", { experiment_id: exp, start_time: T0 + i, run_name: `c${i}` });
    ids[i] = run.info.run_id;
  });
  return ids;
}

export async function chartLoad(ctx) {
  const { cfg, servers, notes, log } = ctx;
  const p = plan(cfg);
  const runsOf = await each(ctx, (kind) => createRuns(ctx.apis[kind], cfg.chartRuns));
  log(`chart-load: ${fmtInt(cfg.chartRuns)} runs created on each server; ${fmtInt(p.batches)} batches planned`);
  const before = await each(ctx, (kind) => dbBytes(servers[kind]));

  // 1. Equal data: the reference's time box, then the same batches into tracklite.
  const ref = await seedRange(
    ctx,
    "reference",
    runsOf.reference,
    p,
    0,
    p.batches,
    performance.now() + cfg.largeSeedBudgetMs,
  );
  const tl = await seedRange(ctx, "tracklite", runsOf.tracklite, p, 0, ref.reached, Number.POSITIVE_INFINITY);
  const sizeSame = await each(ctx, (kind) => dbBytes(servers[kind]));
  const labelSame = `${p.stepsLabel(ref.reached)} each (${fmtInt(ref.points)} points on both)`;
  const rows = [
    row(`database size, ${fmtInt(ref.points)} points on both`, "per 1,000,000 points", "MiB", "lower", {
      reference: mibPerMillion(before.reference, sizeSame.reference, ref.points),
      tracklite: mibPerMillion(before.tracklite, sizeSame.tracklite, tl.points),
    }),
    ...(await measureChartsOrNote(ctx, runsOf, labelSame, false)),
  ];
  notes.push(
    `chart-load seeding (log-batch of 1,000 points, ${SEED_CONCURRENCY} in parallel, round-robin over ${fmtInt(cfg.chartRuns)} runs): reference ${fmtInt(ref.perS)} points/s (${fmtInt(ref.points)} points in its ${cfg.largeSeedBudgetMs / 1000} s time box), tracklite ${fmtInt(tl.perS)} points/s.`,
  );

  // 2. Tracklite alone on to the full size, within its own time box.
  const deadline = performance.now() + cfg.chartSeedBudgetMs;
  const more = await seedRange(ctx, "tracklite", runsOf.tracklite, p, ref.reached, p.batches, deadline);
  const total = tl.points + more.points;
  const sizeFull = dbBytes(servers.tracklite);
  const planned = cfg.chartRuns * cfg.chartMetrics * cfg.chartSteps;
  notes.push(
    `chart-load scale reached on tracklite: ${fmtInt(total)} of ${fmtInt(planned)} planned points (${fmtInt(cfg.chartRuns)} runs × ${cfg.chartMetrics} metrics × ${p.stepsLabel(more.reached)} of ${fmtInt(cfg.chartSteps)})${more.reached < p.batches ? `; the seeding hit its ${cfg.chartSeedBudgetMs / 1000} s time box` : ""}, at ${fmtInt(more.perS)} points/s; database ${(sizeFull / 1024 / 1024).toFixed(0)} MiB.`,
  );
  rows.push(
    row(`database size, ${fmtInt(total)} points (tracklite only)`, "per 1,000,000 points", "MiB", "lower", {
      reference: Number.NaN,
      tracklite: mibPerMillion(before.tracklite, sizeFull, total),
    }),
    ...(await measureChartsOrNote(
      ctx,
      runsOf,
      `${p.stepsLabel(more.reached)} each (${fmtInt(total)} points, tracklite only)`,
      true,
    )),
  );
  return rows;
}
