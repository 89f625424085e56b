/**
 * runs/search at the `--large` scale: one experiment of `largeRuns` runs (100,000 by default), each with a few params,
 * tags and `largeMetrics` metrics, searched with a metric filter and an order on another metric. Figures: p50 of the
 * first page and of the deepest page (the last one, reached by following next_page_token), so "a deep page costs
 * about what the first does" can be checked (the goal: deep ≤ 2× first).
 *
 * The reference cannot take 100,000 runs in any reasonable time (about 12 runs/s here), so, as the traces bench does,
 * it is seeded within `seedBudgetMs` into one experiment and tracklite gets exactly those runs in another: that pair
 * gives the ratio. Tracklite alone then holds the full `largeRuns` in a third experiment, the figure.
 */
import { performance } from "node:perf_hooks";
import { parallel, percentile, rng, sequential } from "../load.mjs";
import { alternate, each, fmtInt, medianOf, newExperiment, row, underLoad } from "./common.mjs";

const FILTER = "metrics.m0 > 0.5";
const ORDER_BY = ["metrics.m1 DESC"];
const T0 = 1_700_000_000_000;
const SEED_CONCURRENCY = 8;

/** The i-th run's params, tags and metrics: the same on both servers. */
function runData(i, metrics) {
  const r = rng(i + 1);
  return {
    params: Array.from({ length: 5 }, (_, j) => ({ key: `p${j}`, value: `value-${j}-${i % (j + 2)}` })),
    metrics: Array.from({ length: metrics }, (_, j) => ({ key: `m${j}`, value: r(), timestamp: T0 + i, step: 0 })),
    tags: Array.from({ length: 3 }, (_, j) => ({ key: `t${j}`, value: `tag-${j}-${i % 7}` })),
  };
}

/** runs/create then one log-batch; both must answer 200. */
async function seedRun(api, experimentId, i, metrics) {
  const { run } = await api.post("runs/create", { experiment_id: experimentId, start_time: T0 + i, run_name: `r${i}` });
  const { status, text } = await api.send(
    "POST",
    "/api/2.0/mlflow/runs/log-batch",
    JSON.stringify({ run_id: run.info.run_id, ...runData(i, metrics) }),
  );
  if (status !== 200) throw new Error(`log-batch → ${status}: ${text.slice(0, 300)}`);
}

/** Seeds runs 0 … n-1 into a fresh experiment (stopping at `deadline`); returns its id, the count and runs/s. */
async function seedExperiment(ctx, kind, n, deadline) {
  const api = ctx.apis[kind];
  const exp = await newExperiment(api, "bench-search-large");
  const t0 = performance.now();
  let lastLog = t0;
  let count = 0;
  await parallel(
    n,
    SEED_CONCURRENCY,
    async (i) => {
      await seedRun(api, exp, i, ctx.cfg.largeMetrics);
      count++;
      if (performance.now() - lastLog > 30_000) {
        lastLog = performance.now();
        ctx.log(`search-large: ${kind}: ${fmtInt(count)} runs so far`);
      }
    },
    deadline,
  );
  const s = (performance.now() - t0) / 1000;
  ctx.log(`search-large: seeded ${fmtInt(count)} runs into ${kind} in ${s.toFixed(1)} s`);
  return { exp, count, perS: count / s };
}

function pageRequest(api, exp, pageSize, token) {
  return api.send(
    "POST",
    "/api/2.0/mlflow/runs/search",
    JSON.stringify({
      experiment_ids: [exp],
      filter: FILTER,
      order_by: ORDER_BY,
      max_results: pageSize,
      ...(token ? { page_token: token } : {}),
    }),
  );
}

/** Follows next_page_token to the end (the warm-up too); returns every page's token and the run names in order. */
async function walk(api, exp, pageSize) {
  const tokens = [undefined];
  const names = [];
  while (true) {
    const { status, text } = await pageRequest(api, exp, pageSize, tokens.at(-1));
    if (status !== 200) throw new Error(`runs/search → ${status}: ${text.slice(0, 300)}`);
    const body = JSON.parse(text);
    names.push(...(body.runs ?? []).map((r) => r.info.run_name));
    if (!body.next_page_token) break;
    tokens.push(body.next_page_token);
  }
  return { tokens, names };
}

const p50Of = (results) => percentile(results.latencies, 50);

