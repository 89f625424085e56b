import type { LogBatch } from "@tracklite/schemas";

/** MLflow's log-batch limits. @see mlflow/utils/validation.py (MAX_METRICS_PER_BATCH and friends) */
export const BATCH_LIMITS = { metrics: 1000, params: 100, tags: 100, entities: 1000 } as const;

type Batch = Required<Pick<LogBatch, "metrics" | "params" | "tags">>;

/**
 * Splits a batch into log-batch calls within MLflow's limits, as the Python client does: params first, then tags,
 * then metrics, each chunk holding at most 1000 entities of which at most 100 params and 100 tags.
 */
export function chunkBatch(batch: Partial<Batch>): Batch[] {
  const params = [...(batch.params ?? [])];
  const tags = [...(batch.tags ?? [])];
  const metrics = [...(batch.metrics ?? [])];
  const out: Batch[] = [];
  while (params.length || tags.length || metrics.length) {
    const p = params.splice(0, BATCH_LIMITS.params);
    const t = tags.splice(0, BATCH_LIMITS.tags);
    const m = metrics.splice(0, Math.min(BATCH_LIMITS.metrics, BATCH_LIMITS.entities - p.length - t.length));
    out.push({ params: p, tags: t, metrics: m });
  }
  return out;
}
