import {
  AGGREGATION_TYPES,
  type AggregationType,
  METRIC_VIEW_TYPES,
  type MetricAggregation,
  type MetricViewType,
} from "@tracklite/schemas";
import type { Hono } from "hono";
import { clientCrash } from "../errors.js";
import { mount } from "../http/mount.js";
import type { Store } from "../store/index.js";
import { type Aggregation, MAX_RESULTS_QUERY_TRACE_METRICS } from "../store/trace-metrics.js";
import { compileTraceFilter } from "../traces/correlation-filter.js";
import { storeIn } from "../workspaces/middleware.js";

/** A proto enum field as the handler reads it: a name or number; unknown values and no value are the first member. */
function enumValue<T extends string>(names: readonly T[], v: string | number | undefined): T {
  if (typeof v === "number") return names[v - 1] ?? (names[0] as T);
  return names.includes(v as T) ? (v as T) : (names[0] as T);
}

/**
 * `MetricAggregation.from_proto`: a PERCENTILE needs a percentile in [0, 100], the others none. The reference raises
 * a bare ValueError there (HTTP 500); tracklite answers 400 with its message.
 */
function aggregationOf(a: MetricAggregation): Aggregation {
  const type: AggregationType = enumValue(AGGREGATION_TYPES, a.aggregation_type);
  const p = a.percentile_value;
  if (type === "PERCENTILE") {
    if (p === undefined) throw clientCrash("Percentile value is required for PERCENTILE aggregation");
    if (p > 100 || p < 0) throw clientCrash(`Percentile value must be between 0 and 100, got ${p}`);
    return { type, percentile: p };
  }
  if (p !== undefined)
    throw clientCrash(`Percentile value is only allowed for PERCENTILE aggregation type, got ${type}`);
  return { type };
}

/** /mlflow/traces/metrics and /mlflow/traces/calculate-filter-correlation (3.0 prefixes only). */
export function traceMetricRoutes(v3: Hono, store: Store): void {
  const at = storeIn(store);

  mount(v3, "queryTraceMetrics", async (r, c) => {
    const viewType: MetricViewType = enumValue(METRIC_VIEW_TYPES, r.view_type);
    const points = await at(c).traceMetrics.query({
      experimentIds: r.experiment_ids ?? [],
      viewType,
      metricName: r.metric_name ?? "",
      aggregations: (r.aggregations ?? []).map(aggregationOf),
      dimensions: r.dimensions ?? [],
      filters: r.filters ?? [],
      timeIntervalSeconds: r.time_interval_seconds || undefined,
      startTimeMs: r.start_time_ms,
      endTimeMs: r.end_time_ms,
      maxResults: r.max_results ?? MAX_RESULTS_QUERY_TRACE_METRICS,
    });
    // The reference pages nothing yet (its TODO): no next_page_token.
    return points.length > 0 ? { data_points: points } : {};
  });

  mount(v3, "calculateTraceFilterCorrelation", async (r, c) =>
    at(c).traceMetrics.correlation(
      {
        experimentIds: r.experiment_ids ?? [],
        filter1: r.filter_string1 ?? "",
        filter2: r.filter_string2 ?? "",
        baseFilter: r.base_filter || undefined,
      },
      compileTraceFilter,
    ),
  );
}
