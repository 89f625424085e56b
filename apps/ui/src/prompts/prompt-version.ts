import type { ModelVersion, RegisteredModel } from "@tracklite/schemas";
import { PROMPT_TAG, PROMPT_TEXT_TAG, PROMPT_TYPE_TAG, quoteFilterValue, userTags } from "../registry/model-filters.js";

/**
 * How the prompt pages read MLflow's prompts: a prompt is a registered model tagged `mlflow.prompt.is_prompt`, and
 * each of its versions keeps the template, its type and its model settings in tags. Pure, tested in
 * prompt-version.test.ts.
 * @see mlflow/prompt/constants.py, mlflow/entities/model_registry/prompt_version.py
 */

/** The tag holding a version's model settings (JSON). */
export const MODEL_CONFIG_TAG = "_mlflow_prompt_model_config";
/** The tag holding a version's response format (a JSON schema). */
export const RESPONSE_FORMAT_TAG = "_mlflow_prompt_response_format";
/** The prompt's tag listing the experiments that registered or loaded it, as `,1,4,`. */
export const EXPERIMENT_IDS_TAG = "_mlflow_experiment_ids";

/**
 * A variable of a template: `{{ name }}` or `{{ a.b }}`, with any spaces inside the braces.
 * @see mlflow/prompt/constants.py PROMPT_TEMPLATE_VARIABLE_PATTERN
 */
const VARIABLE = /\{\{\s*([a-zA-Z_][a-zA-Z0-9_]*(?:\.[a-zA-Z_][a-zA-Z0-9_]*)*)\s*\}\}/g;

export interface ChatMessage {
  role: string;
  content: string;
}

/** One version of a prompt, as the prompt page shows it. */
export interface PromptVersionView {
  version: string;
  type: "text" | "chat";
  /** The text, or a chat prompt's messages. */
  template: string | ChatMessage[];
  /** The version's description: MLflow's commit message. */
  commitMessage: string;
  created: number | undefined;
  aliases: string[];
  /** The version's own tags (MLflow's prompt bookkeeping left out). */
  tags: { key: string; value: string }[];
  modelConfig: Record<string, unknown> | undefined;
  responseFormat: unknown;
}

const tagValue = (tags: { key: string; value?: string }[] | undefined, key: string) =>
  tags?.find((t) => t.key === key)?.value;

function parseJson(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** A chat template's messages, or undefined when the text is not a JSON list of messages. */
function chatMessages(text: string): ChatMessage[] | undefined {
  const value = parseJson(text);
  if (!Array.isArray(value)) return undefined;
  return value.map((m: { role?: unknown; content?: unknown }) => ({
    role: String(m?.role ?? ""),
    content: typeof m?.content === "string" ? m.content : JSON.stringify(m?.content ?? ""),
  }));
}

/** Reads a prompt version from its model version; `aliases` are the prompt's aliases pointing at it. */
export function readPromptVersion(mv: ModelVersion, aliases: string[] = []): PromptVersionView {
  const text = tagValue(mv.tags, PROMPT_TEXT_TAG) ?? "";
  const chat = tagValue(mv.tags, PROMPT_TYPE_TAG) === "chat" ? chatMessages(text) : undefined;
  const config = parseJson(tagValue(mv.tags, MODEL_CONFIG_TAG));
  return {
    version: String(mv.version),
    type: chat ? "chat" : "text",
    template: chat ?? text,
    commitMessage: mv.description ?? "",
    created: mv.creation_timestamp,
    aliases,
    tags: userTags(mv),
    modelConfig: config && typeof config === "object" ? (config as Record<string, unknown>) : undefined,
    responseFormat: parseJson(tagValue(mv.tags, RESPONSE_FORMAT_TAG)),
  };
}

/** The variables of a template in order of first use, each once. */
export function templateVariables(template: string | ChatMessage[]): string[] {
  const texts = typeof template === "string" ? [template] : template.map((m) => m.content);
  const seen = new Set<string>();
  for (const t of texts) for (const m of t.matchAll(VARIABLE)) seen.add(m[1] ?? "");
  return [...seen];
}

/** A text cut into plain runs and variables (`{{ x }}` kept as written), for highlighting. */
export function splitVariables(text: string): { text: string; variable?: string }[] {
  const out: { text: string; variable?: string }[] = [];
  let last = 0;
  for (const m of text.matchAll(VARIABLE)) {
    const at = m.index ?? 0;
    if (at > last) out.push({ text: text.slice(last, at) });
    out.push({ text: m[0], variable: m[1] ?? "" });
    last = at + m[0].length;
  }
  if (last < text.length) out.push({ text: text.slice(last) });
  return out;
}

/** The text a diff compares: a text template as is; a chat template as one `[role]` block per message. */
export function templateText(template: string | ChatMessage[]): string {
  if (typeof template === "string") return template;
  return template.map((m) => `[${m.role}]\n${m.content}`).join("\n\n");
}

/** The experiments a prompt is linked to (from `,1,4,`). */
export function promptExperimentIds(prompt: RegisteredModel | undefined): string[] {
  return (tagValue(prompt?.tags, EXPERIMENT_IDS_TAG) ?? "").split(",").filter((id) => id.trim() !== "");
}

/**
 * The registered-model filter of the prompts list: prompts only, a case-insensitive name search, and in an
 * experiment only the prompts linked to it (MLflow's experiment-scoped search does the same LIKE).
 * @see mlflow/store/model_registry/abstract_store.py _add_experiment_filter
 */
export function promptsFilter(query: string, experimentId?: string): string {
  const parts = [`tags.\`${PROMPT_TAG}\` = 'true'`];
  const q = query.trim();
  if (q) parts.push(`name ILIKE ${quoteFilterValue(`%${q}%`)}`);
  if (experimentId && /^\d+$/.test(experimentId)) parts.push(`tags.${EXPERIMENT_IDS_TAG} LIKE '%,${experimentId},%'`);
  return parts.join(" AND ");
}

/** The version to compare a version with by default: the one before it, or after it for the first. */
export function defaultComparedVersion(versions: readonly string[], selected: string): string | undefined {
  const sorted = [...versions].sort((a, b) => Number(a) - Number(b));
  const at = sorted.indexOf(selected);
  if (at < 0) return undefined;
  return sorted[at - 1] ?? sorted[at + 1];
}
