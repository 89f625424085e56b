/** Fetching chart data: getMetricBuckets for many runs (chunked), as per-run points. */
import { client } from "../api.js";
import { type BucketRow, groupBuckets, type RunPoints } from "./transform.js";

/** Runs per request (keeps the GET query short). */
const CHUNK = 100;

/**
 * The last point and min/max of each of at most `buckets` step ranges per run, over the whole history or the step
 * window [start, end] (a zoom: windows with up to `buckets` steps come back at full resolution).
 */
export async function fetchBuckets(
  runIds: readonly string[],
  key: string,
  opts: { buckets?: number; start?: number; end?: number; signal?: AbortSignal } = {},
): Promise<Map<string, RunPoints>> {
  const chunks: string[][] = [];
  for (let i = 0; i < runIds.length; i += CHUNK) chunks.push(runIds.slice(i, i + CHUNK));
  const answers = await Promise.all(
    chunks.map((run_ids) =>
      client.call(
        "getMetricBuckets",
        {
          run_ids,
          metric_key: key,
          buckets: opts.buckets ?? 500,
          ...(opts.start === undefined ? {} : { start_step: Math.floor(opts.start) }),
          ...(opts.end === undefined ? {} : { end_step: Math.ceil(opts.end) }),
        },
        undefined,
        { signal: opts.signal },
      ),
    ),
  );
  return groupBuckets(answers.flatMap((a) => (a.buckets ?? []) as BucketRow[]));
}
