#!/usr/bin/env node
/**
 * `tracklite import` speed and memory (issue 17), beside the reference's own way of reading the same history out.
 *
 *   node bench/import.mjs [--no-build] [--runs 10000] [--keys 10] [--steps 100] [--reference-runs 1000] [--reseed]
 *
 * 1. An MLflow SQLite database written in the reference's schema (bench/import/seed_mlflow_db.py: --runs runs in
 *    experiments of 1,000, each with --keys metrics × --steps points; 10,000,000 points by default), kept in the temp
 *    folder between runs (--reseed to rewrite it).
 * 2. `tracklite import sqlite:///…` into a fresh tracklite file: wall time, points/s, the process's peak RSS (VmHWM).
 * 3. The reference reading the same runs and histories through its own store (SqlAlchemyStore, as an export script
 *    built on mlflow's Python API would): points/s over the first --reference-runs runs (it takes minutes per 1,000).
 * 4. A live reference server on that database: `tracklite import http://…` of one experiment (1,000 runs), and
 *    the reference's MlflowClient reading the same experiment over REST.
 * Prints a table with ratios (tracklite ÷ reference for rates) and writes bench/results/<date>-import.md. Not part
 * of `npm test`; asserts nothing.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";

const ROOT = new URL("..", import.meta.url).pathname;
const CLI = join(ROOT, "apps/server/dist/cli.js");
const PY = join(ROOT, ".venvs/mlflow-3/bin/python");
const MLFLOW = join(ROOT, ".venvs/mlflow-3/bin/mlflow");
const arg = (name, fallback) => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
};
const RUNS = arg("runs", 10_000);
const KEYS = arg("keys", 10);
const STEPS = arg("steps", 100);
/** The REST part imports experiment bench-0: the first 1,000 runs (the seed puts 1,000 runs in each experiment). */
const REST_RUNS = Math.min(RUNS, 1000);
/** The reference's store read is slow (one query per metric of each run): timed over the first N runs (--reference-runs). */
const REFERENCE_RUNS = Math.min(arg("reference-runs", 1000), RUNS);

const children = [];
const dir = mkdtempSync(join(tmpdir(), "tracklite-bench-import-"));
function cleanup() {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
  rmSync(dir, { recursive: true, force: true });
}
process.on("exit", cleanup);
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => process.exit(130));

if (!process.argv.includes("--no-build")) {
  const b = spawnSync("npx", ["turbo", "run", "build", "--output-logs=errors-only"], { cwd: ROOT, stdio: "inherit" });
  if (b.status !== 0) process.exit(1);
}
if (!existsSync(PY)) {
  console.error("bench/import: needs .venvs/mlflow-3 (npm test creates it)");
  process.exit(1);
}

const sourceDb = join(tmpdir(), `tracklite-bench-import-${RUNS}x${KEYS}x${STEPS}.db`);
if (!existsSync(sourceDb) || process.argv.includes("--reseed")) {
  console.log(`seeding ${sourceDb} (${RUNS} runs × ${KEYS} metrics × ${STEPS} points)…`);
  const seed = spawnSync(
    PY,
    [
      join(ROOT, "bench/import/seed_mlflow_db.py"),
      sourceDb,
      "--runs",
      `${RUNS}`,
      "--keys",
      `${KEYS}`,
      "--steps",
      `${STEPS}`,
    ],
    { stdio: "inherit", env: { ...process.env, MLFLOW_DISABLE_TELEMETRY: "true" } },
  );
  if (seed.status !== 0) process.exit(1);
}
const POINTS = RUNS * KEYS * STEPS;

/** Runs a command, streaming its stderr (the progress bar), and samples its peak RSS from /proc until it exits. */
function measured(cmd, args, env = {}) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, ...env } });
    children.push(child);
    let stdout = "";
    let peakKiB = 0;
    let cpuTicks = 0;
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    const sample = setInterval(() => {
      try {
        const hwm = readFileSync(`/proc/${child.pid}/status`, "utf8").match(/VmHWM:\s+(\d+)/);
        if (hwm) peakKiB = Math.max(peakKiB, Number(hwm[1]));
        // utime + stime (fields 14 and 15, after the command name in parentheses), in clock ticks of 1/100 s
        const stat = readFileSync(`/proc/${child.pid}/stat`, "utf8").split(") ")[1].split(" ");
        cpuTicks = Number(stat[11]) + Number(stat[12]);
      } catch {}
    }, 50);
    child.on("error", reject);
    child.on("exit", (code) => {
      clearInterval(sample);
      const seconds = (performance.now() - started) / 1000;
      if (code !== 0) reject(new Error(`${cmd} ${args.join(" ")} exited ${code}\n${stdout}`));
      else resolve({ seconds, cpuSeconds: cpuTicks / 100, peakMiB: peakKiB / 1024, stdout });
    });
  });
}

