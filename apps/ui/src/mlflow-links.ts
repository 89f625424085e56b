/**
 * MLflow's own UI URLs, translated to tracklite's views. People keep MLflow links in notebooks, Slack and papers
 * (`http://host:5000/#/experiments/1/runs/<id>/artifacts/model/MLmodel`); pointed at tracklite they open the same view.
 * Every route of MLflow 3.17.2's UI router is covered (grepped from its built JS: `createMLflowRoutePath("...")`),
 * with the query state that matters (search filter, sort, lifecycle, tab, selected trace, compared runs, metric page
 * settings). Pure: no DOM, no fetch; tested route by route in mlflow-links.test.ts.
 * @see mlflow/server/js/src/experiment-tracking/routes.ts, model-registry/routes.ts (3.17.2, as built)
 */
import { MLFLOW_QUERY_KEYS } from "./mlflow-links-keys.js";

/** Where an MLflow link leads. */
export type LinkTarget =
  /** A tracklite route (path without `#`) and its query. */
  | { kind: "go"; path: string; query: URLSearchParams }
  /** `#/runs/<id>`: the run page, once the run's experiment is known (read by the caller). */
  | { kind: "run"; runId: string; query: URLSearchParams }
  /** An MLflow page tracklite has no counterpart for; `what` names it for the message. */
  | { kind: "unsupported"; what: string };

/**
 * Where MLflow's views land when tracklite's own view lives at another path or comes from another area: per view,
 * the target and a fallback used while the target is no route of this build (an area not merged yet). Templates:
 * `:name` is filled from the link (path segments encoded; a query value `:name` that is empty drops the key). Change
 * a row here when a view moves; nothing else needs to.
 */
export const TARGETS = {
  /** MLflow's logged model page (models-ui's page, at MLflow's path). */
  loggedModel: ["/experiments/:experimentId/models/:modelId", "/experiments/:experimentId?tab=models"],
  /** `#/compare-model-versions?name=…&runs={version: runId}` (models-ui: compare versions). */
  compareVersions: ["/models/:name/compare?versions=:versions", "/models/:name"],
  /** The GenAI experiment views (genai-ui, at MLflow's paths; labeling, schemas and issues live in its review view). */
  evaluationDatasets: ["/experiments/:experimentId/datasets", "/experiments/:experimentId?tab=datasets"],
  evaluationDataset: ["/experiments/:experimentId/datasets/:datasetId", "/experiments/:experimentId?tab=datasets"],
  judges: ["/experiments/:experimentId/judges?scorer=:scorer", "/experiments/:experimentId"],
  reviewQueue: ["/experiments/:experimentId/review-queue?selectedQueueId=:queue", "/experiments/:experimentId"],
  labelingSessions: ["/experiments/:experimentId/review-queue?selectedQueueId=:queue", "/experiments/:experimentId"],
  labelSchemas: ["/experiments/:experimentId/review-queue", "/experiments/:experimentId"],
  issues: ["/experiments/:experimentId/review-queue", "/experiments/:experimentId"],
  /** The prompt registry (prompts-ui, at MLflow's paths). */
  prompts: ["/prompts", "/models"],
  prompt: ["/prompts/:promptName?promptVersion=:promptVersion&mode=:mode&comparedVersion=:comparedVersion", "/models"],
  experimentPrompts: ["/experiments/:experimentId/prompts", "/experiments/:experimentId"],
  experimentPrompt: [
    "/experiments/:experimentId/prompts/:promptName?promptVersion=:promptVersion&mode=:mode&comparedVersion=:comparedVersion",
    "/experiments/:experimentId",
  ],
  /**
   * MLflow's legacy metric page (one metric, several runs): the compare page, its table's keys (`q`) and its charts
   * (`cq`, chart-builder's chart search) filtered to the metric.
   */
  metric: ["/compare?runs=:runs&q=:metric&cq=:metric"],
} as const satisfies Record<string, readonly string[]>;

