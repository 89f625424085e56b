import type { Run } from "@tracklite/schemas";
import { runColor, runColors } from "../lib/run-colors.js";
import type { ChartRun } from "./metric-chart.js";

/** A run as the charts draw it: its name (or the id's first 8 characters) and its colour. */
export function chartRunOf(run: Run): ChartRun {
  return {
    runId: run.info.run_id,
    name: run.info.run_name || run.info.run_id.slice(0, 8),
    color: runColor(run.info.run_id),
  };
}

/**
 * Runs a page charts together, with distinct colours: they become the runs in view (`others`, e.g. the rest of the
 * table, keep their colours and fill the slots left), so each keeps its colour while it stays.
 */
export function chartRunsOf<T>(
  runs: readonly T[],
  idOf: (r: T) => string,
  toChartRun: (r: T) => ChartRun,
  others: readonly string[] = [],
): ChartRun[] {
  runColors.assign(runs.map(idOf), others);
  return runs.map(toChartRun);
}
