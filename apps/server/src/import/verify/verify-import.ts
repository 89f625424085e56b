/**
 * `tracklite import --verify`: reads the source and tracklite side by side through the same `ImportSource`
 * contract (the SOURCE's own reader on one side, the REST source pointed at tracklite on the other) and lists what
 * differs: counts first, then every experiment, run (info, params, tags, inputs, outputs, latest metrics), metric
 * history, logged model, trace (spans, assessments), scorer, evaluation dataset (records), registered model and
 * prompt (versions, aliases) and webhook. Entities only tracklite holds are not differences (it may hold other
 * history); every entity of the source must be there, equal.
 */
import { createHash } from "node:crypto";
import type { ImportFilter, ImportSource, SourceCounts } from "@tracklite/server/import";
import { compareValues } from "./compare-values.js";
import { digestHistory } from "./history-digest.js";

export const VERIFIED_KINDS = [
  "experiments",
  "runs",
  "metric histories",
  "logged models",
  "traces",
  "scorers",
  "evaluation datasets",
  "registered models",
  "webhooks",
] as const;
export type VerifiedKind = (typeof VERIFIED_KINDS)[number];

/** One difference: the entity (`run 1a2b… in experiment 'x'`), the field, and both values (undefined: absent). */
export interface Difference {
  kind: VerifiedKind | "counts";
  what: string;
  path: string;
  source: unknown;
  target: unknown;
}

export interface VerifyOptions {
  filter?: ImportFilter;
  /** Differences kept for printing (all are counted). Default 50. */
  keep?: number;
  /** Called after each entity, for a progress line. */
  onChecked?: (kind: VerifiedKind) => void;
}

export interface VerifyReport {
  counts: { kind: keyof SourceCounts; source: number; target: number | undefined }[];
  checked: Record<VerifiedKind, number>;
  differing: Record<VerifiedKind, number>;
  /** The first `keep` differences. */
  differences: Difference[];
  /** Every difference found. */
  total: number;
}

/**
 * Fields that legitimately change on the way: artifact locations (rewritten into tracklite's destination, see the
 * artifact URI rule) and experiment ids (kept where free, else mapped: compared through the mapping instead).
 */
const IGNORED = {
  experiment: new Set(["experiment_id", "artifact_location"]),
  run: new Set(["info.artifact_uri", "info.experiment_id"]),
  loggedModel: new Set(["info.artifact_uri", "info.experiment_id"]),
  trace: new Set(["trace_info.trace_location.mlflow_experiment.experiment_id"]),
  none: new Set<string>(),
};

