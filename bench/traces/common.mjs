/**
 * What the trace benches share: options, the two servers' lifecycle (bench/servers.mjs: free ports, fresh temp
 * databases, process groups stopped on exit and Ctrl-C), OTLP/HTTP sends, trace-shaped test data, and the report (a
 * console table with ratios, and bench/results/<date>-traces-<name>.md).
 */
import { execSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { Api } from "../load.mjs";
import { fmt } from "../report.mjs";
import { installCleanup, processTree, ROOT, startServer, stopServer } from "../servers.mjs";
import { encodeExportRequest, id } from "./otlp-proto.mjs";

/**
 * `--no-build`, `--quick`, `--no-reference`, `--no-tracklite` (to develop against one server alone), plus the script's
 * own numeric options (`--name value`).
 */
export function parseArgs(argv, usage, numeric = {}) {
  const a = { build: true, quick: false, reference: true, tracklite: true, ...numeric };
  for (let i = 0; i < argv.length; i++) {
    const x = argv[i];
    if (x === "--no-build") a.build = false;
    else if (x === "--quick") a.quick = true;
    else if (x === "--no-reference") a.reference = false;
    else if (x === "--no-tracklite") a.tracklite = false;
    else if (x.startsWith("--") && x.slice(2) in numeric) a[x.slice(2)] = Number(argv[++i]);
    else if (x === "-h" || x === "--help") {
      console.log(usage);
      process.exit(0);
    } else throw new Error(`unknown option ${x}\n${usage}`);
  }
  return a;
}

/** A logger that prefixes seconds since the script started. */
export function logger() {
  const t0 = performance.now();
  const log = (msg) => console.log(`[${((performance.now() - t0) / 1000).toFixed(1).padStart(6)} s] ${msg}`);
  log.elapsedS = () => (performance.now() - t0) / 1000;
  return log;
}

/**
 * Builds tracklite (unless --no-build), starts the servers one at a time (so neither start competes with the other),
 * runs `fn({ servers, apis })` and stops them whatever happens. `apis[kind]` is an undici keep-alive pool.
 * `referenceArgs` are extra flags of the reference's `mlflow server`.
 */
export async function withServers(args, log, fn, { connections = 16, referenceArgs = [] } = {}) {
  installCleanup();
  if (args.build && args.tracklite) {
    log("building tracklite (turbo)");
    execSync("npx turbo run build --output-logs=errors-only", { cwd: ROOT, stdio: "inherit" });
  }
  const kinds = ["reference", "tracklite"].filter((k) => args[k]);
  const servers = {};
  const apis = {};
  try {
    for (const kind of kinds) {
      log(`starting ${kind}`);
      servers[kind] = await startServer(kind, { extraArgs: kind === "reference" ? referenceArgs : [] });
      apis[kind] = new Api(servers[kind].url, connections);
      log(`${kind} up on :${servers[kind].port} after ${servers[kind].startMs.toFixed(0)} ms`);
    }
    return await fn({ kinds, servers, apis });
  } finally {
    for (const kind of kinds) {
      await apis[kind]?.close().catch(() => {});
      if (servers[kind]) await stopServer(servers[kind], { graceMs: 2000 });
    }
    log("servers stopped");
  }
}

/** Clock ticks per second of /proc/<pid>/stat's CPU times (USER_HZ, 100 on Linux). */
const USER_HZ = 100;

/**
 * CPU seconds (user + system) the process tree of `pid` has used so far: the server's own work whatever else shares
 * the machine, so spans per CPU-second can be compared across loaded runs. Processes that already exited are missed.
 */
export function treeCpuSeconds(pid) {
  let ticks = 0;
  for (const p of processTree(pid)) {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, "utf8");
      const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      ticks += Number(f[11]) + Number(f[12]);
    } catch {}
  }
  return ticks / USER_HZ;
}

/** Creates an experiment with a unique name; returns its id. */
export async function newExperiment(api, prefix) {
  const { experiment_id } = await api.post("experiments/create", { name: `${prefix}-${process.pid}-${Date.now()}` });
  return experiment_id;
}

/** POSTs one OTLP/HTTP protobuf body to `/v1/traces` into an experiment; resolves to { status, text }. */
export async function sendOtlp(api, experimentId, body) {
  const res = await api.pool.request({
    method: "POST",
    path: "/v1/traces",
    headers: { "content-type": "application/x-protobuf", "x-mlflow-experiment-id": experimentId },
    body,
  });
  // The answer is an ExportTraceServiceResponse (protobuf) on success, JSON on errors.
  const buf = Buffer.from(await res.body.arrayBuffer());
  return { status: res.statusCode, text: res.statusCode === 200 ? "" : buf.toString("utf8") };
}

