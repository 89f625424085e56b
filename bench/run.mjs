#!/usr/bin/env node
/**
 * `npm run bench [-- --quick] [-- --soak [--soak-minutes N]] [-- --only a,b] [-- --no-build]`
 * `npm run bench -- --large [--runs N] [--chart-runs N] [--chart-metrics N] [--chart-steps N] …` (see LARGE_FLAGS)
 *
 * Builds tracklite, starts the reference `mlflow server` and tracklite on free loopback ports with fresh databases,
 * runs each workload against both (alternating, warm-up first, median of repetitions), prints the table and writes
 * bench/results/<date>.md and .png. Both servers are stopped at the end, on errors and on Ctrl-C.
 */
import { execSync } from "node:child_process";
import { existsSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { Api } from "./load.mjs";
import { writeReport } from "./report.mjs";
import { installCleanup, KINDS, MemorySampler, ROOT, startServer, stopServer, VENV } from "./servers.mjs";
import { chartLoad } from "./workloads/chart-load.mjs";
import { coldStart } from "./workloads/cold-start.mjs";
import { history } from "./workloads/history.mjs";
import { ingest } from "./workloads/ingest.mjs";
import { libsqlCeiling } from "./workloads/libsql-ceiling.mjs";
import { pythonClient } from "./workloads/python-client.mjs";
import { search } from "./workloads/search.mjs";
import { searchLarge } from "./workloads/search-large.mjs";
import { soak } from "./workloads/soak.mjs";

/** Sizes and durations; --quick shrinks them so the whole run stays under 3 minutes. */
const CONFIGS = {
  quick: {
    reps: 2,
    warmupMs: 500,
    logMetricMs: 1000,
    batchWarmup: 2,
    batchSequential: 10,
    sustainedMs: 5000,
    sustainedReps: 1,
    createRuns: 30,
    healthProbes: 100,
    searchRuns: 1000,
    searchPageSize: 50,
    searchReps: 3,
    historyPoints: 100_000,
    bulkRuns: 10,
    bulkPoints: 10_000,
    historyReps: 1,
    searchSeedBudgetMs: 12_000,
    seedBudgetMs: 20_000,
    coldStartExtra: { reference: 0, tracklite: 3 },
    pyReps: 1,
    pyValues: 10_000,
    pyLogMetricCalls: 200,
    idleMs: 1500,
  },
  full: {
    reps: 5,
    warmupMs: 3000,
    logMetricMs: 5000,
    batchWarmup: 5,
    batchSequential: 50,
    sustainedMs: 20_000,
    sustainedReps: 2,
    createRuns: 200,
    healthProbes: 200,
    searchRuns: 10_000,
    searchPageSize: 1000,
    searchReps: 5,
    historyPoints: 1_000_000,
    bulkRuns: 100,
    bulkPoints: 100_000,
    historyReps: 2,
    searchSeedBudgetMs: 5 * 60_000,
    seedBudgetMs: 5 * 60_000,
    coldStartExtra: { reference: 2, tracklite: 9 },
    pyReps: 3,
    pyValues: 100_000,
    pyLogMetricCalls: 200,
    idleMs: 5000,
  },
};

/**
 * `--large` (issue 18): the next scale up, its own workloads and sizes. The issue's sizes are the defaults except the
 * time boxes: 1,000 runs × 10 metrics × 100,000 steps is 10⁹ points, which no 2-core machine seeds within a bench
 * run, so tracklite's chart seeding stops at `chartSeedBudgetMs` (round-robin, every run even) and the report says
 * what scale it reached. Every size is a flag (LARGE_FLAGS).
 */
const LARGE = {
  reps: 3,
  idleMs: 3000,
  largeRuns: 100_000,
  largeMetrics: 10,
  largePageSize: 1000,
  largeSearchReps: 5,
  largeSeedBudgetMs: 5 * 60_000,
  chartRuns: 1000,
  chartMetrics: 10,
  chartSteps: 100_000,
  chartLoadRuns: 100,
  chartSeedBudgetMs: 20 * 60_000,
  largeChartReps: 5,
};

/** `--flag value` → LARGE key, with the unit the flag takes (seconds for budgets). */
const LARGE_FLAGS = {
  "--runs": ["largeRuns", 1],
  "--search-metrics": ["largeMetrics", 1],
  "--page-size": ["largePageSize", 1],
  "--search-reps": ["largeSearchReps", 1],
  "--seed-budget": ["largeSeedBudgetMs", 1000],
  "--chart-runs": ["chartRuns", 1],
  "--chart-metrics": ["chartMetrics", 1],
  "--chart-steps": ["chartSteps", 1],
  "--chart-load-runs": ["chartLoadRuns", 1],
  "--chart-seed-budget": ["chartSeedBudgetMs", 1000],
  "--chart-reps": ["largeChartReps", 1],
};

const LARGE_WORKLOADS = {
  "search-large": searchLarge,
  "chart-load": chartLoad,
};

const WORKLOADS = {
  ingest,
  search,
  history,
  python: pythonClient,
  "cold-start": coldStart,
  "libsql-ceiling": libsqlCeiling,
  soak,
};

function parseArgs(argv) {
  const a = { argv, quick: false, large: false, largeSizes: {}, soak: false, soakMinutes: 10, only: null, build: true };
  for (let i = 0; i < argv.length; i++) {
    const x = argv[i];
    if (x === "--quick") a.quick = true;
    else if (x === "--large") a.large = true;
    else if (LARGE_FLAGS[x]) {
      const [key, scale] = LARGE_FLAGS[x];
      const v = Number(argv[++i]);
      if (!Number.isFinite(v) || v <= 0) throw new Error(`${x} needs a positive number`);
      a.largeSizes[key] = Math.round(v * scale);
    } else if (x === "--soak") a.soak = true;
    else if (x === "--soak-minutes") {
      a.soak = true;
      a.soakMinutes = Number(argv[++i]);
    } else if (x === "--only") a.only = argv[++i].split(",");
    else if (x === "--no-build") a.build = false;
    else if (x === "-h" || x === "--help") {
      console.log(
        "npm run bench -- [--quick] [--soak] [--soak-minutes N] [--only ingest,search,history,python,cold-start,libsql-ceiling,soak] [--no-build]\n" +
          `npm run bench -- --large [--only search-large,chart-load] [--no-build] ${Object.keys(LARGE_FLAGS)
            .map((f) => `[${f} N]`)
            .join(" ")} (budgets in seconds)`,
      );
      process.exit(0);
    } else throw new Error(`unknown option ${x}`);
  }
  if (a.quick && a.soak) throw new Error("--soak is not part of --quick");
  if (a.large && (a.quick || a.soak)) throw new Error("--large runs alone (not with --quick or --soak)");
  if (!a.large && Object.keys(a.largeSizes).length) throw new Error("size flags like --runs need --large");
  return a;
}

/**
 * `--large` starts the reference with one worker, as bench/traces does: with its default four, the uvicorn supervisor
 * kills a worker that blocks past its health check (a 1,000-point log-batch or a 100-run bulk-interval does on a loaded
 * two-core machine), and the harness sees "other side closed" in the middle of a seeding.
 */
const referenceArgs = (args) => (args.large ? ["--workers", "1"] : []);

function ensureVenv() {
  if (existsSync(join(VENV, "bin/mlflow"))) return;
  console.log("creating .venvs/mlflow-3 (first run only)…");
  execSync(
    "python3 -m venv .venvs/mlflow-3 && .venvs/mlflow-3/bin/pip install -r compat-tests/requirements-mlflow3.txt",
    {
      cwd: ROOT,
      stdio: "inherit",
    },
  );
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  installCleanup();
  const loadavgStart = os.loadavg();
  const t0 = performance.now();
  const log = (msg) => console.log(`[${((performance.now() - t0) / 1000).toFixed(1).padStart(6)} s] ${msg}`);
  if (args.build) {
    log("building tracklite (turbo)");
    execSync("npx turbo run build --output-logs=errors-only", { cwd: ROOT, stdio: "inherit" });
  }
  ensureVenv();
  const cfg = args.large
    ? { ...LARGE, ...args.largeSizes }
    : { ...CONFIGS[args.quick ? "quick" : "full"], soakMinutes: args.soakMinutes };
  const workloads = args.large ? LARGE_WORKLOADS : WORKLOADS;
  const selected = (args.only ?? Object.keys(workloads)).filter((w) => w !== "soak" || args.soak);
  for (const w of selected) if (!workloads[w]) throw new Error(`unknown workload ${w}`);

  const servers = {};
  const mem = {};
  const apis = {};
  const notes = [];
  const rows = [];
  const soakReports = [];
  try {
    // One at a time, so neither start competes with the other for the two cores.
    for (const kind of KINDS) {
      log(`starting ${kind}`);
      servers[kind] = await startServer(kind, { extraArgs: kind === "reference" ? referenceArgs(args) : [] });
      log(
        `${kind} up on :${servers[kind].port} after ${servers[kind].startMs.toFixed(0)} ms (pid ${servers[kind].pid})`,
      );
      mem[kind] = new MemorySampler(servers[kind]);
      apis[kind] = new Api(servers[kind].url, 16);
    }
    log(`sampling idle memory for ${cfg.idleMs / 1000} s`);
    for (const kind of KINDS) mem[kind].phase = "idle";
    await new Promise((r) => setTimeout(r, cfg.idleMs));
    for (const kind of KINDS) mem[kind].phase = null;

    const ctx = { cfg, quick: args.quick, servers, apis, mem, log, notes, soakReports };
    for (const w of selected) {
      log(`— workload ${w}`);
      const w0 = performance.now();
      try {
        rows.push(...(await workloads[w](ctx)));
      } catch (e) {
        log(`workload ${w} failed: ${e.stack ?? e}`);
        notes.push(`Workload \`${w}\` failed: ${String(e.message ?? e).slice(0, 300)}`);
      }
      log(`— ${w} took ${((performance.now() - w0) / 1000).toFixed(1)} s`);
    }
    rows.push(
      {
        workload: "memory (process tree RSS)",
        figure: "idle mean",
        unit: "MiB",
        better: "lower",
        reference: mem.reference.mean("idle"),
        tracklite: mem.tracklite.mean("idle"),
      },
      {
        workload: "memory (process tree RSS)",
        figure: "loaded mean",
        unit: "MiB",
        better: "lower",
        reference: mem.reference.mean("load"),
        tracklite: mem.tracklite.mean("load"),
      },
      {
        workload: "memory (process tree RSS)",
        figure: "loaded peak",
        unit: "MiB",
        better: "lower",
        reference: mem.reference.max("load"),
        tracklite: mem.tracklite.max("load"),
      },
    );
  } finally {
    for (const kind of KINDS) {
      mem[kind]?.stop();
      await apis[kind]?.close().catch(() => {});
      if (servers[kind]) await stopServer(servers[kind], { graceMs: 2000 });
    }
    log("servers stopped");
  }
  const out = await writeReport({
    rows,
    notes,
    soakReports,
    cfg,
    args,
    wallS: (performance.now() - t0) / 1000,
    loadavgStart,
  });
  log(`wrote ${out.md} and ${out.png}`);
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
