// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from "vitest";
import { mount, shadowText as text } from "../dom.test-helpers.js";
import "./metrics-table.js";
import "./params-table.js";

afterEach(() => {
  document.body.innerHTML = "";
});

const filterBy = async (el: HTMLElement & { updateComplete: Promise<unknown> }, value: string) => {
  const input = el.shadowRoot?.querySelector("input[type=search]") as HTMLInputElement;
  input.value = value;
  input.dispatchEvent(new Event("input"));
  await el.updateComplete;
};

describe("tl-params-table / tl-metrics-table", () => {
  it("lists the parameters sorted, filters them and says why none show", async () => {
    const el = await mount<HTMLElement & { updateComplete: Promise<unknown> }>("tl-params-table", {
      params: [
        { key: "lr", value: "0.1" },
        { key: "epochs", value: "3" },
      ],
    });
    expect(el.shadowRoot?.querySelector("input")?.getAttribute("aria-label")).toBe("Filter parameters");
    expect(text(el)).toContain("Parameters (2)");
    expect([...(el.shadowRoot?.querySelectorAll("td.k") ?? [])].map((td) => td.textContent)).toEqual(["epochs", "lr"]);
    await filterBy(el, "zzz");
    expect(text(el)).toContain("No parameter matches the filter.");
    const empty = await mount("tl-params-table", { params: [] });
    expect(text(empty)).toContain("No parameters logged.");
  });

  it("shows each metric's last value with a chart link, and filters", async () => {
    const el = await mount<HTMLElement & { updateComplete: Promise<unknown> }>("tl-metrics-table", {
      metrics: [
        { key: "loss", value: 0.5, step: 9, timestamp: 1 },
        { key: "acc", value: 0.9, step: 9, timestamp: 1 },
      ],
      chartHref: (key: string) => `#/chart/${key}`,
    });
    expect(el.shadowRoot?.querySelector("input")?.getAttribute("placeholder")).toBe("Filter metrics");
    expect(text(el)).toContain("Metrics (2)");
    expect(el.shadowRoot?.querySelector("td.k a")?.getAttribute("href")).toBe("#/chart/acc");
    await filterBy(el, "loss");
    expect(el.shadowRoot?.querySelectorAll("tbody tr")).toHaveLength(1);
    await filterBy(el, "nothing");
    expect(text(el)).toContain("No metric matches the filter.");
    expect(text(await mount("tl-metrics-table", { metrics: [] }))).toContain("No metrics logged.");
  });
});