export async function searchLarge(ctx) {
  const { cfg, apis, log, notes } = ctx;
  const pageSize = cfg.largePageSize;
  const reps = cfg.largeSearchReps;

  // 1. Equal data on both servers: the reference's time-boxed count.
  const refSeed = await seedExperiment(ctx, "reference", cfg.largeRuns, performance.now() + cfg.largeSeedBudgetMs);
  const tlSame = await seedExperiment(ctx, "tracklite", refSeed.count, Number.POSITIVE_INFINITY);
  const exps = { reference: refSeed.exp, tracklite: tlSame.exp };
  notes.push(
    `search-large seeding (runs/create + one log-batch of 5 params, ${cfg.largeMetrics} metrics, 3 tags per run, ${SEED_CONCURRENCY} in parallel): reference ${refSeed.perS.toFixed(0)} runs/s (${fmtInt(refSeed.count)} runs in its ${cfg.largeSeedBudgetMs / 1000} s time box), tracklite ${tlSame.perS.toFixed(0)} runs/s.`,
  );
  const walks = await each(ctx, (kind) => walk(apis[kind], exps[kind], pageSize));
  const same = walks.reference.names.join() === walks.tracklite.names.join();
  log(`search-large: ${fmtInt(walks.reference.names.length)} matches at the reference's size; same order: ${same}`);
  if (!same) {
    notes.push(
      `search-large: the two servers returned different results (reference ${walks.reference.names.length} runs, tracklite ${walks.tracklite.names.length}).`,
    );
  }
  const first = await alternate(ctx, reps, (kind) =>
    sequential(1, () => pageRequest(apis[kind], exps[kind], pageSize)),
  );
  const last = await alternate(ctx, reps, (kind) =>
    sequential(1, () => pageRequest(apis[kind], exps[kind], pageSize, walks[kind].tokens.at(-1))),
  );
  const pages = walks.tracklite.tokens.length;
  const name = `runs/search (${FILTER}, ${ORDER_BY}), ${fmtInt(refSeed.count)} runs, ${pages} pages of ${pageSize}`;
  const rows = [
    row(name, "first page p50", "ms", "lower", medianOf(first, p50Of), { genCpu: medianOf(first, (r) => r.cpuShare) }),
    row(name, "last page p50", "ms", "lower", medianOf(last, p50Of), { genCpu: medianOf(last, (r) => r.cpuShare) }),
  ];

  // 2. The full size, tracklite only.
  const full = await seedExperiment(ctx, "tracklite", cfg.largeRuns, Number.POSITIVE_INFINITY);
  notes.push(
    `search-large: tracklite took ${fmtInt(full.count)} runs at ${full.perS.toFixed(0)} runs/s (${(full.count / full.perS / 60).toFixed(1)} min).`,
  );
  const t0 = performance.now();
  const big = await underLoad(ctx, "tracklite", () => walk(apis.tracklite, full.exp, pageSize));
  const walkS = (performance.now() - t0) / 1000;
  const matches = big.names.length;
  log(`search-large: full walk of ${big.tokens.length} pages (${fmtInt(matches)} matches) took ${walkS.toFixed(1)} s`);
  const firstBig = [];
  const deepBig = [];
  for (let rep = 0; rep < reps; rep++) {
    // Alternate first and deep, so a burst of load elsewhere hits both alike.
    const pair = [
      () => sequential(1, () => pageRequest(apis.tracklite, full.exp, pageSize)).then((r) => firstBig.push(r)),
      () =>
        sequential(1, () => pageRequest(apis.tracklite, full.exp, pageSize, big.tokens.at(-1))).then((r) =>
          deepBig.push(r),
        ),
    ];
    for (const f of rep % 2 === 0 ? pair : pair.reverse()) await underLoad(ctx, "tracklite", f);
  }
  const only = (xs) => ({ reference: Number.NaN, tracklite: percentile(xs.map(p50Of), 50) });
  const cpu = (xs) => ({
    tracklite: percentile(
      xs.map((r) => r.cpuShare),
      50,
    ),
  });
  const bigName = `runs/search (${FILTER}, ${ORDER_BY}), ${fmtInt(full.count)} runs (tracklite only), ${big.tokens.length} pages of ${pageSize}`;
  const f = only(firstBig).tracklite;
  const d = only(deepBig).tracklite;
  notes.push(
    `search-large at ${fmtInt(full.count)} runs: ${fmtInt(matches)} matches; deep (page ${big.tokens.length}) ÷ first page p50 = ${(d / f).toFixed(2)} (goal ≤ 2); walking all ${big.tokens.length} pages took ${walkS.toFixed(1)} s.`,
    `search-large at the reference's ${fmtInt(refSeed.count)} runs: last ÷ first page p50: reference ${(rows[1].reference / rows[0].reference).toFixed(2)}, tracklite ${(rows[1].tracklite / rows[0].tracklite).toFixed(2)}.`,
  );
  rows.push(
    row(bigName, "first page p50", "ms", "lower", only(firstBig), { genCpu: cpu(firstBig) }),
    row(bigName, `deep page (${big.tokens.length}) p50`, "ms", "lower", only(deepBig), { genCpu: cpu(deepBig) }),
  );
  return rows;
}
