import type { ImportSource } from "@tracklite/server/import";

type Json = Record<string, unknown>;

/** What a source yields for traces, scorers and GenAI datasets, in a stable order, for comparing two sources. */
export async function genaiEntities(source: ImportSource, experimentIds: string[]) {
  const traces: Json[] = [];
  const scorers: Json[] = [];
  for (const id of experimentIds) {
    for await (const trace of source.traces(id)) traces.push(trace as unknown as Json);
    for await (const scorer of source.scorers(id)) scorers.push(scorer as unknown as Json);
  }
  const datasets: Json[] = [];
  for await (const entry of source.evaluationDatasets({})) {
    const records: Json[] = [];
    for await (const batch of entry.records()) records.push(...batch);
    records.sort((a, b) => String(a.dataset_record_id).localeCompare(String(b.dataset_record_id)));
    datasets.push({ dataset: entry.dataset, experiment_ids: [...entry.experiment_ids].sort(), records });
  }
  const traceId = (t: Json) => String(((t.trace as Json).trace_info as Json).trace_id);
  traces.sort((a, b) => traceId(a).localeCompare(traceId(b)));
  datasets.sort((a, b) => String((a.dataset as Json).dataset_id).localeCompare(String((b.dataset as Json).dataset_id)));
  return { traces, scorers, datasets };
}
