import type { RunRow } from "./run-fields.js";

/** A dataset (name + digest) and the runs that used it. */
export interface DatasetUse {
  name: string;
  digest: string;
  sourceType: string;
  source: string;
  /** Dataset-input context tags (`mlflow.data.context`: train, eval, ...) seen. */
  contexts: string[];
  runs: { id: string; name: string }[];
}

/** The datasets the given runs used, most used first. */
export function datasetsOf(rows: Iterable<RunRow>): DatasetUse[] {
  const by = new Map<string, DatasetUse>();
  for (const r of rows) {
    for (const input of r.run.inputs?.dataset_inputs ?? []) {
      const d = input.dataset;
      const key = `${d.name}\u0000${d.digest}`;
      let use = by.get(key);
      if (!use) {
        use = { name: d.name, digest: d.digest, sourceType: d.source_type, source: d.source, contexts: [], runs: [] };
        by.set(key, use);
      }
      if (!use.runs.some((x) => x.id === r.id)) use.runs.push({ id: r.id, name: r.name });
      for (const t of input.tags ?? []) {
        if (t.key === "mlflow.data.context" && t.value && !use.contexts.includes(t.value)) use.contexts.push(t.value);
      }
    }
  }
  return [...by.values()].sort((a, b) => b.runs.length - a.runs.length || a.name.localeCompare(b.name));
}

/** A dataset source for display: MLflow stores it as JSON (`{"uri": ...}`, `{"url": ...}`, `{"path": ...}`). */
export function sourceText(source: string): string {
  try {
    const v = JSON.parse(source) as unknown;
    if (v && typeof v === "object") {
      const o = v as Record<string, unknown>;
      for (const k of ["uri", "url", "path", "table_name", "repo_id"])
        if (typeof o[k] === "string") return o[k] as string;
    }
  } catch {
    // not JSON: shown as it is
  }
  return source;
}
