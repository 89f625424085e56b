/**
 * The metric paths of one tracklite build, alone (no reference server), with the server's CPU time per request read
 * from /proc: on a busy 2-core machine CPU time moves much less than wall time, so two builds run one after the other
 * compare fairly (issue 18's before/after table, bench/results/2026-12-07-metric-chunks.md).
 *
 *   node bench/metric-ab.mjs [CLI] [batch,ingest,history,bulk]
 *   HN=1000000 (points of the history)  BP=19380 (points per run of the bulk reads)  NB=60 (sequential log-batches)
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const cli = process.argv[2] ?? new URL("../apps/server/dist/cli.js", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "mb-"));
const port = 5600 + Math.floor(Math.random() * 300);
const proc = spawn(
  "node",
  [
    cli,
    "server",
    "--port",
    String(port),
    "--backend-store-uri",
    `sqlite:///${dir}/db.db`,
    "--artifacts-destination",
    `${dir}/art`,
  ],
  { stdio: ["ignore", "ignore", "inherit"] },
);
const base = `http://127.0.0.1:${port}/api/2.0/mlflow`;
for (;;) {
  try {
    if ((await fetch(`http://127.0.0.1:${port}/health`)).ok) break;
  } catch {}
  await new Promise((r) => setTimeout(r, 50));
}
const post = async (p, b) => {
  const r = await fetch(base + p, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: typeof b === "string" ? b : JSON.stringify(b),
  });
  const t = await r.text();
  if (!r.ok) throw new Error(p + " " + r.status + t);
  return t;
};
const newRun = async () =>
  JSON.parse(await post("/runs/create", { experiment_id: "0", start_time: 1 })).run.info.run_id;
const TS = 1_700_000_000_000;
const batch = (run, base, keys, steps) => {
  const m = [];
  for (let s = 0; s < steps; s++)
    for (let k = 0; k < keys; k++)
      m.push(
        `{"key":"metric_${k}","value":${((base + s) % 997) / 997},"timestamp":${TS + base + s},"step":${base + s}}`,
      );
  return `{"run_id":"${run}","metrics":[${m.join(",")}]}`;
};

const cpu = () => {
  const f = readFileSync(`/proc/${proc.pid}/stat`, "utf8").split(") ")[1].split(" ");
  return (Number(f[11]) + Number(f[12])) * 10;
};
const pct = (a, q) => {
  const s = [...a].sort((x, y) => x - y);
  return s[Math.floor(q * (s.length - 1))];
};
const what = (process.argv[3] ?? "batch,ingest,history,bulk").split(",");
if (what.includes("batch")) {
  const run = await newRun();
  const t = [];
  const c0 = cpu();
  for (let i = 0; i < (Number(process.env.NB) || 60); i++) {
    const b = batch(run, i * 10, 100, 10);
    const s = performance.now();
    await post("/runs/log-batch", b);
    if (i >= 10) t.push(performance.now() - s);
  }
  console.log(
    "log-batch 1000 p50",
    pct(t, 0.5).toFixed(2),
    "ms p99",
    pct(t, 0.99).toFixed(2),
    "server cpu ms per batch",
    ((cpu() - c0) / 60).toFixed(1),
  );
}
if (what.includes("ingest")) {
  const runs = await Promise.all(Array.from({ length: 8 }, newRun));
  const next = runs.map(() => 0);
  let pts = 0;
  const end = Date.now() + 10000;
  const s = performance.now();
  await Promise.all(
    runs.map(async (run, w) => {
      while (Date.now() < end) {
        await post("/runs/log-batch", batch(run, next[w], 100, 10));
        next[w] += 10;
        pts += 1000;
      }
    }),
  );
  console.log("ingest 8 writers", Math.round(pts / ((performance.now() - s) / 1000)), "points/s");
}
if (what.includes("history")) {
  const run = await newRun();
  const N = Number(process.env.HN ?? 1_000_000);
  let s = performance.now();
  for (let i = 0; i < N; i += 6000)
    await Promise.all(
      Array.from({ length: 6 }, (_, j) =>
        i + j * 1000 < N ? post("/runs/log-batch", batch(run, i + j * 1000, 1, 1000)) : null,
      ),
    );
  console.log("seed", N, "points", ((performance.now() - s) / 1000).toFixed(1), "s");
  await new Promise((r) => setTimeout(r, 1000));
  const t = [];
  const c = [];
  let peak = 0;
  const rss = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${proc.pid}/status`, "utf8"))[1]) / 1024;
  const poll = setInterval(() => {
    peak = Math.max(peak, rss());
  }, 10);
  console.log("rss before reads", rss().toFixed(0));
  for (let i = 0; i < 4; i++) {
    s = performance.now();
    const c0 = cpu();
    const r = await fetch(`${base}/metrics/get-history?run_id=${run}&metric_key=metric_0`);
    const txt = await r.arrayBuffer();
    t.push(performance.now() - s);
    c.push(cpu() - c0);
    if (i === 0) console.log("bytes", txt.byteLength);
  }
  clearInterval(poll);
  console.log(
    "get-history",
    N,
    "ms",
    t.map((x) => x.toFixed(0)).join(" "),
    "server cpu ms",
    c.join(" "),
    "peak rss MiB",
    peak.toFixed(0),
  );
}
if (what.includes("bulk")) {
  const runs = await Promise.all(Array.from({ length: 100 }, newRun));
  const P = Number(process.env.BP ?? 19380);
  let s = performance.now();
  for (const run of runs)
    for (let i = 0; i < P; i += 6000)
      await Promise.all(
        Array.from({ length: 6 }, (_, j) => {
          const b0 = i + j * 1000;
          return b0 < P ? post("/runs/log-batch", batch(run, b0, 1, Math.min(1000, P - b0))) : null;
        }),
      );
  console.log("seed bulk", ((performance.now() - s) / 1000).toFixed(1), "s");
  await new Promise((r) => setTimeout(r, 1000));
  const q = runs.map((r) => `run_ids=${r}`).join("&");
  const t = [];
  const c = [];
  for (let i = 0; i < 5; i++) {
    s = performance.now();
    const c0 = cpu();
    const r = await fetch(`${base}/metrics/get-history-bulk-interval?${q}&metric_key=metric_0&max_results=2500`);
    await r.arrayBuffer();
    t.push(performance.now() - s);
    c.push(cpu() - c0);
  }
  console.log("bulk-interval 100 runs ms", t.map((x) => x.toFixed(0)).join(" "), "cpu", c.join(" "));
  const t2 = [];
  for (let i = 0; i < 5; i++) {
    s = performance.now();
    const r = await fetch(`http://127.0.0.1:${port}/ajax-api/2.0/tracklite/metrics/buckets?${q}&metric_key=metric_0`);
    await r.arrayBuffer();
    t2.push(performance.now() - s);
  }
  console.log("buckets 100 runs ms", t2.map((x) => x.toFixed(0)).join(" "));
}
proc.kill("SIGTERM");
proc.on("exit", () => rmSync(dir, { recursive: true, force: true }));
