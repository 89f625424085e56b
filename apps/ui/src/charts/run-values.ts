/**
 * Params and latest metric values of the runs on a chart board, for the chart kinds that plot one value per run
 * (scatter, contour, parallel coordinates, the difference view). Read with getRun per run, cached per run id.
 */
import type { Run } from "@tracklite/schemas";
import { client } from "../api.js";
import { type Column, type ColumnKind, columnId, parseColumnId } from "./columns.js";

export interface RunValues {
  params: Record<string, string>;
  metrics: Record<string, number>;
  /** Run attributes shown by the difference view. */
  attrs: Record<string, string>;
  /** The user's tags (MLflow's own `mlflow.*` tags left out). */
  tags: Record<string, string>;
}

const cache = new Map<string, Promise<RunValues>>();

/** A run's values as the charts read them. Pure. */
export function valuesOf(run: Run): RunValues {
  const params: Record<string, string> = {};
  for (const p of run.data?.params ?? []) params[p.key] = p.value ?? "";
  const metrics: Record<string, number> = {};
  for (const m of run.data?.metrics ?? []) metrics[m.key] = Number(m.value);
  const i = run.info;
  const attrs: Record<string, string> = { Status: String(i.status ?? "") };
  if (i.start_time) attrs["Start time"] = new Date(Number(i.start_time)).toLocaleString();
  if (i.start_time && i.end_time)
    attrs.Duration = `${Math.round((Number(i.end_time) - Number(i.start_time)) / 100) / 10} s`;
  if (i.user_id) attrs.User = String(i.user_id);
  const tags: Record<string, string> = {};
  for (const t of run.data?.tags ?? []) if (!t.key.startsWith("mlflow.")) tags[t.key] = t.value ?? "";
  return { params, metrics, attrs, tags };
}

function load(runId: string): Promise<RunValues> {
  let p = cache.get(runId);
  if (!p) {
    p = client.call("getRun", { run_id: runId }).then((r) => valuesOf(r.run as Run));
    p.catch(() => cache.delete(runId));
    cache.set(runId, p);
  }
  return p;
}

/** The values of each run, in the order given. */
export function runValues(runIds: readonly string[]): Promise<RunValues[]> {
  return Promise.all(runIds.map(load));
}

/** Forgets cached values (live runs). */
export function clearRunValues() {
  cache.clear();
}

/** Every param and metric key of the runs, as column ids (`p:lr`, `m:acc`), params first, each sorted. */
export function columnIds(values: readonly RunValues[]): string[] {
  const params = new Set<string>();
  const metrics = new Set<string>();
  for (const v of values) {
    for (const k of Object.keys(v.params)) params.add(k);
    for (const k of Object.keys(v.metrics)) metrics.add(k);
  }
  const c = new Intl.Collator("en", { numeric: true }).compare;
  return [
    ...[...params].sort(c).map((k) => columnId("param", k)),
    ...[...metrics].sort(c).map((k) => columnId("metric", k)),
  ];
}

/** The column of `id` over the runs (undefined for an id that does not parse). */
export function columnOf(id: string, values: readonly RunValues[]): Column | undefined {
  const c = parseColumnId(id);
  if (!c) return undefined;
  const kind: ColumnKind = c.kind;
  return {
    id,
    kind,
    key: c.key,
    values: values.map((v) => (kind === "param" ? v.params[c.key] : v.metrics[c.key])),
  };
}
