// @vitest-environment happy-dom
import type { Run } from "@tracklite/schemas";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { fakeRun } from "./fake-runs.test-helpers.js";
import { RunsData, type RunsQuery } from "./runs-data.js";

/** A fake server: answers searchRuns from a handler, records every request body. */
function serve(handler: (body: Record<string, unknown>, url: string) => { status?: number; json: unknown }) {
  const calls: Record<string, unknown>[] = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (url: string, init?: RequestInit) => {
      const body = init?.body ? JSON.parse(String(init.body)) : Object.fromEntries(new URL(url).searchParams);
      calls.push({ url, ...body });
      const { status = 200, json } = handler(body, url);
      return new Response(JSON.stringify(json), { status, headers: { "content-type": "application/json" } });
    }),
  );
  return calls;
}

const host = () => {
  let updates = 0;
  return {
    addController() {},
    removeController() {},
    requestUpdate() {
      updates++;
    },
    get updates() {
      return updates;
    },
    updateComplete: Promise.resolve(true),
  };
};

const query = (q: Partial<RunsQuery> = {}): RunsQuery => ({
  experimentId: "1",
  filter: "",
  orderBy: "attributes.start_time DESC",
  lifecycle: "active",
  pageSize: 100,
  ...q,
});

const settle = () => new Promise((r) => setTimeout(r, 0));
const until = async (cond: () => boolean) => {
  for (let i = 0; i < 50 && !cond(); i++) await settle();
};

beforeEach(() => vi.useRealTimers());
afterEach(() => vi.unstubAllGlobals());

describe("RunsData", () => {
  it("loads the first page, then the next one with the page token", async () => {
    const calls = serve((b) =>
      b.page_token
        ? { json: { runs: [fakeRun("c")] } }
        : { json: { runs: [fakeRun("a"), fakeRun("b")], next_page_token: "tok" } },
    );
    const d = new RunsData(host());
    d.setQuery(query({ pageSize: 1000 }));
    await until(() => d.status === "ready");
    expect(d.rows.map((r) => r.id)).toEqual(["a", "b"]);
    expect(calls[0]).toMatchObject({ experiment_ids: ["1"], max_results: 100, run_view_type: "ACTIVE_ONLY" });
    d.loadMore();
    await until(() => d.status === "ready" && d.rows.length === 3);
    expect(d.rows.map((r) => r.id)).toEqual(["a", "b", "c"]);
    expect(calls[1]).toMatchObject({ page_token: "tok", max_results: 1000 });
    expect(d.nextToken).toBeUndefined();
  });

  it("keeps the last good rows and gives the server's message for a bad filter", async () => {
    serve((b) =>
      b.filter === "oops"
        ? {
            status: 400,
            json: { error_code: "INVALID_PARAMETER_VALUE", message: "Invalid clause(s) in filter string: 'oops'" },
          }
        : { json: { runs: [fakeRun("a")] } },
    );
    const d = new RunsData(host());
    d.setQuery(query());
    await until(() => d.status === "ready");
    d.setQuery(query({ filter: "oops" }));
    await until(() => d.status === "ready" && d.filterError !== undefined);
    expect(d.filterError).toBe("Invalid clause(s) in filter string: 'oops'");
    expect(d.error).toBeUndefined();
    expect(d.rows.map((r) => r.id)).toEqual(["a"]);
  });

  it("polls running runs and reports their steps per second", async () => {
    let step = 10;
    const running = (): Run =>
      fakeRun("live", { status: "RUNNING", metrics: { loss: { value: 1, step, timestamp: step * 500 } } });
    const calls = serve((b) => ({
      json: { runs: String(b.filter ?? "").includes("run_id IN") ? [running()] : [running(), fakeRun("done")] },
    }));
    const d = new RunsData(host());
    d.setQuery(query());
    await until(() => d.status === "ready");
    expect(d.running.map((r) => r.id)).toEqual(["live"]);
    step = 30; // 20 steps in 10 s of metric time
    await d.poll();
    expect(calls.at(-1)).toMatchObject({ filter: "attributes.run_id IN ('live')", run_view_type: "ALL" });
    expect(d.rates.get("live")).toBe(2);
    expect(d.liveTick).toBe(1);
  });

  it("fetches min/max summaries once per run and key", async () => {
    const calls = serve((_, url) =>
      url.includes("/summaries")
        ? {
            json: {
              summaries: [
                { run_id: "a", key: "loss", last: 1, min: 0.5, max: 2, count: 3, last_step: 2, last_timestamp: 0 },
              ],
            },
          }
        : { json: { runs: [fakeRun("a", { metrics: { loss: 1 } })] } },
    );
    const d = new RunsData(host());
    d.setQuery(query());
    await until(() => d.status === "ready");
    await d.requestSummaries(["a"], ["loss"]);
    await d.requestSummaries(["a"], ["loss"]);
    expect(d.summary("a", "loss")).toEqual({ min: 0.5, max: 2, last: 1 });
    expect(calls.filter((c) => String(c.url).includes("summaries"))).toHaveLength(1);
  });
});
