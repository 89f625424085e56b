// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from "vitest";
import { mount } from "../dom.test-helpers.js";
import "./metric-chart.js";
import type { TlMetricChart } from "./metric-chart.js";
import { DEFAULT_CHART_SETTINGS } from "./settings.js";

afterEach(() => {
  document.body.innerHTML = "";
});

const note = (el: TlMetricChart) => el.shadowRoot?.querySelector(".x-note")?.textContent?.trim();

describe("<tl-metric-chart> x axis", () => {
  const runs = [{ runId: "r1", name: "first", color: "#0072b2" }];

  it("marks a system metric drawn on wall time where the page says step", async () => {
    const el = await mount<TlMetricChart>("tl-metric-chart", {
      runs,
      metricKey: "system/cpu_utilization_percentage",
      settings: DEFAULT_CHART_SETTINGS,
    });
    expect(note(el)).toBe("wall time");
  });

  it("draws the page's axis for other metrics, and for a system metric whose axis was chosen (exactX)", async () => {
    const loss = await mount<TlMetricChart>("tl-metric-chart", {
      runs,
      metricKey: "train/loss",
      settings: DEFAULT_CHART_SETTINGS,
    });
    expect(note(loss)).toBeUndefined();
    const sys = await mount<TlMetricChart>("tl-metric-chart", {
      runs,
      metricKey: "system/cpu_utilization_percentage",
      settings: DEFAULT_CHART_SETTINGS,
      exactX: true,
    });
    expect(note(sys)).toBeUndefined();
  });

  it("lays an off-screen chart out at its own height (heading, plot and legend)", async () => {
    const el = await mount<TlMetricChart>("tl-metric-chart", {
      runs,
      metricKey: "train/loss",
      settings: DEFAULT_CHART_SETTINGS,
      height: 150,
    });
    expect(el.style.containIntrinsicSize).toMatch(/^auto \d+px$/);
    const px = Number(/(\d+)px/.exec(el.style.containIntrinsicSize)?.[1]);
    expect(px).toBeGreaterThan(150 + 24);
  });
});
