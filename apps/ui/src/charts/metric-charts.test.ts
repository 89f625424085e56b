// @vitest-environment happy-dom
import { describe, expect, it, vi } from "vitest";
import type { TlChartCard } from "./chart-card.js";
import type { TlChartGrid } from "./chart-grid.js";
import "./metric-charts.js";
import type { TlMetricCharts } from "./metric-charts.js";
import type { ChartSettings } from "./settings.js";
import { DEFAULT_CHART_SETTINGS } from "./settings.js";

async function mount(keys: string[], settings: ChartSettings = DEFAULT_CHART_SETTINGS): Promise<TlMetricCharts> {
  const el = document.createElement("tl-metric-charts");
  el.runs = [{ runId: "r1", name: "first", color: "#3b7be8" }];
  el.metricKeys = keys;
  el.settings = settings;
  document.body.append(el);
  await vi.waitFor(() => expect(el.shadowRoot?.querySelector("tl-chart-grid")).not.toBeNull(), { timeout: 5000 });
  const grid = el.shadowRoot?.querySelector("tl-chart-grid") as TlChartGrid;
  await grid.updateComplete;
  return el;
}

const gridOf = (el: TlMetricCharts) => el.shadowRoot?.querySelector("tl-chart-grid") as TlChartGrid;
const cards = (el: TlMetricCharts) => [...gridOf(el).shadowRoot!.querySelectorAll<TlChartCard>("tl-chart-card")];
const heads = (el: TlMetricCharts) =>
  [...gridOf(el).shadowRoot!.querySelectorAll(".sec-head")].map((b) => b.textContent?.replace(/\s+/g, " ").trim());

describe("<tl-metric-charts>", () => {
  it("renders a section per prefix and a card per key", async () => {
    const el = await mount(["val/acc", "loss", "train/loss", "system/cpu"]);
    expect(heads(el)).toEqual(["train/ 1", "val/ 1", "Metrics 1", "system/ 1"]);
    expect(cards(el).map((c) => c.metricKey)).toEqual(["train/loss", "val/acc", "loss", "system/cpu"]);
    el.remove();
  });

  it("collapses a section", async () => {
    const el = await mount(["train/loss", "val/acc"]);
    const grid = gridOf(el);
    (grid.renderRoot.querySelector(".sec-head") as HTMLButtonElement).click();
    await grid.updateComplete;
    expect(grid.shadowRoot?.querySelector(".sec-head")?.getAttribute("aria-expanded")).toBe("false");
    expect(cards(el).map((c) => c.metricKey)).toEqual(["val/acc"]);
    el.remove();
  });

  it("fires settings-change from the toolbar without changing its own settings", async () => {
    const el = await mount(["loss"]);
    const root = el.shadowRoot as ShadowRoot;
    const seen: ChartSettings[] = [];
    el.addEventListener("settings-change", (e) => seen.push(e.detail));
    const select = root.querySelector("select") as HTMLSelectElement;
    select.value = "relative";
    select.dispatchEvent(new Event("change"));
    const log = root.querySelector('input[type="checkbox"]') as HTMLInputElement;
    log.checked = true;
    log.dispatchEvent(new Event("change"));
    const search = root.querySelector('input[type="search"]') as HTMLInputElement;
    search.value = "acc";
    search.dispatchEvent(new Event("input"));
    expect(seen).toEqual([
      { x: "relative", log: false, smoothing: 0 },
      { x: "step", log: true, smoothing: 0 },
      { x: "step", log: false, smoothing: 0, search: "acc" },
    ]);
    expect(el.settings).toBe(DEFAULT_CHART_SETTINGS);
    el.remove();
  });

  it("filters cards by the search, added charts first, in the board's order", async () => {
    const board = JSON.stringify({
      c: [{ i: "c1", k: "scatter", c: ["p:lr", "m:val/acc"] }],
      r: ["val/f1"],
      o: { "val/acc": { k: "line" } },
    });
    const el = await mount(["val/acc", "val/f1", "train/loss"], { ...DEFAULT_CHART_SETTINGS, board });
    expect(heads(el)).toEqual(["Added charts 1", "train/ 1", "val/ 2"]);
    expect(cards(el).map((c) => c.spec?.i ?? c.metricKey)).toEqual(["c1", "train/loss", "val/f1", "val/acc"]);
    expect(cards(el)[3]?.override).toEqual({ k: "line" });
    el.settings = { ...el.settings, search: "ACC" };
    await el.updateComplete;
    await gridOf(el).updateComplete;
    expect(cards(el).map((c) => c.spec?.i ?? c.metricKey)).toEqual(["c1", "val/acc"]);
    expect(heads(el)).toEqual(["Added charts 1", "val/ 1 of 2"]);
    expect(gridOf(el).shadowRoot?.textContent).toContain("2 of 4 charts match");
    el.remove();
  });

  it("a card's actions change the board through settings-change", async () => {
    const el = await mount(["acc"]);
    const seen: ChartSettings[] = [];
    el.addEventListener("settings-change", (e) => seen.push(e.detail));
    const card = cards(el)[0] as TlChartCard;
    card.dispatchEvent(
      new CustomEvent("card-action", {
        detail: { action: "kind", key: "acc", kind: "line" },
        bubbles: true,
        composed: true,
      }),
    );
    expect(seen.at(-1)?.board).toBe('{"o":{"acc":{"k":"line"}}}');
    el.remove();
  });

  it("says so when there are no metrics", async () => {
    const el = await mount([]);
    expect(gridOf(el).shadowRoot?.textContent).toContain("No metrics logged for these runs.");
    el.remove();
  });
});