/** Compares `source` with `target` (tracklite read back); never throws on a difference, only on a read error. */
export async function verifyImport(
  source: ImportSource,
  target: ImportSource,
  options: VerifyOptions = {},
): Promise<VerifyReport> {
  const v = new Verification(options);
  const filter = options.filter ?? {};
  await v.counts(await source.counts(filter), await target.counts(filter));

  const targetExperiments = new Map<string, string>();
  const targetExperimentByName = new Map<string, Record<string, unknown>>();
  for await (const e of target.experiments({})) {
    targetExperiments.set(e.name, e.experiment_id);
    targetExperimentByName.set(e.name, e as unknown as Record<string, unknown>);
  }
  for await (const exp of source.experiments(filter)) {
    const what = `experiment '${exp.name}'`;
    const found = targetExperimentByName.get(exp.name);
    v.entity("experiments", what, exp, found, IGNORED.experiment);
    const targetId = targetExperiments.get(exp.name);
    if (targetId === undefined) continue;
    await verifyExperiment(v, source, target, exp.experiment_id, targetId, what);
  }

  const datasets = await byId(target.evaluationDatasets({}), (d) => d.dataset.dataset_id);
  for await (const d of source.evaluationDatasets(filter)) {
    const what = `evaluation dataset '${d.dataset.name}' (${d.dataset.dataset_id})`;
    const found = datasets.get(d.dataset.dataset_id);
    // experiment ids are compared through the experiment mapping (names) above; the dataset's own fields here
    const ignore = new Set(["experiment_ids"]);
    v.entity("evaluation datasets", what, d.dataset, found?.dataset, ignore);
    if (found)
      v.field(
        "evaluation datasets",
        what,
        "records",
        await recordsDigest(d.records()),
        await recordsDigest(found.records()),
      );
  }

  const models = await byId(target.registeredModels(), (m) => m.model.name);
  for await (const m of source.registeredModels()) {
    const found = models.get(m.model.name);
    // latest_versions is derived from the versions (compared next); a database or FileStore source leaves it out
    const model =
      found?.model.latest_versions && m.model.latest_versions ? m.model : { ...m.model, latest_versions: undefined };
    const other = found && (m.model.latest_versions ? found.model : { ...found.model, latest_versions: undefined });
    v.entity("registered models", `registered model '${m.model.name}'`, model, other, IGNORED.none);
    if (found) v.entity("registered models", `versions of '${m.model.name}'`, m.versions, found.versions, IGNORED.none);
  }

  const hooks = await byId(target.webhooks(), (w) => w.webhook.webhook_id);
  for await (const w of source.webhooks()) {
    const found = hooks.get(w.webhook.webhook_id);
    v.entity("webhooks", `webhook '${w.webhook.name}'`, w.webhook, found?.webhook, IGNORED.none);
  }
  return v.report();
}

async function verifyExperiment(
  v: Verification,
  source: ImportSource,
  target: ImportSource,
  sourceId: string,
  targetId: string,
  inExperiment: string,
): Promise<void> {
  const runs = await byId(target.runs(targetId), (r) => r.run.info.run_id);
  for await (const r of source.runs(sourceId)) {
    const id = r.run.info.run_id;
    const what = `run ${id} in ${inExperiment}`;
    const found = runs.get(id);
    v.entity("runs", what, comparable(r.run, found?.run), found && comparable(found.run, r.run), IGNORED.run);
    if (!found) continue;
    const [a, b] = await Promise.all([
      digestHistory(source.metricHistory(id)),
      digestHistory(target.metricHistory(id)),
    ]);
    for (const [key, digest] of a) {
      const other = b.get(key);
      const same = other !== undefined && other.points === digest.points && other.sum === digest.sum;
      v.count("metric histories", same);
      if (same) continue;
      const path = `metric '${key}'`;
      if (other === undefined || other.points !== digest.points)
        v.difference(
          "metric histories",
          `history of ${what}`,
          path,
          `${digest.points} points`,
          `${other?.points ?? 0} points`,
        );
      else
        v.difference(
          "metric histories",
          `history of ${what}`,
          path,
          "these points",
          "other values, steps or timestamps",
        );
    }
  }
  const models = await byId(target.loggedModels(targetId), (m) => m.model.info.model_id);
  for await (const m of source.loggedModels(sourceId)) {
    const found = models.get(m.model.info.model_id);
    v.entity(
      "logged models",
      `logged model ${m.model.info.model_id} in ${inExperiment}`,
      m,
      found,
      IGNORED.loggedModel,
    );
  }
  const traces = await byId(target.traces(targetId), (t) => t.trace.trace_info.trace_id);
  for await (const t of source.traces(sourceId)) {
    const found = traces.get(t.trace.trace_info.trace_id);
    v.entity("traces", `trace ${t.trace.trace_info.trace_id} in ${inExperiment}`, t.trace, found?.trace, IGNORED.trace);
  }
  const scorers = await byId(target.scorers(targetId), (s) => s.versions[0]?.scorer_name ?? "");
  for await (const s of source.scorers(sourceId)) {
    const name = s.versions[0]?.scorer_name ?? "";
    v.entity("scorers", `scorer '${name}' in ${inExperiment}`, s.versions, scorers.get(name)?.versions, IGNORED.none);
  }
}

