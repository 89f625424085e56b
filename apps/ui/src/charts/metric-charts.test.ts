// @vitest-environment happy-dom
import { describe, expect, it } from "vitest";
import "./metric-charts.js";
import type { TlMetricCharts } from "./metric-charts.js";
import type { ChartSettings } from "./settings.js";
import { DEFAULT_CHART_SETTINGS } from "./settings.js";

async function mount(keys: string[]): Promise<TlMetricCharts> {
  const el = document.createElement("tl-metric-charts");
  el.runs = [{ runId: "r1", name: "first", color: "#3b7be8" }];
  el.metricKeys = keys;
  el.settings = DEFAULT_CHART_SETTINGS;
  document.body.append(el);
  await el.updateComplete;
  return el;
}

describe("<tl-metric-charts>", () => {
  it("renders a section per prefix and a chart per key", async () => {
    const el = await mount(["val/acc", "loss", "train/loss", "system/cpu"]);
    const root = el.shadowRoot as ShadowRoot;
    const heads = [...root.querySelectorAll(".sec-head")].map((b) => b.textContent?.replace(/\s+/g, " ").trim());
    expect(heads).toEqual(["train/ 1", "val/ 1", "Metrics 1", "system/ 1"]);
    const charts = [...root.querySelectorAll("tl-metric-chart")].map((c) => c.metricKey);
    expect(charts).toEqual(["train/loss", "val/acc", "loss", "system/cpu"]);
    el.remove();
  });

  it("collapses a section", async () => {
    const el = await mount(["train/loss", "val/acc"]);
    const root = el.shadowRoot as ShadowRoot;
    (root.querySelector(".sec-head") as HTMLButtonElement).click();
    await el.updateComplete;
    expect(root.querySelector(".sec-head")?.getAttribute("aria-expanded")).toBe("false");
    expect([...root.querySelectorAll("tl-metric-chart")].map((c) => c.metricKey)).toEqual(["val/acc"]);
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
    expect(seen).toEqual([
      { x: "relative", log: false, smoothing: 0 },
      { x: "step", log: true, smoothing: 0 },
    ]);
    expect(el.settings).toBe(DEFAULT_CHART_SETTINGS);
    el.remove();
  });

  it("says so when there are no metrics", async () => {
    const el = await mount([]);
    expect(el.shadowRoot?.textContent).toContain("No metrics logged for these runs.");
    el.remove();
  });
});
