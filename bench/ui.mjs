#!/usr/bin/env node
/**
 * `node bench/ui.mjs [--no-build] [--runs N] [--loads N] [--no-reference] [--only charts] [--chart-runs 100]
 *  [--chart-points 100000] [--wide-runs 1000] [--wide-points 1000] [--chart-loads 3] [--no-seed-charts]`
 *
 * The web UI's budgets from issue 7, measured (nothing here asserts; the size budgets are also a test in `npm test`):
 * - sizes: gzip of all JS+CSS the build ships (≤ 200 KB) and of the first page (≤ 80 KB), with
 *   apps/ui/scripts/sizes.mjs; plus the JS+CSS headless Chromium really fetches to show the experiments list;
 * - the experiment page with 10,000 runs: navigation → first table row visible, median of N cold loads (≤ 1 s);
 * - charts (bench/ui-charts.mjs, issue 18): one chart of 100 runs × 2,500 and × 100,000 points and of 1,000 runs,
 *   synthetic data timed in the page by the charts' own hook (≤ 100 ms; 1,000 runs interactive), and the embed chart
 *   page on runs seeded with log-batch (100 × 100,000 points; 1,000 runs hovered);
 * - the reference MLflow UI (`mlflow server` from .venvs/mlflow-3): the JS+CSS its index.html loads, and what Chromium
 *   fetches to show its experiments list, for the ratio.
 * Prints a Markdown table and writes bench/results/<date>-ui.md. Servers and browser are stopped at the end.
 */
