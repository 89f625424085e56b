import type {
  ImportFilter,
  ImportRegisteredModel,
  ImportSink,
  ImportSource,
  MetricPoint,
  SkippedItem,
  SourceCounts,
  SourceDescription,
} from "@tracklite/server/import";
import { type ArtifactOwner, artifactUnit } from "./artifacts/index.js";
import { type ArtifactStep, isSourceArtifactProblem } from "./artifacts-step.js";
import { type ImportKind, newTally, type Tally } from "./tally.js";
import { importUnit } from "./units.js";

/** An experiment as sources yield it (MLflow's REST JSON). */
type Experiment = Parameters<ImportSink["experiment"]>[0];

/**
 * The importer: walks a source in the contract's order (experiments; per experiment its runs with their histories,
 * logged models, traces and scorers; then GenAI datasets, the registry, webhooks and users) and hands each entity to
 * the sink. Each unit (a run with its history, a trace, a registered model…) is checked against the sink's
 * checkpoint first, so that an import stopped half-way resumes where it stopped.
 */

/** What the orchestrator tells as it goes (the progress bar); every method is optional. */
export interface ImportObserver {
  start?(description: SourceDescription, counts: SourceCounts): void;
  /** A run is finished (written, or found done earlier). */
  run?(tally: Tally): void;
  /** A batch of metric points went into the sink. */
  points?(tally: Tally): void;
  /** Any other unit is finished. */
  item?(kind: ImportKind, tally: Tally): void;
}

export interface RunImportOptions {
  source: ImportSource;
  /** Left out for a dry run: nothing is written. */
  sink?: ImportSink;
  filter: ImportFilter;
  /** Places and copies artifacts when given (and the source can read them); else they are reported as skipped. */
  artifacts?: ArtifactStep;
  observer?: ImportObserver;
}

export interface ImportResult {
  description: SourceDescription;
  counts: SourceCounts;
  tally: Tally;
  skipped: SkippedItem[];
  /** Milliseconds from the start to the end. */
  elapsedMs: number;
}

/** Whether an experiment is one `--experiments` picks (by id or by name); all when no filter is set. */
export function picks(filter: ImportFilter, experiment: Experiment): boolean {
  if (filter.experiments === undefined) return true;
  return filter.experiments.some((e) => e === experiment.experiment_id || e === experiment.name);
}

/** Imports everything `filter` picks from `source` into `sink`, or with no sink counts what would come across. */
export async function runImport(options: RunImportOptions): Promise<ImportResult> {
  const started = Date.now();
  const { source, filter, observer } = options;
  const description = await source.describe();
  const counts = await source.counts(filter);
  const tally = newTally();
  const skipped: SkippedItem[] = [];
  observer?.start?.(description, counts);
  if (options.sink === undefined) {
    await countForDryRun(source, filter, counts, skipped);
  } else {
    await importAll(options, options.sink, tally, skipped);
  }
  return { description, counts, tally, skipped: [...skipped, ...source.skipped()], elapsedMs: Date.now() - started };
}

/**
 * A dry run reads only the cheap listings, to fill in what `counts()` could not tell and to let the source find
 * what it would skip; it reads no metric history, no trace and no artifact.
 */
async function countForDryRun(
  source: ImportSource,
  filter: ImportFilter,
  counts: SourceCounts,
  skipped: SkippedItem[],
): Promise<void> {
  if (counts.experiments !== undefined && counts.runs !== undefined) return;
  let experiments = 0;
  let runs = 0;
  for await (const experiment of source.experiments(filter)) {
    if (!picks(filter, experiment)) continue;
    experiments++;
    for await (const _ of source.runs(experiment.experiment_id)) runs++;
  }
  counts.experiments ??= experiments;
  counts.runs ??= runs;
  if (filter.experiments !== undefined && experiments < filter.experiments.length)
    skipped.push(missingExperiments(filter, experiments));
}

