import {
  type ChartSettings,
  DEFAULT_CHART_SETTINGS,
  readChartSettings,
  writeChartSettings,
} from "../charts/settings.js";
import {
  DEFAULT_TRACES_VIEW,
  readTracesView,
  type TracesViewState,
  writeTracesView,
} from "../traces/traces-view-state.js";

/**
 * The experiment page's whole view as URL query parameters: every filter, sort, column, selection and chart setting
 * lives in the URL so a view is a link. Defaults are left out of the URL; values that do not parse fall back to the
 * default instead of breaking the page (a hand-edited or old link still opens).
 */

export const TABS = ["runs", "charts", "traces", "models", "datasets"] as const;
export type Tab = (typeof TABS)[number];

/** Run lifecycle filter in the URL (`view=`) and the searchRuns `run_view_type` it stands for. */
export const LIFECYCLES = { active: "ACTIVE_ONLY", deleted: "DELETED_ONLY", all: "ALL" } as const;
export type Lifecycle = keyof typeof LIFECYCLES;

export const METRIC_MODES = ["last", "min", "max"] as const;
export type MetricMode = (typeof METRIC_MODES)[number];

export const COLUMN_KINDS = ["params", "metrics", "tags"] as const;
export type ColumnKind = (typeof COLUMN_KINDS)[number];

/** A param, metric or tag column the user picked; `mode` (metrics only) overrides the global metric mode. */
export interface ChosenColumn {
  kind: ColumnKind;
  key: string;
  mode?: MetricMode;
}

/** Run attributes the server sorts by (searchRuns order_by `attributes.<key>`). */
export const SORT_ATTRIBUTES = ["start_time", "end_time", "run_name", "status", "user_id"] as const;

/** A server-side sort: `key` is `attributes.start_time`, `metrics.loss`, `params.lr` or `tags.x`. */
export interface SortSpec {
  key: string;
  asc: boolean;
}

export const PAGE_SIZES = [100, 1000] as const;
export type PageSize = (typeof PAGE_SIZES)[number];

export interface ViewState {
  tab: Tab;
  /** MLflow filter string, as typed. */
  filter: string;
  sort: SortSpec;
  lifecycle: Lifecycle;
  /** The chosen param/metric/tag columns; undefined means the default choice (metrics and params seen). */
  columns: ChosenColumn[] | undefined;
  metricMode: MetricMode;
  pinned: string[];
  /** Runs hidden from charts. */
  hidden: string[];
  selected: string[];
  /** Parent runs whose children are shown. */
  expanded: string[];
  /** Charts beside the table. */
  beside: boolean;
  pageSize: PageSize;
  /** Chart settings (`cx`, `clog`, `csmooth`, written by the charts module's helpers). */
  chart: ChartSettings;
  /** The Traces tab's filter and order (`tfilter`, `torder`). */
  traces: TracesViewState;
}

export const DEFAULT_SORT: SortSpec = { key: "attributes.start_time", asc: false };

export function defaultViewState(): ViewState {
  return {
    tab: "runs",
    filter: "",
    sort: { ...DEFAULT_SORT },
    lifecycle: "active",
    columns: undefined,
    metricMode: "last",
    pinned: [],
    hidden: [],
    selected: [],
    expanded: [],
    beside: false,
    pageSize: 100,
    chart: { ...DEFAULT_CHART_SETTINGS },
    traces: { ...DEFAULT_TRACES_VIEW },
  };
}

const oneOf = <T extends string>(list: readonly T[], v: string | null): T | undefined =>
  list.includes(v as T) ? (v as T) : undefined;

const ID = /^[\w-]{1,64}$/;

/** Comma-joined run ids; anything that is not an id is dropped, duplicates too. */
function parseIds(v: string | null): string[] {
  if (!v) return [];
  return [...new Set(v.split(",").filter((id) => ID.test(id)))];
}

/** `metrics.loss` → {kind: "metrics", key: "loss"}; undefined for anything else. */
export function parseColumnId(id: string): { kind: ColumnKind; key: string } | undefined {
  const dot = id.indexOf(".");
  if (dot <= 0) return undefined;
  const kind = oneOf(COLUMN_KINDS, id.slice(0, dot));
  const key = id.slice(dot + 1);
  return kind && key ? { kind, key } : undefined;
}

export const columnId = (c: { kind: ColumnKind; key: string }) => `${c.kind}.${c.key}`;

