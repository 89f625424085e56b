/**
 * The chart half of `bench/ui.mjs` (issue 18): line charts of many runs and long histories in headless Chromium.
 * - in the page, synthetic data handed whole to one chart (src/charts/bench.ts): 100 runs × 2,500 and × 100,000
 *   points, x = step and x = wall time (every run its own x); 1,000 runs × 2,500 points; prepare (alignment,
 *   decimation, smoothing) + draw, and the redraws of interaction (highlighting a run, moving the cursor);
 * - on a real server seeded with log-batch: the embed chart page of 100 runs × 100,000 points (the chart fetches
 *   metrics/buckets and draws), navigation → drawn, the fetch and the chart's own prepare + draw from its
 *   `tl-chart-drawn` event; and 1,000 runs on one chart, hovered (cursor + legend values) and a legend row hovered
 *   (the run highlighted: a full redraw), each timed to the next frame.
 */
import { performance } from "node:perf_hooks";
import { median, parallel } from "./load.mjs";

const VIEWPORT = { width: 1280, height: 800 };
const KEY = "train/loss";

/** One call of the page's chart bench hook in a fresh context. */
async function hook(browser, baseUrl, opts) {
  const context = await browser.newContext({ viewport: VIEWPORT });
  const page = await context.newPage();
  await page.goto(`${baseUrl}/#/embed/chart?bench=1`);
  await page.waitForFunction(() => typeof window.__tlChartBench === "function", null, { timeout: 120_000 });
  const r = await page.evaluate((o) => window.__tlChartBench(o), opts);
  await context.close();
  return r;
}

/**
 * `runs` runs of one experiment, each with `points` points of KEY logged 1,000 a log-batch (8 requests in flight): a
 * falling curve with noise and a spike every 9,973 steps (what decimation must keep).
 */
async function seed(api, runs, points, log) {
  const { experiment_id: exp } = await api.post("experiments/create", { name: `bench-ui-chart-${runs}x${points}` });
  const t0 = performance.now();
  const T0 = Date.now() - points * 100;
  const ids = new Array(runs);
  await parallel(runs, 16, async (i) => {
    const { run } = await api.post("runs/create", { experiment_id: exp, run_name: `run-${i}`, start_time: T0 });
    ids[i] = run.info.run_id;
  });
  const per = Math.ceil(points / 1000);
  await parallel(runs * per, 8, async (j) => {
    const r = Math.floor(j / per);
    const from = (j % per) * 1000;
    const metrics = [];
    for (let s = from; s < Math.min(points, from + 1000); s++) {
      const noise = ((s * 2654435761 + r * 40503) % 1000) / 1000;
      const value = s % 9973 === r % 9973 ? 5 : 2 * Math.exp(-s / (points / 4)) + 0.05 * noise + r * 0.001;
      metrics.push({ key: KEY, value, timestamp: T0 + s * 100 + r, step: s });
    }
    await api.post("runs/log-batch", { run_id: ids[r], metrics });
  });
  const s = (performance.now() - t0) / 1000;
  log(`seeded ${runs} runs × ${points.toLocaleString("en-US")} points in ${s.toFixed(0)} s`);
  return ids;
}

/**
 * Records every `tl-chart-drawn` from the start of the page (the chart may draw before anyone asks), and keeps every
 * resource timing (the default buffer of 250 fills with the embed page's get-run calls before the buckets arrive).
 */
const LISTEN = `performance.setResourceTimingBufferSize(100000); window.__tlDrawn = []; document.addEventListener("tl-chart-drawn", (e) => {
  window.__tlDrawn.push({ at: performance.now(), ...e.detail });
});`;

