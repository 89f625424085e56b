#!/usr/bin/env node
/**
 * `npm run bench [-- --quick] [-- --soak [--soak-minutes N]] [-- --only a,b] [-- --no-build]`
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
import { coldStart } from "./workloads/cold-start.mjs";
import { history } from "./workloads/history.mjs";
import { ingest } from "./workloads/ingest.mjs";
import { libsqlCeiling } from "./workloads/libsql-ceiling.mjs";
import { pythonClient } from "./workloads/python-client.mjs";
import { search } from "./workloads/search.mjs";
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
  const a = { quick: false, soak: false, soakMinutes: 10, only: null, build: true };
  for (let i = 0; i < argv.length; i++) {
    const x = argv[i];
    if (x === "--quick") a.quick = true;
    else if (x === "--soak") a.soak = true;
    else if (x === "--soak-minutes") {
      a.soak = true;
      a.soakMinutes = Number(argv[++i]);
    } else if (x === "--only") a.only = argv[++i].split(",");
    else if (x === "--no-build") a.build = false;
    else if (x === "-h" || x === "--help") {
      console.log(
        "npm run bench -- [--quick] [--soak] [--soak-minutes N] [--only ingest,search,history,python,cold-start,libsql-ceiling,soak] [--no-build]",
      );
      process.exit(0);
    } else throw new Error(`unknown option ${x}`);
  }
  if (a.quick && a.soak) throw new Error("--soak is not part of --quick");
  return a;
}

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
  const cfg = { ...CONFIGS[args.quick ? "quick" : "full"], soakMinutes: args.soakMinutes };
  const selected = (args.only ?? Object.keys(WORKLOADS)).filter((w) => w !== "soak" || args.soak);
  for (const w of selected) if (!WORKLOADS[w]) throw new Error(`unknown workload ${w}`);

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
      servers[kind] = await startServer(kind);
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
        rows.push(...(await WORKLOADS[w](ctx)));
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
