import type { ArtifactStore } from "@tracklite/server";
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
import { type ArtifactImportContext, type ArtifactOwner, importArtifacts, LocationMap } from "./artifacts/index.js";
import { type HistoryPrefetch, type HistoryPrefetchSpec, prefetchHistories } from "./prefetch-histories.js";
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
  /**
   * tracklite's artifact destination: each run's, logged model's and version's files are copied there and the entity
   * written with tracklite's URI for them (the artifacts owner's rule). Without it, or when the source cannot read
   * its artifacts, URIs are kept as the source has them and artifacts are reported as skipped.
   */
  artifactsTarget?: ArtifactStore;
  observer?: ImportObserver;
  /** Where a worker thread can read the same metric histories ahead (a SQLite source's file); else in-thread. */
  prefetch?: HistoryPrefetchSpec;
}

/** Runs pulled from the source ahead of the one being written, so that their histories are read meanwhile. */
const RUNS_AHEAD = 64;

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

async function importAll(options: RunImportOptions, sink: ImportSink, tally: Tally, skipped: SkippedItem[]) {
  const histories = prefetchHistories(options.source, options.prefetch);
  try {
    await importEverything(options, sink, tally, skipped, histories);
  } finally {
    await histories.close();
  }
}

async function importEverything(
  { source, filter, artifactsTarget, observer }: RunImportOptions,
  sink: ImportSink,
  tally: Tally,
  skipped: SkippedItem[],
  histories: HistoryPrefetch,
): Promise<void> {
  const reader = artifactsTarget ? source.artifacts() : undefined;
  if (!artifactsTarget) skipped.push({ what: "artifacts", reason: "not copied (no artifacts destination to copy to)" });
  else if (!reader) skipped.push({ what: "artifacts", reason: "the source's artifacts cannot be read" });
  const artifacts: ArtifactImportContext | undefined =
    artifactsTarget && reader ? { reader, target: artifactsTarget, sink, locations: new LocationMap() } : undefined;

  /**
   * Runs `write` unless `unit` is done, then marks it; counts it either way. A run is not marked here: the sink
   * commits its mark with the run and its history (the contract), and one more commit per run would cost an fsync
   * each on the path that must stay fast. Other units are marked again (idempotent) whatever the sink does.
   * `done` is the checkpoint's answer when the caller asked it already.
   */
  const unit = async (name: string, kind: ImportKind, write: () => Promise<void>, done?: boolean) => {
    if (done ?? (await sink.isDone(name))) tally.alreadyDone[kind]++;
    else {
      await write();
      if (kind !== "runs") await sink.markDone(name);
      tally.written[kind]++;
    }
  };
  /**
   * Copies an owner's files (once: a checkpoint unit of their own) and answers the URI to write for it in tracklite;
   * the source's URI when artifacts are not copied. A location the source cannot read is reported, not fatal.
   */
  const placed = async (from: string | undefined, owner: ArtifactOwner): Promise<string | undefined> => {
    if (!artifacts || !from) return from;
    const result = await importArtifacts(artifacts, owner, from);
    if (result.copy) {
      tally.written.artifact_files += result.copy.copied;
      tally.artifactBytes += result.copy.bytes;
    }
    if (result.skipped) skipped.push(result.skipped);
    return result.uri;
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

    // Runs are pulled a few ahead, their checkpoint asked then: the histories of those not done are read meanwhile.
    const ahead = readAhead(source.runs(sourceId), RUNS_AHEAD, async (run) => {
      const done = await sink.isDone(importUnit.run(run.run.info.run_id));
      if (!done) histories.want(run.run.info.run_id);
      return done;
    });
    for await (const [run, done] of ahead) {
      const runId = run.run.info.run_id;
      const uri = await placed(run.run.info.artifact_uri, { kind: "run", experimentId: targetId, runId });
      const written =
        uri === run.run.info.artifact_uri
          ? run
          : { ...run, run: { ...run.run, info: { ...run.run.info, artifact_uri: uri } } };
      await unit(
        importUnit.run(runId),
        "runs",
        async () => {
          const seen = { points: 0 };
          const history = counted(histories.history(runId), seen, tally, observer);
          const { points } = await sink.run(targetId, written, history);
          // The sink's own count is the truth (what streamed by is only for the progress bar).
          tally.metricPoints += points - seen.points;
        },
        done,
      );
      observer?.run?.(tally);
    }
    for await (const model of source.loggedModels(sourceId)) {
      const modelId = model.model.info.model_id;
      const from = model.model.info.artifact_uri;
      const uri = (await placed(from, { kind: "logged-model", experimentId: targetId, modelId })) ?? from;
      const written =
        uri === from
          ? model
          : { ...model, model: { ...model.model, info: { ...model.model.info, artifact_uri: uri } } };
      await unit(importUnit.loggedModel(modelId), "logged_models", () => sink.loggedModel(targetId, written));
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
    const written = await placeVersions(model, placed, artifacts?.locations);
    await unit(importUnit.registeredModel(model.model.name), "registered_models", async () => {
      await sink.registeredModel(written);
      tally.written.model_versions += model.versions.length;
    });
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
 * A registered model with each version's storage location (and its `source` when that names the same files) pointed
 * at tracklite's copy; a version inside a run's or logged model's copied files is pointed there, not copied again.
 */
async function placeVersions(
  model: ImportRegisteredModel,
  placed: (from: string | undefined, owner: ArtifactOwner) => Promise<string | undefined>,
  locations: LocationMap | undefined,
): Promise<ImportRegisteredModel> {
  if (!locations) return model;
  const storage: Record<string, string> = { ...model.version_storage_locations };
  const versions = [];
  for (const version of model.versions) {
    const owner: ArtifactOwner = { kind: "model-version", name: model.model.name, version: version.version };
    const stored = model.version_storage_locations?.[version.version];
    const uri = await placed(stored ?? version.source, owner);
    if (stored !== undefined && uri !== undefined) storage[version.version] = uri;
    const source =
      version.source === undefined || stored === undefined
        ? uri
        : version.source === stored
          ? uri
          : (locations.rewrite(version.source) ?? version.source);
    versions.push(source === undefined ? version : { ...version, source });
  }
  return { ...model, versions, ...(model.version_storage_locations ? { version_storage_locations: storage } : {}) };
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

/** `items` with what `pulled` answers for each, called as each is pulled, up to `n` items before it is yielded. */
async function* readAhead<T, U>(items: AsyncIterable<T>, n: number, pulled: (item: T) => Promise<U>) {
  const iterator = items[Symbol.asyncIterator]();
  const buffer: [T, U][] = [];
  let exhausted = false;
  try {
    for (;;) {
      while (!exhausted && buffer.length < n) {
        const next = await iterator.next();
        if (next.done) exhausted = true;
        else buffer.push([next.value, await pulled(next.value)]);
      }
      const first = buffer.shift();
      if (first === undefined) return;
      yield first;
    }
  } finally {
    if (!exhausted) await iterator.return?.();
  }
}
