import { describe, expect, it } from "vitest";
import { findRoute, isMlflowLink, type Location } from "./router.js";

const loc = (path: string, query = ""): Location => {
  const found = findRoute(path);
  return { path, params: found?.params ?? {}, query: new URLSearchParams(query), route: found?.route };
};

describe("findRoute", () => {
  it("matches tracklite's routes with their params, decoded", () => {
    expect(findRoute("/experiments/1/runs/abc")?.params).toEqual({ experimentId: "1", runId: "abc" });
    expect(findRoute("/models/my%20model/versions/2")?.params).toEqual({ name: "my model", version: "2" });
    expect(findRoute("/experiments/1/runs")).toBeUndefined();
  });
});

describe("isMlflowLink (when the MLflow link chunk is loaded)", () => {
  it("is true for paths that are no route and for MLflow's query keys", () => {
    expect(isMlflowLink(loc("/experiments/1/runs"))).toBe(true);
    expect(isMlflowLink(loc("/compare-runs", 'runs=["a"]'))).toBe(true);
    expect(isMlflowLink(loc("/experiments/1", "searchFilter=x"))).toBe(true);
    expect(isMlflowLink(loc("/experiments/1", "compareRunsMode=CHART"))).toBe(true);
  });

  it("is false for tracklite's own URLs, so they cost nothing", () => {
    expect(isMlflowLink(loc("/experiments/1", "filter=x&tab=charts"))).toBe(false);
    expect(isMlflowLink(loc("/experiments/1/runs/abc", "tab=artifacts&path=a/b"))).toBe(false);
    expect(isMlflowLink(loc("/compare", "runs=a,b"))).toBe(false);
    expect(isMlflowLink(loc("/"))).toBe(false);
  });
});
