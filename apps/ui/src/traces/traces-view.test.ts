// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from "vitest";
import { mount, shadowText } from "../dom.test-helpers.js";
import { fakeServer, until } from "./fake-server.test-helpers.js";
import page1 from "./fixtures/search-page-1.json" with { type: "json" };
import page2 from "./fixtures/search-page-2.json" with { type: "json" };
import "./traces-view.js";
import type { TlTracesTable } from "./traces-table.js";
import type { TlTracesView } from "./traces-view.js";

const table = (el: TlTracesView) => el.shadowRoot?.querySelector("tl-traces-table") as TlTracesTable;
const rowTexts = (el: TlTracesView) =>
  [...(table(el).shadowRoot?.querySelectorAll("a.row") ?? [])].map((r) => r.textContent?.replace(/\s+/g, " ").trim());

afterEach(() => {
  document.body.innerHTML = "";
  vi.unstubAllGlobals();
});

describe("traces tab", () => {
  it("shows a page of traces as the reference server answers it, and the next page on scroll", async () => {
    const seen = fakeServer((r) =>
      r.path === "/3.0/mlflow/traces/search" ? { json: r.body?.page_token ? page2 : page1 } : undefined,
    );
    const el = await mount<TlTracesView>("tl-traces-view", {
      experimentId: "1",
      view: { filter: "", orderBy: "timestamp_ms DESC" },
    });
    await until(() => rowTexts(el).length === 3);
    const rows = rowTexts(el);
    expect(rows[0]).toContain("8edb778a");
    expect(rows[0]).toContain("Second question?");
    expect(rows[0]).toContain("Paris.");
    expect(rows[0]).toContain("answer");
    expect(rows[0]).toContain("57ms");
    expect(rows[0]).toContain("19");
    expect(rows[0]).toContain("env: test");
    expect(rows[0]).toContain("score: 0.5");
    expect(rows[1]).toContain("broken");
    expect(rows[1]).toMatch(/\{"x":3\}/);
    // The page after the first one (the table asks as the end nears), with the server's token.
    expect(seen[0]?.body).toEqual({
      locations: [{ type: "MLFLOW_EXPERIMENT", mlflow_experiment: { experiment_id: "1" } }],
      max_results: 50,
      order_by: ["timestamp_ms DESC"],
    });
    expect(seen[1]?.body?.page_token).toBe(page1.next_page_token);
    expect(seen[1]?.body?.max_results).toBe(100);
    expect(rows[2]).toContain("What is the capital of France?");
    const links = [...(table(el).shadowRoot?.querySelectorAll("a.row") ?? [])].map((a) => a.getAttribute("href"));
    expect(links[0]).toBe("#/experiments/1/traces/tr-8edb778a647169c9a3139db847027f70");
    expect(shadowText(el)).toContain("3 traces");
  });

  it("sends the run's clause with the filter, and shows the server's message for a bad filter", async () => {
    const seen = fakeServer((r) => {
      if (r.path !== "/3.0/mlflow/traces/search") return undefined;
      if (String(r.body?.filter).includes("bogus")) {
        return {
          status: 400,
          json: { error_code: "INVALID_PARAMETER_VALUE", message: "Invalid entity type 'bogus'." },
        };
      }
      return { json: { traces: [] } };
    });
    const el = await mount<TlTracesView>("tl-traces-view", {
      experimentId: "1",
      runId: "a9edac8e7067490b8176c85efd4071fa",
      view: { filter: "bogus.x = 1", orderBy: "execution_time_ms ASC" },
    });
    await until(() => shadowText(el.shadowRoot?.querySelector("tl-filter-box") as Element).includes("bogus"));
    expect(seen[0]?.body?.filter).toBe("trace.run_id = 'a9edac8e7067490b8176c85efd4071fa' and bogus.x = 1");
    expect(seen[0]?.body?.order_by).toEqual(["execution_time_ms ASC"]);
    expect(shadowText(el.shadowRoot?.querySelector("tl-filter-box") as Element)).toContain(
      "Invalid entity type 'bogus'.",
    );
  });

  it("teaches how to log a first trace when the experiment has none", async () => {
    fakeServer((r) => (r.path === "/3.0/mlflow/traces/search" ? { json: {} } : undefined));
    const el = await mount<TlTracesView>("tl-traces-view", {
      experimentId: "7",
      view: { filter: "", orderBy: "timestamp_ms DESC" },
    });
    await until(() => shadowText(el).includes("first trace"));
    expect(shadowText(el)).toContain("@mlflow.trace");
    expect(shadowText(el)).toContain('mlflow.set_experiment(experiment_id="7")');
  });

  it("puts traces that arrive later on top (polling the first page)", async () => {
    let answer = { traces: page1.traces.slice(1) };
    fakeServer((r) => (r.path === "/3.0/mlflow/traces/search" ? { json: answer } : undefined));
    const el = await mount<TlTracesView>("tl-traces-view", {
      experimentId: "1",
      view: { filter: "", orderBy: "timestamp_ms DESC" },
    });
    await until(() => rowTexts(el).length === 1);
    answer = { traces: page1.traces };
    await (el as unknown as { data: { poll(): Promise<void> } }).data.poll();
    await until(() => rowTexts(el).length === 2);
    expect(rowTexts(el)[0]).toContain("Second question?");
    expect(table(el).shadowRoot?.querySelector("a.row.new")?.getAttribute("data-id")).toBe(page1.traces[0]?.trace_id);
  });
});
