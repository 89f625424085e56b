import type { ModelVersion, RegisteredModel } from "@tracklite/schemas";

/**
 * Pure helpers of the registry pages: filter strings for the registry searches, prompt detection, aliases per
 * version and the sort choices of the models list. Tested in model-filters.test.ts.
 */

/** The tag MLflow 3 marks prompts (registered models and their versions) with. @see mlflow/prompt/constants.py */
export const PROMPT_TAG = "mlflow.prompt.is_prompt";
/** The version tag holding a prompt's template text. */
export const PROMPT_TEXT_TAG = "mlflow.prompt.text";
/** The version tag saying whether a prompt is `text` or `chat` (messages as JSON). */
export const PROMPT_TYPE_TAG = "_mlflow_prompt_type";

/**
 * A string literal of MLflow's filter language. Quotes are stripped, not unescaped, by the parser, so a value with a
 * single quote is written in double quotes instead.
 */
export function quoteFilterValue(value: string): string {
  return value.includes("'") && !value.includes('"') ? `"${value}"` : `'${value}'`;
}

const promptClause = `tags.\`${PROMPT_TAG}\` = 'true'`;

/**
 * The filter of the models list: a case-insensitive name search (the server hides prompts unless the filter asks
 * for them, as MLflow's does; prompts have their own page).
 */
export function modelSearchFilter(query: string): string | undefined {
  const q = query.trim();
  return q ? `name ILIKE ${quoteFilterValue(`%${q}%`)}` : undefined;
}

/** The filter for every version of one model (a prompt's versions only show when the filter asks for prompts). */
export function versionSearchFilter(name: string, prompt: boolean): string {
  const byName = `name = ${quoteFilterValue(name)}`;
  return prompt ? `${byName} AND ${promptClause}` : byName;
}

type Tagged = { tags?: { key: string; value?: string }[] | undefined };

/** Whether a registered model or a version is a prompt (its prompt tag says `true`, in any case). */
export function isPrompt(entity: Tagged | undefined): boolean {
  const tag = entity?.tags?.find((t) => t.key === PROMPT_TAG);
  return (tag?.value ?? "").toLowerCase() === "true";
}

/** A prompt version's template: the text, or a chat prompt's messages as `role: content` lines. */
export function promptTemplate(version: Tagged): string | undefined {
  const tags = version.tags ?? [];
  const text = tags.find((t) => t.key === PROMPT_TEXT_TAG)?.value;
  if (text === undefined) return undefined;
  if (tags.find((t) => t.key === PROMPT_TYPE_TAG)?.value !== "chat") return text;
  try {
    const messages = JSON.parse(text) as { role?: string; content?: string }[];
    return messages.map((m) => `${m.role ?? "?"}: ${m.content ?? ""}`).join("\n\n");
  } catch {
    return text;
  }
}

/** The aliases of each version of a model: `{ "2": ["champion"] }`, names sorted. */
export function aliasesByVersion(aliases: RegisteredModel["aliases"]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const a of aliases ?? []) out[a.version] = [...(out[a.version] ?? []), a.alias];
  for (const list of Object.values(out)) list.sort();
  return out;
}

/** The highest version number among a model's latest versions (one per stage), if it has any. */
export function latestVersion(model: RegisteredModel): ModelVersion | undefined {
  let best: ModelVersion | undefined;
  for (const v of model.latest_versions ?? []) if (!best || Number(v.version) > Number(best.version)) best = v;
  return best;
}

/** The user's tags of an entity: MLflow's own (`mlflow.*`, `_mlflow*`) left out. */
export function userTags(entity: Tagged | undefined): { key: string; value: string }[] {
  return (entity?.tags ?? [])
    .filter((t) => !t.key.startsWith("mlflow.") && !t.key.startsWith("_mlflow"))
    .map((t) => ({ key: t.key, value: t.value ?? "" }));
}

/** The sorts of the models list, as written in the URL (`-` = descending), and the server's order_by for each. */
export const MODEL_SORTS = {
  name: "name ASC",
  "-name": "name DESC",
  updated: "last_updated_timestamp ASC",
  "-updated": "last_updated_timestamp DESC",
} as const;
export type ModelSort = keyof typeof MODEL_SORTS;

/** The sort named in the URL, or by name (MLflow's default). */
export function parseModelSort(value: string | null | undefined): ModelSort {
  return value && Object.hasOwn(MODEL_SORTS, value) ? (value as ModelSort) : "name";
}

/** The sort after a click on a column header: the same column flips direction, another column starts ascending. */
export function toggleModelSort(current: ModelSort, column: "name" | "updated"): ModelSort {
  if (current === column) return `-${column}`;
  if (current === `-${column}`) return column;
  return column === "updated" ? "-updated" : "name";
}

/** The first non-empty line of a text, cut to `max` characters with an ellipsis. */
export function firstLine(text: string | undefined, max = 80): string {
  const line =
    (text ?? "")
      .split("\n")
      .map((l) => l.trim())
      .find((l) => l !== "") ?? "";
  return line.length > max ? `${line.slice(0, max - 1).trimEnd()}…` : line;
}

/** The first line of a markdown text without its markup (headings, links, emphasis, code), cut to `max`. */
export function excerpt(markdown: string | undefined, max = 80): string {
  const plain = firstLine(markdown, Number.POSITIVE_INFINITY)
    .replace(/^#+\s*|^[-*>]\s+/, "")
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/\*\*|__|~~|[*`]/g, "");
  return firstLine(plain, max);
}
