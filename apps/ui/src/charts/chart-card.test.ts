// @vitest-environment happy-dom
import { describe, expect, it } from "vitest";
import "./chart-card.js";
import type { TlChartCard } from "./chart-card.js";

const card = (props: Partial<TlChartCard>) => Object.assign(document.createElement("tl-chart-card"), props);

describe("<tl-chart-card>: which kind it draws", () => {
  it("asks the probe for a default metric card, and draws system metrics as lines at once", () => {
    expect(card({ metricKey: "accuracy" }).kind()).toBeUndefined();
    expect(card({ metricKey: "accuracy", probe: { single: true, last: new Map([["r1", 0.9]]) } }).kind()).toBe("bar");
    expect(card({ metricKey: "loss", probe: { single: false, last: new Map([["r1", 0.1]]) } }).kind()).toBe("line");
    // A metric no run has is not a bar chart of nothing.
    expect(card({ metricKey: "gone", probe: { single: true, last: new Map() } }).kind()).toBe("line");
    expect(card({ metricKey: "system/cpu_utilization_percentage" }).kind()).toBe("line");
  });

  it("follows the card's own choice, and an added chart's kind", () => {
    const probe = { single: true, last: new Map([["r1", 0.9]]) };
    expect(card({ metricKey: "accuracy", probe, override: { k: "line" } }).kind()).toBe("line");
    expect(card({ metricKey: "system/gpu", override: { k: "bar" } }).kind()).toBe("bar");
    expect(card({ spec: { i: "c1", k: "contour" } }).kind()).toBe("contour");
  });

  it("carries its key for the board, and takes a whole row for tables and image grids", async () => {
    const el = card({ spec: { i: "c2", k: "difference" } });
    document.body.append(el);
    await el.updateComplete;
    expect(el.dataset.key).toBe("c2");
    expect(el.hasAttribute("wide")).toBe(true);
    el.remove();
  });
});
