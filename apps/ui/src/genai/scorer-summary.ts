import type { ScorerWire } from "@tracklite/schemas";
import { isObject, type JsonObject, parseJsonObject } from "./json-object.js";

/**
 * A registered scorer's `serialized_scorer` (what the Python client's `Scorer.model_dump()` wrote) read for people.
 * @see mlflow/genai/scorers/base.py SerializedScorer
 */

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
