/** Live updates of running runs: which runs to poll and how fast they step. */

export interface StepSample {
  step: number;
  /** The metric timestamp of that step (ms). */
  timestamp: number;
}

/**
 * Steps per second between two samples of a run's highest metric step, timed by the metrics' own timestamps (so a
 * slow poll does not slow the rate). Undefined when the run has not advanced or the clock did not move.
 */
export function stepsPerSecond(prev: StepSample | undefined, next: StepSample | undefined): number | undefined {
  if (!prev || !next) return undefined;
  const ds = next.step - prev.step;
  const dt = (next.timestamp - prev.timestamp) / 1000;
  return ds > 0 && dt > 0 ? ds / dt : undefined;
}

/** `12.3 steps/s`, `0.25 steps/s`, `1.2k steps/s`. */
export function formatRate(rate: number): string {
  if (rate >= 1000) return `${(rate / 1000).toFixed(1)}k steps/s`;
  if (rate >= 10) return `${rate.toFixed(0)} steps/s`;
  if (rate >= 1) return `${rate.toFixed(1)} steps/s`;
  return `${rate.toPrecision(2)} steps/s`;
}

/** A searchRuns filter for these runs: `attributes.run_id IN ('a', 'b')`. */
export function runIdFilter(ids: readonly string[]): string {
  return `attributes.run_id IN (${ids.map((id) => `'${id.replaceAll("'", "")}'`).join(", ")})`;
}
