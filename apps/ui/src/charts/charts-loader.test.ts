// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from "vitest";
import { mount } from "../dom.test-helpers.js";
import "../run/run-charts.js";
import "../runs/runs-charts.js";
import type { TlMetricCharts } from "./metric-charts.js";
import { DEFAULT_CHART_SETTINGS } from "./settings.js";

afterEach(() => {
  document.body.innerHTML = "";
});

type Host = HTMLElement & { updateComplete: Promise<unknown>; tick: number };

const grid = async (el: Host) => {
  // Two chunks load (the grid and the chart kinds): room for a slow first import.
  await vi.waitFor(() => expect(el.shadowRoot?.querySelector("tl-metric-charts")).not.toBeNull(), { timeout: 5000 });
  return el.shadowRoot?.querySelector("tl-metric-charts") as TlMetricCharts;
};

describe("MetricChartsLoader in <tl-runs-charts> and <tl-run-charts>", () => {
  it("loads the chart grid, then refreshes it when `tick` changes", async () => {
    const el = await mount<Host>("tl-runs-charts", {
      runs: [{ runId: "r1", name: "first", color: "#3b7be8" }],
      metricKeys: ["loss"],
      settings: DEFAULT_CHART_SETTINGS,
      note: "the first 10 runs",
    });
    const g = await grid(el);
    const refresh = vi.spyOn(g, "refresh");
    el.tick = 1;
    await el.updateComplete;
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(el.shadowRoot?.textContent).toContain("the first 10 runs");
  });

  it("draws a single run's charts and re-fires settings changes", async () => {
    const el = await mount<Host>("tl-run-charts", {
      runId: "r1",
      runName: "first",
      keys: ["loss"],
      settings: DEFAULT_CHART_SETTINGS,
    });
    const g = await grid(el);
    expect(g.runs).toEqual([{ runId: "r1", name: "first", color: expect.any(String) }]);
    const seen = vi.fn();
    el.addEventListener("settings-change", seen);
    g.dispatchEvent(new CustomEvent("settings-change", { detail: DEFAULT_CHART_SETTINGS }));
    expect(seen).toHaveBeenCalledTimes(1);
  });
});