/** The embed chart of `ids`, `loads` cold loads after a warm-up: navigation → drawn, the buckets fetch, prepare + draw. */
async function embedLoads(browser, baseUrl, ids, loads, log) {
  const out = [];
  for (let k = 0; k <= loads; k++) {
    const context = await browser.newContext({ viewport: VIEWPORT });
    await context.addInitScript(LISTEN);
    const page = await context.newPage();
    await page.goto(`${baseUrl}/#/embed/chart?key=${encodeURIComponent(KEY)}&runs=${ids.join(",")}`);
    await page.waitForFunction(() => window.__tlDrawn.length > 0, null, { timeout: 300_000, polling: 50 });
    // The frame after the draw: the canvas is on screen.
    const r = await page.evaluate(async () => {
      await new Promise((res) => requestAnimationFrame(() => res()));
      const d = window.__tlDrawn[0];
      const fetches = performance.getEntriesByType("resource").filter((e) => e.name.includes("/metrics/buckets"));
      const fetchMs = fetches.length
        ? Math.max(...fetches.map((e) => e.responseEnd)) - Math.min(...fetches.map((e) => e.startTime))
        : 0;
      return { ...d, fetchMs, shownMs: performance.now() };
    });
    if (k > 0) out.push(r);
    log(
      `  load ${k}${k === 0 ? " (warm-up)" : ""}: shown after ${r.shownMs.toFixed(0)} ms (buckets fetch ${r.fetchMs.toFixed(0)} ms, prepare ${r.prepareMs.toFixed(1)} ms, draw ${r.drawMs.toFixed(1)} ms; ${r.points.toLocaleString("en-US")} points in, ${r.cells} cells)`,
    );
    if (k === loads) {
      const interaction = await interact(page);
      await context.close();
      return { loads: out, interaction };
    }
    await context.close();
  }
  return { loads: out };
}

/**
 * On the page's one chart: mousemoves across the plot (uPlot's cursor, the legend's values for every run) and hovers
 * of legend rows (the run highlighted, the others dimmed: every line redrawn), each timed to the second frame after
 * the event (Lit renders the legend in a microtask, the canvas at the next frame). Medians of 7.
 */
async function interact(page) {
  return page.evaluate(async () => {
    const find = (root, sel) => {
      const hit = root.querySelector(sel);
      if (hit) return hit;
      for (const el of root.querySelectorAll("*")) {
        const f = el.shadowRoot && find(el.shadowRoot, sel);
        if (f) return f;
      }
      return null;
    };
    const chart = find(document, "tl-metric-chart");
    const over = chart.shadowRoot.querySelector(".u-over");
    const legend = chart.shadowRoot.querySelector("tl-chart-legend");
    const frames = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r())));
    const med = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
    const box = over.getBoundingClientRect();
    const hover = [];
    for (let k = 0; k < 7; k++) {
      const t0 = performance.now();
      over.dispatchEvent(
        new MouseEvent("mousemove", {
          clientX: box.left + ((k + 0.5) * box.width) / 7,
          clientY: box.top + box.height / 2,
          bubbles: true,
        }),
      );
      await frames();
      hover.push(performance.now() - t0);
    }
    over.dispatchEvent(new MouseEvent("mouseleave", { bubbles: true }));
    await frames();
    const focus = [];
    for (let k = 0; k < 7; k++) {
      const rows = legend.shadowRoot.querySelectorAll(".row");
      const row = rows[k % rows.length];
      const t0 = performance.now();
      row.dispatchEvent(new MouseEvent("mouseenter"));
      await frames();
      focus.push(performance.now() - t0);
      legend.shadowRoot.querySelector(".scroll").dispatchEvent(new MouseEvent("mouseleave"));
      await frames();
    }
    return { hoverMs: med(hover), focusMs: med(focus), runs: legend.names.length };
  });
}

const ms = (x) => (x === undefined ? "–" : `${x < 10 ? x.toFixed(1) : Math.round(x)} ms`);
const met = (x, budget) => (x <= budget ? "met" : "**missed**");
const n = (x) => x.toLocaleString("en-US");

/**
 * Every chart measurement; returns table rows (figure, tracklite, budget, met) and notes. `args`: chartRuns,
 * chartPoints, wideRuns, widePoints, seed (false: the synthetic cases only), loads.
 */