export type TargetName = keyof typeof TARGETS;

/** Whether a path (no query) is a route of this build. */
export type IsRoute = (path: string) => boolean;

function fill(template: string, params: Record<string, string | undefined>): { path: string; query: URLSearchParams } {
  const [rawPath = "/", rawQuery = ""] = template.split("?", 2);
  const path = rawPath.replace(/:(\w+)/g, (_, k: string) => encodeURIComponent(params[k] ?? ""));
  const query = new URLSearchParams();
  for (const [k, v] of new URLSearchParams(rawQuery)) {
    const value = v.startsWith(":") ? params[v.slice(1)] : v;
    if (value) query.set(k, value);
  }
  return { path, query };
}

/** Fills a {@link TARGETS} row: its first template that is a route (by `isRoute`), else its last. */
export function fillTarget(
  name: TargetName,
  params: Record<string, string | undefined>,
  isRoute: IsRoute = () => true,
): LinkTarget {
  const rows: readonly string[] = TARGETS[name];
  for (const template of rows) {
    const t = fill(template, params);
    if (isRoute(t.path) || template === rows[rows.length - 1]) return { kind: "go", ...t };
  }
  return { kind: "go", path: "/", query: new URLSearchParams() };
}

/** MLflow's run-page tabs (`…/runs/<id>/<tab>`) → tracklite's run page `tab`. */
const RUN_TABS: Record<string, string | undefined> = {
  overview: undefined,
  "model-metrics": "metrics",
  "system-metrics": "system",
  traces: "traces",
  // 3.x evaluation results are traces of the run.
  evaluations: "traces",
  issues: undefined,
  artifacts: "artifacts",
  artifactPath: "artifacts",
};

/** MLflow's experiment view modes (`compareRunsMode`) → tracklite's experiment tab. */
const MODES: Record<string, string> = {
  TABLE: "runs",
  CHART: "charts",
  ARTIFACT: "runs",
  TRACES: "traces",
  MODELS: "models",
};

/** MLflow's "Time created" facet (`startTime`): how far back, in ms. @see runs search facets in the built JS */
const START_TIME_MS: Record<string, number> = {
  LAST_5_MINUTES: 5 * 60_000,
  LAST_15_MINUTES: 15 * 60_000,
  LAST_HOUR: 3_600_000,
  LAST_24_HOURS: 86_400_000,
  LAST_7_DAYS: 604_800_000,
  LAST_30_DAYS: 2_592_000_000,
  LAST_YEAR: 31_104_000_000,
};

/** MLflow's sort keys for its fixed columns that tracklite sorts by attribute. */
const SORT_ALIASES: Record<string, string> = { "tags.mlflow.runName": "attributes.run_name" };

/** The legacy metric page's x axes (`x_axis`) and the 3.x chart ones → tracklite's `cx`. */
const X_AXES: Record<string, string> = {
  step: "step",
  wall: "time",
  time: "time",
  relative: "relative",
  "time-relative": "relative",
};

/** A copy of the query without MLflow's keys (tracklite's own keys, and unknown ones, stay). */
function keep(q: URLSearchParams): URLSearchParams {
  const out = new URLSearchParams(q);
  for (const k of MLFLOW_QUERY_KEYS) out.delete(k);
  return out;
}

/** A JSON list as MLflow writes it (`["a","b"]`, maybe percent-encoded); a comma list is accepted too. */
export function parseList(v: string | null): string[] {
  if (!v) return [];
  try {
    const parsed: unknown = JSON.parse(v);
    if (Array.isArray(parsed)) return parsed.filter((x) => typeof x === "string" || typeof x === "number").map(String);
    if (typeof parsed === "string" || typeof parsed === "number") return [String(parsed)];
  } catch {
    // Not JSON: a hand-written comma list.
  }
  return v
    .split(",")
    .map((s) => s.trim().replace(/^["[]+|["\]]+$/g, ""))
    .filter(Boolean);
}

