/**
 * Which columns parallel coordinates start with when the user chose none: the params that vary between the runs (what
 * was tried), then the main metrics (what came out). Not the first keys alphabetically: with system metrics logged,
 * those are `system/disk_*`. Pure.
 */
import { type Column, differs } from "./columns.js";
import { isSystemMetric } from "./system-metrics.js";

/** Metric prefixes read as results first; `train/` next; other prefixes after. */
const RESULT_PREFIXES = ["val/", "validation/", "eval/", "test/"];

function metricRank(key: string): number {
  if (!key.includes("/") || RESULT_PREFIXES.some((p) => key.startsWith(p))) return 0;
  if (key.startsWith("train/")) return 1;
  return 2;
}

const collator = new Intl.Collator("en", { numeric: true });

/**
 * Up to `max` columns: the varying params (at most `max` − 2, leaving room for two metrics), then non-system metrics
 * that vary, results before training curves, then those that do not vary. Falls back to any columns when fewer
 * than two qualify.
 */
export function defaultParallelColumns(all: readonly Column[], max = 8): Column[] {
  const params = all.filter((c) => c.kind === "param" && differs(c.values));
  const metrics = all
    .filter((c) => c.kind === "metric" && !isSystemMetric(c.key))
    .map((c) => ({ c, varies: differs(c.values) }))
    .sort(
      (a, b) =>
        Number(b.varies) - Number(a.varies) ||
        metricRank(a.c.key) - metricRank(b.c.key) ||
        collator.compare(a.c.key, b.c.key),
    )
    .map((m) => m.c);
  const p = params.slice(0, Math.max(max - Math.min(2, metrics.length), 0));
  const pick = [...p, ...metrics.slice(0, max - p.length)];
  if (pick.length >= 2) return pick;
  const rest = all.filter((c) => !pick.includes(c) && !isSystemMetric(c.key));
  const more = [...pick, ...rest].slice(0, max);
  return more.length >= 2 ? more : all.slice(0, max);
}
