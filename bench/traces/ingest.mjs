#!/usr/bin/env node
/**
 * `node bench/traces/ingest.mjs [--no-build] [--quick] [--no-reference] [--no-tracklite] [--seconds 20] [--exporters 8] [--batch 100]
 *   [--trace-size 10]`
 *
 * OTLP/HTTP span ingest, as OpenTelemetry exporters send it: `exporters` clients in a closed loop, each POSTing
 * protobuf ExportTraceServiceRequest bodies of `batch` spans (whole traces of `trace-size` spans: a root with MLflow's
 * attributes and LLM-call children) to `/v1/traces` with `x-mlflow-experiment-id`. Every batch holds new traces.
 * Reports spans/s, request latency and the load generator's CPU share for tracklite and the reference, then checks
 * that a trace of the last batch reads back whole from each server. Writes bench/results/<date>-traces-ingest.md.
 */
import os from "node:os";
import { closedLoop, percentile } from "../load.mjs";
import {
  bodyTemplate,
  logger,
  mlflowTraceId,
  newExperiment,
  parseArgs,
  row,
  sendOtlp,
  treeCpuSeconds,
  withServers,
  writeReport,
} from "./common.mjs";

const USAGE =
  "node bench/traces/ingest.mjs [--no-build] [--quick] [--no-reference] [--no-tracklite] [--seconds 20] [--exporters 8] [--batch 100] [--trace-size 10]";

async function main() {
  const args = parseArgs(process.argv.slice(2), USAGE, { seconds: 20, exporters: 8, batch: 100, "trace-size": 10 });
  if (args.quick) args.seconds = Math.min(args.seconds, 5);
  const size = args["trace-size"];
  if (args.batch % size !== 0) throw new Error("--batch must be a multiple of --trace-size");
  const tracesPerBatch = args.batch / size;
  const log = logger();
  const loadavgStart = os.loadavg();
  const notes = [];

  const results = await withServers(args, log, async ({ kinds, servers, apis }) => {
    const out = {};
    for (const [n, kind] of kinds.entries()) {
      const api = apis[kind];
      const exp = await newExperiment(api, "bench-otlp-ingest");
      const salt = 0x10 + n;
      const makeBody = bodyTemplate(tracesPerBatch, size, { salt });
      let nextTrace = 0;
      const loop = (durationMs) =>
        closedLoop({
          concurrency: args.exporters,
          durationMs,
          request: () => {
            const from = nextTrace;
            nextTrace += tracesPerBatch;
            return sendOtlp(api, exp, makeBody(from));
          },
        });
      log(`${kind}: warm-up 2 s`);
      await loop(2000);
      log(`${kind}: ${args.exporters} exporters × ${args.batch}-span batches for ${args.seconds} s`);
      const cpu0 = treeCpuSeconds(servers[kind].pid);
      const r = await loop(args.seconds * 1000);
      const cpuS = treeCpuSeconds(servers[kind].pid) - cpu0;
      const ok = r.count - r.errors;
      const res = {
        spansPerS: (ok * args.batch) / (r.wallMs / 1000),
        batches: r.count,
        errors: r.errors,
        firstError: r.firstError,
        p50: percentile(r.latencies, 50),
        p99: percentile(r.latencies, 99),
        cpuShare: r.cpuShare,
        serverCpu: cpuS / (r.wallMs / 1000),
        spansPerCpuS: (ok * args.batch) / cpuS,
      };
      log(
        `${kind}: ${res.spansPerS.toFixed(0)} spans/s, ${r.count} batches, ${r.errors} errors, p50 ${res.p50.toFixed(1)} ms, p99 ${res.p99.toFixed(1)} ms, server CPU ${(res.serverCpu * 100).toFixed(0)}%, generator CPU ${(r.cpuShare * 100).toFixed(0)}%`,
      );
      if (r.errors) notes.push(`${kind}: ${r.errors} of ${r.count} batches failed; first: ${r.firstError}`);
      // The last batch sent must read back whole: the count above is of stored spans, not of accepted bytes.
      const last = mlflowTraceId(nextTrace - 1, salt);
      const got = await api.json("GET", `/api/3.0/mlflow/traces/get?trace_id=${last}`);
      const spans = got.trace?.spans?.length ?? 0;
      if (spans !== size) throw new Error(`${kind}: trace ${last} has ${spans} spans, expected ${size}`);
      out[kind] = res;
    }
    return out;
  });

  const pick = (f) => ({
    reference: results.reference && f(results.reference),
    tracklite: results.tracklite && f(results.tracklite),
  });
  const rows = [
    row(
      `OTLP ingest, ${args.exporters} exporters × ${args.batch}-span protobuf batches`,
      "spans/s",
      "higher",
      pick((r) => r.spansPerS),
      `goal ≥ 10,000 spans/s and ≥ 20× the reference`,
    ),
    row(
      "batch latency p50",
      "ms",
      "lower",
      pick((r) => r.p50),
    ),
    row(
      "batch latency p99",
      "ms",
      "lower",
      pick((r) => r.p99),
    ),
    row(
      "spans per server CPU-second",
      "spans/s",
      "higher",
      pick((r) => r.spansPerCpuS),
      "about what one core would ingest with the machine to itself",
    ),
    row(
      "server CPU share while measured",
      "%",
      "none",
      pick((r) => r.serverCpu * 100),
      "100 = one core",
    ),
    row(
      "load generator CPU share",
      "%",
      "none",
      pick((r) => r.cpuShare * 100),
      "the harness itself, 100 = a core",
    ),
  ];
  notes.push(
    "Server CPU share is the server's process tree's CPU time ÷ wall time while measured. Below 100% with eight batches always queued, the server was waiting for a core the machine's other work held: then spans per server CPU-second, not spans/s, is the figure that carries to a machine the server has to itself (one core: Node serves on one thread).",
    `${args.seconds} s closed loop per server after a 2 s warm-up; each batch is ${tracesPerBatch} new traces of ${size} spans (a root span and ${size - 1} children, each with mlflow.spanType, mlflow.spanInputs/Outputs JSON and two gen_ai attributes), about ${(bodyTemplate(tracesPerBatch, size)(0).length / 1024).toFixed(0)} KiB of protobuf. The last trace sent was read back whole (${size} spans) from each server.`,
  );
  writeReport({
    name: "ingest",
    title: "OTLP span ingest: tracklite vs reference MLflow",
    command: `node bench/traces/ingest.mjs ${process.argv.slice(2).join(" ")}`.trim(),
    rows,
    notes,
    log,
    loadavgStart,
  });
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