const missingExperiments = (filter: ImportFilter, found: number): SkippedItem => ({
  what: `--experiments ${filter.experiments?.join(",")}`,
  reason: `only ${found} of the ${filter.experiments?.length} named experiments exist in the source`,
});

async function importAll(
  { source, filter, artifacts: step, observer }: RunImportOptions,
  sink: ImportSink,
  tally: Tally,
  skipped: SkippedItem[],
): Promise<void> {
  const reader = step ? source.artifacts() : undefined;
  if (!step) skipped.push({ what: "artifacts", reason: "not copied (no artifacts destination to copy to)" });
  else if (!reader) skipped.push({ what: "artifacts", reason: "the source's artifacts cannot be read" });

  /**
   * Runs `write` unless `unit` is done, then marks it; counts it either way. A run is not marked here: the sink
   * commits its mark with the run and its history (the contract), and one more commit per run would cost an fsync
   * each on the path that must stay fast. Other units are marked again (idempotent) whatever the sink does.
   */
  const unit = async (name: string, kind: ImportKind, write: () => Promise<void>) => {
    if (await sink.isDone(name)) tally.alreadyDone[kind]++;
    else {
      await write();
      if (kind !== "runs") await sink.markDone(name);
      tally.written[kind]++;
    }
  };
  /** The URI an owner's files get in tracklite, and the copy to make afterwards (none without a reader). */
  const place = (from: string | undefined, owner: ArtifactOwner) =>
    step && reader && from ? { from, owner, ...step.place(from, owner) } : undefined;
  /** Copies a placed location's files unless done; a source-side problem is reported and the import goes on. */
  const copy = async (placed: ReturnType<typeof place>) => {
    if (!step || !reader || !placed?.copyTo) return;
    const name = artifactUnit(placed.owner);
    if (await sink.isDone(name)) return;
    try {
      const { files, bytes } = await step.copy(reader, placed.from, placed.copyTo);
      await sink.markDone(name);
      tally.written.artifact_files += files;
      tally.artifactBytes += bytes;
    } catch (e) {
      if (!isSourceArtifactProblem(e)) throw e;
      skipped.push({ what: `artifacts at ${placed.from}`, reason: (e as Error).message });
    }
  };

  /** Source experiment id → tracklite's (the same unless it was taken). */
  const experimentIds = new Map<string, string>();
  let picked = 0;
  for await (const experiment of source.experiments(filter)) {
    if (!picks(filter, experiment)) continue;
    picked++;
    const sourceId = experiment.experiment_id;
    const targetId = await sink.experiment(experiment);
    experimentIds.set(sourceId, targetId);
    tally.written.experiments++;
    observer?.item?.("experiments", tally);

    for await (const run of source.runs(sourceId)) {
      const runId = run.run.info.run_id;
      const placed = place(run.run.info.artifact_uri, { kind: "run", experimentId: targetId, runId });
      const written = placed
        ? { ...run, run: { ...run.run, info: { ...run.run.info, artifact_uri: placed.uri } } }
        : run;
      await unit(importUnit.run(runId), "runs", async () => {
        const seen = { points: 0 };
        const history = counted(source.metricHistory(runId), seen, tally, observer);
        const { points } = await sink.run(targetId, written, history);
        // The sink's own count is the truth (what streamed by is only for the progress bar).
        tally.metricPoints += points - seen.points;
      });
      await copy(placed);
      observer?.run?.(tally);
    }
    for await (const model of source.loggedModels(sourceId)) {
      const modelId = model.model.info.model_id;
      const placed = place(model.model.info.artifact_uri, { kind: "logged-model", experimentId: targetId, modelId });
      const written = placed
        ? { ...model, model: { ...model.model, info: { ...model.model.info, artifact_uri: placed.uri } } }
        : model;
      await unit(importUnit.loggedModel(modelId), "logged_models", () => sink.loggedModel(targetId, written));
      await copy(placed);
      observer?.item?.("logged_models", tally);
    }
    for await (const trace of source.traces(sourceId)) {
      await unit(importUnit.trace(trace.trace.trace_info.trace_id), "traces", () => sink.trace(targetId, trace));
      observer?.item?.("traces", tally);
    }
    for await (const scorer of source.scorers(sourceId)) {
      const name = scorer.versions[0]?.scorer_name ?? "";
      await unit(importUnit.scorer(sourceId, name), "scorers", () => sink.scorer(targetId, scorer));
      observer?.item?.("scorers", tally);
    }
  }
  if (filter.experiments !== undefined && picked < filter.experiments.length)
    skipped.push(missingExperiments(filter, picked));

  for await (const dataset of source.evaluationDatasets(filter)) {
    // Links to experiments that did not come across (left out by --experiments) are dropped.
    const linked = dataset.experiment_ids.flatMap((id) => experimentIds.get(id) ?? []);
    if (filter.experiments !== undefined && linked.length === 0) continue;
    await unit(importUnit.evaluationDataset(dataset.dataset.dataset_id), "evaluation_datasets", async () => {
      tally.datasetRecords += (await sink.evaluationDataset(dataset, linked)).records;
    });
    observer?.item?.("evaluation_datasets", tally);
  }

  if (filter.experiments !== undefined) {
    skipped.push({
      what: "registry, webhooks and users",
      reason: "--experiments imports experiments only (run again without it for the rest)",
    });
    return;
  }
  for await (const model of source.registeredModels()) {
    const { written, copies } = placeVersions(model, place);
    await unit(importUnit.registeredModel(model.model.name), "registered_models", async () => {
      await sink.registeredModel(written);
      tally.written.model_versions += model.versions.length;
    });
    for (const placed of copies) await copy(placed);
    observer?.item?.("registered_models", tally);
  }
  for await (const webhook of source.webhooks()) {
    await unit(importUnit.webhook(webhook.webhook.webhook_id), "webhooks", () => sink.webhook(webhook));
    observer?.item?.("webhooks", tally);
  }
  for await (const user of source.authUsers()) {
    await unit(importUnit.authUser(user.username), "users", () => sink.authUser(user));
    observer?.item?.("users", tally);
  }
}

