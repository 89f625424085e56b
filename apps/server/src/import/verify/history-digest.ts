import { createHash } from "node:crypto";
import type { MetricPoint } from "@tracklite/server/import";

/**
 * What one metric's history adds up to, whatever order a source streams its points in: the number of points and a
 * sum of per-point hashes (a multiset digest: the same points in any order give the same sum, a point changed,
 * added or lost changes it). Memory stays one entry per metric key, however long the history.
 */
export interface HistoryDigest {
  points: number;
  sum: bigint;
}

const MASK = (1n << 64n) - 1n;

/** Digests every batch of a run's history, per metric key. */
export async function digestHistory(batches: AsyncIterable<MetricPoint[]>): Promise<Map<string, HistoryDigest>> {
  const byKey = new Map<string, HistoryDigest>();
  for await (const batch of batches) {
    for (const p of batch) {
      const entry = byKey.get(p.key) ?? { points: 0, sum: 0n };
      entry.points += 1;
      entry.sum = (entry.sum + pointHash(p)) & MASK;
      byKey.set(p.key, entry);
    }
  }
  return byKey;
}

function pointHash(p: MetricPoint): bigint {
  // NaN and -0 have one spelling each; the dataset and model links are part of the point
  const value = Number.isNaN(p.value) ? "NaN" : Object.is(p.value, -0) ? "0" : String(p.value);
  const text = `${value}|${p.timestamp}|${p.step}|${p.dataset_name ?? ""}|${p.dataset_digest ?? ""}|${p.model_id ?? ""}`;
  return createHash("sha1").update(text).digest().readBigUInt64BE(0);
}
