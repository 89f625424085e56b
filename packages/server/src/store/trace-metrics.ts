import type { InValue } from "@libsql/client";
import type { AggregationType, MetricDataPoint, MetricViewType } from "@tracklite/schemas";
import { invalidParameter } from "../errors.js";
import { DIMENSIONS, METRICS } from "../traces/metric-config.js";
import { type MetricFilter, parseMetricFilter } from "../traces/metric-filters.js";
import { pyIsoformat } from "../webhooks/python-json.js";
import type { DbHandle } from "./db.js";
import { parseExperimentId } from "./ids.js";
import {
  type CorrelationArgs,
  calculateTraceFilterCorrelation,
  type TraceFilterCompiler,
} from "./trace-correlation.js";
import { experimentsInWorkspace } from "./workspace-scope.js";

/** One aggregation, checked: PERCENTILE carries its percentile (0–100). */
export interface Aggregation {
  type: AggregationType;
  percentile?: number;
}

export interface TraceMetricsQuery {
  experimentIds: string[];
  viewType: MetricViewType;
  metricName: string;
  aggregations: Aggregation[];
  dimensions: string[];
  filters: string[];
  timeIntervalSeconds: number | undefined;
  startTimeMs: number | undefined;
  endTimeMs: number | undefined;
  maxResults: number;
}

/** The reference's default page: every group up to 1000. */
export const MAX_RESULTS_QUERY_TRACE_METRICS = 1000;

const TIME_BUCKET = "time_bucket";

/** Python's `str(sorted(list_of_str))`. */
const pyList = (xs: Iterable<string>) => `[${[...xs].map((x) => `'${x}'`).join(", ")}]`;

/** Python's `str(MetricAggregation)`: `AVG`, or `P50.0` (the percentile is a float). */
export function aggregationLabel(a: Aggregation): string {
  if (a.type !== "PERCENTILE") return a.type;
  const p = a.percentile ?? 0;
  return `P${Number.isInteger(p) ? `${p}.0` : String(p)}`;
}

/** @see sql_trace_metrics_utils.py validate_query_trace_metrics_params */
function validate(q: TraceMetricsQuery) {
  const view = METRICS[q.viewType];
  const config = view[q.metricName];
  if (!config) throw invalidParameter(`metric_name must be one of ${pyList(Object.keys(view))}, got '${q.metricName}'`);
  const invalidAggs = [...new Set(q.aggregations.map((a) => a.type))].filter((t) => !config.aggregations.includes(t));
  if (invalidAggs.length > 0)
    throw invalidParameter(
      `Found invalid aggregation_type(s): ${pyList(invalidAggs.sort())}. Supported aggregation types: ${pyList([...config.aggregations].sort())}`,
    );
  const invalidDims = [...new Set(q.dimensions)].filter((d) => !config.dimensions.includes(d));
  if (invalidDims.length > 0)
    throw invalidParameter(
      `Found invalid dimension(s): ${pyList(invalidDims.sort())}. Supported dimensions: ${pyList([...config.dimensions].sort())}`,
    );
  if (q.timeIntervalSeconds && (q.startTimeMs === undefined || q.endTimeMs === undefined))
    throw invalidParameter("start_time_ms and end_time_ms are required if time_interval_seconds is set");
  return config;
}

/** The WHERE condition of one filter. @see sql_trace_metrics_utils.py _apply_filters */
function filterSql(f: MetricFilter, view: MetricViewType): { sql: string; args: InValue[] } {
  if (f.view === "span" && view !== "SPANS")
    throw invalidParameter(`Filtering by span is only supported for SPANS view type, got ${view}`);
  if (f.view === "assessment" && view !== "ASSESSMENTS")
    throw invalidParameter(`Filtering by assessment is only supported for ASSESSMENTS view type, got ${view}`);
  if (f.view === "span") return { sql: `s.${f.entity} = ?`, args: [f.value] };
  if (f.view === "assessment")
    return { sql: f.entity === "name" ? "a.name = ?" : "a.assessment_type = ?", args: [f.value] };
  if (f.entity === "status") return { sql: "t.status = ?", args: [f.value] };
  if (f.entity === "tag") {
    if (f.key === "mlflow.traceName") return { sql: "t.trace_name = ?", args: [f.value] };
    return {
      sql: "EXISTS (SELECT 1 FROM trace_tags tt WHERE tt.trace_row = t.id AND tt.key = ? AND tt.value = ?)",
      args: [f.key ?? "", f.value],
    };
  }
  if (f.key === "mlflow.trace.session") return { sql: "t.session_id = ?", args: [f.value] };
  const metadata =
    "EXISTS (SELECT 1 FROM trace_request_metadata tm WHERE tm.trace_row = t.id AND tm.key = ? AND tm.value = ?)";
  if (f.key === "mlflow.sourceRun") {
    // Traces linked to the run afterwards (link-to-run) are associated, not tagged.
    return {
      sql: `(${metadata} OR EXISTS (SELECT 1 FROM entity_associations ea WHERE ea.source_type = 'TRACE' AND ea.source_id = t.request_id AND ea.destination_type = 'RUN' AND ea.destination_id = ?))`,
      args: [f.key, f.value, f.value],
    };
  }
  return { sql: metadata, args: [f.key ?? "", f.value] };
}

/**
 * QueryTraceMetrics over the trace tables: the metric's column, filtered, grouped by the time bucket and the
 * dimensions (ordered by them), each aggregation computed per group; percentiles interpolate linearly as numpy's
 * default (and the reference's SQLite aggregate) do.
 * @see mlflow/store/tracking/utils/sql_trace_metrics_utils.py query_metrics
 */
