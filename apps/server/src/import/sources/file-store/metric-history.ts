/**
 * A run's whole metric history from its `metrics/` folder (one file per key, keys may hold `/`), streamed in batches.
 * @see mlflow/store/tracking/file_store.py get_metric_history, _log_run_metric
 */
import { join } from "node:path";
import type { MetricPoint } from "@tracklite/server/import";
import { filesUnder, type Skips } from "./layout.js";
import { parseRunMetricLine, readLineBatches } from "./metric-lines.js";

/** Points per batch: a few thousand keeps a batch small and the sink's transactions cheap. */
export const DEFAULT_BATCH_SIZE = 5000;

/**
 * Every point of every metric of the run in `runDir`, key by key in file order, in batches of `batchSize`.
 * A malformed line (the reference would fail the whole read on it) is left out and counted in `skipped`.
 */
export async function* readMetricHistory(
  runId: string,
  runDir: string,
  skipped: Skips,
  batchSize = DEFAULT_BATCH_SIZE,
): AsyncGenerator<MetricPoint[]> {
  const metricsDir = join(runDir, "metrics");
  let batch: MetricPoint[] = [];
  for (const file of await filesUnder(metricsDir)) {
    const key = file.split("\\").join("/");
    let bad = 0;
    for await (const lines of readLineBatches(join(metricsDir, file))) {
      for (const line of lines) {
        if (line.trim() === "") continue;
        const p = parseRunMetricLine(line);
        if (p === undefined) {
          bad++;
          continue;
        }
        const point: MetricPoint = { key, value: p.value, timestamp: p.timestamp, step: p.step };
        if (p.dataset_name !== undefined) {
          point.dataset_name = p.dataset_name;
          point.dataset_digest = p.dataset_digest;
        }
        batch.push(point);
        if (batch.length >= batchSize) {
          yield batch;
          batch = [];
        }
      }
    }
    if (bad > 0) {
      skipped.push({
        what: `${bad} point(s) of metric ${key} of run ${runId}`,
        reason: "malformed lines (expected `timestamp value [step [dataset_name dataset_digest]]`)",
      });
    }
  }
  if (batch.length > 0) yield batch;
}