/** Counts the resends of `sendOtlpOk` per server URL, for the report's notes. */
export const resends = { byUrl: {}, last: {} };

/** "n requests were resent to kind (last failure: …)" for each server that needed resends. */
export function resendNotes(servers, what) {
  return Object.entries(servers).flatMap(([kind, s]) =>
    resends.byUrl[s.url]
      ? [`${resends.byUrl[s.url]} ${what} to ${kind} were resent (last failure: ${resends.last[s.url]}).`]
      : [],
  );
}

/**
 * Like sendOtlp for seeding: resends (up to 3 times) what an OTLP exporter would resend, a 429/502/503/504 or a
 * dropped connection (the reference's uvicorn supervisor kills a worker that blocks past its health-check timeout,
 * which long span batches do on a loaded machine); throws on anything else but 200.
 */
export async function sendOtlpOk(api, experimentId, body, tries = 4) {
  for (let attempt = 1; ; attempt++) {
    let r;
    try {
      r = await sendOtlp(api, experimentId, body);
    } catch (e) {
      r = { status: 0, text: String(e.message ?? e) };
    }
    if (r.status === 200) return;
    if (attempt >= tries || ![0, 429, 502, 503, 504].includes(r.status)) {
      throw new Error(`POST /v1/traces → ${r.status}: ${r.text.slice(0, 300)}`);
    }
    resends.byUrl[api.url] = (resends.byUrl[api.url] ?? 0) + 1;
    resends.last[api.url] = `${r.status} ${r.text.slice(0, 120)}`;
  }
}

/** The epoch nanoseconds every bench trace starts from (2024-11-30), plus `n` milliseconds. */
export const T0_NS = 1_733_000_000_000_000_000n;
export const atMs = (ms) => T0_NS + BigInt(ms) * 1_000_000n;

/** What an LLM app's span carries: MLflow's type, inputs and outputs (JSON strings, as MLflow's SDK writes them). */
export function spanAttributes(i, kind = "LLM") {
  return {
    "mlflow.spanType": JSON.stringify(kind),
    "mlflow.spanInputs": JSON.stringify({
      messages: [{ role: "user", content: `question number ${i} about tracing` }],
    }),
    "mlflow.spanOutputs": JSON.stringify({ choices: [{ message: { role: "assistant", content: `answer ${i}` } }] }),
    "gen_ai.request.model": "bench-model",
    "gen_ai.usage.input_tokens": 20 + (i % 50),
  };
}

/**
 * The spans of trace number `t`: a root span (with `rootAttributes`, e.g. `mlflow.traceTag.*`) and `size - 1`
 * children, each `stepMs` apart. `salt` separates runs of the same script so ids never repeat.
 */
export function traceSpans(t, size, { salt = 0, stepMs = 1, rootAttributes = {} } = {}) {
  const traceId = id(16, t, salt);
  const rootId = id(8, 1);
  const start = atMs(t);
  const spans = [
    {
      traceId,
      spanId: rootId,
      name: "agent",
      startNs: start,
      endNs: start + BigInt(size * stepMs) * 1_000_000n + 1n,
      attributes: { ...spanAttributes(t, "AGENT"), ...rootAttributes },
      statusCode: 1,
    },
  ];
  for (let s = 1; s < size; s++) {
    const b = start + BigInt(s * stepMs) * 1_000_000n;
    spans.push({
      traceId,
      spanId: id(8, s + 1),
      parentSpanId: rootId,
      name: `llm-${s}`,
      startNs: b,
      endNs: b + 900_000n,
      attributes: spanAttributes(s),
      statusCode: 1,
    });
  }
  return spans;
}

/** One OTLP body holding whole traces `from` … `from + count - 1`. */
export const tracesBody = (from, count, size, opts) =>
  encodeExportRequest(Array.from({ length: count }, (_, k) => traceSpans(from + k, size, opts)).flat());

/**
 * Bodies of `count` whole traces of `size` spans, fast: one body is encoded once with marker trace ids, and each call
 * copies it and writes the trace ids of traces `from` … `from + count - 1` over the markers (ids are all that must
 * differ between batches). A fresh encode costs a few ms per 100 spans, which would take a core from the servers
 * under test on a two-core machine; the copy costs microseconds.
 */
