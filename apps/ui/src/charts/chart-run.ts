import type { Run } from "@tracklite/schemas";
import { runColor } from "../lib/format.js";
import type { ChartRun } from "./metric-chart.js";

/** A run as the charts draw it: its name (or the id's first 8 characters) and its colour. */
export function chartRunOf(run: Run): ChartRun {
  return {
    runId: run.info.run_id,
    name: run.info.run_name || run.info.run_id.slice(0, 8),
    color: runColor(run.info.run_id),
  };
}
