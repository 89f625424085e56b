import type { LabelSchemaInput, ReviewStatus } from "@tracklite/schemas";

/**
 * How the GenAI views show values: record fields as `key: value` lines, label-schema inputs and review statuses as
 * words, and the JSON a user types into an editor checked before anything is sent. Pure functions, tested in Node.
 */

/** A value as one line of text: strings as they are, everything else as compact JSON. */
export function valueText(v: unknown): string {
  if (typeof v === "string") return v;
  if (v === undefined) return "";
  return JSON.stringify(v) ?? String(v);
}

/** The members of a record field (`inputs`, `expectations`…) as `[key, text]` pairs; a non-object is one pair. */
export function fieldEntries(v: unknown): [string, string][] {
  if (v === undefined || v === null) return [];
  if (typeof v === "object" && !Array.isArray(v)) {
    return Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, valueText(x)]);
  }
  return [["", valueText(v)]];
}

/** Tags a person set: MLflow's own (`mlflow.user`…) left out. */
export function userTags(tags: Record<string, string> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(tags ?? {}).filter(([k]) => !k.startsWith("mlflow.")));
}

/** The review statuses as MLflow's UI words them, with the pill kind of the shared status colours. */
export const REVIEW_STATUS = {
  PENDING: { label: "Pending", kind: "pending", icon: "pending" },
  COMPLETE: { label: "Completed", kind: "finished", icon: "finished" },
  DECLINED: { label: "Declined", kind: "killed", icon: "killed" },
} as const satisfies Record<ReviewStatus, { label: string; kind: string; icon: string }>;

/** The statuses in MLflow's order (a value of our own: importing the schemas' would pull zod into the chunk). */
export const REVIEW_STATUSES = Object.keys(REVIEW_STATUS) as ReviewStatus[];

/** What a reviewer is asked to give, in words: `Pass/fail (Yes / No)`, `One of: calm, rude`, `Number 0 – 10`. */
export function labelInputText(input: LabelSchemaInput): string {
  if (input.pass_fail) {
    const yes = input.pass_fail.positive_label || "Pass";
    const no = input.pass_fail.negative_label || "Fail";
    return `Pass/fail (${yes} / ${no})`;
  }
  if (input.categorical) {
    const options = (input.categorical.options ?? []).join(", ");
    return `${input.categorical.multi_select ? "Any of" : "One of"}: ${options}`;
  }
  if (input.numeric) {
    const { min_value: lo, max_value: hi } = input.numeric;
    if (lo === undefined && hi === undefined) return "Number";
    return `Number ${lo ?? "−∞"} – ${hi ?? "∞"}`;
  }
  if (input.text) return input.text.max_length ? `Text (up to ${input.text.max_length} characters)` : "Text";
  return "—";
}

/** An issue's severity, highest first, for sorting and colour. */
export const SEVERITY_RANK: Record<string, number> = { high: 3, medium: 2, low: 1, not_an_issue: 0 };

/** The result of reading an editor's JSON: an object of members, or the reason it is not one. */
export type JsonEdit = { ok: true; value: Record<string, unknown> } | { ok: false; error: string };

/**
 * Reads what a user typed as a JSON object (empty text is `{}`). `strings` requires every value to be a string
 * (tags are string to string).
 */
export function readJsonObject(text: string, what: string, strings = false): JsonEdit {
  if (!text.trim()) return { ok: true, value: {} };
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: `${what} is not valid JSON: ${(e as Error).message}` };
  }
  if (typeof v !== "object" || v === null || Array.isArray(v)) {
    return { ok: false, error: `${what} must be a JSON object ({"key": value}).` };
  }
  if (strings) {
    const bad = Object.entries(v).find(([, x]) => typeof x !== "string");
    if (bad) return { ok: false, error: `${what}: the value of "${bad[0]}" must be a string.` };
  }
  return { ok: true, value: v as Record<string, unknown> };
}

/** Keys of `before` that `after` no longer has (an upsert merges, so removing a key needs the record re-created). */
export function removedKeys(before: Record<string, unknown> | undefined, after: Record<string, unknown>): string[] {
  return Object.keys(before ?? {}).filter((k) => !(k in after));
}

/** `1–25 of 30`: the rows a page shows. */
export function pageRange(pageIndex: number, pageSize: number, shown: number, total: number | undefined): string {
  if (shown === 0) return total ? `0 of ${total}` : "0";
  const first = pageIndex * pageSize + 1;
  const last = first + shown - 1;
  return `${first}–${last}${total === undefined ? "" : ` of ${total.toLocaleString()}`}`;
}
