import * as z from "zod";
import { int64 } from "./wire.js";

/**
 * Trace analytics: aggregated metrics over traces, spans and assessments (the UI's Overview charts), and the NPMI
 * correlation between two trace filters.
 * @see mlflow/protos/service.proto QueryTraceMetrics, CalculateTraceFilterCorrelation
 */

export const METRIC_VIEW_TYPES = ["TRACES", "SPANS", "ASSESSMENTS"] as const;
export type MetricViewType = (typeof METRIC_VIEW_TYPES)[number];

export const AGGREGATION_TYPES = ["COUNT", "SUM", "AVG", "PERCENTILE", "MIN", "MAX"] as const;
export type AggregationType = (typeof AGGREGATION_TYPES)[number];

/** A protobuf enum in JSON: its name, or its number (1-based here). */
const enumOf = <T extends readonly [string, ...string[]]>(names: T) => z.union([z.enum(names), z.number().int()]);

export const MetricAggregation = z.object({
  aggregation_type: enumOf(AGGREGATION_TYPES).optional(),
  percentile_value: z.number().optional(),
});
export type MetricAggregation = z.infer<typeof MetricAggregation>;

export const QueryTraceMetrics = z.object({
  experiment_ids: z.array(z.string()).optional(),
  view_type: enumOf(METRIC_VIEW_TYPES).optional(),
  metric_name: z.string().optional(),
  aggregations: z.array(MetricAggregation).optional(),
  dimensions: z.array(z.string()).optional(),
  filters: z.array(z.string()).optional(),
  time_interval_seconds: int64.optional(),
  start_time_ms: int64.optional(),
  end_time_ms: int64.optional(),
  max_results: int64.optional(),
  page_token: z.string().optional(),
});
export type QueryTraceMetrics = z.infer<typeof QueryTraceMetrics>;

/** One group's values: `dimensions` holds `time_bucket` (ISO 8601) when bucketed; `values` is keyed `AVG`, `P50.0`… */
export const MetricDataPoint = z.object({
  metric_name: z.string(),
  dimensions: z.record(z.string(), z.string()).optional(),
  values: z.record(z.string(), z.number()).optional(),
});
export type MetricDataPoint = z.infer<typeof MetricDataPoint>;

export const QueryTraceMetricsResponse = z.object({
  data_points: z.array(MetricDataPoint).optional(),
  next_page_token: z.string().optional(),
});

export const CalculateTraceFilterCorrelation = z.object({
  experiment_ids: z.array(z.string()).optional(),
  filter_string1: z.string().optional(),
  filter_string2: z.string().optional(),
  base_filter: z.string().optional(),
});

/** The counts always; `npmi` and `npmi_smoothed` left out when undefined (NaN). */
export const CalculateTraceFilterCorrelationResponse = z.object({
  npmi: z.number().optional(),
  npmi_smoothed: z.number().optional(),
  filter1_count: z.number(),
  filter2_count: z.number(),
  joint_count: z.number(),
  total_count: z.number(),
});
export type CalculateTraceFilterCorrelationResponse = z.infer<typeof CalculateTraceFilterCorrelationResponse>;
