import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { mlflowRuleFor, parseList, TARGETS, translateMlflowLink } from "./mlflow-links.js";
import { hasMlflowQuery } from "./mlflow-links-keys.js";

const NOW = 1_700_000_000_000;

/** The tracklite URL (`path?query`) an MLflow hash URL translates to; "same" when it needs no change. */
function to(hash: string, isRoute?: (path: string) => boolean): string {
  const [path = "/", query = ""] = hash.split("?", 2);
  const t = translateMlflowLink(path, new URLSearchParams(query), { now: NOW, isRoute });
  if (!t) return "same";
  if (t.kind === "go") {
    const q = t.query.toString();
    return decodeURIComponent(`${t.path}${q ? `?${q}` : ""}`).replace(/\+/g, " ");
  }
  if (t.kind === "run") return `run ${t.runId} ${t.query}`;
  return `unsupported: ${t.what}`;
}

const RUN = "0a1b2c3d4e5f60718293a4b5c6d7e8f9";
const RUN2 = "ffeeddccbbaa99887766554433221100";

describe("MLflow's experiment routes", () => {
  it("list and experiment page", () => {
    expect(to("/")).toBe("same");
    expect(to("/experiments")).toBe("same");
    expect(to("/experiments/1")).toBe("same");
    expect(to("/experiments/1/runs")).toBe("/experiments/1");
    expect(to("/experiments/1/s")).toBe("/experiments/1");
    expect(to("/experiments/1/overview/usage")).toBe("/experiments/1");
    expect(to("/experiments/1/evaluation-monitoring")).toBe("/experiments/1");
  });

  it("search facets: filter, sort, lifecycle, time created, view mode", () => {
    const filter = encodeURIComponent("metrics.acc > 0.9");
    expect(to(`/experiments/1/runs?searchFilter=${filter}`)).toBe("/experiments/1?filter=metrics.acc > 0.9");
    expect(to("/experiments/1?orderByKey=metrics.%60val%2Floss%60&orderByAsc=true")).toBe(
      "/experiments/1?sort=metrics.val/loss~asc",
    );
    expect(to("/experiments/1?orderByKey=attributes.start_time&orderByAsc=false")).toBe("/experiments/1");
    expect(to("/experiments/1?orderByKey=tags.%60mlflow.runName%60&orderByAsc=true")).toBe(
      "/experiments/1?sort=attributes.run_name~asc",
    );
    expect(to("/experiments/1?lifecycleFilter=Deleted")).toBe("/experiments/1?view=deleted");
    expect(to("/experiments/1?lifecycleFilter=Active&modelVersionFilter=All+Runs&datasetsFilter=W10%3D")).toBe(
      "/experiments/1",
    );
    expect(to("/experiments/1?startTime=LAST_HOUR")).toBe(
      `/experiments/1?filter=attributes.start_time >= ${NOW - 3_600_000}`,
    );
    expect(to(`/experiments/1?searchFilter=${filter}&startTime=LAST_7_DAYS&startTime=ALL`)).toBe(
      `/experiments/1?filter=metrics.acc > 0.9 and attributes.start_time >= ${NOW - 604_800_000}`,
    );
    expect(to("/experiments/1?compareRunsMode=CHART")).toBe("/experiments/1?tab=charts");
    expect(to("/experiments/1?compareRunsMode=TRACES")).toBe("/experiments/1?tab=traces");
    expect(to("/experiments/1?compareRunsMode=TABLE")).toBe("/experiments/1");
    expect(to("/experiments/1?isComparingRuns=true")).toBe("/experiments/1?tab=charts");
    expect(to("/experiments/1?viewStateShareKey=abc")).toBe("/experiments/1");
    // MLflow 1.x's links.
    expect(to(`/experiments/1/s?searchInput=${filter}&orderByKey=metrics.acc&orderByAsc=false`)).toBe(
      "/experiments/1?filter=metrics.acc > 0.9&sort=metrics.acc~desc",
    );
  });

  it("the links the MLflow client prints", () => {
    // start_run's "View run … at", "View experiment at", evaluate's results, `mlflow demo`.
    expect(to(`/experiments/1/runs/${RUN}`)).toBe("same");
    expect(to("/experiments/1")).toBe("same");
    expect(to(`/experiments/1/evaluation-runs?selectedRunUuid=${RUN}`)).toBe(`/experiments/1/runs/${RUN}`);
    expect(to("/experiments/1/overview")).toBe("/experiments/1");
  });

  it("tabs: traces (and a selected trace), chat sessions, models, evaluation runs", () => {
    expect(to("/experiments/1/traces")).toBe("/experiments/1?tab=traces");
    expect(to("/experiments/1/traces?selectedEvaluationId=tr-abc&traceId=tr-abc&compareRunsMode=TRACES")).toBe(
      "/experiments/1/traces/tr-abc",
    );
    expect(to("/experiments/1/traces?selectedTraceId=tr-9")).toBe("/experiments/1/traces/tr-9");
    expect(to("/experiments/1/traces/tr-abc")).toBe("same");
    expect(to("/experiments/1/chat-sessions")).toBe("/experiments/1?tab=traces");
    expect(to("/experiments/1/chat-sessions/s-1")).toBe(
      "/experiments/1?tab=traces&tfilter=metadata.`mlflow.trace.session` = 's-1'",
    );
    expect(to("/experiments/1/models")).toBe("/experiments/1?tab=models");
    expect(to("/experiments/1/evaluation-runs")).toBe("/experiments/1");
    expect(to(`/experiments/1/evaluation-runs?selectedRunUuid=${RUN}`)).toBe(`/experiments/1/runs/${RUN}`);
    expect(to(`/experiments/1/evaluation-runs/${RUN}`)).toBe(`/experiments/1/runs/${RUN}`);
    expect(to(`/experiments/1/evaluation-runs/${RUN}/issues`)).toBe(`/experiments/1/runs/${RUN}`);
  });

  it("views of other areas go to their paths (MLflow's own), or to the closest view while those are not built", () => {
    const none = () => false;
    const links: [string, string, string][] = [
      ["/experiments/1/models/m-abc", "same", "/experiments/1?tab=models"],
      ["/experiments/1/models/m-abc/artifacts", "/experiments/1/models/m-abc", "/experiments/1?tab=models"],
      ["/experiments/1/datasets", "same", "/experiments/1?tab=datasets"],
      ["/experiments/1/datasets/d-1", "same", "/experiments/1?tab=datasets"],
      ["/experiments/1/datasets?selectedDatasetId=d-1", "/experiments/1/datasets/d-1", "/experiments/1?tab=datasets"],
      ["/experiments/1/judges", "same", "/experiments/1"],
      [
        "/experiments/1/judges?selectedScorerName=relevance",
        "/experiments/1/judges?scorer=relevance",
        "/experiments/1",
      ],
      ["/experiments/1/review-queue?selectedQueueId=q-1", "same", "/experiments/1"],
      [
        "/experiments/1/labeling-sessions?selectedQueueId=q-1",
        "/experiments/1/review-queue?selectedQueueId=q-1",
        "/experiments/1",
      ],
      ["/experiments/1/review-queue", "same", "/experiments/1"],
      ["/experiments/1/labeling-sessions", "/experiments/1/review-queue", "/experiments/1"],
      ["/experiments/1/label-schemas", "/experiments/1/review-queue", "/experiments/1"],
      ["/experiments/1/issues", "/experiments/1/review-queue", "/experiments/1"],
      ["/prompts", "same", "/models"],
      ["/prompts/summarize?promptVersion=2", "same", "/models"],
      ["/experiments/1/prompts", "same", "/experiments/1"],
      ["/experiments/1/prompts/summarize", "same", "/experiments/1"],
    ];
    for (const [link, built, fallback] of links) {
      expect(to(link), link).toBe(built);
      expect(to(link, none), link).toBe(fallback);
    }
    // Every row of the table ends in a view that exists today.
    for (const rows of Object.values(TARGETS)) expect(rows.at(-1)).toMatch(/^\/(experiments|models|compare)\b/);
  });

  it("prompts: MLflow's paths are tracklite's", () => {
    expect(to("/prompts")).toBe("same");
    expect(to("/prompts/summarize")).toBe("same");
    expect(to("/prompts/summarize?promptVersion=2")).toBe("same");
    expect(to("/experiments/1/prompts")).toBe("same");
    expect(to("/experiments/1/prompts/summarize")).toBe("same");
    expect(to("/experiments/1/playground")).toMatch(/^unsupported: .*playground/);
  });
});