/** Splits a `~suffix` off the end of a value when it is one of `allowed` (MLflow keys never contain `~`). */
function splitSuffix<T extends string>(v: string, allowed: readonly T[]): [string, T | undefined] {
  const i = v.lastIndexOf("~");
  if (i < 0) return [v, undefined];
  const suffix = oneOf(allowed, v.slice(i + 1));
  return suffix ? [v.slice(0, i), suffix] : [v, undefined];
}

function parseColumn(v: string): ChosenColumn | undefined {
  const [id, mode] = splitSuffix(v, METRIC_MODES);
  const c = parseColumnId(id);
  if (!c) return undefined;
  return mode && c.kind === "metrics" ? { ...c, mode } : c;
}

function parseSort(v: string | null): SortSpec | undefined {
  if (!v) return undefined;
  const [key, dir] = splitSuffix(v, ["asc", "desc"] as const);
  const asc = dir === "asc";
  if (key.startsWith("attributes.")) {
    return oneOf(SORT_ATTRIBUTES, key.slice("attributes.".length)) ? { key, asc } : undefined;
  }
  return parseColumnId(key) ? { key, asc } : undefined;
}

/** Reads the view from the page's query; every missing or bad value gives its default. */
export function parseViewState(q: URLSearchParams): ViewState {
  const s = defaultViewState();
  s.tab = oneOf(TABS, q.get("tab")) ?? s.tab;
  s.filter = q.get("filter") ?? "";
  s.sort = parseSort(q.get("sort")) ?? s.sort;
  s.lifecycle = oneOf(Object.keys(LIFECYCLES) as Lifecycle[], q.get("view")) ?? s.lifecycle;
  const cols = q.getAll("col");
  if (cols.length > 0) {
    // `col=-` is the explicit empty choice (an empty value would be dropped from the URL).
    const seen = new Set<string>();
    s.columns = [];
    for (const v of cols) {
      const c = v === "-" ? undefined : parseColumn(v);
      if (!c || seen.has(columnId(c))) continue;
      seen.add(columnId(c));
      s.columns.push(c);
    }
  }
  s.metricMode = oneOf(METRIC_MODES, q.get("mm")) ?? s.metricMode;
  s.pinned = parseIds(q.get("pin"));
  s.hidden = parseIds(q.get("hide"));
  s.selected = parseIds(q.get("sel"));
  s.expanded = parseIds(q.get("open"));
  s.beside = q.get("beside") === "1";
  const ps = Number(q.get("ps"));
  s.pageSize = PAGE_SIZES.includes(ps as PageSize) ? (ps as PageSize) : s.pageSize;
  s.chart = readChartSettings(q);
  s.traces = readTracesView(q);
  return s;
}

/** Writes the view as query parameters, leaving out every default. */
export function serializeViewState(s: ViewState): URLSearchParams {
  const d = defaultViewState();
  const q = new URLSearchParams();
  if (s.tab !== d.tab) q.set("tab", s.tab);
  if (s.filter) q.set("filter", s.filter);
  if (s.sort.key !== d.sort.key || s.sort.asc !== d.sort.asc)
    q.set("sort", `${s.sort.key}~${s.sort.asc ? "asc" : "desc"}`);
  if (s.lifecycle !== d.lifecycle) q.set("view", s.lifecycle);
  if (s.columns) {
    if (s.columns.length === 0) q.append("col", "-");
    for (const c of s.columns) q.append("col", c.mode ? `${columnId(c)}~${c.mode}` : columnId(c));
  }
  if (s.metricMode !== d.metricMode) q.set("mm", s.metricMode);
  if (s.pinned.length) q.set("pin", s.pinned.join(","));
  if (s.hidden.length) q.set("hide", s.hidden.join(","));
  if (s.selected.length) q.set("sel", s.selected.join(","));
  if (s.expanded.length) q.set("open", s.expanded.join(","));
  if (s.beside) q.set("beside", "1");
  if (s.pageSize !== d.pageSize) q.set("ps", String(s.pageSize));
  return writeTracesView(writeChartSettings(q, s.chart), s.traces);
}

/** A key as the search grammar wants it: bare when it is a plain identifier, else in backticks. */
export function quoteKey(key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? key : `\`${key}\``;
}

/** The searchRuns `order_by` clause of a sort: `attributes.start_time DESC`, ``metrics.`val/loss` ASC``. */
export function orderByClause(sort: SortSpec): string {
  const dot = sort.key.indexOf(".");
  const entity = sort.key.slice(0, dot);
  const key = sort.key.slice(dot + 1);
  const name = entity === "attributes" ? key : quoteKey(key);
  return `${entity}.${name} ${sort.asc ? "ASC" : "DESC"}`;
}