/**
 * A registered model with each version's `source` and storage location pointed at tracklite's copy, and the copies
 * to make (versions whose files lie inside a run's or logged model's placed location need none).
 */
function placeVersions<P extends { from: string; copyTo?: string; uri: string }>(
  model: ImportRegisteredModel,
  place: (from: string | undefined, owner: ArtifactOwner) => P | undefined,
): { written: ImportRegisteredModel; copies: P[] } {
  const copies: P[] = [];
  const storage: Record<string, string> = { ...model.version_storage_locations };
  const versions = model.versions.map((version) => {
    const owner: ArtifactOwner = { kind: "model-version", name: model.model.name, version: version.version };
    const stored = place(model.version_storage_locations?.[version.version] ?? version.source, owner);
    if (!stored) return version;
    if (stored.copyTo) copies.push(stored);
    if (model.version_storage_locations?.[version.version] !== undefined) storage[version.version] = stored.uri;
    const source = version.source ? place(version.source, owner) : undefined;
    return source ? { ...version, source: source.uri } : version;
  });
  return {
    written: {
      ...model,
      versions,
      ...(model.version_storage_locations ? { version_storage_locations: storage } : {}),
    },
    copies,
  };
}

/** The history as the sink reads it, counted batch by batch (into `seen` and the tally) for the progress bar. */
async function* counted(
  history: AsyncIterable<MetricPoint[]>,
  seen: { points: number },
  tally: Tally,
  observer: ImportObserver | undefined,
): AsyncIterable<MetricPoint[]> {
  for await (const batch of history) {
    seen.points += batch.length;
    tally.metricPoints += batch.length;
    observer?.points?.(tally);
    yield batch;
  }
}
