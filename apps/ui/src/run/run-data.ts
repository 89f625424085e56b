/** The run page's reads beyond the run itself: children, metric summaries, logged models and registered versions. */
import type { LoggedModel, MetricSummary, ModelVersion, Run } from "@tracklite/schemas";
import { client } from "../api.js";
import { withAliases } from "../registry/with-aliases.js";
import { TAG } from "./run-info.js";

/** How many child runs the overview lists (the rest are a link to the experiment's runs table). */
export const CHILD_LIMIT = 50;

/** The direct children of a run (runs tagged with it as `mlflow.parentRunId`), newest first. */
export async function loadChildRuns(run: Run): Promise<{ runs: Run[]; more: boolean }> {
  const page = await client.searchRuns([run.info.experiment_id], {
    filterString: `tags.\`${TAG.parent}\` = '${run.info.run_id}'`,
    orderBy: ["attributes.start_time DESC"],
    maxResults: CHILD_LIMIT,
  });
  return { runs: page.items, more: Boolean(page.nextPageToken) };
}

/** Min, max and last value of each metric of a run, by key. */
export async function loadSummaries(runId: string, signal?: AbortSignal): Promise<Map<string, MetricSummary>> {
  const r = await client.call("getMetricSummaries", { run_ids: [runId] }, undefined, { signal });
  return new Map((r.summaries ?? []).map((s) => [s.key, s]));
}

/**
 * The logged models of a run: those whose source run it is, plus those it declared as outputs (a model logged by
 * another run and attached here), oldest first.
 */
export async function loadLoggedModels(run: Run): Promise<LoggedModel[]> {
  const found = new Map<string, LoggedModel>();
  for await (const m of client.iterateLoggedModels({
    experimentIds: [run.info.experiment_id],
    filterString: `source_run_id = '${run.info.run_id}'`,
  })) {
    found.set(m.info.model_id, m);
  }
  const missing = (run.outputs?.model_outputs ?? []).map((o) => o.model_id).filter((id) => !found.has(id));
  const extra = await Promise.all(missing.map((id) => client.getLoggedModel(id).catch(() => undefined)));
  for (const m of extra) if (m) found.set(m.info.model_id, m);
  return [...found.values()].sort((a, b) => a.info.creation_timestamp_ms - b.info.creation_timestamp_ms);
}

/** The registered model versions made from this run, with their aliases. */
export async function loadRegisteredVersions(runId: string): Promise<ModelVersion[]> {
  const out: ModelVersion[] = [];
  for await (const v of client.iterateModelVersions({ filterString: `run_id = '${runId}'` })) out.push(v);
  return (await withAliases(out)).sort((a, b) => a.name.localeCompare(b.name) || Number(b.version) - Number(a.version));
}