export function bodyTemplate(count, size, opts = {}) {
  const MARK = 0xee;
  const template = encodeExportRequest(
    Array.from({ length: count }, (_, k) => traceSpans(k, size, { ...opts, salt: MARK })).flat(),
  );
  const offsets = Array.from({ length: count }, () => []);
  const buf = Buffer.from(template);
  for (let k = 0; k < count; k++) {
    const marker = Buffer.from(id(16, k, MARK));
    for (let at = buf.indexOf(marker); at !== -1; at = buf.indexOf(marker, at + 16)) offsets[k].push(at);
    if (offsets[k].length !== size) throw new Error(`template: trace ${k} found ${offsets[k].length} times`);
  }
  return (from, salt = opts.salt ?? 0) => {
    const out = template.slice();
    for (let k = 0; k < count; k++) {
      const traceId = id(16, from + k, salt);
      for (const at of offsets[k]) out.set(traceId, at);
    }
    return out;
  };
}

/** The MLflow trace id servers give an OTLP trace id: `tr-` and its hex. */
export const mlflowTraceId = (t, salt = 0) => `tr-${Buffer.from(id(16, t, salt)).toString("hex")}`;

/**
 * A table row: `values` per server, `better` says which way is good. The ratio is tracklite ÷ reference for rates and
 * reference ÷ tracklite for times, so > 1 means tracklite is better (as in bench/report.mjs).
 */
export function row(figure, unit, better, values, note = "") {
  return { figure, unit, better, reference: values.reference, tracklite: values.tracklite, note };
}

export function ratioOf(r) {
  const { reference: ref, tracklite: tl } = r;
  if (!(ref > 0) || !(tl > 0) || r.better === "none") return Number.NaN;
  return r.better === "higher" ? tl / ref : ref / tl;
}

/**
 * Prints the table and writes bench/results/<date>-traces-<name>.md with the figures, ratios, notes and the machine
 * (the load average tells whether other work shared the two cores).
 */
export function writeReport({ name, title, command, rows, notes, log, loadavgStart, referenceArgs = [] }) {
  const head = ["figure", "reference", "tracklite", "ratio (>1: tracklite better)", "note"];
  const lines = rows.map((r) => [
    `${r.figure} (${r.unit})`,
    fmt(r.reference),
    fmt(r.tracklite),
    Number.isNaN(ratioOf(r)) ? "–" : `${fmt(ratioOf(r))}×`,
    r.note,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => String(l[i]).length)));
  const pad = (l) => l.map((c, i) => (i >= 1 && i <= 3 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join("  ");
  console.log(`\n${[pad(head), widths.map((w) => "-".repeat(w)).join("  "), ...lines.map(pad)].join("\n")}\n`);

  const date = new Date().toISOString().slice(0, 10);
  const cpu = /model name\s*:\s*(.*)/.exec(readFileSync("/proc/cpuinfo", "utf8"))?.[1] ?? "?";
  let mlflow = "?";
  try {
    mlflow = execSync(`${join(ROOT, ".venvs/mlflow-3/bin/python")} -c "import mlflow; print(mlflow.__version__)"`, {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }).trim();
  } catch {}
  const la = (xs) => xs.map((x) => x.toFixed(2)).join(" ");
  const md = [
    `# ${title} — ${date}`,
    "",
    `Produced by \`${command}\` in ${log.elapsedS().toFixed(0)} s. Reference: \`mlflow server\` ${mlflow} (${referenceArgs.length ? `\`${referenceArgs.join(" ")}\`` : "default workers"}, SQLite). tracklite: \`apps/server/dist/cli.js server\` (libSQL file). Both on 127.0.0.1 with fresh temp databases, started one after the other, measured one at a time.`,
    "",
    `| ${head.join(" | ")} |`,
    "|---|---:|---:|---:|---|",
    ...lines.map((l) => `| ${l.map((c) => String(c).replace(/\|/g, "\\|")).join(" | ")} |`),
    "",
    "Ratio = tracklite ÷ reference for rates, reference ÷ tracklite for times: > 1 means tracklite is better.",
    "",
    ...(notes.length ? ["## Notes", "", ...notes.map((n) => `- ${n}`), ""] : []),
    "## Machine",
    "",
    `- nproc ${os.availableParallelism()}, ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}`,
    `- load average (1, 5, 15 min) at the start: ${la(loadavgStart)}; at the end: ${la(os.loadavg())} — with 2 cores, anything above ~2 beyond the bench itself means other work shared the machine`,
    "",
  ].join("\n");
  const dir = join(ROOT, "bench/results");
  mkdirSync(dir, { recursive: true });
  const out = join(dir, `${date}-traces-${name}.md`);
  writeFileSync(out, md);
  log(`wrote ${out}`);
  return out;
}
