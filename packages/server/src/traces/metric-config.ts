import type { AggregationType, MetricViewType } from "@tracklite/schemas";

/**
 * Which metrics each view offers, their aggregations and dimensions (the reference's lists, in its order, for its
 * messages), and the SQL each reads. Aliases: `t` trace_info, `s` spans, `a` assessments.
 * @see mlflow/store/tracking/utils/sql_trace_metrics_utils.py TRACES_METRICS_CONFIGS, _get_column_to_aggregate
 */
export interface MetricConfig {
  aggregations: readonly AggregationType[];
  dimensions: readonly string[];
  /** The SQL expression aggregated; null rows are left out before grouping. */
  column: string;
  /** COUNT(DISTINCT …) rather than COUNT(…). */
  distinct?: boolean;
  /** Span metrics whose time is the span's own start rather than its trace's. */
  spanTime?: boolean;
}

const NUMERIC: readonly AggregationType[] = ["SUM", "AVG", "MIN", "MAX", "PERCENTILE"];
const STATS: readonly AggregationType[] = ["AVG", "MIN", "MAX", "PERCENTILE"];

/** A JSON field of the trace's `mlflow.trace.tokenUsage` metadata (cache counts have no column of their own). */
const tokenUsage = (field: string) =>
  `(SELECT json_extract(m.value, '$.${field}') FROM trace_request_metadata m WHERE m.trace_row = t.id AND m.key = 'mlflow.trace.tokenUsage' AND json_valid(m.value))`;

/** A span attribute's value (MLflow writes them as JSON text) out of the span's OTLP JSON. */
export const spanAttribute = (key: string) =>
  `(SELECT CASE WHEN json_valid(json_extract(at.value, '$.value.string_value')) THEN json_extract(json_extract(at.value, '$.value.string_value'), '$') END FROM json_each(s.content, '$.attributes') at WHERE json_extract(at.value, '$.key') = '${key}')`;

const spanCost = (field: string) =>
  `(SELECT CASE WHEN json_valid(json_extract(at.value, '$.value.string_value')) THEN json_extract(json_extract(at.value, '$.value.string_value'), '$.${field}') END FROM json_each(s.content, '$.attributes') at WHERE json_extract(at.value, '$.key') = 'mlflow.llm.cost')`;

const tokens = (column: string): MetricConfig => ({ aggregations: NUMERIC, dimensions: ["trace_name"], column });
const cost = (field: string): MetricConfig => ({
  aggregations: NUMERIC,
  dimensions: ["span_model_name", "span_model_provider"],
  column: spanCost(field),
  spanTime: true,
});

/**
 * An assessment's numeric value (the reference's `aggregate_value`): booleans and "yes"/"no" as 1/0, finite numbers
 * as they are, anything else none. @see mlflow/store/tracking/utils/trace_analytics.py assessment_aggregate
 */
const ASSESSMENT_NUMBER = `(CASE WHEN NOT json_valid(a.value) THEN NULL
  WHEN json_type(a.value) = 'true' THEN 1.0 WHEN json_type(a.value) = 'false' THEN 0.0
  WHEN json_type(a.value) IN ('integer', 'real') THEN CAST(a.value AS REAL)
  WHEN json_type(a.value) = 'text' AND lower(trim(json_extract(a.value, '$'), ' \t\n\r')) = 'yes' THEN 1.0
  WHEN json_type(a.value) = 'text' AND lower(trim(json_extract(a.value, '$'), ' \t\n\r')) = 'no' THEN 0.0 END)`;

export const METRICS: Record<MetricViewType, Record<string, MetricConfig>> = {
  TRACES: {
    trace_count: { aggregations: ["COUNT"], dimensions: ["trace_name", "trace_status"], column: "t.request_id" },
    session_count: { aggregations: ["COUNT"], dimensions: [], column: "t.session_id", distinct: true },
    latency: { aggregations: STATS, dimensions: ["trace_name"], column: "t.execution_time_ms" },
    input_tokens: tokens("t.input_tokens"),
    output_tokens: tokens("t.output_tokens"),
    total_tokens: tokens("t.total_tokens"),
    cache_read_input_tokens: tokens(tokenUsage("cache_read_input_tokens")),
    cache_creation_input_tokens: tokens(tokenUsage("cache_creation_input_tokens")),
  },
  SPANS: {
    span_count: {
      aggregations: ["COUNT"],
      dimensions: ["span_name", "span_type", "span_status", "span_model_name", "span_model_provider"],
      column: "s.span_id",
    },
    latency: {
      aggregations: STATS,
      dimensions: ["span_name", "span_status"],
      column: "((s.end_time_unix_nano - s.start_time_unix_nano) / 1000000)",
    },
    input_cost: cost("input_cost"),
    output_cost: cost("output_cost"),
    total_cost: cost("total_cost"),
  },
  ASSESSMENTS: {
    assessment_count: {
      aggregations: ["COUNT"],
      dimensions: ["assessment_name", "assessment_value"],
      column: "a.assessment_id",
    },
    assessment_value: { aggregations: STATS, dimensions: ["assessment_name"], column: ASSESSMENT_NUMBER },
  },
};

/** The SQL of each dimension, per view. @see sql_trace_metrics_utils.py _apply_dimension_to_query */
export const DIMENSIONS: Record<MetricViewType, Record<string, string>> = {
  TRACES: { trace_name: "t.trace_name", trace_status: "t.status" },
  SPANS: {
    span_name: "s.name",
    span_type: "s.type",
    span_status: "s.status",
    span_model_name: `substr(${spanAttribute("mlflow.llm.model")}, 1, 250)`,
    span_model_provider: `substr(${spanAttribute("mlflow.llm.provider")}, 1, 250)`,
  },
  ASSESSMENTS: { assessment_name: "a.name", assessment_value: "a.value" },
};
