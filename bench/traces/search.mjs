#!/usr/bin/env node
/**
 * `node bench/traces/search.mjs [--no-build] [--quick] [--no-reference] [--no-tracklite] [--traces 100000]
 *   [--seed-budget 300] [--reps 10]`
 *
 * search_traces (`POST /api/3.0/mlflow/traces/search`, pages of 50, default order: newest first) with a tag filter
 * matching one trace in ten, over an experiment of `traces` traces: p50 of the first page and of the last page (reached
 * by following next_page_token). Traces are seeded through OTLP/HTTP protobuf, 1,000 single-span traces per request,
 * tagged by their root span's `mlflow.traceTag.*` attributes as OpenTelemetry exporters do.
 * The reference is seeded first, within `seed-budget` seconds; tracklite then gets the same traces (same ids), so the
 * ratio compares equal data, and a second tracklite experiment holds the full `traces`.
 * Writes bench/results/<date>-traces-search.md.
 */
import os from "node:os";
import { performance } from "node:perf_hooks";
import { median, parallel } from "../load.mjs";
import {
  logger,
  newExperiment,
  parseArgs,
  resendNotes,
  row,
  sendOtlpOk,
  traceSpans,
  withServers,
  writeReport,
} from "./common.mjs";
import { encodeExportRequest } from "./otlp-proto.mjs";

const USAGE =
  "node bench/traces/search.mjs [--no-build] [--quick] [--no-reference] [--no-tracklite] [--traces 100000] [--seed-budget 300] [--reps 10]";
const PER_REQUEST = 1000;
const PAGE = 50;
const FILTER = "tags.bucket = 'b3'";
/**
 * One worker: with its default four, the reference's uvicorn supervisor kills a worker that blocks past its health
 * check, which a 1,000-trace log_spans does on a loaded two-core machine. Searches are sequential, so one worker does
 * not slow them.
 */
const REFERENCE_ARGS = ["--workers", "1"];

/** OTLP body of traces `from` … `from + count - 1`: one root span each, tagged bucket b0…b9 and env. */
const seedBody = (from, count, salt) =>
  encodeExportRequest(
    Array.from({ length: count }, (_, k) => {
      const t = from + k;
      return traceSpans(t, 1, {
        salt,
        rootAttributes: { "mlflow.traceTag.bucket": `b${t % 10}`, "mlflow.traceTag.env": t % 3 ? "prod" : "dev" },
      });
    }).flat(),
  );

/** Seeds up to `n` traces with `concurrency` requests in flight, stopping at `deadline`; resolves to how many. */
async function seed(api, exp, n, salt, concurrency, deadline = Number.POSITIVE_INFINITY) {
  const requests = Math.ceil(n / PER_REQUEST);
  const done = await parallel(
    requests,
    concurrency,
    (i) => sendOtlpOk(api, exp, seedBody(i * PER_REQUEST, Math.min(PER_REQUEST, n - i * PER_REQUEST), salt)),
    deadline,
  );
  return Math.min(n, done * PER_REQUEST);
}

/** Seeds traces 0 … n-1 into a fresh experiment; returns its id, how many went in and the rate. */
async function seeded(api, n, salt, concurrency, deadline) {
  const exp = await newExperiment(api, "bench-search-traces");
  const t0 = performance.now();
  const count = await seed(api, exp, n, salt, concurrency, deadline);
  return { exp, count, perS: count / ((performance.now() - t0) / 1000) };
}

function searchBody(exp, token) {
  return JSON.stringify({
    locations: [{ type: "MLFLOW_EXPERIMENT", mlflow_experiment: { experiment_id: exp } }],
    filter: FILTER,
    max_results: PAGE,
    ...(token ? { page_token: token } : {}),
  });
}

/** Walks every page once (the warm-up): the token of each page and the ids in order. */
async function walk(api, exp) {
  const tokens = [undefined];
  const ids = [];
  while (true) {
    const body = await api.json("POST", "/api/3.0/mlflow/traces/search", searchBody(exp, tokens.at(-1)));
    ids.push(...(body.traces ?? []).map((t) => t.trace_id));
    if (!body.next_page_token) break;
    tokens.push(body.next_page_token);
  }
  return { tokens, ids };
}

/** Median latency of `reps` searches of one page. */
async function pageP50(api, exp, token, reps) {
  const times = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    const { status, text } = await api.send("POST", "/api/3.0/mlflow/traces/search", searchBody(exp, token));
    times.push(performance.now() - t0);
    if (status !== 200) throw new Error(`traces/search → ${status}: ${text.slice(0, 300)}`);
  }
  return median(times);
}

async function measure(api, exp, reps) {
  const { tokens, ids } = await walk(api, exp);
  return {
    pages: tokens.length,
    matches: ids.length,
    ids,
    first: await pageP50(api, exp, undefined, reps),
    last: await pageP50(api, exp, tokens.at(-1), reps),
  };
}