describe("MLflow's run routes", () => {
  it("the run page and its tabs", () => {
    expect(to(`/experiments/1/runs/${RUN}`)).toBe("same");
    expect(to(`/experiments/1/runs/${RUN}/overview`)).toBe(`/experiments/1/runs/${RUN}`);
    expect(to(`/experiments/1/runs/${RUN}/model-metrics`)).toBe(`/experiments/1/runs/${RUN}?tab=metrics`);
    expect(to(`/experiments/1/runs/${RUN}/system-metrics`)).toBe(`/experiments/1/runs/${RUN}?tab=system`);
    expect(to(`/experiments/1/runs/${RUN}/traces`)).toBe(`/experiments/1/runs/${RUN}?tab=traces`);
    expect(to(`/experiments/1/runs/${RUN}/evaluations`)).toBe(`/experiments/1/runs/${RUN}?tab=traces`);
    expect(to(`/experiments/1/runs/${RUN}/issues`)).toBe(`/experiments/1/runs/${RUN}`);
    expect(to(`/experiments/1/runs/${RUN}/artifacts`)).toBe(`/experiments/1/runs/${RUN}?tab=artifacts`);
  });

  it("artifact paths, new (`artifacts/…`) and old (`artifactPath/…`), decoded", () => {
    expect(to(`/experiments/1/runs/${RUN}/artifacts/model/MLmodel`)).toBe(
      `/experiments/1/runs/${RUN}?tab=artifacts&path=model/MLmodel`,
    );
    expect(to(`/experiments/1/runs/${RUN}/artifactPath/plots/loss%20curve.png`)).toBe(
      `/experiments/1/runs/${RUN}?tab=artifacts&path=plots/loss curve.png`,
    );
  });

  it("a trace selected on the run page opens the trace", () => {
    expect(to(`/experiments/1/runs/${RUN}/traces?selectedEvaluationId=tr-1`)).toBe("/experiments/1/traces/tr-1");
  });

  it("`/runs/<id>` asks for the run's experiment", () => {
    expect(to(`/runs/${RUN}`)).toBe(`run ${RUN} `);
  });

  it("compare runs: JSON lists, plain or percent-encoded", () => {
    expect(to(`/compare-runs?runs=["${RUN}","${RUN2}"]&experiments=["1"]`)).toBe(`/compare?runs=${RUN},${RUN2}`);
    const encoded = encodeURIComponent(JSON.stringify([RUN, RUN2]));
    expect(to(`/compare-runs?runs=${encoded}&experiments=${encodeURIComponent('["1","2"]')}`)).toBe(
      `/compare?runs=${RUN},${RUN2}`,
    );
  });

  it("the metric page: runs, metric, x axis, log scale, smoothing", () => {
    // As getMetricPageRoute writes it.
    const link =
      `/metric/?runs=["${RUN}","${RUN2}"]&metric=${encodeURIComponent('"val/loss"')}&experiments=["1"]` +
      `&plot_metric_keys=${encodeURIComponent('["val/loss"]')}&plot_layout={}&x_axis=step&y_axis_scale=log` +
      "&line_smoothness=50&show_point=false&deselected_curves=[]&last_linear_y_axis_range=[]";
    expect(to(link)).toBe(`/compare?runs=${RUN},${RUN2}&q=val/loss&cq=val/loss&clog=1&csmooth=0.5`);
    expect(to(`/metric/loss?runs=["${RUN}"]&x_axis=wall`)).toBe(`/compare?runs=${RUN}&q=loss&cq=loss&cx=time`);
    // The page's own default x axis is relative time.
    expect(to(`/metric/loss?runs=["${RUN}"]`)).toBe(`/compare?runs=${RUN}&q=loss&cq=loss&cx=relative`);
    expect(to(`/metric/?runs=["${RUN}"]&plot_metric_keys=["acc"]&x_axis=step`)).toBe(
      `/compare?runs=${RUN}&q=acc&cq=acc`,
    );
  });

  it("compare experiments", () => {
    expect(to('/compare-experiments/s?experiments=["1"]')).toBe("/experiments/1");
    expect(to('/compare-experiments/s?experiments=["1","2"]')).toBe("/experiments");
    expect(to("/compare-experiments")).toBe("/experiments");
  });
});