import { execFileSync, execSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { gzipSync } from "node:zlib";
import { chromium } from "playwright-core";
import { CHROMIUM_FLAGS, CHROMIUM_PATH } from "../apps/ui/scripts/chromium.mjs";
import { BUDGETS, kb, measure } from "../apps/ui/scripts/sizes.mjs";
import { Api, median, parallel } from "./load.mjs";
import { installCleanup, ROOT, startServer, stopServer, VENV } from "./servers.mjs";
import { chartRows } from "./ui-charts.mjs";

const VIEWPORT = { width: 1280, height: 800 };

function parseArgs(argv) {
  const a = {
    build: true,
    runs: 10_000,
    loads: 5,
    reference: true,
    only: "",
    chartRuns: 100,
    chartPoints: 100_000,
    wideRuns: 1000,
    widePoints: 1000,
    chartLoads: 3,
    seedCharts: true,
  };
  for (let i = 0; i < argv.length; i++) {
    const x = argv[i];
    if (x === "--no-build") a.build = false;
    else if (x === "--runs") a.runs = Number(argv[++i]);
    else if (x === "--loads") a.loads = Number(argv[++i]);
    else if (x === "--no-reference") a.reference = false;
    else if (x === "--only") a.only = String(argv[++i]);
    else if (x === "--chart-runs") a.chartRuns = Number(argv[++i]);
    else if (x === "--chart-points") a.chartPoints = Number(argv[++i]);
    else if (x === "--wide-runs") a.wideRuns = Number(argv[++i]);
    else if (x === "--wide-points") a.widePoints = Number(argv[++i]);
    else if (x === "--chart-loads") a.chartLoads = Number(argv[++i]);
    else if (x === "--no-seed-charts") a.seedCharts = false;
    else if (x === "-h" || x === "--help") {
      console.log(
        "node bench/ui.mjs [--no-build] [--runs 10000] [--loads 5] [--no-reference] [--only charts] [--chart-runs 100] [--chart-points 100000] [--wide-runs 1000] [--wide-points 1000] [--chart-loads 3] [--no-seed-charts]",
      );
      process.exit(0);
    } else throw new Error(`unknown option ${x}`);
  }
  return a;
}

const gz = (buf) => gzipSync(buf, { level: 9 }).length;

/**
 * Loads `url` in a fresh context and sums the gzip sizes of the JS and CSS responses until `ready` resolves and no
 * JS or CSS has been requested for 2 s (MLflow's UI keeps polling, so the network itself never goes idle); gzip is
 * computed here (level 9) from the decoded bodies, as sizes.mjs does for the build.
 */
async function observedFirstPage(browser, url, ready) {
  const context = await browser.newContext({ viewport: VIEWPORT });
  const page = await context.newPage();
  const bodies = [];
  let last = performance.now();
  page.on("response", (res) => {
    const type = res.request().resourceType();
    if (type !== "script" && type !== "stylesheet") return;
    last = performance.now();
    bodies.push(res.body().then((b) => ({ url: res.url(), b })));
  });
  await page.goto(url);
  await ready(page);
  const deadline = performance.now() + 30_000;
  while (performance.now() - last < 2000 && performance.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  const files = await Promise.all(bodies);
  await context.close();
  return { gzip: files.reduce((s, f) => s + gz(f.b), 0), files: files.length };
}

/** The JS and CSS MLflow's index.html references (scripts and stylesheets), gzip-summed. */
async function referenceIndexAssets(baseUrl) {
  const html = await (await fetch(`${baseUrl}/`)).text();
  const refs = [
    ...[...html.matchAll(/<script[^>]*\ssrc="([^"]+)"/g)].map((m) => m[1]),
    ...[...html.matchAll(/<link[^>]*>/g)]
      .map((m) => m[0])
      .filter((tag) => /rel="?(stylesheet|modulepreload)/.test(tag))
      .map((tag) => /href="([^"]+)"/.exec(tag)?.[1]),
  ].filter(Boolean);
  let total = 0;
  for (const ref of refs) {
    const res = await fetch(new URL(ref, `${baseUrl}/`));
    total += gz(Buffer.from(await res.arrayBuffer()));
  }
  return { gzip: total, files: refs.length };
}

/** Every JS and CSS file the reference ships with its UI (mlflow/server/js/build in the venv), gzip-summed. */
function referenceShipped() {
  const lib = join(VENV, "lib");
  const py = readdirSync(lib).find((d) => d.startsWith("python"));
  const build = join(lib, py ?? "", "site-packages/mlflow/server/js/build");
  if (!py || !existsSync(build)) return undefined;
  const files = readdirSync(build, { recursive: true })
    .map(String)
    .filter((f) => /\.(js|css)$/.test(f));
  return { gzip: files.reduce((s, f) => s + gz(readFileSync(join(build, f))), 0), files: files.length };
}

/** 10,000 runs through the REST API (runs/create + one log-batch each), 16 in flight. */
async function seedRuns(api, n, log) {
  const { experiment_id: exp } = await api.post("experiments/create", { name: `bench-ui-${n}` });
  const t0 = performance.now();
  const T0 = Date.now() - n * 1000;
  await parallel(n, 16, async (i) => {
    const { run } = await api.post("runs/create", { experiment_id: exp, run_name: `run-${i}`, start_time: T0 + i });
    await api.post("runs/log-batch", {
      run_id: run.info.run_id,
      params: [
        { key: "lr", value: String(10 ** -(1 + (i % 4))) },
        { key: "optimizer", value: i % 2 ? "adam" : "sgd" },
        { key: "batch_size", value: String(2 ** (4 + (i % 4))) },
      ],
      metrics: [
        { key: "train/loss", value: 1 / (1 + (i % 97)), timestamp: T0 + i, step: 100 },
        { key: "val/accuracy", value: (i % 89) / 89, timestamp: T0 + i, step: 100 },
      ],
      tags: [{ key: "team", value: `t${i % 5}` }],
    });
    await api.post("runs/update", { run_id: run.info.run_id, status: "FINISHED", end_time: T0 + i + 500 });
  });
  const s = (performance.now() - t0) / 1000;
  log(`seeded ${n.toLocaleString("en-US")} runs in ${s.toFixed(1)} s (${Math.round(n / s)} runs/s)`);
  return exp;
}

/**
 * In the page: the first runs-table row, searched through the shadow roots every animation frame; resolves with
 * performance.now() (ms since navigation start) at the first frame after the row is laid out in the viewport.
 */
const FIRST_ROW = `new Promise((resolve) => {
  const find = (root) => {
    const row = root.querySelector('[role=row][data-index="0"]');
    if (row) return row;
    for (const el of root.querySelectorAll("*")) if (el.shadowRoot) { const r = find(el.shadowRoot); if (r) return r; }
    return null;
  };
  const tick = () => {
    const row = find(document);
    const box = row?.getBoundingClientRect();
    if (row && box.height > 0 && box.top < innerHeight && row.textContent.includes("run-")) {
      requestAnimationFrame(() => resolve(performance.now()));
    } else requestAnimationFrame(tick);
  };
  tick();
})`;

async function firstRows(browser, url, loads, log) {
  const times = [];
  for (let k = 0; k <= loads; k++) {
    const context = await browser.newContext({ viewport: VIEWPORT });
    const page = await context.newPage();
    await page.goto(url, { waitUntil: "commit" });
    const ms = await page.evaluate(FIRST_ROW);
    await context.close();
    // The first load warms the server's caches and the disk: not counted.
    if (k > 0) times.push(ms);
    log(`  load ${k}${k === 0 ? " (warm-up)" : ""}: first row after ${ms.toFixed(0)} ms`);
  }
  return times;
}

function chromiumVersion() {
  try {
    return execFileSync(CHROMIUM_PATH, ["--version"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return "?";
  }
}

const ms = (x) => (x === undefined ? "–" : `${x < 10 ? x.toFixed(1) : Math.round(x)} ms`);

/** Whether the experiment page, sizes and reference are measured (not with `--only charts`). */
const pageFigures = (args) => args.only !== "charts";

async function main() {
  const args = parseArgs(process.argv.slice(2));
  installCleanup();
  const t0 = performance.now();
  const log = (msg) => console.log(`[${((performance.now() - t0) / 1000).toFixed(1).padStart(6)} s] ${msg}`);
  if (args.build) {
    log("building (turbo)");
    execSync("npx turbo run build --output-logs=errors-only", { cwd: ROOT, stdio: "inherit" });
  }
  // The build the server serves: TRACKLITE_UI_DIR when set (the server reads it too), else apps/ui/dist.
  const dist = process.env.TRACKLITE_UI_DIR ?? join(ROOT, "apps/ui/dist");
  const sizes = measure(dist);
  log(`build: all JS+CSS ${kb(sizes.total)}, first page ${kb(sizes.firstPage)} (gzip)`);

  const loadavgStart = os.loadavg();
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_FLAGS });
  const servers = {};
  const rows = [];
  const notes = [];
  try {
    log("starting tracklite");
    servers.tracklite = await startServer("tracklite");
    const url = servers.tracklite.url;
    const pages = pageFigures(args);
    const observed = pages
      ? await observedFirstPage(browser, `${url}/`, (p) => p.getByRole("table", { name: "Experiments" }).waitFor())
      : undefined;
    if (observed) log(`tracklite first page as fetched by Chromium: ${kb(observed.gzip)} in ${observed.files} files`);

    const api = new Api(url, 16);
    let times = [];
    if (pages) {
      const exp = await seedRuns(api, args.runs, log);
      log(`experiment page with ${args.runs.toLocaleString("en-US")} runs: ${args.loads} cold loads after a warm-up`);
      times = await firstRows(browser, `${url}/#/experiments/${exp}`, args.loads, log);
    }
    const charts = await chartRows(
      browser,
      api,
      url,
      {
        chartRuns: args.chartRuns,
        chartPoints: args.chartPoints,
        wideRuns: args.wideRuns,
        widePoints: args.widePoints,
        loads: args.chartLoads,
        seed: args.seedCharts,
      },
      log,
    );
    await api.close();

    let reference;
    if (pages && args.reference && existsSync(join(VENV, "bin/mlflow"))) {
      log("starting the reference mlflow server (its UI) — it takes a while");
      try {
        servers.reference = await startServer("reference");
        const index = await referenceIndexAssets(servers.reference.url);
        const seen = await observedFirstPage(browser, `${servers.reference.url}/`, (p) =>
          p.getByText("Experiments", { exact: false }).first().waitFor({ timeout: 60_000 }),
        );
        reference = { index, seen, shipped: referenceShipped() };
        log(
          `reference UI: index.html loads ${kb(index.gzip)} (${index.files} files); Chromium fetched ${kb(seen.gzip)}`,
        );
      } catch (e) {
        log(`reference UI not measured: ${e.message ?? e}`);
        notes.push(`The reference MLflow UI could not be measured: ${String(e.message ?? e).slice(0, 200)}`);
      }
    } else if (pages) notes.push("The reference MLflow UI was not measured (--no-reference, or no .venvs/mlflow-3).");

    const met = (x, budget) => (x <= budget ? "met" : "**missed**");
    const ratio = (ref, ours) => (ref ? `${(ref / ours).toFixed(1)}×` : "–");
    if (pages)
      rows.push(
        [
          "all JS+CSS shipped (gzip)",
          kb(sizes.total),
          "≤ 200 KB",
          met(sizes.total, BUDGETS.total),
          reference?.shipped ? `${kb(reference.shipped.gzip)} (${reference.shipped.files} files)` : "–",
          ratio(reference?.shipped?.gzip, sizes.total),
        ],
        [
          "first page: entry + static imports (gzip)",
          kb(sizes.firstPage),
          "≤ 80 KB",
          met(sizes.firstPage, BUDGETS.firstPage),
          reference ? `${kb(reference.index.gzip)} (what index.html loads)` : "–",
          ratio(reference?.index.gzip, sizes.firstPage),
        ],
        [
          "first page as fetched by Chromium (JS+CSS, gzip)",
          kb(observed.gzip),
          "≤ 80 KB",
          met(observed.gzip, BUDGETS.firstPage),
          reference ? kb(reference.seen.gzip) : "–",
          ratio(reference?.seen.gzip, observed.gzip),
        ],
        [
          `experiment page, ${args.runs.toLocaleString("en-US")} runs: navigation → first row (median of ${times.length})`,
          ms(median(times)),
          "≤ 1 s",
          met(median(times), 1000),
          "",
          "",
        ],
      );
    rows.push(...charts.rows.map((r) => [...r, "", ""]));
    if (pages)
      notes.push(
        `Experiment page loads: ${times.map((t) => t.toFixed(0)).join(", ")} ms — each in a fresh browser context (cold HTTP cache), timed in the page: performance.now() at the first animation frame after row 0 of the runs grid is laid out in the viewport.`,
      );
    notes.push(
      ...charts.notes,
      "Synthetic chart data is generated in the page by src/charts/bench.ts (smoothing 0.6, min/max bands on) and handed whole to the chart, as if a whole history arrived; the real chart gets at most 500 points a run from metrics/buckets (2,500 when zoomed) and decimates whatever arrives to one cell per pixel column.",
    );
    if (pages)
      notes.push(
        "Sizes are gzip level 9 of the decoded files (the server sends the build's precompressed .br/.gz). The reference's figures are the same measure on its static files.",
      );
  } finally {
    await browser.close();
    for (const s of Object.values(servers)) await stopServer(s, { graceMs: 2000 });
    log("servers and browser stopped");
  }

  const date = new Date().toISOString().slice(0, 10);
  const table = [
    "| figure | tracklite | budget | | reference MLflow UI | ratio (ref ÷ tracklite) |",
    "|---|---:|---|---|---:|---:|",
    ...rows.map((r) => `| ${r.join(" | ")} |`),
  ].join("\n");
  console.log(`\n${table}\n`);
  const cpu = /model name\s*:\s*(.*)/.exec(readFileSync("/proc/cpuinfo", "utf8"))?.[1] ?? "?";
  const md = [
    `# tracklite web UI — ${date}`,
    "",
    `Produced by \`node bench/ui.mjs${process.argv.slice(2).length ? ` ${process.argv.slice(2).join(" ")}` : ""}\` in ${((performance.now() - t0) / 1000).toFixed(0)} s. Budgets from issue 7; the two size budgets are also checked by apps/ui/src/budget.test.ts in \`npm test\`.`,
    "",
    table,
    "",
    "## Notes",
    "",
    ...notes.map((n) => `- ${n}`),
    "",
    "## Machine",
    "",
    `- nproc ${os.availableParallelism()}, ${cpu}, Node ${process.version}, ${chromiumVersion()} (headless, ${VIEWPORT.width}×${VIEWPORT.height})`,
    `- load average at the start: ${loadavgStart.map((x) => x.toFixed(2)).join(" ")}; at the end: ${os
      .loadavg()
      .map((x) => x.toFixed(2))
      .join(" ")}`,
    "",
  ].join("\n");
  mkdirSync(join(ROOT, "bench/results"), { recursive: true });
  const out = join(ROOT, "bench/results", `${date}-ui${args.only ? `-${args.only}` : ""}.md`);
  writeFileSync(out, md);
  log(`wrote ${out}`);
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
