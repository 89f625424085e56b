import type { ImportSource, MetricPoint } from "@tracklite/server/import";
import { expect } from "vitest";
import type { ReferenceAnswers } from "./reference.test-helpers.js";

type Json = Record<string, unknown>;

const byKey = (a: { key?: unknown }, b: { key?: unknown }) => String(a.key).localeCompare(String(b.key));

/** A run as compared: latest metrics dropped (the source leaves them to the sink), lists in a stable order. */
function normaliseRun(run: Json): Json {
  const copy = structuredClone(run) as { data: Json; inputs?: Json; outputs?: Json };
  delete copy.data.metrics;
  // MLflow 2.x servers predate run outputs and leave the field out; 3.17.2 (our shape) answers `"outputs": {}`.
  if (copy.outputs && Object.keys(copy.outputs).length === 0) delete copy.outputs;
  for (const list of ["params", "tags"] as const) {
    const value = copy.data[list] as { key: string }[] | undefined;
    if (value) copy.data[list] = [...value].sort(byKey);
  }
  return copy as Json;
}

/** The wire form of a point: the reference writes NaN as "NaN". */
function wirePoint(point: MetricPoint): Json {
  return {
    key: point.key,
    value: Number.isNaN(point.value) ? "NaN" : point.value,
    timestamp: point.timestamp,
    step: point.step,
  };
}

const pointOrder = (a: Json, b: Json) =>
  Number(a.step) - Number(b.step) ||
  Number(a.timestamp) - Number(b.timestamp) ||
  String(a.value).localeCompare(String(b.value));

/** Every experiment, run and metric history the source yields equals what the reference answers over REST. */
export async function expectSourceMatchesReference(source: ImportSource, reference: ReferenceAnswers): Promise<number> {
  const experiments: Json[] = [];
  for await (const experiment of source.experiments({})) experiments.push(experiment);
  const sortById = (a: Json, b: Json) => Number(a.experiment_id) - Number(b.experiment_id);
  expect(experiments.sort(sortById)).toEqual([...reference.experiments].sort(sortById));

  let points = 0;
  for (const experiment of experiments) {
    const id = String(experiment.experiment_id);
    const runs: Json[] = [];
    for await (const { run } of source.runs(id)) {
      runs.push(normaliseRun(run as Json));
      const history = new Map<string, Json[]>();
      for await (const batch of source.metricHistory(run.info.run_id)) {
        expect(batch.length).toBeLessThanOrEqual(5000);
        for (const point of batch) {
          const list = history.get(point.key) ?? [];
          list.push(wirePoint(point));
          history.set(point.key, list);
          points++;
        }
      }
      const expected = reference.histories.get(run.info.run_id) ?? new Map<string, Json[]>();
      expect([...history.keys()].sort()).toEqual([...expected.keys()].sort());
      for (const [key, list] of expected) {
        expect(history.get(key)?.sort(pointOrder), `${run.info.run_id}/${key}`).toEqual([...list].sort(pointOrder));
      }
    }
    const byRunId = (a: Json, b: Json) =>
      String((a.info as Json).run_id).localeCompare(String((b.info as Json).run_id));
    expect(runs.sort(byRunId)).toEqual((reference.runs.get(id) ?? []).map(normaliseRun).sort(byRunId));
  }
  await expectRegistryMatches(source, reference);
  for (const [experimentId, expected] of reference.loggedModels) {
    const models: Json[] = [];
    for await (const { model } of source.loggedModels(experimentId)) models.push(model as Json);
    const byModelId = (a: Json, b: Json) =>
      String((a.info as Json).model_id).localeCompare(String((b.info as Json).model_id));
    expect(models.sort(byModelId)).toEqual([...expected].sort(byModelId));
  }
  return points;
}

/** Registered models equal search-registered-models; live versions equal search-model-versions. */
async function expectRegistryMatches(source: ImportSource, reference: ReferenceAnswers): Promise<void> {
  const models: Json[] = [];
  const versions: Json[] = [];
  for await (const entry of source.registeredModels()) {
    models.push(entry.model as Json);
    for (const version of entry.versions) {
      if (version.current_stage !== "Deleted_Internal") versions.push(version as Json);
    }
  }
  const byName = (a: Json, b: Json) => String(a.name).localeCompare(String(b.name));
  const byVersion = (a: Json, b: Json) => byName(a, b) || Number(a.version) - Number(b.version);
  // latest_versions' order is the database's in search-registered-models (get-registered-model's is by version)
  const sortLatest = (model: Json): Json => {
    const latest = model.latest_versions as Json[] | undefined;
    return latest ? { ...model, latest_versions: [...latest].sort(byVersion) } : model;
  };
  expect(models.map(sortLatest).sort(byName)).toEqual(reference.registeredModels.map(sortLatest).sort(byName));
  expect(versions.sort(byVersion)).toEqual([...reference.modelVersions].sort(byVersion));
}