describe("MLflow's registry, account and other routes", () => {
  it("models and versions, names with spaces and slashes", () => {
    expect(to("/models")).toBe("same");
    expect(to("/models/vision-classifier")).toBe("same");
    expect(to("/models/vision-classifier/versions/2")).toBe("same");
    expect(to("/models/my%20model%2Fv2/versions/1")).toBe("same");
    expect(to("/models/vision-classifier/serving")).toBe("/models/vision-classifier");
    expect(to("/models/vision-classifier/details/x")).toBe("/models/vision-classifier");
    expect(to("/createModel")).toBe("/models");
  });

  it("compare model versions", () => {
    const name = encodeURIComponent(JSON.stringify(encodeURIComponent("my model")));
    const runs = encodeURIComponent(JSON.stringify({ 10: RUN, 2: RUN2 }));
    expect(to(`/compare-model-versions?name=${name}&runs=${runs}`)).toBe("/models/my model/compare?versions=2,10");
    expect(to(`/compare-model-versions?name=${name}&runs=${runs}`, () => false)).toBe("/models/my model");
    expect(to("/compare-model-versions")).toBe("/models");
    expect(to("/models/m/compare?versions=1,2")).toBe("same");
    expect(to("/models/m/compare?versions=1,2", () => false)).toBe("/models/m");
  });

  it("account and admin", () => {
    expect(to("/account")).toBe("same");
    expect(to("/admin")).toBe("/admin/users");
    expect(to("/admin/users")).toBe("same");
    expect(to("/admin/users/alice")).toBe("/admin/users");
    expect(to("/admin/roles/3")).toBe("/admin/roles");
    expect(to("/admin/ws")).toMatch(/^unsupported: .*workspace/);
  });

  it("pages tracklite does not have say so", () => {
    for (const p of ["/settings", "/settings/general", "/gateway", "/gateway/endpoints/e-1", "/gateway/usage"]) {
      expect(to(p), p).toMatch(/^unsupported: /);
    }
    expect(to("/mcp-registry/srv")).toMatch(/^unsupported: .*MCP/);
  });

  it("is no MLflow route: left to the router's Not found", () => {
    expect(to("/nope")).toBe("same");
    expect(to("/experiments/1/foo/bar")).toBe("same");
  });
});

