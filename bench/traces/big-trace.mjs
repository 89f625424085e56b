#!/usr/bin/env node
/**
 * `node bench/traces/big-trace.mjs [--no-build] [--quick] [--no-reference] [--no-tracklite] [--spans 50000] [--reps 5]`
 *
 * Opening one very large trace: a trace of `spans` spans (a root, steps of 200 spans each, every span carrying MLflow's
 * inputs/outputs attributes) is exported over OTLP/HTTP protobuf in 1,000-span batches, then
 * `GET /api/3.0/mlflow/traces/get` (the whole trace with all its spans, what MLflow's UI and `get_trace` use) is timed
 * from request to last byte, `reps` times one after another, on each server. Also times the TS client's exact parse of
 * tracklite's answer (span times as exact strings). Writes bench/results/<date>-traces-big-trace.md.
 * The browser side (opening the trace view) is bench/ui-trace-open.mjs.
 */
import os from "node:os";
import { performance } from "node:perf_hooks";
import { median } from "../load.mjs";
import {
  atMs,
  logger,
  newExperiment,
  parseArgs,
  resendNotes,
  row,
  sendOtlpOk,
  spanAttributes,
  withServers,
  writeReport,
} from "./common.mjs";
import { encodeExportRequest, id } from "./otlp-proto.mjs";

const USAGE =
  "node bench/traces/big-trace.mjs [--no-build] [--quick] [--no-reference] [--no-tracklite] [--spans 50000] [--reps 5]";
const BATCH = 1000;
/**
 * One worker: with its default four, the reference's uvicorn supervisor kills a worker that blocks past its health
 * check, which answering traces/get for this trace does on a loaded two-core machine (the client sees the connection
 * close). The requests here are sequential, so one worker does not slow them.
 */
const REFERENCE_ARGS = ["--workers", "1"];
/** tracklite's UI calls for a large trace: the span tree (paged, columns) and the contents of the spans on screen. */
const TREE = "/ajax-api/2.0/tracklite/traces/span-tree";
const CONTENTS = "/ajax-api/2.0/tracklite/traces/spans";
const STEP = 200;

/** Span `s` of the big trace: 0 is the root, every STEP-th span a step under the root, the others leaves of a step. */
function bigSpan(traceId, s) {
  const start = atMs(s);
  const k = s - 1;
  const isStep = s > 0 && k % STEP === 0;
  const parent = s === 0 ? undefined : isStep ? 0 : s - (k % STEP);
  return {
    traceId,
    spanId: id(8, s + 1),
    ...(parent === undefined ? {} : { parentSpanId: id(8, parent + 1) }),
    name: s === 0 ? "agent" : isStep ? `step-${k / STEP}` : `llm-${s}`,
    startNs: start,
    endNs: start + (s === 0 ? BigInt(STEP) * 1_000_000_000n : 900_000n),
    attributes: spanAttributes(s, s === 0 ? "AGENT" : isStep ? "CHAIN" : "LLM"),
    statusCode: 1,
  };
}

/** How long `fn` takes, in ms, and what it returned. */
async function timed(fn) {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}

/**
 * A GET that is sent again once when the pooled connection turns out closed: a server may end a keep-alive
 * connection that sat idle past its timeout (Node's is 5 s) while the harness parsed a large answer.
 */
async function get(api, path) {
  try {
    return await api.send("GET", path);
  } catch (e) {
    if (e?.code !== "UND_ERR_SOCKET") throw e;
    return api.send("GET", path);
  }
}

/** tracklite's paged span API: the whole tree (every page), and 50 spans' contents; medians of `reps`. */
async function pagedApi(api, traceId, args, log) {
  const tree = [];
  const contents = [];
  let ids = [];
  let treeMiB = 0;
  for (let rep = 0; rep <= args.reps; rep++) {
    const t = await timed(async () => {
      const got = [];
      let bytes = 0;
      let token;
      do {
        const q = `?trace_id=${traceId}${token ? `&page_token=${encodeURIComponent(token)}` : ""}`;
        const { status, text } = await get(api, `${TREE}${q}`);
        if (status !== 200) throw new Error(`span-tree → ${status}: ${text.slice(0, 300)}`);
        bytes += text.length;
        const page = JSON.parse(text);
        got.push(...page.span_ids);
        token = page.next_page_token;
      } while (token);
      return { got, bytes };
    });
    ids = t.value.got;
    treeMiB = t.value.bytes / 2 ** 20;
    if (rep > 0) tree.push(t.ms);
    if (ids.length !== args.spans) throw new Error(`span-tree gave ${ids.length} spans, expected ${args.spans}`);
    const visible = ids
      .slice(1000, 1050)
      .map((x) => `&span_ids=${x}`)
      .join("");
    const c = await timed(() => get(api, `${CONTENTS}?trace_id=${traceId}${visible}`));
    if (c.value.status !== 200) throw new Error(`spans → ${c.value.status}: ${c.value.text.slice(0, 300)}`);
    if (rep > 0) contents.push(c.ms);
  }
  log(
    `tracklite: span-tree ${median(tree).toFixed(0)} ms (${treeMiB.toFixed(1)} MiB), 50 spans' contents ${median(contents).toFixed(0)} ms`,
  );
  return { treeMs: median(tree), treeMiB, contentsMs: median(contents) };
}

