import type { RunRow } from "./run-fields.js";

/** How many runs the charts show when none are selected. */
export const DEFAULT_CHART_RUNS = 10;
/** The most selected runs the charts draw at once. */
export const MAX_CHART_RUNS = 100;

/**
 * The runs the charts draw, in table order: the selected ones when there is a selection, else the first ten; runs
 * hidden with the eye icon never.
 */
export function chartRunIds(
  order: readonly string[],
  selected: readonly string[],
  hidden: ReadonlySet<string>,
): string[] {
  if (selected.length > 0) {
    const sel = new Set(selected);
    return order.filter((id) => sel.has(id) && !hidden.has(id)).slice(0, MAX_CHART_RUNS);
  }
  return order.filter((id) => !hidden.has(id)).slice(0, DEFAULT_CHART_RUNS);
}

const collator = new Intl.Collator(undefined, { numeric: true });

/** The metric keys of some runs, sorted. */
export function metricKeysOf(rows: Iterable<RunRow>): string[] {
  const keys = new Set<string>();
  for (const r of rows) for (const k in r.metrics) keys.add(k);
  // One collator: localeCompare with options builds one per call (slow with thousands of keys).
  return [...keys].sort(collator.compare);
}