/** A JSON string as MLflow writes it (`"loss"`); a bare value is taken as is. */
function parseJsonString(v: string | null): string | undefined {
  if (v === null || v === "") return undefined;
  try {
    const parsed: unknown = JSON.parse(v);
    return typeof parsed === "string" || typeof parsed === "number" ? String(parsed) : undefined;
  } catch {
    return v;
  }
}

/** The experiment page, with MLflow's search facets turned into tracklite's view keys. */
function experiment(id: string, q: URLSearchParams, now: number, tab?: string): LinkTarget {
  const out = keep(q);
  // `searchInput` is MLflow 1.x's name for the filter.
  const filters = [(q.get("searchFilter") ?? q.get("searchInput"))?.trim() ?? ""].filter(Boolean);
  const back = START_TIME_MS[q.get("startTime") ?? ""];
  if (back !== undefined) filters.push(`attributes.start_time >= ${now - back}`);
  if (filters.length) {
    const own = out.get("filter");
    out.set("filter", [own, ...filters].filter(Boolean).join(" and "));
  }
  const key = q.get("orderByKey");
  if (key) {
    const plain = key.replace(/`/g, "");
    const sortKey = SORT_ALIASES[plain] ?? plain;
    const asc = q.get("orderByAsc") === "true";
    if (sortKey === "attributes.start_time" && !asc) out.delete("sort");
    else out.set("sort", `${sortKey}~${asc ? "asc" : "desc"}`);
  }
  const lifecycle = q.get("lifecycleFilter")?.toLowerCase();
  if (lifecycle === "deleted") out.set("view", "deleted");
  const mode = MODES[q.get("compareRunsMode") ?? ""];
  const want = tab ?? mode ?? (q.get("isComparingRuns") === "true" ? "charts" : undefined);
  if (want === "runs") out.delete("tab");
  else if (want) out.set("tab", want);
  return { kind: "go", path: `/experiments/${encodeURIComponent(id)}`, query: out };
}

/** The id of a trace MLflow's traces table opens in its drawer. */
const selectedTrace = (q: URLSearchParams) =>
  q.get("selectedEvaluationId") || q.get("selectedTraceId") || q.get("traceId") || undefined;

const tracePage = (experimentId: string, traceId: string, q: URLSearchParams): LinkTarget => ({
  kind: "go",
  path: `/experiments/${encodeURIComponent(experimentId)}/traces/${encodeURIComponent(traceId)}`,
  query: keep(q),
});

/** The run page; `rest` is MLflow's tab path (`model-metrics`, `artifacts/<path>`, …). */
function runPage(experimentId: string, runId: string, rest: string[], q: URLSearchParams): LinkTarget {
  const trace = selectedTrace(q);
  if (trace) return tracePage(experimentId, trace, q);
  const out = keep(q);
  const [first, ...path] = rest;
  if (first !== undefined) {
    const tab = RUN_TABS[first];
    if (tab) out.set("tab", tab);
    else out.delete("tab");
    if (tab === "artifacts" && path.length) out.set("path", path.join("/"));
  }
  return {
    kind: "go",
    path: `/experiments/${encodeURIComponent(experimentId)}/runs/${encodeURIComponent(runId)}`,
    query: out,
  };
}

/** MLflow's legacy metric page: `#/metric/<key>?runs=[…]&metric="key"&plot_metric_keys=[…]&x_axis=…`. */
function metricPage(rest: string[], q: URLSearchParams, isRoute: IsRoute): LinkTarget {
  const runs = parseList(q.get("runs"));
  const metric =
    parseJsonString(q.get("metric")) ?? (rest.length ? rest.join("/") : parseList(q.get("plot_metric_keys"))[0]);
  const target = fillTarget("metric", { runs: runs.join(","), metric }, isRoute);
  if (target.kind !== "go") return target;
  // The page's own default x axis is relative time (getMetricPlotStateFromUrl).
  const x = X_AXES[q.get("x_axis") ?? "relative"];
  if (x && x !== "step") target.query.set("cx", x);
  if (q.get("y_axis_scale") === "log") target.query.set("clog", "1");
  // MLflow's smoothness slider runs 1 (off) to 100; tracklite's EMA weight 0 to 0.99.
  const smooth = Number(q.get("line_smoothness"));
  if (Number.isFinite(smooth) && smooth > 1) target.query.set("csmooth", String(Math.min(0.99, smooth / 100)));
  return target;
}

/** `#/compare-model-versions?name="<encoded name>"&runs={"1":"<run id>",…}`. */
function compareVersions(q: URLSearchParams, isRoute: IsRoute): LinkTarget {
  let name = parseJsonString(q.get("name")) ?? "";
  try {
    name = decodeURIComponent(name);
  } catch {
    // Already plain.
  }
  let versions: string[] = [];
  try {
    const runs: unknown = JSON.parse(q.get("runs") ?? "{}");
    if (runs && typeof runs === "object") versions = Object.keys(runs).sort((a, b) => Number(a) - Number(b));
  } catch {
    versions = [];
  }
  if (!name) return { kind: "go", path: "/models", query: new URLSearchParams() };
  return fillTarget("compareVersions", { name, versions: versions.join(",") }, isRoute);
}

type Params = Record<string, string>;
/** What a rule needs beyond the link: the time (for "Time created") and which paths are routes of this build. */
interface Context {
  now: number;
  isRoute: IsRoute;
}
type Rule = (p: Params, rest: string[], q: URLSearchParams, c: Context) => LinkTarget | undefined;

const go = (path: string, query = new URLSearchParams()): LinkTarget => ({ kind: "go", path, query });
const enc = encodeURIComponent;

/**
 * MLflow's routes, most specific first (its router ranks them the same way). `*` takes the rest of the path (also
 * none). Each rule returns where the link goes.
 */
const RULES: [string, Rule][] = [
  ["/", (_, __, q) => go("/", keep(q))],
  ["/experiments", (_, __, q) => go("/experiments", keep(q))],
  ["/experiments/:e", (p, _, q, c) => experiment(p.e ?? "", q, c.now)],
  ["/experiments/:e/s", (p, _, q, c) => experiment(p.e ?? "", q, c.now)],
  ["/experiments/:e/runs", (p, _, q, c) => experiment(p.e ?? "", q, c.now, "runs")],
  ["/experiments/:e/overview/:tab", (p, _, q, c) => experiment(p.e ?? "", q, c.now)],
  ["/experiments/:e/runs/:r", (p, _, q) => runPage(p.e ?? "", p.r ?? "", [], q)],
  ["/experiments/:e/runs/:r/*", (p, rest, q) => runPage(p.e ?? "", p.r ?? "", rest, q)],
  [
    "/experiments/:e/traces",
    (p, _, q, c) => {
      const trace = selectedTrace(q);
      return trace ? tracePage(p.e ?? "", trace, q) : experiment(p.e ?? "", q, c.now, "traces");
    },
  ],
  ["/experiments/:e/traces/:t", (p, _, q) => tracePage(p.e ?? "", p.t ?? "", q)],
  ["/experiments/:e/chat-sessions", (p, _, q, c) => experiment(p.e ?? "", q, c.now, "traces")],
  [
    "/experiments/:e/chat-sessions/:s",
    (p, _, q, c) => {
      const target = experiment(p.e ?? "", q, c.now, "traces");
      if (target.kind === "go") target.query.set("tfilter", `metadata.\`mlflow.trace.session\` = '${p.s ?? ""}'`);
      return target;
    },
  ],
  ["/experiments/:e/models", (p, _, q, c) => experiment(p.e ?? "", q, c.now, "models")],
  [
    "/experiments/:e/models/:m",
    (p, _, __, c) => fillTarget("loggedModel", { experimentId: p.e, modelId: p.m }, c.isRoute),
  ],
  // A logged model's tabs (overview, artifacts, traces): its one page here.
  [
    "/experiments/:e/models/:m/:tab",
    (p, _, __, c) => fillTarget("loggedModel", { experimentId: p.e, modelId: p.m }, c.isRoute),
  ],
  [
    "/experiments/:e/evaluation-runs",
    (p, _, q, c) => {
      const run = q.get("selectedRunUuid");
      return run ? runPage(p.e ?? "", run, [], q) : experiment(p.e ?? "", q, c.now, "runs");
    },
  ],
  ["/experiments/:e/evaluation-runs/:r", (p, _, q) => runPage(p.e ?? "", p.r ?? "", [], q)],
  ["/experiments/:e/evaluation-runs/:r/*", (p, _, q) => runPage(p.e ?? "", p.r ?? "", [], q)],
  [
    "/experiments/:e/datasets",
    (p, _, q, c) => {
      const id = q.get("selectedDatasetId");
      return id
        ? fillTarget("evaluationDataset", { experimentId: p.e, datasetId: id }, c.isRoute)
        : fillTarget("evaluationDatasets", { experimentId: p.e }, c.isRoute);
    },
  ],
  [
    "/experiments/:e/datasets/:d",
    (p, _, __, c) => fillTarget("evaluationDataset", { experimentId: p.e, datasetId: p.d }, c.isRoute),
  ],
  [
    "/experiments/:e/judges",
    (p, _, q, c) =>
      fillTarget(
        "judges",
        { experimentId: p.e, scorer: q.get("selectedScorerName") ?? q.get("scorer") ?? undefined },
        c.isRoute,
      ),
  ],
  [
    "/experiments/:e/review-queue",
    (p, _, q, c) =>
      fillTarget("reviewQueue", { experimentId: p.e, queue: q.get("selectedQueueId") ?? undefined }, c.isRoute),
  ],
  [
    "/experiments/:e/labeling-sessions",
    (p, _, q, c) =>
      fillTarget("labelingSessions", { experimentId: p.e, queue: q.get("selectedQueueId") ?? undefined }, c.isRoute),
  ],
  ["/experiments/:e/label-schemas", (p, _, __, c) => fillTarget("labelSchemas", { experimentId: p.e }, c.isRoute)],
  ["/experiments/:e/issues", (p, _, __, c) => fillTarget("issues", { experimentId: p.e }, c.isRoute)],
  ["/experiments/:e/prompts", (p, _, __, c) => fillTarget("experimentPrompts", { experimentId: p.e }, c.isRoute)],
  [
    "/experiments/:e/prompts/:n",
    (p, _, q, c) => fillTarget("experimentPrompt", { experimentId: p.e, promptName: p.n, ...promptView(q) }, c.isRoute),
  ],
  ["/experiments/:e/playground", () => ({ kind: "unsupported", what: "MLflow's prompt playground" })],
  // Any other experiment tab (evaluation-monitoring, single-chat-session, …): the experiment.
  ["/experiments/:e/:tab", (p, _, q, c) => experiment(p.e ?? "", q, c.now)],
  ["/runs/:r", (p, _, q) => ({ kind: "run", runId: p.r ?? "", query: keep(q) })],
  ["/metric/*", (_, rest, q, c) => metricPage(rest, q, c.isRoute)],
  ["/compare-runs", (_, __, q) => go("/compare", new URLSearchParams({ runs: parseList(q.get("runs")).join(",") }))],
  [
    "/compare-experiments/*",
    (_, __, q) => {
      const ids = parseList(q.get("experiments"));
      return ids.length === 1 ? go(`/experiments/${enc(ids[0] ?? "")}`) : go("/experiments");
    },
  ],
  ["/models", (_, __, q) => go("/models", keep(q))],
  ["/models/:n", (p, _, q) => go(`/models/${enc(p.n ?? "")}`, keep(q))],
  ["/models/:n/versions/:v", (p, _, q) => go(`/models/${enc(p.n ?? "")}/versions/${enc(p.v ?? "")}`, keep(q))],
  [
    "/models/:n/compare",
    (p, _, q, c) => fillTarget("compareVersions", { name: p.n, versions: q.get("versions") ?? "" }, c.isRoute),
  ],
  // The model page's subpages (details, serving).
  ["/models/:n/:sub", (p) => go(`/models/${enc(p.n ?? "")}`)],
  ["/models/:n/:sub/:x", (p) => go(`/models/${enc(p.n ?? "")}`)],
  ["/compare-model-versions", (_, __, q, c) => compareVersions(q, c.isRoute)],
  ["/createModel", () => go("/models")],
  ["/prompts", (_, __, ___, c) => fillTarget("prompts", {}, c.isRoute)],
  ["/prompts/:n", (p, _, q, c) => fillTarget("prompt", { promptName: p.n, ...promptView(q) }, c.isRoute)],
  ["/account", (_, __, q) => go("/account", keep(q))],
  ["/admin", () => go("/admin/users")],
  ["/admin/users", (_, __, q) => go("/admin/users", keep(q))],
  ["/admin/roles", (_, __, q) => go("/admin/roles", keep(q))],
  ["/admin/users/:u", () => go("/admin/users")],
  ["/admin/roles/:r", () => go("/admin/roles")],
  ["/admin/ws", () => ({ kind: "unsupported", what: "MLflow's workspace management" })],
  ["/settings/*", () => ({ kind: "unsupported", what: "MLflow's settings (the theme switch is in the top bar)" })],
  ["/gateway/*", () => ({ kind: "unsupported", what: "MLflow's AI gateway, which tracklite does not serve" })],
  ["/mcp-registry/*", () => ({ kind: "unsupported", what: "MLflow's MCP registry" })],
];

/** The prompt page's view in MLflow's URL (prompts-ui reads the same keys). */
function promptView(q: URLSearchParams): Record<string, string | undefined> {
  return {
    promptVersion: q.get("promptVersion") ?? undefined,
    mode: q.get("mode") ?? undefined,
    comparedVersion: q.get("comparedVersion") ?? undefined,
  };
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function matchRule(pattern: string, segs: string[]): { params: Params; rest: string[] } | undefined {
  const parts = pattern.split("/").filter(Boolean);
  const splat = parts.at(-1) === "*";
  if (splat) parts.pop();
  if (splat ? segs.length < parts.length : segs.length !== parts.length) return undefined;
  const params: Params = {};
  for (let i = 0; i < parts.length; i++) {
    const want = parts[i] ?? "";
    const got = segs[i] ?? "";
    if (want.startsWith(":")) params[want.slice(1)] = got;
    else if (want !== got) return undefined;
  }
  return { params, rest: segs.slice(parts.length) };
}

/** The pattern of the rule that takes a path (for the coverage test against MLflow's router), if any. */
export function mlflowRuleFor(path: string): string | undefined {
  const segs = path.split("/").filter(Boolean).map(decode);
  return RULES.find(([pattern]) => matchRule(pattern, segs))?.[0];
}

/**
 * Where an MLflow UI link (the part after `#`: its path and query) goes in tracklite, or undefined when it needs no
 * change (it is already tracklite's URL of that view) or is no route of MLflow's. `now` dates the "Time created"
 * facet's filter; `isRoute` says which {@link TARGETS} are routes of this build (all, by default).
 */
export function translateMlflowLink(
  path: string,
  query: URLSearchParams,
  options: { now?: number; isRoute?: IsRoute } = {},
): LinkTarget | undefined {
  const c: Context = { now: options.now ?? Date.now(), isRoute: options.isRoute ?? (() => true) };
  const segs = path.split("/").filter(Boolean).map(decode);
  for (const [pattern, rule] of RULES) {
    const m = matchRule(pattern, segs);
    if (!m) continue;
    const target = rule(m.params, m.rest, query, c);
    if (target?.kind === "go" && target.path === path && target.query.toString() === query.toString()) return undefined;
    return target;
  }
  return undefined;
}