async function main() {
  const args = parseArgs(process.argv.slice(2), USAGE, { spans: 50_000, reps: 5 });
  if (args.quick) {
    args.spans = Math.min(args.spans, 5000);
    args.reps = Math.min(args.reps, 2);
  }
  const log = logger();
  const loadavgStart = os.loadavg();
  const notes = [];
  const { parseExactJson } = await import("../../packages/client/dist/traces.js");

  const results = await withServers(
    args,
    log,
    async ({ kinds, servers, apis }) => {
      const out = {};
      for (const [n, kind] of kinds.entries()) {
        const api = apis[kind];
        const exp = await newExperiment(api, "bench-big-trace");
        const traceBytes = id(16, 1, 0x40 + n);
        const traceId = `tr-${Buffer.from(traceBytes).toString("hex")}`;
        const load = await timed(async () => {
          for (let from = 0; from < args.spans; from += BATCH) {
            const count = Math.min(BATCH, args.spans - from);
            const body = encodeExportRequest(Array.from({ length: count }, (_, k) => bigSpan(traceBytes, from + k)));
            await sendOtlpOk(api, exp, body);
          }
        });
        log(`${kind}: ${args.spans} spans exported in ${(load.ms / 1000).toFixed(1)} s`);

        const path = `/api/3.0/mlflow/traces/get?trace_id=${traceId}`;
        const gets = [];
        let text = "";
        for (let rep = 0; rep <= args.reps; rep++) {
          const r = await timed(() => get(api, path));
          if (r.value.status !== 200)
            throw new Error(`${kind} ${path} → ${r.value.status}: ${r.value.text.slice(0, 300)}`);
          text = r.value.text;
          if (rep > 0) gets.push(r.ms); // the first is the warm-up
          log(
            `${kind}: traces/get ${rep === 0 ? "(warm-up) " : ""}${r.ms.toFixed(0)} ms, ${(text.length / 2 ** 20).toFixed(1)} MiB`,
          );
        }
        const parse = await timed(() => parseExactJson(text));
        const spans = parse.value.trace?.spans?.length ?? 0;
        if (spans !== args.spans) throw new Error(`${kind}: the trace has ${spans} spans, expected ${args.spans}`);
        out[kind] = { loadS: load.ms / 1000, getMs: median(gets), gets, mib: text.length / 2 ** 20, parseMs: parse.ms };
        if (kind === "tracklite") Object.assign(out[kind], await pagedApi(api, traceId, args, log));
      }
      notes.push(...resendNotes(servers, "OTLP batches"));
      return out;
    },
    { referenceArgs: REFERENCE_ARGS },
  );

  const pick = (f) => ({
    reference: results.reference && f(results.reference),
    tracklite: results.tracklite && f(results.tracklite),
  });
  const name = `one trace of ${args.spans.toLocaleString("en-US")} spans`;
  const rows = [
    row(
      `${name}: GET traces/get, request → last byte, median of ${args.reps}`,
      "ms",
      "lower",
      pick((r) => r.getMs),
    ),
    row(
      `${name}: answer size`,
      "MiB",
      "lower",
      pick((r) => r.mib),
    ),
    row(
      `${name}: TS client's exact parse of the answer`,
      "ms",
      "lower",
      pick((r) => r.parseMs),
      "parseExactJson",
    ),
    row(
      `${name}: tracklite's span tree (GET span-tree, every page), median of ${args.reps}`,
      "ms",
      "lower",
      { tracklite: results.tracklite?.treeMs },
      results.tracklite ? `${results.tracklite.treeMiB.toFixed(1)} MiB; what tracklite's trace view loads first` : "",
    ),
    row(
      `${name}: tracklite's contents of 50 spans (GET spans), median of ${args.reps}`,
      "ms",
      "lower",
      { tracklite: results.tracklite?.contentsMs },
      "what the trace view loads for the spans on screen",
    ),
    row(
      `${name}: OTLP export in ${BATCH.toLocaleString("en-US")}-span batches, one exporter`,
      "s",
      "lower",
      pick((r) => r.loadS),
    ),
  ];
  for (const kind of Object.keys(results)) {
    notes.push(
      `${kind}: traces/get times ${results[kind].gets.map((x) => x.toFixed(0)).join(", ")} ms (after one warm-up).`,
    );
  }
  notes.push(
    `The reference runs with \`${REFERENCE_ARGS.join(" ")}\` (see big-trace.mjs). traces/get is what MLflow's UI and \`mlflow.get_trace\` load; tracklite's own UI loads the span tree and then the contents of the spans on screen.`,
    `The trace: a root span, ${Math.ceil((args.spans - 1) / STEP)} step spans under it and up to ${STEP - 1} LLM spans under each step; every span has mlflow.spanType, mlflow.spanInputs/Outputs JSON and two gen_ai attributes.`,
  );
  writeReport({
    name: "big-trace",
    title: `Opening a ${args.spans.toLocaleString("en-US")}-span trace: tracklite vs reference MLflow`,
    command: `node bench/traces/big-trace.mjs ${process.argv.slice(2).join(" ")}`.trim(),
    rows,
    notes,
    log,
    loadavgStart,
    referenceArgs: REFERENCE_ARGS,
  });
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
