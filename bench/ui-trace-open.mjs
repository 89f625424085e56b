#!/usr/bin/env node
/**
 * `node bench/ui-trace-open.mjs --url http://127.0.0.1:5000 --trace tr-… [--loads 5] [--experiment ID]`
 *
 * The trace view's open time in headless Chromium (issue 13's goal: ≤ 1 s for a 50,000-span trace): for each of N
 * cold loads (a fresh browser context), navigation → the span tree's first frame with rows, read from the mark the
 * tree sets (`tl-span-tree-drawn`, a `performance.mark` whose time counts from the navigation's start; where whole spans
 * are streamed, it is the first screen of rows), and → every span in (`tl-span-tree-complete`). Also prints where
 * the time went: the span-tree (or `traces/get`, `get-trace-artifact`) download as the browser's resource timing saw it.
 * The server must serve the UI at `/` (tracklite does; for another server, point --url at `npx vite` in apps/ui with
 * TRACKLITE_API set). The experiment id is read from the trace's info when not given. Nothing here asserts.
 */
import { chromium } from "playwright-core";
import { CHROMIUM_FLAGS, CHROMIUM_PATH } from "../apps/ui/scripts/chromium.mjs";

/** Set by the span tree: its first frame with rows (spans still streaming in), and its first with all of them. */
const MARK = "tl-span-tree-drawn";
const COMPLETE = "tl-span-tree-complete";

function parseArgs(argv) {
  const a = { url: "", trace: "", loads: 5, experiment: "" };
  for (let i = 0; i < argv.length; i++) {
    const x = argv[i];
    if (x === "--url") a.url = String(argv[++i] ?? "").replace(/\/+$/, "");
    else if (x === "--trace") a.trace = String(argv[++i] ?? "");
    else if (x === "--loads") a.loads = Number(argv[++i]);
    else if (x === "--experiment") a.experiment = String(argv[++i] ?? "");
    else if (x === "-h" || x === "--help") {
      console.log(
        "node bench/ui-trace-open.mjs --url http://127.0.0.1:5000 --trace tr-… [--loads 5] [--experiment ID]",
      );
      process.exit(0);
    } else throw new Error(`unknown option ${x}`);
  }
  if (!a.url || !a.trace) throw new Error("--url and --trace are required (see --help)");
  return a;
}

const median = (xs) => {
  const s = [...xs].sort((p, q) => p - q);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

async function experimentOf(url, traceId) {
  const res = await fetch(`${url}/api/3.0/mlflow/traces/${encodeURIComponent(traceId)}`);
  if (!res.ok) throw new Error(`GET traces/${traceId} → ${res.status}: ${await res.text()}`);
  const info = (await res.json()).trace?.trace_info;
  const id = info?.trace_location?.mlflow_experiment?.experiment_id;
  if (!id) throw new Error(`trace ${traceId} has no experiment location`);
  return { id, spans: info?.trace_metadata?.["mlflow.trace.sizeStats"] };
}

/** One cold load: ms from navigation start to the tree's first drawn frame, the download, and the rows drawn. */
async function openOnce(browser, route) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  try {
    await page.goto(route);
    await page.waitForFunction((mark) => performance.getEntriesByName(mark).length > 0, COMPLETE, {
      timeout: 120_000,
      polling: 16,
    });
    return await page.evaluate(
      ([mark, complete]) => {
        const drawn = performance.getEntriesByName(mark)[0]?.startTime ?? Number.NaN;
        const all = performance.getEntriesByName(complete)[0]?.startTime ?? Number.NaN;
        const fetches = performance
          .getEntriesByType("resource")
          .filter((r) => /traces\/get|get-trace-artifact|span-tree/.test(r.name))
          .map((r) => ({ start: r.startTime, end: r.responseEnd, bytes: r.encodedBodySize }));
        const tree = document.querySelector("tl-app")?.shadowRoot?.querySelector("tl-trace-page")?.shadowRoot;
        const rows = tree?.querySelector("tl-span-tree")?.shadowRoot?.querySelectorAll(".row").length ?? 0;
        return { drawn, all, fetches, rows };
      },
      [MARK, COMPLETE],
    );
  } catch (e) {
    throw new Error(`${e.message}${errors.length ? `\npage errors:\n${errors.join("\n")}` : ""}`);
  } finally {
    await context.close();
  }
}

async function main() {
  const a = parseArgs(process.argv.slice(2));
  const exp = a.experiment ? { id: a.experiment } : await experimentOf(a.url, a.trace);
  const route = `${a.url}/#/experiments/${encodeURIComponent(exp.id)}/traces/${encodeURIComponent(a.trace)}`;
  console.log(`trace ${a.trace} (experiment ${exp.id})${exp.spans ? `, size stats ${exp.spans}` : ""}`);
  console.log(`opening ${route} ${a.loads} times, cold, in ${CHROMIUM_PATH}`);
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_FLAGS });
  const times = [];
  const alls = [];
  try {
    for (let i = 0; i < a.loads; i++) {
      const r = await openOnce(browser, route);
      times.push(r.drawn);
      alls.push(r.all);
      const f = r.fetches.at(-1);
      const dl = f
        ? ` · spans fetched ${f.start.toFixed(0)}→${f.end.toFixed(0)} ms (${(f.bytes / 1e6).toFixed(1)} MB)`
        : "";
      console.log(
        `  load ${i + 1}: tree drawn at ${r.drawn.toFixed(0)} ms, complete at ${r.all.toFixed(0)} ms${dl} · ${r.rows} rows in the DOM`,
      );
    }
  } finally {
    await browser.close();
  }
  console.log(
    `navigation → span tree drawn: median ${median(times).toFixed(0)} ms (min ${Math.min(...times).toFixed(0)}, max ${Math.max(...times).toFixed(0)})`,
  );
}

main().catch((e) => {
  console.error(e.message ?? e);
  process.exit(1);
});
