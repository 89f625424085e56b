/**
 * The report: a console table, bench/results/<date>.md (figures, ratios, hardware, notes) and a PNG bar chart of
 * the ratios drawn with matplotlib from the reference's venv.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { median, percentile } from "./load.mjs";
import { ROOT, VENV } from "./servers.mjs";
import { ratio } from "./workloads/common.mjs";

export const RESULTS = join(ROOT, "bench/results");

export function fmt(n) {
  if (n === undefined || n === null || Number.isNaN(n)) return "–";
  const a = Math.abs(n);
  if (a >= 100) return Math.round(n).toLocaleString("en-US");
  if (a >= 10) return n.toFixed(1);
  if (a >= 0.1) return n.toFixed(2);
  return n.toPrecision(2);
}

const pct = (x) => (x === undefined || Number.isNaN(x) ? "–" : `${Math.round(x * 100)}%`);

function hardware() {
  const cpuinfo = readFileSync("/proc/cpuinfo", "utf8");
  const model = /model name\s*:\s*(.*)/.exec(cpuinfo)?.[1] ?? "unknown";
  const memKiB = Number(/MemTotal:\s+(\d+)/.exec(readFileSync("/proc/meminfo", "utf8"))?.[1] ?? 0);
  let nproc = String(os.availableParallelism());
  try {
    nproc = execFileSync("nproc", { encoding: "utf8" }).trim();
  } catch {}
  let mlflow = "?";
  let python = "?";
  try {
    python = execFileSync(join(VENV, "bin/python"), ["--version"], { encoding: "utf8" }).trim();
    mlflow = execFileSync(join(VENV, "bin/python"), ["-c", "import mlflow; print(mlflow.__version__)"], {
      encoding: "utf8",
    }).trim();
  } catch {}
  return {
    nproc,
    model,
    memory: `${(memKiB / 1024 / 1024).toFixed(1)} GiB`,
    node: process.version,
    python,
    mlflow,
    loadavg: os
      .loadavg()
      .map((x) => x.toFixed(2))
      .join(" "),
  };
}

/**
 * Looks for a fixed latency floor in the small-request series (rows carrying `latencySeries`): a ~40 ms stall on part
 * of the requests, or a high minimum with the median close above it.
 */
function floorNotes(rows) {
  const out = [];
  for (const r of rows) {
    if (!r.latencySeries) continue;
    for (const kind of ["reference", "tracklite"]) {
      const xs = r.latencySeries[kind];
      if (!xs?.length) continue;
      const min = Math.min(...xs);
      const p50 = median(xs);
      // A delayed-ACK / Nagle stall adds ~40 ms on top of the real work: look for a cluster 35–50 ms above the minimum.
      const stalled = xs.filter((x) => x - min >= 35 && x - min <= 50).length / xs.length;
      const verdict =
        stalled > 0.3
          ? `**${Math.round(stalled * 100)}% of requests sit 35–50 ms above the minimum** (delayed-ACK/Nagle-like stall)`
          : min >= 20 && p50 < min * 1.3
            ? `**fixed floor ~${fmt(min)} ms on every request**${min >= 35 ? " (≥ 35 ms for a tiny request: the delayed-ACK/Nagle signature)" : ""}`
            : "no fixed floor";
      const ps = [10, 25, 50, 75, 90, 99].map((p) => `p${p} ${fmt(percentile(xs, p))}`).join(", ");
      out.push(`${r.workload}, ${kind}: min ${fmt(min)} ms, ${ps} ms → ${verdict}`);
    }
  }
  return out;
}

function table(rows) {
  const head = [
    "workload",
    "figure",
    "reference",
    "tracklite",
    "ratio (>1: tracklite better)",
    "load-gen CPU ref / tl",
  ];
  const lines = rows.map((r) => [
    r.workload,
    `${r.figure} (${r.unit})`,
    fmt(r.reference),
    fmt(r.tracklite),
    Number.isNaN(ratio(r)) ? "–" : `${fmt(ratio(r))}×`,
    r.genCpu ? `${pct(r.genCpu.reference)} / ${pct(r.genCpu.tracklite)}` : "",
  ]);
  return { head, lines };
}

function markdownTable({ head, lines }) {
  const esc = (s) => String(s).replace(/\|/g, "\\|");
  return [
    `| ${head.join(" | ")} |`,
    `|${head.map((_, i) => (i >= 2 && i <= 4 ? "---:" : "---")).join("|")}|`,
    ...lines.map((l) => `| ${l.map(esc).join(" | ")} |`),
  ].join("\n");
}

