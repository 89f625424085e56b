/**
 * chart-scale: run colours, system metrics on wall time, the last wall-time tick label, parallel-coordinates defaults,
 * the run-name column, and scale where MLflow's UI breaks: runs with 3,000 metric keys (mlflow/mlflow#22489, #24012)
 * and a runs table with 12,000 param/metric columns (#11927). The scale tests print what they measure (time to first
 * chart, to scroll); no assertion is on a time.
 */
import type { Page } from "playwright-core";
import { expect, test } from "vitest";
import { e2eSuite, see, seed } from "./harness.js";

/** What seed.py's seed_scale() logged (experiment `scale/wide`). */
interface ScaleSeed {
  experiment: string;
  runs: string[];
  names: string[];
  metric_keys: number;
  params_per_run: number;
  last_metric: string;
  last_param: string;
}
const scale = () => (seed as unknown as { scale: ScaleSeed }).scale;

/** Prints one measurement into the test output. */
function report(what: string, ms: number) {
  console.log(`[chart-scale] ${what}: ${Math.round(ms)} ms`);
}

/** Milliseconds between two animation frames, a few times: how janky the page is while it scrolls. */
function frameTimes(page: Page, scroll: () => Promise<void>, n = 10): Promise<number[]> {
  return (async () => {
    const out: number[] = [];
    for (let i = 0; i < n; i++) {
      await scroll();
      out.push(
        await page.evaluate(
          () =>
            new Promise<number>((done) => {
              const t0 = performance.now();
              requestAnimationFrame(() => requestAnimationFrame(() => done(performance.now() - t0)));
            }),
        ),
      );
    }
    return out;
  })();
}

/**
 * In-page helpers for timing without Playwright's locators (which, over 3,000 shadow roots, cost more than what is
 * timed): `tlCards()` lists the chart cards in order (chart-builder's `<tl-chart-card>`s, or the `<tl-metric-chart>`s
 * themselves), each with its key and the line chart it has mounted, if any.
 */
const HELPERS = `
window.tlDeep = (root, sel) => {
  const hit = root.querySelector(sel);
  if (hit) return hit;
  for (const el of root.querySelectorAll("*")) {
    const found = el.shadowRoot ? window.tlDeep(el.shadowRoot, sel) : null;
    if (found) return found;
  }
  return null;
};
window.tlCards = () => {
  const charts = window.tlDeep(document, "tl-metric-charts");
  const grid = charts && charts.shadowRoot && charts.shadowRoot.querySelector("tl-chart-grid");
  if (grid)
    return [...grid.shadowRoot.querySelectorAll("tl-chart-card")].map((card) => ({
      key: card.dataset.key,
      el: card,
      chart: () => card.shadowRoot && card.shadowRoot.querySelector("tl-metric-chart"),
    }));
  return [...(charts && charts.shadowRoot ? charts.shadowRoot.querySelectorAll("tl-metric-chart") : [])].map((c) => ({
    key: c.metricKey,
    el: c,
    chart: () => c,
  }));
};
window.tlDrawn = (card) => {
  const c = card.chart();
  return !!(c && c.shadowRoot && c.shadowRoot.querySelector("canvas"));
};
`;

/** What HELPERS puts on window. */
interface CardsWindow {
  t0: number;
  tlCards(): { key: string; el: HTMLElement; chart(): HTMLElement | null }[];
  tlDrawn(card: { chart(): HTMLElement | null }): boolean;
}

