import type { DbHandle } from "./db.js";
import type { SeriesPoints } from "./metric-chunks.js";
import { reorder, type StepRange, seriesPoints } from "./metric-series.js";

/**
 * Up to `max` points of one run's metric in step order, sampled exactly as the reference samples
 * get-history-bulk-interval: all points when they fit; otherwise the points are cut into `max` NTILE buckets in step
 * order (the first `n mod max` buckets one point longer), the first point of each bucket is kept, and the last point
 * of all replaces the last kept one when it is not already in. So 10 steps with max 5 give steps 0, 2, 4, 6, 9, and
 * max 1 gives the last point.
 * Spikes may fall between the kept points; tracklite's UI draws from `metrics/buckets`, which keeps them.
 * @see mlflow/store/tracking/sqlalchemy_store.py `_sample_rows_with_window_functions`
 */
export async function sampleRun(
  h: DbHandle,
  runId: number,
  key: string,
  range: StepRange | undefined,
  max: number,
): Promise<SeriesPoints> {
  const points = await seriesPoints(h, runId, key, range);
  const n = points.steps.length;
  if (n <= max) return points;
  const size = Math.floor(n / max);
  const longer = n % max;
  const picks = new Uint32Array(max);
  for (let b = 0; b < max; b++) picks[b] = b * size + Math.min(b, longer);
  picks[max - 1] = n - 1;
  return reorder(points, picks);
}