function consoleTable({ head, lines }) {
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => String(l[i]).length)));
  const fmtLine = (l) =>
    l.map((c, i) => (i >= 2 && i <= 4 ? String(c).padStart(widths[i]) : String(c).padEnd(widths[i]))).join("  ");
  return [fmtLine(head), widths.map((w) => "-".repeat(w)).join("  "), ...lines.map(fmtLine)].join("\n");
}

function drawChart(rows, png, title) {
  const bars = rows
    .filter((r) => !Number.isNaN(ratio(r)))
    .map((r) => ({ label: `${r.workload} — ${r.figure}`, ratio: ratio(r) }));
  const json = join(RESULTS, ".chart-input.json");
  writeFileSync(json, JSON.stringify({ title, bars }));
  try {
    execFileSync(join(VENV, "bin/python"), [join(ROOT, "bench/chart.py"), json, png], { stdio: "inherit" });
  } finally {
    try {
      execFileSync("rm", ["-f", json]);
    } catch {}
  }
}

export async function writeReport({ rows, notes, soakReports, cfg, args, wallS, loadavgStart = [] }) {
  mkdirSync(RESULTS, { recursive: true });
  const date = new Date().toISOString().slice(0, 10);
  const only = args.only ? `-${args.only.join("+")}` : "";
  const suffix = args.quick ? "-quick" : args.large ? `-large${only}` : only;
  const mode = args.argv?.length ? ` -- ${args.argv.join(" ")}` : "";
  const title = args.quick ? " (quick)" : args.large ? " (large)" : "";
  const base = join(RESULTS, `${date}${suffix}`);
  const hw = hardware();
  const t = table(rows);
  const gen = rows
    .flatMap((r) => (r.genCpu ? [r.genCpu.reference, r.genCpu.tracklite] : []))
    .filter((x) => x !== undefined);
  const errors = rows.filter((r) => r.errors && (r.errors.reference || r.errors.tracklite));

  console.log(`\n${consoleTable(t)}\n`);
  const md = [
    `# tracklite vs reference MLflow — ${date}${title}`,
    "",
    `Produced by \`npm run bench${mode}\` in ${fmt(wallS)} s. Reference: \`mlflow server\` ${hw.mlflow} (${args.large ? "--workers 1" : "default workers"}, SQLite). tracklite: \`apps/server/dist/cli.js server\` (libSQL file). Both on 127.0.0.1, fresh temp databases. Each figure is the median over repetitions run alternately on the two servers after a warm-up.`,
    "",
    "## Figures",
    "",
    markdownTable(t),
    "",
    `Ratio = tracklite ÷ reference for rates and reference ÷ tracklite for times and sizes, so > 1 means tracklite is better. Load-gen CPU is the harness process's CPU time ÷ wall time while measuring (1 = one full core); highest seen: ${pct(Math.max(...gen))}.`,
    "",
    `![ratios](./${date}${suffix}.png)`,
    "",
    "## Machine",
    "",
    `- nproc: ${hw.nproc}`,
    `- CPU: ${hw.model}`,
    `- memory: ${hw.memory}`,
    `- Node ${hw.node}, ${hw.python}, mlflow ${hw.mlflow}`,
    `- load average (1, 5, 15 min) at the start: ${loadavgStart.map((x) => x.toFixed(2)).join(" ")}; at the end: ${hw.loadavg} — with 2 cores, anything above ~2 beyond the bench itself means other work shared the machine`,
    "",
    "## Sizes",
    "",
    `\`${JSON.stringify({ ...cfg, soakMinutes: args.soak ? cfg.soakMinutes : undefined })}\``,
    "",
    "## Latency floors",
    "",
    ...floorNotes(rows).map((n) => `- ${n}`),
    "",
    ...(errors.length
      ? [
          "## Errors",
          "",
          ...errors.map((r) => `- ${r.workload}: reference ${r.errors.reference}, tracklite ${r.errors.tracklite}`),
          "",
        ]
      : []),
    ...(notes.length ? ["## Notes", "", ...notes.map((n) => `- ${n}`), ""] : []),
    ...(soakReports.length ? ["## Soak", "", ...soakReports, ""] : []),
  ].join("\n");
  writeFileSync(`${base}.md`, md);
  drawChart(rows, `${base}.png`, `tracklite ÷ reference (>1: tracklite better) — ${date}${title}`);
  return { md: `${base}.md`, png: `${base}.png` };
}
