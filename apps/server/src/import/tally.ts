/**
 * What an import counted, kind by kind: what it wrote, and what an earlier, interrupted import had already written
 * (skipped on resume). The summary and the progress bar read it.
 */

export const IMPORT_KINDS = [
  "experiments",
  "runs",
  "logged_models",
  "traces",
  "scorers",
  "evaluation_datasets",
  "registered_models",
  "model_versions",
  "webhooks",
  "users",
  "artifact_files",
] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

export interface Tally {
  /** Written by this import. */
  written: Record<ImportKind, number>;
  /** Found done by an earlier import, and skipped. */
  alreadyDone: Record<ImportKind, number>;
  /** Metric points written by this import. */
  metricPoints: number;
  /** Records of GenAI evaluation datasets written. */
  datasetRecords: number;
  /** Artifact bytes copied. */
  artifactBytes: number;
}

const zeros = () => Object.fromEntries(IMPORT_KINDS.map((k) => [k, 0])) as Record<ImportKind, number>;

export const newTally = (): Tally => ({
  written: zeros(),
  alreadyDone: zeros(),
  metricPoints: 0,
  datasetRecords: 0,
  artifactBytes: 0,
});