function freePort() {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function waitHealth(url, ms = 120_000) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    try {
      if ((await fetch(`${url}/health`)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not start`);
}

const rows = [];
const load = [loadavg()[0]];

// 2. tracklite import from the database file.
const target = join(dir, "t1");
mkdirSync(target);
console.log(`\ntracklite import sqlite:///… (${POINTS.toLocaleString("en")} points)`);
const fromFile = await measured("node", [
  CLI,
  "import",
  `sqlite:///${sourceDb}`,
  "--backend-store-uri",
  `sqlite:///${join(target, "tracklite.db")}`,
  "--artifacts-destination",
  join(target, "artifacts"),
]);

// 3. The reference's own read of the same history.
console.log("\nreference: SqlAlchemyStore reading every run and history…");
const refStore = await measured(
  PY,
  [join(ROOT, "bench/import/reference_read.py"), "store", sourceDb, `${REFERENCE_RUNS}`],
  {
    MLFLOW_DISABLE_TELEMETRY: "true",
  },
);
const refStoreResult = JSON.parse(refStore.stdout.trim().split("\n").at(-1));
rows.push({
  what: `database file → tracklite (${RUNS.toLocaleString("en")} runs)`,
  tracklite: POINTS / fromFile.seconds,
  trackliteSeconds: fromFile.seconds,
  trackliteCpu: fromFile.cpuSeconds,
  trackliteMiB: fromFile.peakMiB,
  reference: refStoreResult.points / refStoreResult.seconds,
  referenceWhat: `SqlAlchemyStore.get_metric_history, first ${REFERENCE_RUNS.toLocaleString("en")} runs`,
  referenceMiB: refStore.peakMiB,
});

// 4. Over REST from a live reference server on that database: one experiment of REST_RUNS runs.
const port = await freePort();
const url = `http://127.0.0.1:${port}`;
console.log(`\nreference server on ${url}…`);
const server = spawn(
  MLFLOW,
  ["server", "--host", "127.0.0.1", "--port", `${port}`, "--backend-store-uri", `sqlite:///${sourceDb}`],
  {
    stdio: "ignore",
    detached: true,
    env: { ...process.env, MLFLOW_DISABLE_TELEMETRY: "true" },
  },
);
children.push(server);
try {
  await waitHealth(url);
  const restPoints = REST_RUNS * KEYS * STEPS;
  const target2 = join(dir, "t2");
  mkdirSync(target2);
  console.log(`tracklite import ${url} --experiments bench-0 (${restPoints.toLocaleString("en")} points)`);
  const fromRest = await measured("node", [
    CLI,
    "import",
    url,
    "--experiments",
    "bench-0",
    "--backend-store-uri",
    `sqlite:///${join(target2, "tracklite.db")}`,
    "--artifacts-destination",
    join(target2, "artifacts"),
  ]);
  console.log("reference: MlflowClient reading the same experiment over REST…");
  const refRest = await measured(PY, [join(ROOT, "bench/import/reference_read.py"), "rest", url, "bench-0"], {
    MLFLOW_DISABLE_TELEMETRY: "true",
  });
  const refRestResult = JSON.parse(refRest.stdout.trim().split("\n").at(-1));
  rows.push({
    what: `live reference server over REST → tracklite (${REST_RUNS.toLocaleString("en")} runs)`,
    tracklite: restPoints / fromRest.seconds,
    trackliteSeconds: fromRest.seconds,
    trackliteCpu: fromRest.cpuSeconds,
    trackliteMiB: fromRest.peakMiB,
    reference: refRestResult.points / refRestResult.seconds,
    referenceWhat: "MlflowClient.get_metric_history over REST",
    referenceMiB: refRest.peakMiB,
  });
} finally {
  try {
    process.kill(-server.pid, "SIGTERM");
  } catch {}
}
load.push(loadavg()[0]);

const fmt = (n) => Math.round(n).toLocaleString("en");
const lines = [
  `# tracklite import — ${new Date().toISOString().slice(0, 10)}`,
  "",
  `Source: an MLflow ${RUNS.toLocaleString("en")}-run SQLite database (reference schema, ${KEYS} metrics × ${STEPS} points per run). Load average ${load.map((l) => l.toFixed(1)).join(" → ")} (2 cores).`,
  "",
  "| path | tracklite import (points/s) | time (CPU) | peak RSS | reference's own read (points/s) | reference peak RSS | ratio |",
  "|---|---:|---:|---:|---:|---:|---:|",
  ...rows.map(
    (r) =>
      `| ${r.what} | ${fmt(r.tracklite)} | ${r.trackliteSeconds.toFixed(1)} s (${r.trackliteCpu.toFixed(1)} s) | ${r.trackliteMiB.toFixed(0)} MiB | ${fmt(r.reference)} (${r.referenceWhat}) | ${r.referenceMiB.toFixed(0)} MiB | ×${(r.tracklite / r.reference).toFixed(1)} |`,
  ),
  "",
  "tracklite's column writes everything (runs, params, tags, every point, latest values) into its own store; the",
  "reference's column only reads. Ratios: tracklite ÷ reference.",
];
console.log(`\n${lines.join("\n")}`);
const out = join(ROOT, "bench/results", `${new Date().toISOString().slice(0, 10)}-import.md`);
mkdirSync(join(ROOT, "bench/results"), { recursive: true });
writeFileSync(out, `${lines.join("\n")}\n`);
console.log(`\nwrote ${out}`);
process.exit(0);