export async function chartRows(browser, api, baseUrl, args, log) {
  const rows = [];
  const notes = [];
  const synthetic = [
    { runs: 100, points: 2500, x: "step", repeat: 5 },
    { runs: 100, points: 2500, x: "time", repeat: 5 },
    { runs: 100, points: 100_000, x: "step", repeat: 3 },
    { runs: 100, points: 100_000, x: "time", repeat: 3 },
    { runs: 1000, points: 2500, x: "step", repeat: 3 },
  ];
  for (const o of synthetic) {
    log(`chart (in the page): ${n(o.runs)} runs × ${n(o.points)} points, x = ${o.x}`);
    const r = await hook(browser, baseUrl, o);
    log(
      `  prepare ${ms(r.prepareMs)} + draw ${ms(r.drawMs)}; next frame ${ms(r.toFrameMs)}; ${n(r.alignedPoints)} cells; highlight a run ${ms(r.focusMs)}, cursor move ${ms(r.hoverMs)}`,
    );
    const what = o.x === "step" ? "x = step" : "x = wall time (every run its own x)";
    rows.push([
      `chart, ${n(o.runs)} runs × ${n(o.points)} points handed whole to the chart, ${what}: prepare + draw (median of ${o.repeat})`,
      ms(r.totalMs),
      o.runs <= 100 ? "≤ 100 ms" : "interactive",
      o.runs <= 100 ? met(r.totalMs, 100) : "",
    ]);
    if (o.runs > 100)
      rows.push([
        `chart, ${n(o.runs)} runs: highlight one run (full redraw, rasterised) / cursor move to next frame`,
        `${ms(r.focusMs)} / ${ms(r.hoverMs)}`,
        "interactive (≤ 100 ms)",
        met(Math.max(r.focusMs, r.hoverMs), 100),
      ]);
    notes.push(
      `In the page, ${n(o.runs)} × ${n(o.points)}, x = ${o.x}: prepare (alignment, decimation, smoothing 0.6) ${ms(r.prepareMs)}, uPlot draw (bands, lines, axes; rasterised) ${ms(r.drawMs)}, to the next frame ${ms(r.toFrameMs)}, ${n(r.alignedPoints)} x cells drawn; highlight a run ${ms(r.focusMs)}, cursor move ${ms(r.hoverMs)}.`,
    );
  }
  if (!args.seed) return { rows, notes };

  for (const [runs, points, label] of [
    [args.chartRuns, args.chartPoints, "long histories"],
    [args.wideRuns, args.widePoints, "many runs"],
  ]) {
    if (!(runs > 0 && points > 0)) continue;
    log(`seeding ${runs} runs × ${n(points)} points (log-batch) for the embed chart (${label})`);
    const ids = await seed(api, runs, points, log);
    log(`embed chart of ${runs} runs: ${args.loads} cold loads after a warm-up`);
    const { loads, interaction } = await embedLoads(browser, baseUrl, ids, args.loads, log);
    const shown = median(loads.map((l) => l.shownMs));
    const fetch = median(loads.map((l) => l.fetchMs));
    const prep = median(loads.map((l) => l.prepareMs));
    const draw = median(loads.map((l) => l.drawMs));
    rows.push([
      `embed chart page, ${n(runs)} runs × ${n(points)} points (seeded): navigation → chart shown (median of ${loads.length})`,
      ms(shown),
      "",
      "",
    ]);
    rows.push([
      `… of which the chart's prepare + draw of what metrics/buckets sent (${n(loads[0]?.points ?? 0)} points)`,
      ms(prep + draw),
      "≤ 100 ms",
      met(prep + draw, 100),
    ]);
    if (interaction)
      rows.push([
        `embed chart, ${n(runs)} runs: cursor move (legend values) / legend hover (run highlighted) to the frame after`,
        `${ms(interaction.hoverMs)} / ${ms(interaction.focusMs)}`,
        "interactive (≤ 100 ms)",
        met(Math.max(interaction.hoverMs, interaction.focusMs), 100),
      ]);
    notes.push(
      `Embed chart, ${n(runs)} runs × ${n(points)} points seeded with log-batch: loads shown after ${loads.map((l) => l.shownMs.toFixed(0)).join(", ")} ms (fresh browser context each, after a warm-up); metrics/buckets fetch ${ms(fetch)} (the server's share, all ${Math.ceil(runs / 100)} requests), chart prepare ${ms(prep)} + draw ${ms(draw)} (from its tl-chart-drawn event), ${n(loads[0]?.cells ?? 0)} x cells.`,
    );
  }
  return { rows, notes };
}
