import { formatDuration, formatNumber } from "../lib/format.js";
import { type RunRow, runDuration, shortSource } from "./run-fields.js";
import type { ChosenColumn, ColumnKind, MetricMode } from "./view-state.js";

export type ColumnGroup = "run" | ColumnKind;

export const FIXED_COLUMNS = ["status", "created", "duration", "user", "source", "dataset", "models"] as const;
export type FixedColumn = (typeof FIXED_COLUMNS)[number];

/** One column of the runs table after the sticky run-name column. */
export interface ColumnDef {
  /** Unique: `status`, `params.lr`, `metrics.loss`. */
  id: string;
  label: string;
  group: ColumnGroup;
  width: number;
  /** The view-state sort key the header sorts by; absent when the server cannot sort by it. */
  sortKey?: string;
  fixed?: FixedColumn;
  kind?: ColumnKind;
  key?: string;
  /** The metric value shown (metrics only): the column's own mode, else the global one. */
  mode?: MetricMode;
  /** True when the column picked its own mode (the header shows it). */
  ownMode?: boolean;
}

const FIXED: Record<FixedColumn, { label: string; width: number; sortKey?: string }> = {
  status: { label: "Status", width: 104, sortKey: "attributes.status" },
  created: { label: "Created", width: 100, sortKey: "attributes.start_time" },
  duration: { label: "Duration", width: 80 },
  user: { label: "User", width: 92, sortKey: "attributes.user_id" },
  source: { label: "Source", width: 120, sortKey: "tags.mlflow.source.name" },
  dataset: { label: "Dataset", width: 116 },
  models: { label: "Models", width: 168 },
};

/** Default chosen columns when the URL has none: the metrics (not `system/`) and params seen, up to 40 of each. */
export function defaultColumns(keys: Record<ColumnKind, string[]>): ChosenColumn[] {
  return [
    ...keys.metrics
      .filter((k) => !k.startsWith("system/"))
      .slice(0, 40)
      .map((key) => ({ kind: "metrics" as const, key })),
    ...keys.params.slice(0, 40).map((key) => ({ kind: "params" as const, key })),
  ];
}

const GROUP_ORDER: Record<ColumnKind, number> = { metrics: 0, params: 1, tags: 2 };

/** The table's columns: the fixed ones, then the chosen ones grouped as Metrics, Params, Tags (chosen order kept). */
export function buildColumns(chosen: readonly ChosenColumn[], metricMode: MetricMode): ColumnDef[] {
  const fixed = FIXED_COLUMNS.map((f) => ({ id: f, group: "run" as const, fixed: f, ...FIXED[f] }));
  const rest = [...chosen]
    .sort((a, b) => GROUP_ORDER[a.kind] - GROUP_ORDER[b.kind])
    .map((c): ColumnDef => {
      const id = `${c.kind}.${c.key}`;
      const base = { id, label: c.key, group: c.kind, kind: c.kind, key: c.key, sortKey: id };
      if (c.kind === "metrics") return { ...base, width: 112, mode: c.mode ?? metricMode, ownMode: !!c.mode };
      return { ...base, width: c.kind === "tags" ? 140 : 112 };
    });
  return [...fixed, ...rest];
}

/** Min, max and last of one metric of one run (from getMetricSummaries). */
export interface MetricSummary {
  min: number;
  max: number;
  last: number;
}

export type SummaryLookup = (runId: string, key: string) => MetricSummary | undefined;

/**
 * A metric cell's number: the latest value from searchRuns, or min/max from the summaries. `undefined` when the
 * run has no such metric; `null` while its min/max is not loaded yet.
 */
export function metricValue(
  row: RunRow,
  key: string,
  mode: MetricMode,
  summaries: SummaryLookup,
): number | undefined | null {
  const latest = row.metrics[key];
  if (!latest) return undefined;
  if (mode === "last") return latest.value;
  const s = summaries(row.id, key);
  return s ? s[mode] : null;
}

/** What a cell shows (text) and its tooltip (the full value). Status and times are drawn by components instead. */
export function cellText(
  col: ColumnDef,
  row: RunRow,
  summaries: SummaryLookup,
  now = Date.now(),
): { text: string; title: string } {
  switch (col.fixed) {
    case "status":
      return { text: row.status, title: row.status };
    case "created":
      return { text: row.start ? new Date(row.start).toISOString() : "", title: "" };
    case "duration": {
      const d = runDuration(row, now);
      return { text: formatDuration(d), title: d === undefined ? "" : `${d} ms` };
    }
    case "user":
      return { text: row.user, title: row.user };
    case "source":
      return { text: shortSource(row.source), title: row.source };
    case "dataset":
      return { text: row.datasets.join(", "), title: row.datasets.join("\n") };
    case "models":
      return { text: row.models.map(shortModel).join(", "), title: row.models.join("\n") };
  }
  const key = col.key ?? "";
  if (col.kind === "metrics") {
    const v = metricValue(row, key, col.mode ?? "last", summaries);
    if (v === undefined) return { text: "", title: "" };
    if (v === null) return { text: "…", title: `Loading ${col.mode} of ${key}` };
    const step = row.metrics[key]?.step;
    const full = `${v}${col.mode === "last" && step !== undefined ? ` (step ${step})` : ` (${col.mode})`}`;
    return { text: formatNumber(v), title: full };
  }
  const v = (col.kind === "params" ? row.params : row.tags)[key];
  return { text: v ?? "", title: v ?? "" };
}

/** A logged-model id shortened for a cell (`m-0123abcd`); artifact paths stay as they are. */
export function shortModel(id: string): string {
  return /^m-[0-9a-f]{12,}$/.test(id) ? id.slice(0, 10) : id;
}

/** True for values that read as numbers (right-aligned with tabular figures). */
export const looksNumeric = (s: string) =>
  s !== "" && /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$|^-?(NaN|Infinity)$/.test(s);

/** The CSV of some runs and columns: run name and id first, full values (not shortened), times as ISO 8601. */
export function csvTable(
  rows: readonly RunRow[],
  cols: readonly ColumnDef[],
  summaries: SummaryLookup,
  now = Date.now(),
): { header: string[]; body: string[][] } {
  const header = [
    "Run name",
    "Run ID",
    ...cols.map((c) => {
      if (c.fixed === "duration") return "Duration (s)";
      if (c.kind) return `${c.kind}.${c.key}${c.kind === "metrics" && c.mode !== "last" ? ` (${c.mode})` : ""}`;
      return c.label;
    }),
  ];
  const body = rows.map((r) => [
    r.name,
    r.id,
    ...cols.map((c) => {
      if (c.fixed === "duration") {
        const d = runDuration(r, now);
        return d === undefined ? "" : String(d / 1000);
      }
      if (c.fixed === "source") return r.source;
      if (c.fixed === "dataset") return r.datasets.join("; ");
      if (c.fixed === "models") return r.models.join("; ");
      if (c.kind === "metrics") {
        const v = metricValue(r, c.key ?? "", c.mode ?? "last", summaries);
        return v === undefined || v === null ? "" : String(v);
      }
      return cellText(c, r, summaries, now).text;
    }),
  ]);
  return { header, body };
}
