/**
 * Whether a metric holds a single value per run (accuracy, f1 logged once): MLflow draws those as bars, with the
 * value on each bar, rather than as dots at step 0. One small bucketed read (two buckets per run) answers it and
 * gives the bars their values; answers are cached per runs and key, so cards that mount again do not ask again.
 */
import { fetchBuckets } from "./metric-data.js";
import type { RunPoints } from "./transform.js";

export interface MetricProbe {
  /** No run has more than one point (one step) of the metric. */
  single: boolean;
  /** Each run's last value (runs without the metric are absent). */
  last: Map<string, number>;
}

const cache = new Map<string, Promise<MetricProbe>>();

/** Reads the probe from bucket rows grouped per run. Pure. */
export function probeOf(points: Map<string, RunPoints>): MetricProbe {
  const last = new Map<string, number>();
  let single = true;
  for (const [runId, p] of points) {
    if (p.step.length > 1) single = false;
    const v = p.value[p.value.length - 1];
    if (v !== undefined) last.set(runId, v);
  }
  return { single, last };
}

/** Probes `key` over `runIds` (cached; a failed read is forgotten so it is tried again). */
export function probeMetric(runIds: readonly string[], key: string): Promise<MetricProbe> {
  const id = `${key}\u0000${runIds.join(",")}`;
  let p = cache.get(id);
  if (!p) {
    p = fetchBuckets(runIds, key, { buckets: 2 }).then(probeOf);
    p.catch(() => cache.delete(id));
    cache.set(id, p);
  }
  return p;
}

/** Forgets every probe (live runs logged more). */
export function clearProbes() {
  cache.clear();
}
