import { formatBytes, formatRate } from "../backup-progress.js";
import type { ImportResult } from "./run-import.js";
import { IMPORT_KINDS, type ImportKind } from "./tally.js";

/**
 * The lines `tracklite import` prints on stdout at the end: what came across kind by kind (and what an earlier run
 * had already brought), the time and rate, and everything skipped with its reason. A dry run prints what the source
 * holds instead.
 */

const LABELS: Record<ImportKind, string> = {
  experiments: "experiments",
  runs: "runs",
  logged_models: "logged models",
  traces: "traces",
  scorers: "scorers",
  evaluation_datasets: "evaluation datasets",
  registered_models: "registered models",
  model_versions: "model versions",
  webhooks: "webhooks",
  users: "users",
  artifact_files: "artifact files",
};

const n = (value: number) => value.toLocaleString("en-US");
const row = (label: string, value: string, note = "") => `  ${label.padEnd(22)}${value.padStart(14)}${note}`;

export function formatSummary(result: ImportResult, target: string, dryRun: boolean): string {
  const { description, counts, tally, skipped } = result;
  const seconds = result.elapsedMs / 1000;
  const from = `${description.kind} ${description.label}${description.version ? ` (${description.version})` : ""}`;
  const lines: string[] = [];
  if (dryRun) {
    lines.push(`Dry run: nothing was written. ${from} holds:`);
    const shown: [string, number | undefined][] = [
      ["experiments", counts.experiments],
      ["runs", counts.runs],
      ["metric points", counts.metric_points],
      ["logged models", counts.logged_models],
      ["traces", counts.traces],
      ["evaluation datasets", counts.evaluation_datasets],
      ["registered models", counts.registered_models],
      ["model versions", counts.model_versions],
      ["webhooks", counts.webhooks],
      ["users", counts.users],
      ["artifact files", counts.artifacts],
    ];
    for (const [label, value] of shown) lines.push(row(label, value === undefined ? "?" : n(value)));
  } else {
    lines.push(`Imported ${from} into ${target} in ${seconds.toFixed(1)} s:`);
    for (const kind of IMPORT_KINDS) {
      const written = tally.written[kind];
      const done = tally.alreadyDone[kind];
      if (written === 0 && done === 0 && kind !== "experiments" && kind !== "runs") continue;
      lines.push(row(LABELS[kind], n(written), done > 0 ? `  (${n(done)} already imported before)` : ""));
      if (kind === "runs")
        lines.push(
          row("metric points", n(tally.metricPoints), `  (${formatRate(tally.metricPoints / seconds, "points")})`),
        );
      if (kind === "evaluation_datasets" && tally.datasetRecords > 0)
        lines.push(row("dataset records", n(tally.datasetRecords)));
      if (kind === "artifact_files") lines.push(row("artifact bytes", formatBytes(tally.artifactBytes)));
    }
  }
  if (skipped.length === 0) lines.push("Nothing was skipped.");
  else {
    lines.push(`Skipped (${skipped.length}):`);
    for (const item of skipped) lines.push(`  ${item.what}: ${item.reason}`);
  }
  return lines.join("\n");
}
