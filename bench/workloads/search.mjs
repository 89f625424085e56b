/**
 * runs/search over many wide runs (100 params, 50 metrics, 20 tags each) with a metric and a param filter and an
 * order on a metric: latency of the first page and of the last page (reached by following next_page_token).
 * Both servers get identical runs; the reference is seeded first, within a time box, and tracklite then gets exactly
 * the runs the reference got.
 */
import { performance } from "node:perf_hooks";
import { parallel, percentile, rng, sequential } from "../load.mjs";
import { alternate, each, fmtInt, medianOf, newExperiment, row } from "./common.mjs";

const FILTER = "metrics.m0 > 0.2 and params.p0 = 'a'";
const ORDER_BY = ["metrics.m1 DESC"];
const T0 = 1_700_000_000_000;

/** The i-th run's data: the same on both servers. */
function runData(i) {
  const r = rng(i + 1);
  return {
    params: Array.from({ length: 100 }, (_, j) => ({
      key: `p${j}`,
      value: j === 0 ? (i % 2 === 0 ? "a" : "b") : `value-${j}-${i % 10}`,
    })),
    metrics: Array.from({ length: 50 }, (_, j) => ({ key: `m${j}`, value: r(), timestamp: T0 + i, step: 0 })),
    tags: Array.from({ length: 20 }, (_, j) => ({ key: `t${j}`, value: `tag-${j}-${i % 7}` })),
  };
}

async function seedRun(api, experimentId, i) {
  const { run } = await api.post("runs/create", {
    experiment_id: experimentId,
    start_time: T0 + i,
    run_name: `run-${i}`,
  });
  await api.post("runs/log-batch", { run_id: run.info.run_id, ...runData(i) });
}

export async function search(ctx) {
  const { cfg, apis, log, notes } = ctx;
  const exps = await each(ctx, (kind) => newExperiment(apis[kind], "bench-search"));

  // Seed: reference first, time-boxed; tracklite gets the same runs.
  let seeded = cfg.searchRuns;
  const seedTimes = {};
  for (const kind of ["reference", "tracklite"]) {
    const t0 = performance.now();
    const deadline = kind === "reference" ? t0 + cfg.searchSeedBudgetMs : Number.POSITIVE_INFINITY;
    seeded = await parallel(seeded, 8, (i) => seedRun(apis[kind], exps[kind], i), deadline);
    seedTimes[kind] = (performance.now() - t0) / 1000;
    log(`search: seeded ${fmtInt(seeded)} runs into ${kind} in ${seedTimes[kind].toFixed(1)} s`);
  }
  if (seeded < cfg.searchRuns) {
    notes.push(
      `runs/search: the reference's seeding hit its ${cfg.searchSeedBudgetMs / 1000} s time box at ${fmtInt(seeded)} of ${fmtInt(cfg.searchRuns)} runs; both servers hold those ${fmtInt(seeded)} runs.`,
    );
  }
  notes.push(
    `runs/search seeding (runs/create + one log-batch of 100 params, 50 metrics, 20 tags per run, 8 in parallel): reference ${(seeded / seedTimes.reference).toFixed(0)} runs/s, tracklite ${(seeded / seedTimes.tracklite).toFixed(0)} runs/s.`,
  );

  const pageSize = cfg.searchPageSize;
  const page = (kind, token) =>
    apis[kind].send(
      "POST",
      "/api/2.0/mlflow/runs/search",
      JSON.stringify({
        experiment_ids: [exps[kind]],
        filter: FILTER,
        order_by: ORDER_BY,
        max_results: pageSize,
        ...(token ? { page_token: token } : {}),
      }),
    );

  // Walk every page once (this is also the warm-up) to find the last page's token and check both servers agree.
  const walks = await each(ctx, async (kind) => {
    const tokens = [undefined];
    const ids = [];
    while (true) {
      const { status, text } = await page(kind, tokens.at(-1));
      if (status !== 200) throw new Error(`${kind} runs/search → ${status}: ${text.slice(0, 300)}`);
      const body = JSON.parse(text);
      ids.push(...(body.runs ?? []).map((r) => r.info.run_name));
      if (!body.next_page_token) break;
      tokens.push(body.next_page_token);
    }
    return { tokens, ids };
  });
  const pages = walks.tracklite.tokens.length;
  const same = walks.reference.ids.join() === walks.tracklite.ids.join();
  log(
    `search: ${fmtInt(walks.reference.ids.length)} matching runs, ${pages} pages of ${pageSize}; same order on both: ${same}`,
  );
  if (!same) {
    notes.push(
      `runs/search: the two servers returned different results (reference ${walks.reference.ids.length} runs in ${walks.reference.tokens.length} pages, tracklite ${walks.tracklite.ids.length} in ${pages}).`,
    );
  }

  const n = cfg.searchReps;
  const first = await alternate(ctx, n, (kind) => sequential(1, () => page(kind, undefined)));
  const last = await alternate(ctx, n, (kind) => sequential(1, () => page(kind, walks[kind].tokens.at(-1))));
  const p50 = (rs) => ({
    reference: percentile(
      rs.reference.map((r) => r.latencies[0]),
      50,
    ),
    tracklite: percentile(
      rs.tracklite.map((r) => r.latencies[0]),
      50,
    ),
  });
  const name = `runs/search, ${fmtInt(seeded)} runs, ${pages} pages of ${pageSize}`;
  const firstP50 = p50(first);
  const lastP50 = p50(last);
  notes.push(
    `runs/search last ÷ first page: reference ${(lastP50.reference / firstP50.reference).toFixed(2)}, tracklite ${(lastP50.tracklite / firstP50.tracklite).toFixed(2)} (filter \`${FILTER}\`, order_by \`${ORDER_BY}\`).`,
  );
  return [
    row(name, "first page p50", "ms", "lower", firstP50, { genCpu: medianOf(first, (r) => r.cpuShare) }),
    row(name, "last page p50", "ms", "lower", lastP50, { genCpu: medianOf(last, (r) => r.cpuShare) }),
  ];
}
