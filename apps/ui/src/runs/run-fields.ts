import type { Run } from "@tracklite/schemas";
import type { ColumnKind } from "./view-state.js";

/** The latest value of a metric as searchRuns returns it. */
export interface LatestMetric {
  value: number;
  step: number;
  timestamp: number;
}

/**
 * A run prepared once for the table: tags, params and metrics as records, and the derived fixed columns (source,
 * datasets, models, parent) so that rendering a cell is a lookup.
 */
export interface RunRow {
  id: string;
  name: string;
  status: string;
  deleted: boolean;
  start: number | undefined;
  end: number | undefined;
  user: string;
  /** The `mlflow.source.name` tag, whole; {@link shortSource} shortens it for the cell. */
  source: string;
  /** Dataset names (with a short digest when two share a name). */
  datasets: string[];
  /** Logged-model ids (inputs and outputs) and models of the `mlflow.log-model.history` tag. */
  models: string[];
  parentId: string | undefined;
  params: Record<string, string>;
  metrics: Record<string, LatestMetric>;
  tags: Record<string, string>;
  run: Run;
}

const num = (v: unknown) => (typeof v === "number" ? v : Number(v));

/** Model entries of the `mlflow.log-model.history` tag: their logged-model id, else their artifact path. */
export function modelsFromHistory(value: string | undefined): string[] {
  if (!value) return [];
  try {
    const list = JSON.parse(value) as unknown;
    if (!Array.isArray(list)) return [];
    return list
      .map((m: Record<string, unknown>) => String(m?.model_id ?? m?.artifact_path ?? ""))
      .filter((s) => s !== "");
  } catch {
    return [];
  }
}

export function indexRun(run: Run): RunRow {
  const tags: Record<string, string> = {};
  for (const t of run.data.tags ?? []) tags[t.key] = t.value ?? "";
  const params: Record<string, string> = {};
  for (const p of run.data.params ?? []) params[p.key] = p.value;
  const metrics: Record<string, LatestMetric> = {};
  for (const m of run.data.metrics ?? []) {
    metrics[m.key] = { value: num(m.value), step: num(m.step), timestamp: num(m.timestamp) };
  }
  const datasetInputs = run.inputs?.dataset_inputs ?? [];
  const names = datasetInputs.map((d) => d.dataset.name);
  const datasets = datasetInputs.map((d) => {
    const twice = names.filter((n) => n === d.dataset.name).length > 1;
    return twice ? `${d.dataset.name} (${d.dataset.digest.slice(0, 8)})` : d.dataset.name;
  });
  const models = [
    ...(run.outputs?.model_outputs ?? []).map((m) => m.model_id),
    ...(run.inputs?.model_inputs ?? []).map((m) => m.model_id),
  ];
  for (const m of modelsFromHistory(tags["mlflow.log-model.history"])) if (!models.includes(m)) models.push(m);
  const id = run.info.run_id;
  const parent = tags["mlflow.parentRunId"];
  return {
    id,
    name: run.info.run_name || tags["mlflow.runName"] || id,
    status: run.info.status,
    deleted: run.info.lifecycle_stage === "deleted",
    start: run.info.start_time ? num(run.info.start_time) : undefined,
    end: run.info.end_time ? num(run.info.end_time) : undefined,
    user: run.info.user_id || tags["mlflow.user"] || "",
    source: tags["mlflow.source.name"] ?? "",
    datasets: [...new Set(datasets)],
    models,
    parentId: parent && parent !== id ? parent : undefined,
    params,
    metrics,
    tags,
    run,
  };
}

/** A source for a narrow cell: the file or repository name at the end of a path or URL. */
export function shortSource(source: string): string {
  const s = source
    .replace(/[#?].*$/, "")
    .replace(/\.git$/, "")
    .replace(/[/\\]+$/, "");
  const last = s.split(/[/\\:]/).pop() || source;
  return last.length > 40 ? `${last.slice(0, 39)}…` : last;
}

/** Run duration in ms: end − start, or until `now` while the run has no end time yet. */
export function runDuration(r: Pick<RunRow, "start" | "end" | "status">, now = Date.now()): number | undefined {
  if (!r.start) return undefined;
  if (r.end) return r.end - r.start;
  return r.status === "RUNNING" ? now - r.start : undefined;
}

/** The param, metric and tag keys seen in some runs, each sorted (system `mlflow.*` tags last). */
export function keysSeen(rows: Iterable<RunRow>): Record<ColumnKind, string[]> {
  const params = new Set<string>();
  const metrics = new Set<string>();
  const tags = new Set<string>();
  for (const r of rows) {
    for (const k in r.params) params.add(k);
    for (const k in r.metrics) metrics.add(k);
    for (const k in r.tags) tags.add(k);
  }
  const sys = (k: string) => (k.startsWith("mlflow.") ? 1 : 0);
  const cmp = (a: string, b: string) => a.localeCompare(b, undefined, { numeric: true });
  return {
    params: [...params].sort(cmp),
    metrics: [...metrics].sort(cmp),
    tags: [...tags].sort((a, b) => sys(a) - sys(b) || cmp(a, b)),
  };
}

/** The highest step of any metric of a run, with the timestamp of that point (for steps per second). */
export function maxStep(r: RunRow): { step: number; timestamp: number } | undefined {
  let best: LatestMetric | undefined;
  for (const k in r.metrics) {
    const m = r.metrics[k];
    if (!m || k.startsWith("system/")) continue;
    if (!best || m.step > best.step || (m.step === best.step && m.timestamp > best.timestamp)) best = m;
  }
  return best ? { step: best.step, timestamp: best.timestamp } : undefined;
}
