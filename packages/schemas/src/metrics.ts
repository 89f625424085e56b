import * as z from "zod";
import { Metric } from "./runs.js";
import { int64, requiredString, wireDouble } from "./wire.js";

export const GetMetricHistory = z.object({
  run_id: z.string().optional(),
  run_uuid: z.string().optional(),
  metric_key: requiredString,
  page_token: z.string().optional(),
  max_results: int64.optional(),
});
export const GetMetricHistoryResponse = z.object({
  metrics: z.array(Metric).optional(),
  next_page_token: z.string().optional(),
});

export const GetMetricHistoryBulkInterval = z.object({
  run_ids: z.array(z.string()),
  metric_key: requiredString,
  start_step: int64.optional(),
  end_step: int64.optional(),
  max_results: int64.optional(),
});
export const MetricsResponse = z.object({ metrics: z.array(Metric).optional() });

/** The UI-only bulk history call (not a proto RPC): `run_id` repeated. */
export const GetMetricHistoryBulk = z.object({
  run_id: z.array(z.string()).optional(),
  metric_key: z.string().optional(),
  max_results: int64.optional(),
});

// tracklite's own UI calls (not MLflow RPCs): served under /ajax-api only.

/** Min, max and last value per run and metric key, for tables that show more than the latest value. */
export const GetMetricSummaries = z.object({
  run_ids: z.array(z.string()),
  metric_keys: z.array(z.string()).optional(),
});
export const MetricSummary = z.object({
  run_id: z.string(),
  key: z.string(),
  last: wireDouble,
  last_step: z.number(),
  last_timestamp: z.number(),
  /** Absent when every value is NaN. */
  min: wireDouble.optional(),
  max: wireDouble.optional(),
  count: z.number(),
});
export type MetricSummary = z.infer<typeof MetricSummary>;
export const MetricSummariesResponse = z.object({ summaries: z.array(MetricSummary).optional() });

/**
 * A run's metric cut into at most `buckets` equal step ranges: per bucket its last point and the min, max and count of
 * its values, for chart lines with a min/max band. `start_step`/`end_step` narrow it to a window (a zoom).
 */
export const GetMetricBuckets = z.object({
  run_ids: z.array(z.string()),
  metric_key: requiredString,
  buckets: int64.optional(),
  start_step: int64.optional(),
  end_step: int64.optional(),
});
export const MetricBucket = z.object({
  run_id: z.string(),
  step: z.number(),
  timestamp: z.number(),
  value: wireDouble,
  min: wireDouble.optional(),
  max: wireDouble.optional(),
  count: z.number(),
});
export type MetricBucket = z.infer<typeof MetricBucket>;
export const MetricBucketsResponse = z.object({ buckets: z.array(MetricBucket).optional() });
