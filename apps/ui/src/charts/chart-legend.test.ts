// @vitest-environment happy-dom
import { describe, expect, it } from "vitest";
import "./chart-legend.js";
import { LEGEND_ROW, LEGEND_ROWS, legendHeight } from "./chart-legend.js";

describe("<tl-chart-legend>", () => {
  it("renders only the rows in view and formats values", async () => {
    const el = document.createElement("tl-chart-legend");
    el.names = Array.from({ length: 100 }, (_, i) => `run ${i}`);
    el.colors = el.names.map(() => "#123456");
    el.values = el.names.map((_, i) => (i === 1 ? null : i * 1000));
    el.caption = "Step 5";
    document.body.append(el);
    await el.updateComplete;
    const rows = () =>
      [...(el.shadowRoot?.querySelectorAll(".row") ?? [])].map((r) => r.textContent?.replace(/\s+/g, " ").trim());
    expect(rows()).toEqual([
      "run 0 0",
      "run 1 –",
      "run 2 2000",
      "run 3 3000",
      "run 4 4000",
      "run 5 5000",
      "run 6 6000",
    ]);
    expect(el.shadowRoot?.querySelector(".caption")?.textContent).toBe("Step 5");
    el.top = 90;
    await el.updateComplete;
    expect(rows()[0]).toBe("run 90 90k");
    expect(rows().length).toBe(LEGEND_ROWS + 1);
    el.remove();
  });

  it("fires focus-run on hover and leave", async () => {
    const el = document.createElement("tl-chart-legend");
    el.names = ["a", "b"];
    el.colors = ["#000", "#111"];
    el.values = [1, 2];
    document.body.append(el);
    await el.updateComplete;
    const seen: (number | null)[] = [];
    el.addEventListener("focus-run", (e) => seen.push((e as CustomEvent<number | null>).detail));
    el.shadowRoot?.querySelectorAll(".row")[1]?.dispatchEvent(new Event("mouseenter"));
    el.shadowRoot?.querySelector(".scroll")?.dispatchEvent(new Event("mouseleave"));
    expect(seen).toEqual([1, null]);
    expect(legendHeight(2)).toBe(3 * LEGEND_ROW);
    expect(legendHeight(100)).toBe((LEGEND_ROWS + 1) * LEGEND_ROW);
    el.remove();
  });
});