e2eSuite("chart-scale: colours, axes, parallel coordinates, the name column and 3,000 keys", (ui) => {
  const exp = () => seed.experiments["team/vision"]!;
  const chart = (key: string) =>
    ui.page.locator("tl-metric-chart", { has: ui.page.locator(".title", { hasText: new RegExp(`^${key}$`) }) });
  /** Scrolls a metric's chart into view (with chart-builder's cards, the card: it mounts its chart once in view). */
  const reveal = (key: string) =>
    ui.page.locator(`tl-chart-card[data-key="${key}"]`).or(chart(key)).first().scrollIntoViewIfNeeded();

  test("the charted runs get distinct colours, the same in the table and the legends", async () => {
    await ui.goto(`/experiments/${exp()}`);
    const page = ui.page;
    const rows = page.locator("tl-runs-table .row");
    await rows.first().waitFor();
    // The runs the charts show (their eye is open) and their swatch colours.
    const charted = await rows.evaluateAll((els) =>
      els
        .filter((r) => r.querySelector('button[data-act="hide"].on'))
        .map((r) => ({
          name: r.querySelector("a.nm")?.textContent ?? "",
          color: getComputedStyle(r.querySelector(".swatch") as Element).backgroundColor,
        })),
    );
    expect(charted.length).toBeGreaterThanOrEqual(4);
    expect(new Set(charted.map((c) => c.color)).size).toBe(charted.length);

    await page.getByRole("tab", { name: "Charts" }).click();
    const legend = chart("train/loss").locator("tl-chart-legend");
    await see(legend).toContain("resnet-baseline");
    const legendColors = await legend.evaluate((el) =>
      [...(el.shadowRoot?.querySelectorAll(".sw") ?? [])].map((s) => getComputedStyle(s).backgroundColor),
    );
    const tableColors = new Set(charted.map((c) => c.color));
    for (const c of legendColors) expect(tableColors.has(c), `legend colour ${c} is a table swatch`).toBe(true);
    expect(new Set(legendColors).size).toBe(legendColors.length);
    await ui.shot("chart-scale-colours");
  });

  test("system metrics are drawn over wall time, the others over steps; the last time label is not cut", async () => {
    await ui.goto(`/experiments/${exp()}?tab=charts`);
    const page = ui.page;
    const sys = chart("system/cpu_utilization_percentage");
    await reveal("system/cpu_utilization_percentage");
    await sys.locator("canvas").first().waitFor();
    await see(sys.locator(".x-note")).toBe("wall time");
    expect(await chart("train/loss").locator(".x-note").count()).toBe(0);
    expect(ui.query().get("cx")).toBeNull();

    // The cursor reads a date on the system chart.
    const over = sys.locator(".u-over");
    const box = (await over.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2);
    await see(sys.locator("tl-chart-legend")).toMatch(/\d{1,2}:\d{2}:\d{2}/);
    await ui.shot("chart-scale-system-wall-time");

    // Every x tick label of the wall-time chart lies inside the canvas (the last one was cut off).
    const labels = await sys.evaluate((el) => {
      const u = (
        el as unknown as {
          plot: {
            u: {
              axes: { _values?: string[]; _splits?: number[] }[];
              valToPos(v: number, s: string): number;
              bbox: { left: number };
              width: number;
              ctx: CanvasRenderingContext2D;
            };
          };
        }
      ).plot.u;
      const axis = u.axes[0] ?? {};
      const ctx = document.createElement("canvas").getContext("2d") as CanvasRenderingContext2D;
      ctx.font = "11px system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";
      const left = u.bbox.left / devicePixelRatio;
      return (axis._splits ?? []).map((v, i) => {
        const text = String(axis._values?.[i] ?? "");
        const width = Math.max(...text.split("\n").map((l) => ctx.measureText(l).width));
        const x = left + u.valToPos(v, "x");
        return { text, right: x + width / 2, canvas: u.width };
      });
    });
    expect(labels.length).toBeGreaterThan(1);
    for (const l of labels) expect(l.right, `tick label ${l.text}`).toBeLessThanOrEqual(l.canvas);

    // Choosing wall time for the page keeps them there; relative time moves them too.
    await page.getByRole("combobox", { name: "X axis" }).selectOption("relative");
    await expect.poll(() => sys.locator(".x-note").count()).toBe(0);
  });

  test("parallel coordinates start with the params that vary and the main metrics; titles neither overlap nor are cut", async () => {
    const runs = ["resnet-baseline", "resnet-wide", "sweep-trial-1", "sweep-trial-2"];
    await ui.goto(`/compare?runs=${runs.map((n) => seed.runs[n]).join(",")}`);
    const parallel = ui.page.getByRole("img", { name: /^Parallel coordinates of \d+ columns$/ });
    await parallel.scrollIntoViewIfNeeded();
    await parallel.locator("path.run").first().waitFor();
    const titles = await parallel.locator("text.label").evaluateAll((els) => {
      const svg = els[0]?.closest("svg")?.getBoundingClientRect();
      return els.map((t) => {
        const b = t.getBoundingClientRect();
        return {
          text: t.childNodes[0]?.textContent ?? "",
          full: t.querySelector("title")?.textContent ?? "",
          left: b.left - (svg?.left ?? 0),
          right: b.right - (svg?.left ?? 0),
          top: Math.round(b.top),
          width: svg?.width ?? 0,
        };
      });
    });
    const keys = titles.map((t) => t.full);
    // The params that vary first (epochs: the sweep's trials lack it), then result metrics; no system metric.
    expect(keys.slice(0, 4)).toEqual([
      "Parameter batch_size",
      "Parameter epochs",
      "Parameter lr",
      "Parameter optimizer",
    ]);
    expect(keys.slice(4)).toEqual(["Metric val/accuracy", "Metric train/loss"]);
    expect(keys.some((k) => k.includes("system/"))).toBe(false);
    for (const t of titles) {
      expect(t.left, `${t.text} starts inside the chart`).toBeGreaterThanOrEqual(0);
      expect(t.right, `${t.text} ends inside the chart`).toBeLessThanOrEqual(t.width);
    }
    for (const a of titles)
      for (const b of titles)
        if (a !== b && a.top === b.top)
          expect(a.right <= b.left || b.right <= a.left, `${a.text} / ${b.text}`).toBe(true);
    await ui.shot("chart-scale-parallel");
  });

  test("the run-name column fits the names (a sweep's names are not cut to one prefix)", async () => {
    const s = scale();
    await ui.goto(`/experiments/${s.experiment}`);
    const names = ui.page.locator("tl-runs-table .row a.nm");
    await names.first().waitFor();
    const shown = await names.evaluateAll((els) =>
      els.map((a) => ({ text: a.textContent ?? "", cut: a.scrollWidth > a.clientWidth })),
    );
    expect(shown.map((n) => n.text).sort()).toEqual([...s.names].sort());
    for (const n of shown) expect(n.cut, `${n.text} is cut`).toBe(false);
    await ui.shot("chart-scale-name-column");
  });

  test("3,000 metric keys: a chart each, drawn as they come into view, every key reachable", async () => {
    const s = scale();
    const page = ui.page;
    await ui.goto(`/experiments/${s.experiment}`);
    await page.locator("tl-runs-table .row").first().waitFor();
    // Timed in the page: Playwright's own locators over 3,000 shadow roots would cost more than what is measured.
    await page.evaluate(HELPERS);
    await page.evaluate(() => {
      (window as unknown as CardsWindow).t0 = performance.now();
    });
    await page.getByRole("tab", { name: "Charts" }).click();
    report(
      `time to first chart (${s.metric_keys} metric keys, ${s.runs.length} runs)`,
      await page.evaluate(async () => {
        const w = window as unknown as CardsWindow;
        // The first chart drawn is among the first cards: only those are looked at.
        while (!w.tlCards().slice(0, 30).some(w.tlDrawn)) await new Promise((r) => setTimeout(r, 20));
        return performance.now() - w.t0;
      }),
    );
    await see(page.locator("tl-metric-charts button.sec-head")).toBe(`Metrics ${s.metric_keys}`);

    // Every key has its card, in order; only those near the viewport have fetched and drawn.
    const keys = await page.evaluate(() => (window as unknown as CardsWindow).tlCards().map((c) => c.key));
    expect(keys).toEqual(Array.from({ length: s.metric_keys }, (_, k) => `loss_${String(k).padStart(4, "0")}`));
    const drawn = await page.evaluate(() => {
      const w = window as unknown as CardsWindow;
      return w.tlCards().filter(w.tlDrawn).length;
    });
    expect(drawn).toBeGreaterThan(0);
    expect(drawn).toBeLessThan(100);

    // Scrolling: frame times while wheeling down, then a jump to the last key until it is drawn (timed in the page).
    const frames = await frameTimes(page, () => page.mouse.wheel(0, 1200));
    report("median frame while scrolling 3,000 charts", frames.sort((a, b) => a - b)[frames.length >> 1] ?? 0);
    report("slowest frame while scrolling 3,000 charts", Math.max(...frames));
    report(
      `jump to the last chart (${s.last_metric}) until it is drawn`,
      await page.evaluate(async (key) => {
        const w = window as unknown as CardsWindow;
        const last = w.tlCards().find((c) => c.key === key);
        if (!last) throw new Error(`no chart for ${key}`);
        const t0 = performance.now();
        last.el.scrollIntoView({ block: "center" });
        while (!w.tlDrawn(last)) await new Promise((r) => setTimeout(r, 20));
        return performance.now() - t0;
      }, s.last_metric),
    );
    const last = chart(s.last_metric);
    for (const name of s.names) await see(last.locator("tl-chart-legend")).toContain(name);
    await ui.shot("chart-scale-3000-keys");
  });

  test("12,000 param/metric columns: every key reachable from the column chooser, the grid scrolls to the last", async () => {
    const s = scale();
    const page = ui.page;
    await ui.goto(`/experiments/${s.experiment}`);
    await page.locator("tl-runs-table .row").first().waitFor();
    const total = s.metric_keys + s.params_per_run * s.runs.length;
    await page.getByRole("button", { name: /^Columns/ }).click();
    const panel = page.getByRole("dialog", { name: "Choose columns" });
    await see(panel.locator("h3.g-metrics")).toMatch(new RegExp(`^metrics \\(${s.metric_keys}\\)$`, "i"));
    await see(panel.locator("h3.g-params")).toMatch(
      new RegExp(`^params \\(${s.params_per_run * s.runs.length}\\)$`, "i"),
    );

    // The last key, found by searching, becomes a column.
    await panel.getByRole("searchbox", { name: "Search column keys" }).fill(s.last_param);
    await panel.getByRole("checkbox", { name: s.last_param }).check();
    await expect.poll(() => ui.query().getAll("col")).toContain(`params.${s.last_param}`);
    // It is the table's last column: scrolled to, its header shows.
    await page.keyboard.press("Escape");
    await page.locator("tl-runs-table .scroller").evaluate((el) => {
      el.scrollLeft = el.scrollWidth;
    });
    await see(page.locator("tl-runs-table .th", { hasText: s.last_param })).toContain(s.last_param);
    await page.getByRole("button", { name: /^Columns/ }).click();

    // All of them at once (then the runs' mlflow.* tags out again: they would come last).
    const search = panel.getByRole("searchbox", { name: "Search column keys" });
    await search.fill("");
    const t0 = Date.now();
    await panel.getByRole("button", { name: /^Add all/ }).click();
    await expect.poll(() => ui.query().getAll("col").length, { timeout: 60_000 }).toBeGreaterThan(total);
    await page.locator("tl-runs-table .th").first().waitFor();
    report(`show all ${total.toLocaleString("en-US")} param/metric columns (and the tags)`, Date.now() - t0);
    await search.fill("mlflow.");
    await panel.getByRole("button", { name: /^Remove all/ }).click();
    await expect.poll(() => ui.query().getAll("col").length, { timeout: 60_000 }).toBe(total);
    await search.fill("");
    await see(panel.locator(".matching")).toContain(`${total.toLocaleString("en-US")} of`);
    await page.keyboard.press("Escape");

    // The grid scrolls to its last column (the last key added: the search's pick came earlier), timed in the page.
    const cols = ui.query().getAll("col");
    const lastKey = (cols[cols.length - 1] ?? "").replace(/^params\./, "");
    const grid = page.locator("tl-runs-table .scroller");
    report(
      "scroll the grid to its last column until its header is drawn",
      await grid.evaluate(async (el, key) => {
        const t0 = performance.now();
        el.scrollLeft = el.scrollWidth;
        const root = el.getRootNode() as ShadowRoot;
        const drawn = () => [...root.querySelectorAll(".th")].some((th) => th.textContent?.includes(key));
        while (!drawn()) await new Promise((r) => setTimeout(r, 10));
        return performance.now() - t0;
      }, lastKey),
    );
    const lastHeader = page.locator("tl-runs-table .th", { hasText: lastKey });
    await lastHeader.waitFor();
    // The group label of 9,000 params stays on screen beside the run names, far from where the group starts.
    const groupLabel = page.locator("tl-runs-table .group.g-params .glabel");
    await see(groupLabel).toBe("Params");
    const labelBox = (await groupLabel.boundingBox())!;
    const gridBox = (await grid.boundingBox())!;
    expect(labelBox.x).toBeGreaterThan(gridBox.x);
    expect(labelBox.x + labelBox.width).toBeLessThan(gridBox.x + gridBox.width);
    const frames = await frameTimes(page, () => page.mouse.wheel(-2000, 0));
    report(
      "median frame while scrolling 12,000 columns sideways",
      frames.sort((a, b) => a - b)[frames.length >> 1] ?? 0,
    );
    // The run that has the last key shows its value in its row's last cell.
    await grid.evaluate((el) => {
      el.scrollLeft = el.scrollWidth;
    });
    const beta = page.locator("tl-runs-table .row", { hasText: s.names[1] ?? "" });
    await see(beta.locator(".cell").last()).toBe(String(Number(lastKey.split("_")[1])));
    await ui.shot("chart-scale-12000-columns");
  });
});
