/**
 * End to end through the real Python client (the reference's venv): log_metrics sync and async, and sequential
 * log_metric latencies seen from the client.
 */
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { percentile } from "../load.mjs";
import { ROOT, VENV } from "../servers.mjs";
import { alternate, fmtInt, medianOf, row } from "./common.mjs";

const run = promisify(execFile);

async function clientRun(url, values, calls) {
  const { stdout } = await run(
    join(VENV, "bin/python"),
    [join(ROOT, "bench/workloads/client_bench.py"), url, String(values), String(calls)],
    { env: { ...process.env, MLFLOW_TRACKING_URI: url }, maxBuffer: 16 << 20, timeout: 600_000 },
  );
  return JSON.parse(stdout.trim().split("\n").at(-1));
}

export async function pythonClient(ctx) {
  const { cfg, servers } = ctx;
  const res = await alternate(ctx, cfg.pyReps, (kind) =>
    clientRun(servers[kind].url, cfg.pyValues, cfg.pyLogMetricCalls),
  );
  const values = res.tracklite[0].values;
  const lat = (p) => medianOf(res, (r) => percentile(r.log_metric_ms, p));
  const name = `python client, ${cfg.pyLogMetricCalls} sequential mlflow.log_metric`;
  return [
    row(
      `python client, ${fmtInt(values)} values via log_metrics (1,000 keys/step)`,
      "sync time",
      "s",
      "lower",
      medianOf(res, (r) => r.sync_s),
    ),
    row(
      `python client, ${fmtInt(values)} values via log_metrics (1,000 keys/step)`,
      "async time (synchronous=False, with flush)",
      "s",
      "lower",
      medianOf(res, (r) => r.async_s),
    ),
    row(name, "p50 latency", "ms", "lower", lat(50), {
      latencySeries: {
        reference: res.reference.flatMap((r) => r.log_metric_ms),
        tracklite: res.tracklite.flatMap((r) => r.log_metric_ms),
      },
    }),
    row(name, "p95 latency", "ms", "lower", lat(95)),
    row(name, "p99 latency", "ms", "lower", lat(99)),
  ];
}
