/**
 * Soak (`--soak`, `--soak-minutes N`): on each server in turn, 8 trainer workers run short runs that log a small
 * log-batch every few seconds and read back their history and a bulk interval, while 2 readers poll
 * experiments/search, runs/search and get-history; at the end of each run a trainer uploads a model file and a few
 * artifacts through the mlflow-artifacts proxy. Reports p50/p95/p99 per endpoint, errors, memory and a leak verdict.
 */
import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import { percentile, queryString } from "../load.mjs";
import { fmt } from "../report.mjs";
import { KINDS } from "../servers.mjs";
import { newExperiment, row } from "./common.mjs";

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const BIN_MS = 10 * 60_000;
const ARTIFACTS = [
  ["model/model.pkl", randomBytes(256 * 1024)],
  ["model/MLmodel", new TextEncoder().encode("flavors:\n  python_function: {}\n")],
  ["config.json", new TextEncoder().encode(JSON.stringify({ lr: 0.01, layers: [64, 64] }))],
  ["eval/predictions.csv", new TextEncoder().encode("y,yhat\n".concat("1,0.9\n".repeat(2000)))],
];

class Recorder {
  lat = new Map();
  errors = new Map();
  firstError = new Map();

  async time(endpoint, fn) {
    const t0 = performance.now();
    try {
      const { status, text } = await fn();
      if (status !== 200) throw new Error(`${status} ${text.slice(0, 200)}`);
      // An artifact upload answers an empty 200.
      return text ? JSON.parse(text) : {};
    } catch (e) {
      this.errors.set(endpoint, (this.errors.get(endpoint) ?? 0) + 1);
      if (!this.firstError.has(endpoint)) this.firstError.set(endpoint, String(e.message ?? e));
      return undefined;
    } finally {
      if (!this.lat.has(endpoint)) this.lat.set(endpoint, []);
      this.lat.get(endpoint).push(performance.now() - t0);
    }
  }
}

async function trainer(api, rec, exp, w, deadline, recentRuns) {
  let step = 0;
  while (performance.now() < deadline) {
    const created = await rec.time("runs/create", () =>
      api.send(
        "POST",
        "/api/2.0/mlflow/runs/create",
        JSON.stringify({ experiment_id: exp, start_time: Date.now(), run_name: `soak-${w}` }),
      ),
    );
    const runId = created?.run?.info?.run_id;
    if (!runId) {
      await sleep(1000);
      continue;
    }
    recentRuns.push(runId);
    if (recentRuns.length > 50) recentRuns.shift();
    for (let it = 0; it < 10 && performance.now() < deadline; it++) {
      const metrics = [];
      for (let s = 0; s < 4; s++, step++) {
        for (let k = 0; k < 5; k++) metrics.push({ key: `k${k}`, value: Math.random(), timestamp: Date.now(), step });
      }
      const extra =
        it === 0
          ? {
              params: Array.from({ length: 10 }, (_, j) => ({ key: `lr${j}`, value: String(j / 100) })),
              tags: [{ key: "worker", value: String(w) }],
            }
          : {};
      await rec.time("runs/log-batch", () =>
        api.send("POST", "/api/2.0/mlflow/runs/log-batch", JSON.stringify({ run_id: runId, metrics, ...extra })),
      );
      await rec.time("metrics/get-history", () =>
        api.send("GET", `/api/2.0/mlflow/metrics/get-history${queryString({ run_id: runId, metric_key: "k0" })}`),
      );
      await rec.time("metrics/get-history-bulk-interval", () =>
        api.send(
          "GET",
          `/ajax-api/2.0/mlflow/metrics/get-history-bulk-interval${queryString({ run_ids: recentRuns.slice(-10), metric_key: "k0" })}`,
        ),
      );
      await sleep(1500 + Math.random() * 1500);
    }
    // What a training script leaves behind: a model file and a few small artifacts.
    const root = `/api/2.0/mlflow-artifacts/artifacts/${exp}/${runId}/artifacts`;
    for (const [path, body] of ARTIFACTS) {
      await rec.time("mlflow-artifacts (PUT)", () => api.send("PUT", `${root}/${path}`, body));
    }
    await rec.time("runs/update", () =>
      api.send(
        "POST",
        "/api/2.0/mlflow/runs/update",
        JSON.stringify({ run_id: runId, status: "FINISHED", end_time: Date.now() }),
      ),
    );
  }
}

async function reader(api, rec, exp, deadline, recentRuns) {
  while (performance.now() < deadline) {
    await rec.time("experiments/search", () =>
      api.send("POST", "/api/2.0/mlflow/experiments/search", JSON.stringify({ max_results: 100 })),
    );
    await rec.time("runs/search", () =>
      api.send(
        "POST",
        "/api/2.0/mlflow/runs/search",
        JSON.stringify({
          experiment_ids: [exp],
          filter: "metrics.k0 > 0.5",
          order_by: ["metrics.k1 DESC"],
          max_results: 100,
        }),
      ),
    );
    const runId = recentRuns[Math.floor(Math.random() * recentRuns.length)];
    if (runId) {
      await rec.time("metrics/get-history", () =>
        api.send("GET", `/api/2.0/mlflow/metrics/get-history${queryString({ run_id: runId, metric_key: "k1" })}`),
      );
    }
    await sleep(500);
  }
}

