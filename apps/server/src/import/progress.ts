import type { SourceCounts } from "@tracklite/server/import";
import { etaSeconds, formatEta, formatRate, type Phase, type ProgressSink, startPhase } from "../backup-progress.js";
import type { ImportObserver } from "./run-import.js";
import type { Tally } from "./tally.js";

/**
 * The import's progress on stderr, drawn by the backup's progress code: a bar over the runs, and after it the metric
 * points so far, the rates (points/s, runs/s) and the time left. The ETA follows the metric points when the source
 * can count them (they are the bulk of the work), else the runs.
 */
export function importProgress(out: ProgressSink): ImportObserver & { end(summary: string): void } {
  let phase: Phase | undefined;
  let counts: SourceCounts = {};
  let last: Tally | undefined;
  const runsDone = (t: Tally) => t.written.runs + t.alreadyDone.runs;
  const tail = (elapsedMs: number) => {
    if (!last) return "";
    const seconds = elapsedMs / 1000;
    const points = last.metricPoints;
    const eta =
      counts.metric_points !== undefined && counts.metric_points > 0
        ? etaSeconds(points, counts.metric_points, elapsedMs)
        : counts.runs !== undefined
          ? etaSeconds(runsDone(last), counts.runs, elapsedMs)
          : Number.NaN;
    return [
      `${points.toLocaleString("en-US")} points`,
      formatRate(points / seconds, "points"),
      formatRate(last.written.runs / seconds, "runs"),
      `ETA ${formatEta(eta)}`,
    ].join(" · ");
  };
  const update = (t: Tally) => {
    last = t;
    phase?.update(runsDone(t));
  };
  return {
    start(_description, sourceCounts) {
      counts = sourceCounts;
      phase = startPhase(out, "import", sourceCounts.runs ?? Number.NaN, "runs", {
        verb: "import",
        tail: (_done, elapsedMs) => tail(elapsedMs),
      });
    },
    run: update,
    points: update,
    item: (_kind, t) => update(t),
    end(summary) {
      phase?.end(summary);
    },
  };
}