async function main() {
  const args = parseArgs(process.argv.slice(2), USAGE, { traces: 100_000, "seed-budget": 300, reps: 10 });
  if (args.quick) {
    args.traces = Math.min(args.traces, 10_000);
    args["seed-budget"] = Math.min(args["seed-budget"], 30);
    args.reps = Math.min(args.reps, 3);
  }
  const log = logger();
  const loadavgStart = os.loadavg();
  const notes = [];
  const SAME = 0x21; // the salt of the traces both servers get
  const FULL = 0x22; // tracklite's full-size experiment

  const res = await withServers(
    args,
    log,
    async ({ servers, apis }) => {
      const out = {};
      let equalN = args.traces;
      if (args.reference) {
        const deadline = performance.now() + args["seed-budget"] * 1000;
        const s = await seeded(apis.reference, args.traces, SAME, 2, deadline);
        equalN = s.count;
        log(`reference: seeded ${s.count} traces at ${s.perS.toFixed(0)} traces/s`);
        if (s.count < args.traces) {
          notes.push(
            `The reference's seeding hit its ${args["seed-budget"]} s time box at ${s.count.toLocaleString("en-US")} of ${args.traces.toLocaleString("en-US")} traces (${s.perS.toFixed(0)} traces/s through its OTLP endpoint, 2 requests in flight); the equal-data comparison uses that N.`,
          );
        }
        out.reference = { seedPerS: s.perS, n: s.count, ...(await measure(apis.reference, s.exp, args.reps)) };
        log(`reference: ${out.reference.matches} matches in ${out.reference.pages} pages`);
      }
      if (args.tracklite) {
        if (args.reference) {
          const s = await seeded(apis.tracklite, equalN, SAME, 4);
          log(`tracklite: seeded ${s.count} traces (equal data) at ${s.perS.toFixed(0)} traces/s`);
          out.tracklite = { seedPerS: s.perS, n: s.count, ...(await measure(apis.tracklite, s.exp, args.reps)) };
        }
        if (!args.reference || equalN < args.traces) {
          const s = await seeded(apis.tracklite, args.traces, FULL, 4);
          log(`tracklite: seeded ${s.count} traces at ${s.perS.toFixed(0)} traces/s`);
          out.full = { seedPerS: s.perS, n: s.count, ...(await measure(apis.tracklite, s.exp, args.reps)) };
        } else out.full = out.tracklite;
      }
      notes.push(...resendNotes(servers, "seeding requests"));
      return out;
    },
    { referenceArgs: REFERENCE_ARGS },
  );

  const fmtN = (n) => n.toLocaleString("en-US");
  const rows = [];
  if (res.reference || res.tracklite) {
    const n = (res.reference ?? res.tracklite).n;
    const pages = (res.reference ?? res.tracklite).pages;
    const name = `search_traces over ${fmtN(n)} traces, \`${FILTER}\` (${pages} pages of ${PAGE})`;
    const v = (f) => ({ reference: res.reference && f(res.reference), tracklite: res.tracklite && f(res.tracklite) });
    rows.push(
      row(
        `${name}: first page p50`,
        "ms",
        "lower",
        v((r) => r.first),
      ),
      row(
        `${name}: last page p50`,
        "ms",
        "lower",
        v((r) => r.last),
      ),
    );
    if (res.reference && res.tracklite) {
      const same = res.reference.ids.join() === res.tracklite.ids.join();
      notes.push(
        `Equal data: both servers returned ${same ? "the same traces in the same order" : `different results (reference ${res.reference.matches} matches, tracklite ${res.tracklite.matches})`}.`,
      );
    }
  }
  if (res.full && res.full !== res.tracklite) {
    const name = `search_traces over ${fmtN(res.full.n)} traces, tracklite only (${res.full.pages} pages of ${PAGE})`;
    rows.push(
      row(`${name}: first page p50`, "ms", "lower", { tracklite: res.full.first }),
      row(`${name}: last page p50`, "ms", "lower", { tracklite: res.full.last }),
    );
  }
  const seedRate = (r) => r?.seedPerS;
  rows.push(
    row("seeding through OTLP, 1,000 single-span traces per request", "traces/s", "higher", {
      reference: seedRate(res.reference),
      tracklite: seedRate(res.full ?? res.tracklite),
    }),
  );
  if (res.full) {
    notes.push(
      `tracklite at ${fmtN(res.full.n)} traces: ${res.full.matches} matches; last ÷ first page ${(res.full.last / res.full.first).toFixed(2)}.`,
    );
  }
  notes.push(
    `The reference runs with \`${REFERENCE_ARGS.join(" ")}\` (see search.mjs). p50 of ${args.reps} sequential requests per page after walking every page once (the warm-up). Each trace is one root span with mlflow.spanType/Inputs/Outputs and the tags bucket (b0…b9) and env, at distinct timestamps.`,
  );
  writeReport({
    name: "search",
    title: "search_traces with a tag filter: tracklite vs reference MLflow",
    command: `node bench/traces/search.mjs ${process.argv.slice(2).join(" ")}`.trim(),
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