type ComparableRun = { data?: { metrics?: unknown[] } };

/**
 * What of a run is compared: its latest metrics only when both sides list them (the contract lets a database source
 * leave them out; the history is the truth, compared point by point).
 */
function comparable<T extends ComparableRun>(run: T, other: T | undefined): T {
  if (other?.data?.metrics?.length && run.data?.metrics?.length) return run;
  return { ...run, data: { ...run.data, metrics: undefined } };
}

/** Record count and an order-independent digest of a dataset's records. */
async function recordsDigest(batches: AsyncIterable<Record<string, unknown>[]>): Promise<string> {
  let count = 0;
  let sum = 0n;
  for await (const batch of batches) {
    for (const record of batch) {
      count += 1;
      sum =
        (sum + BigInt(`0x${createHash("sha1").update(canonicalJson(record)).digest("hex").slice(0, 16)}`)) &
        ((1n << 64n) - 1n);
    }
  }
  return `${count} records (digest ${sum.toString(16)})`;
}

function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(",")}]`;
  if (v && typeof v === "object")
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  return JSON.stringify(v) ?? "null";
}

/** The target's entities of one listing, by id: one experiment's runs at most (a bounded set), not a whole table. */
async function byId<T>(items: AsyncIterable<T>, id: (item: T) => string): Promise<Map<string, T>> {
  const out = new Map<string, T>();
  for await (const item of items) out.set(id(item), item);
  return out;
}

class Verification {
  private readonly keep: number;
  private readonly checked = zeroes();
  private readonly differing = zeroes();
  private readonly differences: Difference[] = [];
  private readonly countRows: VerifyReport["counts"] = [];
  private total = 0;

  constructor(private readonly options: VerifyOptions) {
    this.keep = options.keep ?? 50;
  }

  async counts(source: SourceCounts, target: SourceCounts): Promise<void> {
    for (const kind of Object.keys(source) as (keyof SourceCounts)[]) {
      const n = source[kind];
      if (n === undefined) continue;
      this.countRows.push({ kind, source: n, target: target[kind] });
      // tracklite may hold more (history of its own); fewer is a difference
      if (target[kind] !== undefined && (target[kind] ?? 0) < n)
        this.push({ kind: "counts", what: "counts", path: kind, source: n, target: target[kind] });
    }
  }

  /** One entity: missing on the target side, or its differing fields. */
  entity(kind: VerifiedKind, what: string, source: unknown, target: unknown, ignore: ReadonlySet<string>): void {
    if (target === undefined) {
      this.count(kind, false);
      this.difference(kind, what, "", "present", "missing in tracklite");
      return;
    }
    const diffs = compareValues(source, target, ignore);
    this.count(kind, diffs.length === 0);
    for (const d of diffs) this.difference(kind, what, d.path, d.source, d.target);
  }

  field(kind: VerifiedKind, what: string, path: string, source: unknown, target: unknown): void {
    if (source !== target) this.difference(kind, what, path, source, target);
  }

  count(kind: VerifiedKind, same: boolean): void {
    this.checked[kind] += 1;
    if (!same) this.differing[kind] += 1;
    this.options.onChecked?.(kind);
  }

  difference(kind: VerifiedKind, what: string, path: string, source: unknown, target: unknown): void {
    this.push({ kind, what, path, source, target });
  }

  private push(d: Difference): void {
    this.total += 1;
    if (this.differences.length < this.keep) this.differences.push(d);
  }

  report(): VerifyReport {
    return {
      counts: this.countRows,
      checked: this.checked,
      differing: this.differing,
      differences: this.differences,
      total: this.total,
    };
  }
}

function zeroes(): Record<VerifiedKind, number> {
  return Object.fromEntries(VERIFIED_KINDS.map((k) => [k, 0])) as Record<VerifiedKind, number>;
}