export async function queryTraceMetrics(h: DbHandle, q: TraceMetricsQuery): Promise<MetricDataPoint[]> {
  const config = validate(q);
  const experiments = await experimentsInWorkspace(h, q.experimentIds.map(parseExperimentId));
  const where: string[] = [`t.experiment_id IN (SELECT value FROM json_each(?))`];
  const args: InValue[] = [JSON.stringify(experiments)];
  let from = "trace_info t";
  if (q.viewType === "SPANS") from = "spans s JOIN trace_info t ON t.id = s.trace_row";
  if (q.viewType === "ASSESSMENTS") {
    from = "assessments a JOIN trace_info t ON t.id = a.trace_row";
    // Overridden assessments are left out, so that an override chain counts once.
    where.push("a.valid = 1");
  }
  for (const text of q.filters) {
    const f = filterSql(parseMetricFilter(text), q.viewType);
    where.push(f.sql);
    args.push(...f.args);
  }
  // Span costs are dated by the span's start; every other metric by its trace's time.
  const timeMs = config.spanTime ? "(s.start_time_unix_nano / 1000000)" : "t.timestamp_ms";
  if (q.startTimeMs !== undefined) {
    where.push(`${timeMs} >= ?`);
    args.push(q.startTimeMs);
  }
  if (q.endTimeMs !== undefined) {
    where.push(`${timeMs} <= ?`);
    args.push(q.endTimeMs);
  }
  where.push(`${config.column} IS NOT NULL`);

  const groups: { name: string; sql: string }[] = [];
  if (q.timeIntervalSeconds) {
    const bucketMs = q.timeIntervalSeconds * 1000;
    // Spans are bucketed by their own start, whatever the range filtered on (the reference's bucket expression).
    const bucketTime = q.viewType === "SPANS" ? "(s.start_time_unix_nano / 1000000)" : "t.timestamp_ms";
    groups.push({
      name: TIME_BUCKET,
      sql: `(CAST(floor(${bucketTime} * 1.0 / ${bucketMs}) AS INTEGER) * ${bucketMs})`,
    });
  }
  const dims = DIMENSIONS[q.viewType];
  for (const d of q.dimensions) {
    const sql = dims[d] ?? "NULL";
    groups.push({ name: d, sql });
    where.push(`${sql} IS NOT NULL`);
  }

  const groupCols = groups.map((g, i) => `${g.sql} AS g${i}`);
  const partition = groups.length > 0 ? `PARTITION BY ${groups.map((_, i) => `g${i}`).join(", ")}` : "";
  const needsRank = q.aggregations.some((a) => a.type === "PERCENTILE");
  const base = `SELECT ${[...groupCols, `${config.column} AS v`].join(", ")} FROM ${from} WHERE ${where.join(" AND ")}`;
  const ranked = needsRank
    ? `SELECT *, ROW_NUMBER() OVER (${partition} ORDER BY v) - 1 AS rn, COUNT(*) OVER (${partition}) AS n FROM (${base})`
    : base;
  const aggSql = q.aggregations.map((a) => {
    switch (a.type) {
      case "COUNT":
        return config.distinct ? "COUNT(DISTINCT v)" : "COUNT(v)";
      case "PERCENTILE": {
        const p = (a.percentile ?? 0) / 100;
        const pos = `(${p} * (n - 1))`;
        const lo = `CAST(${pos} AS INTEGER)`;
        return `(MAX(CASE WHEN rn = ${lo} THEN v END) + (MAX(CASE WHEN rn = min(${lo} + 1, n - 1) THEN v END) - MAX(CASE WHEN rn = ${lo} THEN v END)) * MAX(${pos} - ${lo}))`;
      }
      default:
        return `${a.type}(v)`;
    }
  });
  const groupBy =
    groups.length > 0
      ? ` GROUP BY ${groups.map((_, i) => `g${i}`).join(", ")} ORDER BY ${groups.map((_, i) => `g${i}`).join(", ")}`
      : "";
  const sql = `SELECT ${[...groups.map((_, i) => `g${i}`), ...aggSql.map((s, i) => `${s} AS a${i}`)].join(", ")} FROM (${ranked})${groupBy} LIMIT ?`;
  const rs = await h.client.execute({ sql, args: [...args, q.maxResults] });

  const points: MetricDataPoint[] = [];
  for (const row of rs.rows) {
    const dimensions: Record<string, string> = {};
    groups.forEach((g, i) => {
      const v = row[`g${i}`];
      dimensions[g.name] = g.name === TIME_BUCKET ? pyIsoformat(Number(v)) : String(v);
    });
    const values: Record<string, number> = {};
    q.aggregations.forEach((a, i) => {
      const v = row[`a${i}`];
      if (v !== null && v !== undefined) values[aggregationLabel(a)] = Number(v);
    });
    if (Object.keys(values).length === 0) continue;
    points.push({ metric_name: q.metricName, ...(groups.length > 0 ? { dimensions } : {}), values });
  }
  return points;
}

/** Trace analytics over the trace tables: metrics and filter correlation. */
export class TraceMetricsStore {
  constructor(private readonly h: DbHandle) {}

  query(q: TraceMetricsQuery): Promise<MetricDataPoint[]> {
    return queryTraceMetrics(this.h, q);
  }

  correlation(args: CorrelationArgs, compile: TraceFilterCompiler) {
    return calculateTraceFilterCorrelation(this.h, args, compile);
  }
}
