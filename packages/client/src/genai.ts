import type { EvaluationDataset, ScorerWire } from "@tracklite/schemas";
import { parseJson } from "./transport.js";

/**
 * GenAI evaluation datasets and registered scorers as a client reads them. Their wire messages carry JSON text inside
 * JSON (a dataset's tags, schema and profile; a page of records; a serialized scorer): these helpers parse it once.
 * @see mlflow/entities/evaluation_dataset.py, mlflow/entities/dataset_record.py, mlflow/genai/scorers/base.py
 */

/** A JSON object's members; anything else (null, a list, text that is not JSON) gives `{}`. */
type JsonObject = Record<string, unknown>;

const isObject = (v: unknown): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v);

/** JSON text to an object, or `{}` when it is empty, null or not an object (a dataset without tags, say). */
export function parseJsonObject(text: string | undefined | null): JsonObject {
  if (!text) return {};
  try {
    const v = parseJson(text);
    return isObject(v) ? v : {};
  } catch {
    return {};
  }
}

/** One record of an evaluation dataset, as `DatasetRecord.to_dict()` writes it. */
export interface DatasetRecord {
  dataset_record_id: string;
  dataset_id: string;
  inputs: JsonObject;
  expectations?: JsonObject;
  outputs?: unknown;
  tags: Record<string, string>;
  source?: { source_type: string; source_data?: JsonObject };
  source_id?: string;
  source_type?: string;
  created_time?: number;
  last_update_time?: number;
  created_by?: string;
  last_updated_by?: string;
}

/** What a record upsert takes: records are matched by their inputs; expectations and tags are merged key by key. */
export interface DatasetRecordInput {
  inputs: JsonObject;
  expectations?: JsonObject;
  outputs?: unknown;
  tags?: Record<string, string>;
  source?: { source_type: string; source_data?: JsonObject };
}

/** The records of a `GetDatasetRecords` answer (a JSON list as text). */
export function parseRecords(text: string): DatasetRecord[] {
  const v = text ? parseJson(text) : [];
  return Array.isArray(v) ? (v.filter(isObject) as unknown as DatasetRecord[]) : [];
}

/** An evaluation dataset with its JSON text fields read. */
export interface DatasetView {
  dataset: EvaluationDataset;
  tags: Record<string, string>;
  /** From `profile.num_records`; undefined when the server has no profile (no records yet, or all deleted). */
  recordCount: number | undefined;
  /** The field types of inputs, outputs and expectations, from `schema`. */
  schema: JsonObject;
}

/** Reads a dataset's tags, profile and schema. */
export function datasetView(dataset: EvaluationDataset): DatasetView {
  const tags = Object.fromEntries(
    Object.entries(parseJsonObject(dataset.tags)).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]),
  );
  const n = parseJsonObject(dataset.profile).num_records;
  return {
    dataset,
    tags,
    recordCount: typeof n === "number" ? n : undefined,
    schema: parseJsonObject(dataset.schema),
  };
}

/** The kinds of registered scorer, from which part of the serialized scorer is filled. */
export const SCORER_KINDS = {
  builtin: "Built-in scorer",
  judge: "LLM judge",
  decorator: "Custom code",
  memory: "Memory-augmented judge",
  thirdParty: "Third-party scorer",
  ensemble: "Ensemble",
  unknown: "Scorer",
} as const;
export type ScorerKind = keyof typeof SCORER_KINDS;

/** What a person wants to read of a serialized scorer. */
export interface ScorerSummary {
  kind: ScorerKind;
  /** The built-in class (`Safety`), or the custom function's name. */
  className?: string;
  instructions?: string;
  model?: string;
  description?: string;
  /** The judge's feedback type (`string`, `boolean`…), from its JSON schema. */
  feedbackType?: string;
  aggregations: string[];
  /** A custom scorer's source code. */
  source?: string;
  /** The whole serialized scorer, parsed (or `{}` when it is not JSON). */
  raw: JsonObject;
}

const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

/** Reads a registered scorer's `serialized_scorer` (what `Scorer.model_dump()` wrote). */
export function summarizeScorer(serialized: string): ScorerSummary {
  const raw = parseJsonObject(serialized);
  const builtin = isObject(raw.builtin_scorer_pydantic_data) ? raw.builtin_scorer_pydantic_data : undefined;
  const judge = isObject(raw.instructions_judge_pydantic_data) ? raw.instructions_judge_pydantic_data : undefined;
  const aggregations = Array.isArray(raw.aggregations) ? raw.aggregations.map(String) : [];
  const base = { aggregations, raw, description: str(raw.description) };
  if (str(raw.builtin_scorer_class) || builtin) {
    return {
      ...base,
      kind: "builtin",
      className: str(raw.builtin_scorer_class),
      instructions: str(builtin?.instructions),
      model: str(builtin?.model),
    };
  }
  if (judge) {
    const type = isObject(judge.feedback_value_type) ? str(judge.feedback_value_type.type) : undefined;
    return {
      ...base,
      kind: "judge",
      instructions: str(judge.instructions),
      model: str(judge.model),
      feedbackType: type,
    };
  }
  if (str(raw.call_source)) {
    return { ...base, kind: "decorator", className: str(raw.original_func_name), source: str(raw.call_source) };
  }
  if (raw.memory_augmented_judge_data) return { ...base, kind: "memory" };
  if (raw.third_party_scorer_data) return { ...base, kind: "thirdParty" };
  if (raw.ensemble_scorer_data) return { ...base, kind: "ensemble" };
  return { ...base, kind: "unknown" };
}

/** The latest version of each scorer name, in name order (ListScorers answers the latest already). */
export function latestScorers(scorers: ScorerWire[]): ScorerWire[] {
  const byName = new Map<string, ScorerWire>();
  for (const s of scorers) {
    const had = byName.get(s.scorer_name);
    if (!had || had.scorer_version < s.scorer_version) byName.set(s.scorer_name, s);
  }
  return [...byName.values()].sort((a, b) => a.scorer_name.localeCompare(b.scorer_name));
}
