#!/usr/bin/env node
/**
 * `node bench/ui.mjs [--no-build] [--runs N] [--loads N] [--no-reference]`
 *
 * The web UI's budgets from issue 7, measured (nothing here asserts; the size budgets are also a test in `npm test`):
 * - sizes: gzip of all JS+CSS the build ships (≤ 200 KB) and of the first page (≤ 80 KB), with
 *   apps/ui/scripts/sizes.mjs; plus the JS+CSS headless Chromium really fetches to show the experiments list;
 * - the experiment page with 10,000 runs: navigation → first table row visible, median of N cold loads (≤ 1 s);
 * - one chart of 100 runs × 2,500 points: the draw, timed in the page by the charts' own hook (≤ 100 ms);
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

const VIEWPORT = { width: 1280, height: 800 };

function parseArgs(argv) {
  const a = { build: true, runs: 10_000, loads: 5, reference: true };
  for (let i = 0; i < argv.length; i++) {
    const x = argv[i];
    if (x === "--no-build") a.build = false;
    else if (x === "--runs") a.runs = Number(argv[++i]);
    else if (x === "--loads") a.loads = Number(argv[++i]);
    else if (x === "--no-reference") a.reference = false;
    else if (x === "-h" || x === "--help") {
      console.log("node bench/ui.mjs [--no-build] [--runs 10000] [--loads 5] [--no-reference]");
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

async function chartDraw(browser, baseUrl, opts) {
  const context = await browser.newContext({ viewport: VIEWPORT });
  const page = await context.newPage();
  await page.goto(`${baseUrl}/#/embed/chart?bench=1`);
  await page.waitForFunction(() => typeof window.__tlChartBench === "function");
  const r = await page.evaluate((o) => window.__tlChartBench(o), opts);
  await context.close();
  return r;
}

function chromiumVersion() {
  try {
    return execFileSync(CHROMIUM_PATH, ["--version"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return "?";
  }
}

const ms = (x) => (x === undefined ? "–" : `${x < 10 ? x.toFixed(1) : Math.round(x)} ms`);

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
    const observed = await observedFirstPage(browser, `${url}/`, (p) =>
      p.getByRole("table", { name: "Experiments" }).waitFor(),
    );
    log(`tracklite first page as fetched by Chromium: ${kb(observed.gzip)} in ${observed.files} files`);

    const api = new Api(url, 16);
    const exp = await seedRuns(api, args.runs, log);
    await api.close();
    log(`experiment page with ${args.runs.toLocaleString("en-US")} runs: ${args.loads} cold loads after a warm-up`);
    const times = await firstRows(browser, `${url}/#/experiments/${exp}`, args.loads, log);

    log("chart draw: 100 runs × 2,500 points (the charts' bench hook, median of 5 draws)");
    const step = await chartDraw(browser, url, { runs: 100, points: 2500, x: "step", repeat: 5 });
    const time = await chartDraw(browser, url, { runs: 100, points: 2500, x: "time", repeat: 5 });
    log(`  x = step: prepare ${ms(step.prepareMs)} + draw ${ms(step.drawMs)}; next frame ${ms(step.toFrameMs)}`);
    log(`  x = wall time: prepare ${ms(time.prepareMs)} + draw ${ms(time.drawMs)}; next frame ${ms(time.toFrameMs)}`);

    let reference;
    if (args.reference && existsSync(join(VENV, "bin/mlflow"))) {
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
    } else notes.push("The reference MLflow UI was not measured (--no-reference, or no .venvs/mlflow-3).");

    const met = (x, budget) => (x <= budget ? "met" : "**missed**");
    const ratio = (ref, ours) => (ref ? `${(ref / ours).toFixed(1)}×` : "–");
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
      [
        "chart, 100 runs × 2,500 points, x = step: prepare + draw (median of 5)",
        ms(step.totalMs),
        "≤ 100 ms",
        met(step.totalMs, 100),
        "",
        "",
      ],
      [
        "chart, 100 runs × 2,500 points, x = wall time (every run its own x): prepare + draw",
        ms(time.totalMs),
        "≤ 100 ms",
        met(time.totalMs, 100),
        "",
        "",
      ],
    );
    notes.push(
      `Experiment page loads: ${times.map((t) => t.toFixed(0)).join(", ")} ms — each in a fresh browser context (cold HTTP cache), timed in the page: performance.now() at the first animation frame after row 0 of the runs grid is laid out in the viewport.`,
      `Chart draw, x = step: alignment + smoothing ${ms(step.prepareMs)}, uPlot draw (bands, lines, axes; rasterised) ${ms(step.drawMs)}, to the next frame ${ms(step.toFrameMs)}; x = wall time: ${ms(time.prepareMs)} + ${ms(time.drawMs)}, next frame ${ms(time.toFrameMs)}. ${step.alignedPoints.toLocaleString("en-US")} / ${time.alignedPoints.toLocaleString("en-US")} x values after alignment. Synthetic data generated in the page by src/charts/bench.ts (smoothing 0.6, min/max bands on).`,
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
  const out = join(ROOT, "bench/results", `${date}-ui.md`);
  writeFileSync(out, md);
  log(`wrote ${out}`);
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