describe("tracklite's own URLs", () => {
  it("are left as they are", () => {
    for (const url of [
      "/experiments/1?tab=charts&filter=metrics.acc > 0.5&sort=metrics.acc~asc",
      `/experiments/1/runs/${RUN}?tab=artifacts&path=model/MLmodel`,
      `/compare?runs=${RUN},${RUN2}&diff=1`,
      "/models/vision-classifier?tab=versions",
      `/embed/chart?runs=${RUN}&key=loss`,
      "/admin/roles",
    ]) {
      expect(to(url.replace(/ /g, "%20")), url).toBe("same");
    }
  });

  it("translating a translated link changes nothing (no redirect loop)", () => {
    for (const link of [
      "/experiments/1/runs?searchFilter=x&compareRunsMode=CHART",
      `/experiments/1/runs/${RUN}/artifacts/a/b.txt`,
      `/compare-runs?runs=["${RUN}"]`,
      `/metric/loss?runs=["${RUN}"]&y_axis_scale=log`,
      "/experiments/1/chat-sessions/s-1",
      "/experiments/1/models/m-1",
      "/compare-model-versions?name=%22m%22&runs=%7B%221%22%3A%22r%22%7D",
    ]) {
      const [path = "", query = ""] = link.split("?", 2);
      for (const isRoute of [undefined, () => false]) {
        const first = translateMlflowLink(path, new URLSearchParams(query), { now: NOW, isRoute });
        if (first === undefined) continue; // Already a route of this build.
        if (first.kind !== "go") throw new Error(`${link} is not translated to a route`);
        expect(translateMlflowLink(first.path, first.query, { now: NOW, isRoute }), link).toBeUndefined();
        expect(hasMlflowQuery(first.query), link).toBe(false);
      }
    }
  });
});

describe("parseList", () => {
  it("reads JSON lists, single values and comma lists", () => {
    expect(parseList('["a","b"]')).toEqual(["a", "b"]);
    expect(parseList("[1,2]")).toEqual(["1", "2"]);
    expect(parseList('"a"')).toEqual(["a"]);
    expect(parseList("a,b")).toEqual(["a", "b"]);
    expect(parseList("[a, b]")).toEqual(["a", "b"]);
    expect(parseList(null)).toEqual([]);
  });
});

describe("coverage of MLflow 3.17.2's UI router", () => {
  // The route table as built into the reference's UI bundle (the venv holds it; `.venvs` is set up for the compat suite).
  const js = join(new URL("../../..", import.meta.url).pathname, ".venvs/mlflow-3/lib/python3.11/site-packages/mlflow");
  const dir = join(js, "server/js/build/static/js");
  const main = existsSync(dir) ? readdirSync(dir).find((f) => /^main\.[0-9a-f]+\.js$/.test(f)) : undefined;

  it.skipIf(!main)("every route pattern of the bundle is taken by a rule of its own (not only by a catch-all)", () => {
    const source = readFileSync(join(dir, main ?? ""), "utf8");
    const patterns = [...source.matchAll(/static get \w+\(\)\{return\(0,\w+\.\w+\)\("(\/[^"]*)"\)\}/g)].map(
      (m) => m[1] ?? "",
    );
    expect(patterns.length).toBeGreaterThan(50);
    for (const pattern of new Set(patterns)) {
      const sample = pattern.replace(/:(\w+)/g, (_, k: string) => `sample-${k}`).replace(/\/\*$/, "/sample/rest");
      const rule = mlflowRuleFor(sample);
      expect(rule, pattern).toBeDefined();
      // The generic experiment-tab rule is right only for MLflow's own generic pattern.
      if (rule === "/experiments/:e/:tab") expect(pattern).toBe("/experiments/:experimentId/:tabName");
    }
  });
});
