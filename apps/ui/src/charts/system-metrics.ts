/** System metrics (`system/*`) and their x axis. Pure. */

import type { ChartSettings } from "./settings.js";

/** What MLflow's system-metrics monitor logs: `system/cpu_utilization_percentage`, `system/gpu_0_memory_usage_megabytes`… */
export function isSystemMetric(key: string): boolean {
  return key.startsWith("system/");
}

/**
 * The x axis a chart of `key` draws for the page's x setting: system metrics are sampled on a clock and their step is
 * only a sample counter, so where the page says "step" they are drawn on wall time, as MLflow's UI does.
 */
export function chartX(key: string, x: ChartSettings["x"]): ChartSettings["x"] {
  return x === "step" && isSystemMetric(key) ? "time" : x;
}