/** Least-squares slope of (t, mib) in MiB per minute. */
function slope(samples) {
  const n = samples.length;
  if (n < 2) return 0;
  const mt = samples.reduce((a, s) => a + s.t, 0) / n;
  const mm = samples.reduce((a, s) => a + s.mib, 0) / n;
  let num = 0;
  let den = 0;
  for (const s of samples) {
    num += (s.t - mt) * (s.mib - mm);
    den += (s.t - mt) ** 2;
  }
  return den === 0 ? 0 : (num / den) * 60_000;
}

/** Leak: RSS rising within every 10-minute bin and the last minute's mean > 5% above the first minute's. */
function leakVerdict(samples) {
  if (samples.length < 4) return { leak: false, text: "too few samples" };
  const t0 = samples[0].t;
  const bins = [];
  for (const s of samples) {
    const b = Math.floor((s.t - t0) / BIN_MS);
    if (!bins[b]) bins[b] = [];
    bins[b].push(s);
  }
  const slopes = bins.filter((b) => b && b.length > 1).map(slope);
  const tEnd = samples.at(-1).t;
  const mean = (xs) => xs.reduce((a, s) => a + s.mib, 0) / xs.length;
  const first = mean(samples.filter((s) => s.t - t0 < 60_000));
  const last = mean(samples.filter((s) => tEnd - s.t < 60_000));
  const growth = last / first - 1;
  const leak = slopes.every((x) => x > 0) && growth > 0.05;
  return {
    leak,
    text: `${leak ? "**LEAK SUSPECTED**" : "no leak"}: first-minute mean ${fmt(first)} MiB, last-minute mean ${fmt(last)} MiB (${(growth * 100).toFixed(1)}%), slope per 10-minute bin ${slopes.map((x) => `${x.toFixed(2)} MiB/min`).join(", ")}`,
  };
}

async function soakOne(ctx, kind, minutes) {
  const api = ctx.apis[kind];
  const mem = ctx.mem[kind];
  const exp = await newExperiment(api, "bench-soak");
  const rec = new Recorder();
  const recentRuns = [];
  const startIdx = mem.samples.length;
  ctx.log(`soak: ${kind} for ${minutes} min (8 trainers, 2 readers)`);
  mem.phase = "soak";
  const deadline = performance.now() + minutes * 60_000;
  await Promise.all([
    ...Array.from({ length: 8 }, (_, w) => trainer(api, rec, exp, w, deadline, recentRuns)),
    ...Array.from({ length: 2 }, () => reader(api, rec, exp, deadline, recentRuns)),
  ]);
  mem.phase = null;
  const samples = mem.samples.slice(startIdx).filter((s) => s.phase === "soak");
  return { rec, samples, verdict: leakVerdict(samples) };
}

export async function soak(ctx) {
  const minutes = ctx.cfg.soakMinutes;
  const results = {};
  for (const kind of KINDS) results[kind] = await soakOne(ctx, kind, minutes);
  const endpoints = [...new Set(KINDS.flatMap((k) => [...results[k].rec.lat.keys()]))].sort();
  const lines = [
    `${minutes} minutes per server, one server at a time. Each run ends with a model file (256 KiB) and three small artifacts uploaded through the mlflow-artifacts proxy.`,
    "",
    "| endpoint | server | requests | errors | p50 ms | p95 ms | p99 ms |",
    "|---|---|---:|---:|---:|---:|---:|",
  ];
  const rows = [];
  for (const e of endpoints) {
    for (const kind of KINDS) {
      const xs = results[kind].rec.lat.get(e) ?? [];
      lines.push(
        `| ${e} | ${kind} | ${xs.length} | ${results[kind].rec.errors.get(e) ?? 0} | ${fmt(percentile(xs, 50))} | ${fmt(percentile(xs, 95))} | ${fmt(percentile(xs, 99))} |`,
      );
    }
    const p = (q) => ({
      reference: percentile(results.reference.rec.lat.get(e) ?? [], q),
      tracklite: percentile(results.tracklite.rec.lat.get(e) ?? [], q),
    });
    rows.push(row(`soak ${e}`, "p95 latency", "ms", "lower", p(95)));
  }
  lines.push("");
  for (const kind of KINDS) {
    const { samples, verdict, rec } = results[kind];
    const mibs = samples.map((s) => s.mib);
    const errs = [...rec.errors.values()].reduce((a, b) => a + b, 0);
    lines.push(
      `- ${kind}: RSS mean ${fmt(mibs.reduce((a, b) => a + b, 0) / mibs.length)} MiB, max ${fmt(Math.max(...mibs))} MiB; errors ${errs}${errs ? ` (first: ${[...rec.firstError.entries()].map(([k, v]) => `${k}: ${v}`).join("; ")})` : ""}; ${verdict.text}`,
    );
  }
  ctx.soakReports.push(lines.join("\n"));
  ctx.log("soak: artifact upload skipped (not implemented in tracklite yet)");
  rows.push(
    row("soak", "RSS mean", "MiB", "lower", {
      reference: results.reference.samples.reduce((a, s) => a + s.mib, 0) / results.reference.samples.length,
      tracklite: results.tracklite.samples.reduce((a, s) => a + s.mib, 0) / results.tracklite.samples.length,
    }),
    row("soak", "errors", "count", "lower", {
      reference: [...results.reference.rec.errors.values()].reduce((a, b) => a + b, 0),
      tracklite: [...results.tracklite.rec.errors.values()].reduce((a, b) => a + b, 0),
    }),
  );
  return rows;
}
