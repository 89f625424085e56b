import * as z from "zod";
import { Metric } from "./runs.js";
import { int64, requiredString } from "./wire.js";

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
