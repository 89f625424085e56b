/**
 * What the run page reads out of a run: MLflow keeps the user, source, git commit, parent and note in system tags.
 * Pure: tested in run-info.test.ts.
 * @see mlflow/utils/mlflow_tags.py
 */
import type { Run } from "@tracklite/schemas";
import { tagRecord } from "../lib/format.js";

export const TAG = {
  user: "mlflow.user",
  sourceName: "mlflow.source.name",
  sourceType: "mlflow.source.type",
  gitCommit: "mlflow.source.git.commit",
  gitRepo: "mlflow.source.git.repoURL",
  gitBranch: "mlflow.source.git.branch",
  parent: "mlflow.parentRunId",
  note: "mlflow.note.content",
  runName: "mlflow.runName",
  loggedModels: "mlflow.log-model.history",
} as const;

export interface RunSummary {
  id: string;
  name: string;
  experimentId: string;
  status: string;
  start: number | undefined;
  end: number | undefined;
  /** Milliseconds; for a running run, up to `now`. */
  duration: number | undefined;
  user: string;
  source: string;
  sourceType: string;
  gitCommit: string;
  gitRepo: string;
  /** `mlflow.source.git.branch`, set by projects and by users who track it. */
  gitBranch: string;
  parentId: string;
  note: string;
  tags: Record<string, string>;
}

/** The facts of a run the header and overview show. */
export function runSummary(run: Run, now = Date.now()): RunSummary {
  const info = run.info;
  const tags = tagRecord(run.data.tags);
  const start = info.start_time || undefined;
  const end = info.end_time || undefined;
  const stop = end ?? (info.status === "RUNNING" ? now : undefined);
  return {
    id: info.run_id,
    name: info.run_name || tags[TAG.runName] || info.run_id,
    experimentId: info.experiment_id,
    status: info.status,
    start,
    end,
    duration: start !== undefined && stop !== undefined ? Math.max(0, stop - start) : undefined,
    user: tags[TAG.user] || info.user_id || "",
    source: tags[TAG.sourceName] ?? "",
    sourceType: tags[TAG.sourceType] ?? "",
    gitCommit: tags[TAG.gitCommit] ?? "",
    gitRepo: tags[TAG.gitRepo] ?? "",
    gitBranch: tags[TAG.gitBranch] ?? "",
    parentId: tags[TAG.parent] ?? "",
    note: tags[TAG.note] ?? "",
    tags,
  };
}

/** A run's metric keys, split into model metrics and `system/` metrics, each sorted. */
export function splitMetricKeys(keys: Iterable<string>): { model: string[]; system: string[] } {
  const model: string[] = [];
  const system: string[] = [];
  for (const k of new Set(keys)) (k.startsWith("system/") ? system : model).push(k);
  return { model: model.sort(), system: system.sort() };
}

/** The datasets a run used, one row each, with its context tag (`mlflow.data.context`: train, eval, …). */
export function datasetRows(run: Run): { name: string; digest: string; sourceType: string; context: string }[] {
  return (run.inputs?.dataset_inputs ?? []).map((d) => ({
    name: d.dataset.name,
    digest: d.dataset.digest,
    sourceType: d.dataset.source_type,
    context: tagRecord(d.tags)["mlflow.data.context"] ?? "",
  }));
}

/** Entries whose key or value contains the text (case-insensitive); all when the text is empty. */
export function filterEntries<T extends { key: string; value?: unknown }>(entries: readonly T[], text: string): T[] {
  const q = text.trim().toLowerCase();
  if (!q) return [...entries];
  return entries.filter(
    (e) =>
      e.key.toLowerCase().includes(q) ||
      String(e.value ?? "")
        .toLowerCase()
        .includes(q),
  );
}
