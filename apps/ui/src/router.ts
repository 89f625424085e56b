import { hasMlflowQuery } from "./mlflow-links-keys.js";

/**
 * Hash routing: `#/path?query`. The query holds a page's whole view (filter, sort, columns, selection, chart
 * settings), so every view is a link. Pages are custom elements loaded on first use, except the experiments list.
 */

export interface Route {
  /** e.g. `/experiments/:experimentId` */
  pattern: string;
  /** The custom element's tag. */
  tag: string;
  /** Loads the module that defines the element (absent for eagerly loaded pages). */
  load?: () => Promise<unknown>;
}

export interface Location {
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  route: Route | undefined;
}

export const ROUTES: Route[] = [
  { pattern: "/", tag: "tl-experiments-page" },
  { pattern: "/experiments", tag: "tl-experiments-page" },
  {
    pattern: "/experiments/:experimentId",
    tag: "tl-experiment-page",
    load: () => import("./pages/experiment-page.js"),
  },
  {
    pattern: "/experiments/:experimentId/runs/:runId",
    tag: "tl-run-page",
    load: () => import("./pages/run-page.js"),
  },
  {
    pattern: "/experiments/:experimentId/traces/:traceId",
    tag: "tl-trace-page",
    load: () => import("./traces/trace-page.js"),
  },
  { pattern: "/compare", tag: "tl-compare-page", load: () => import("./pages/compare-page.js") },
  { pattern: "/models", tag: "tl-models-page", load: () => import("./pages/models-page.js") },
  { pattern: "/models/:name", tag: "tl-model-page", load: () => import("./pages/model-page.js") },
  {
    pattern: "/models/:name/versions/:version",
    tag: "tl-model-version-page",
    load: () => import("./pages/model-version-page.js"),
  },
  { pattern: "/account", tag: "tl-account-page", load: () => import("./auth/account-page.js") },
  { pattern: "/admin/:tab", tag: "tl-admin-page", load: () => import("./auth/admin-page.js") },
  { pattern: "/embed/chart", tag: "tl-embed-chart", load: () => import("./pages/embed-chart.js") },
  { pattern: "/embed/run/:runId", tag: "tl-embed-run", load: () => import("./pages/embed-run.js") },
  // prompts-ui (issue 15): the prompt registry, at MLflow's own UI paths (global and experiment-scoped). The
  // prompt page takes `?promptVersion=` (MLflow's name) and `&mode=compare&comparedVersion=` for the diff.
  { pattern: "/prompts", tag: "tl-prompts-page", load: () => import("./prompts/prompts-page.js") },
  { pattern: "/prompts/:promptName", tag: "tl-prompt-page", load: () => import("./prompts/prompt-page.js") },
  {
    pattern: "/experiments/:experimentId/prompts",
    tag: "tl-prompts-page",
    load: () => import("./prompts/prompts-page.js"),
  },
  {
    pattern: "/experiments/:experimentId/prompts/:promptName",
    tag: "tl-prompt-page",
    load: () => import("./prompts/prompt-page.js"),
  },
  // models-ui: a logged model's page (MLflow's own path) and "compare versions" of a registered model.
  {
    pattern: "/experiments/:experimentId/models/:loggedModelId",
    tag: "tl-logged-model-page",
    load: () => import("./pages/logged-model-page.js"),
  },
  {
    pattern: "/models/:name/compare",
    tag: "tl-compare-versions-page",
    load: () => import("./pages/compare-versions-page.js"),
  },
  // GenAI views (issue 15, genai-ui): MLflow's own paths; one lazily loaded chunk (FEATURES entry `genai`).
  { pattern: "/experiments/:experimentId/datasets", tag: "tl-genai-datasets-page", load: () => loadGenai() },
  { pattern: "/experiments/:experimentId/datasets/:datasetId", tag: "tl-genai-dataset-page", load: () => loadGenai() },
  { pattern: "/experiments/:experimentId/judges", tag: "tl-genai-judges-page", load: () => loadGenai() },
  { pattern: "/experiments/:experimentId/review-queue", tag: "tl-genai-review-page", load: () => loadGenai() },
];

/** The GenAI views' chunk (one import for its four routes). */
function loadGenai() {
  return import("./genai/index.js");
}

function match(pattern: string, path: string): Record<string, string> | undefined {
  const p = pattern.split("/").filter(Boolean);
  const s = path.split("/").filter(Boolean);
  if (p.length !== s.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < p.length; i++) {
    const want = p[i] ?? "";
    const got = s[i] ?? "";
    if (want.startsWith(":")) params[want.slice(1)] = decodeURIComponent(got);
    else if (want !== got) return undefined;
  }
  return params;
}

/** Where the browser is now. */
export function currentLocation(): Location {
  const hash = location.hash.replace(/^#/, "") || "/";
  const [rawPath = "/", rawQuery = ""] = hash.split("?", 2);
  const path = rawPath || "/";
  const found = findRoute(path);
  return { path, params: found?.params ?? {}, query: new URLSearchParams(rawQuery), route: found?.route };
}

/** The route a path (no query) matches, with its params. */
export function findRoute(path: string): { route: Route; params: Record<string, string> } | undefined {
  for (const route of ROUTES) {
    const params = match(route.pattern, path);
    if (params) return { route, params };
  }
  return undefined;
}

/**
 * Whether the location may be a link of MLflow's own UI to translate (mlflow-links.ts, loaded only then): its path is
 * no tracklite route, or its query carries MLflow's keys (`searchFilter`, `compareRunsMode`, …).
 */
export function isMlflowLink(loc: Location): boolean {
  return !loc.route || hasMlflowQuery(loc.query);
}

/** The href of a route, e.g. `href("/experiments/1", { filter: "..." })`. Empty query values are dropped. */
export function href(path: string, query?: URLSearchParams | Record<string, string | undefined>): string {
  const q = new URLSearchParams();
  const entries = query instanceof URLSearchParams ? [...query] : Object.entries(query ?? {});
  for (const [k, v] of entries) if (v !== undefined && v !== "") q.append(k, v);
  const qs = q.toString();
  return `#${path}${qs ? `?${qs}` : ""}`;
}

/**
 * Goes to a route. `replace` rewrites the current history entry: pages use it to record view changes (a new filter,
 * a sort) in the URL without filling the back button with every keystroke.
 */
export function navigate(path: string, query?: URLSearchParams | Record<string, string | undefined>, replace = false) {
  const target = href(path, query);
  if (replace) {
    history.replaceState(history.state, "", target);
    window.dispatchEvent(new HashChangeEvent("hashchange"));
  } else {
    location.hash = target.slice(1);
  }
}

/** Path segment encoding for names with slashes or spaces (model names, say). */
export const seg = (s: string) => encodeURIComponent(s);
