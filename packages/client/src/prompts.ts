import type { ModelVersion } from "@tracklite/schemas";

/** The tags MLflow 3 marks prompts with in the model registry. @see mlflow/prompt/constants.py */
export const PROMPT_TAGS = {
  isPrompt: "mlflow.prompt.is_prompt",
  text: "mlflow.prompt.text",
  type: "_mlflow_prompt_type",
} as const;

/** The `source` MLflow gives a prompt's model version (required by the registry, unused). */
export const PROMPT_SOURCE = "prompt-template";

/** One version of a prompt, read from its model version. */
export interface PromptVersion {
  name: string;
  version: number;
  /** The text, or the chat messages of a chat prompt. */
  template: string | { role: string; content: string }[];
  commitMessage?: string;
  aliases: string[];
  /** The version's own tags, without MLflow's prompt markers. */
  tags: Record<string, string>;
  creationTimestamp?: number;
  /** Fills `{{name}}` placeholders; unknown names are left as they are. */
  format(values: Record<string, unknown>): string | { role: string; content: string }[];
}

/** Reads a prompt version from its model version; refuses model versions that are not prompts. */
export function toPromptVersion(mv: ModelVersion): PromptVersion {
  const tags = Object.fromEntries((mv.tags ?? []).map((t) => [t.key, t.value ?? ""]));
  if (tags[PROMPT_TAGS.isPrompt] !== "true") throw new TypeError(`${mv.name} version ${mv.version} is not a prompt.`);
  const text = tags[PROMPT_TAGS.text] ?? "";
  const template = tags[PROMPT_TAGS.type] === "chat" ? (JSON.parse(text) as { role: string; content: string }[]) : text;
  const own = Object.fromEntries(
    Object.entries(tags).filter(([k]) => !Object.values(PROMPT_TAGS).includes(k as never)),
  );
  const fill = (s: string, values: Record<string, unknown>) =>
    s.replace(/\{\{\s*(\w+)\s*\}\}/g, (m, key: string) => (key in values ? String(values[key]) : m));
  return {
    name: mv.name,
    version: Number(mv.version),
    template,
    commitMessage: mv.description || undefined,
    aliases: mv.aliases ?? [],
    tags: own,
    creationTimestamp: mv.creation_timestamp,
    format: (values) =>
      typeof template === "string"
        ? fill(template, values)
        : template.map((m) => ({ ...m, content: fill(m.content, values) })),
  };
}

/** `prompts:/name/3`, `prompts:/name@alias`, or a bare name with a version. */
export function parsePromptUri(
  nameOrUri: string,
  version?: string | number,
): { name: string; version: string } | { name: string; alias: string } {
  const m = /^prompts:\/(.+?)(?:@([^/@]+)|\/([^/@]+))$/.exec(nameOrUri);
  if (m) return m[2] ? { name: m[1] ?? "", alias: m[2] } : { name: m[1] ?? "", version: m[3] ?? "" };
  if (version === undefined) throw new TypeError(`Give a version for prompt ${nameOrUri}, or a prompts:/ URI.`);
  return { name: nameOrUri, version: String(version) };
}
