import { invalidParameter } from "../errors.js";

/**
 * Which sub-resource tiers a trace search reaches through its filter or its sort: a comparison on an assessment
 * (`feedback.…`, `expectation.…`) reads the assessment tier, one on the `mlflow.sourceRun` / `mlflow.modelId` metadata
 * (`run_id` is an alias of the first) the run or logged-model tier. A search must be allowed to read each tier it
 * selects on, since its row set answers questions about values the response itself would withhold. What cannot be
 * parsed reaches every tier, as in the reference (the search itself then refuses it).
 * @see mlflow/server/auth/__init__.py _trace_search_selects_on_tiers
 * @see mlflow/utils/search_utils.py SearchTraceUtils (identifiers, aliases and key mapping)
 */

export const TRACE_SEARCH_TIERS = ["assessment", "run", "logged_model"] as const;
export type TraceSearchTier = (typeof TRACE_SEARCH_TIERS)[number];

const METADATA_TIERS: Record<string, TraceSearchTier> = {
  "mlflow.sourceRun": "run",
  "mlflow.modelId": "logged_model",
};

const ENTITY_ALIASES: Record<string, string> = {
  tags: "tag",
  attributes: "attribute",
  trace: "attribute",
  metadata: "request_metadata",
};
const ENTITIES = new Set(["tag", "request_metadata", "attribute", "span", "feedback", "expectation", "issue"]);

const SEARCH_ATTRIBUTES = new Set([
  "request_id",
  "timestamp",
  "timestamp_ms",
  "execution_time",
  "execution_time_ms",
  "end_time",
  "end_time_ms",
  "status",
  "client_request_id",
  "name",
  "run_id",
  "prompt",
  "text",
]);
const ORDER_BY_ATTRIBUTES = new Set([
  "experiment_id",
  "timestamp",
  "timestamp_ms",
  "execution_time",
  "execution_time_ms",
  "end_time",
  "end_time_ms",
  "status",
  "request_id",
  "name",
  "run_id",
]);

/** What `span.` may name. */
const SPAN_KEYS = new Set(["name", "type", "status", "content"]);

/** Keys that are stored elsewhere than their entity says (whatever entity names them, spans aside). */
const KEY_TO_TAG = new Set(["name", "prompt"]);

/** Thrown inside the analysis for what the reference's parser refuses. */
class Unparsable extends Error {}

/** An identifier as the reference reads it: `entity.key` (bare: an attribute), quotes and backticks trimmed. */
function identify(raw: string, attributes: ReadonlySet<string>): { type: string; key: string } {
  const dot = raw.indexOf(".");
  const entity = dot < 0 ? "attribute" : raw.slice(0, dot).replace(/^`|`$/g, "");
  const rawKey = dot < 0 ? raw : raw.slice(dot + 1);
  const key = rawKey.replace(/^(["'])(.*)\1$/s, "$2").replace(/^`(.*)`$/s, "$1");
  if (!ENTITIES.has(entity) && !(entity in ENTITY_ALIASES)) throw new Unparsable();
  const type = ENTITY_ALIASES[entity] ?? entity;
  if (type === "attribute" && !attributes.has(key)) throw new Unparsable();
  if (type === "span") {
    if (!SPAN_KEYS.has(key) && !/^attributes\../.test(key)) throw new Unparsable();
    return { type, key };
  }
  const lower = key.toLowerCase();
  if (KEY_TO_TAG.has(lower)) return { type: "tag", key };
  if (lower === "run_id") return { type: "request_metadata", key: "mlflow.sourceRun" };
  if (lower === "text") return { type: "span", key: "content" };
  return { type, key };
}

const tierOf = (id: { type: string; key: string }, assessments: boolean): TraceSearchTier | undefined => {
  if (assessments && (id.type === "feedback" || id.type === "expectation")) return "assessment";
  return id.type === "request_metadata" ? METADATA_TIERS[id.key] : undefined;
};

/** One identifier: words, backticked or double-quoted parts, joined by dots. */
const IDENTIFIER = /^(?:[A-Za-z_]\w*|`[^`]*`)(?:\.(?:[A-Za-z_]\w*|`[^`]*`|"[^"]*"|'[^']*')?)*/;
/** A comparison's value: a quoted string, a number, a parenthesized list, or nothing (`IS NULL`). */
const VALUE = /^\s*(?:'(?:[^']|'')*'|"[^"]*"|[-+]?\d+(?:\.\d*)?(?:[eE][-+]?\d+)?|(\([^)]*\)))?\s*$/;
const COMPARATOR = /^\s*(?:!=|<>|>=|<=|=|<|>|(?:NOT\s+)?(?:I|R)?LIKE\b|(?:NOT\s+)?IN\b|IS\s+(?:NOT\s+)?NULL\b)/i;

/** The filter's comparisons, split at its top-level `AND`s (outside quotes and parentheses). */
function clauses(filter: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < filter.length; i++) {
    const ch = filter[i] as string;
    if (ch === "'" || ch === '"' || ch === "`") {
      const end = filter.indexOf(ch, i + 1);
      if (end < 0) throw new Unparsable();
      i = end;
    } else if (ch === "(") depth++;
    else if (ch === ")") depth--;
    else if (depth === 0 && /\s/.test(ch)) {
      const m = /^\s+(AND|OR)\s+/i.exec(filter.slice(i));
      if (m) {
        if ((m[1] as string).toUpperCase() === "OR") throw new Unparsable();
        out.push(filter.slice(start, i));
        start = i + m[0].length;
        i = start - 1;
      }
    }
  }
  if (depth !== 0) throw new Unparsable();
  out.push(filter.slice(start));
  return out;
}

function filterTiers(filter: string, tiers: Set<TraceSearchTier>): void {
  for (const clause of clauses(filter)) {
    const text = clause.trim();
    if (!text) continue;
    const m = IDENTIFIER.exec(text);
    // sqlparse reads a bare `text` as a keyword, so the comparison is no clause to it.
    if (!m || m[0].toLowerCase() === "text") throw new Unparsable();
    const rest = text.slice(m[0].length);
    const op = COMPARATOR.exec(rest);
    const value = op ? VALUE.exec(rest.slice(op[0].length)) : null;
    if (!value) throw new Unparsable();
    const id = identify(m[0], SEARCH_ATTRIBUTES);
    const tier = tierOf(id, true);
    if (tier === "assessment") {
      // A list is no assessment value; an empty name is refused outright, as the reference's validator refuses it.
      if (value[1]) throw new Unparsable();
      if (!id.key) throw invalidParameter("Assessment field name cannot be empty");
    }
    if (tier) tiers.add(tier);
  }
}

/** An `order_by` clause: `key [ASC|DESC]`, split as shell words with backticks read as double quotes. */
function orderTiers(clause: string, tiers: Set<TraceSearchTier>): void {
  const words = shellWords(clause.replace(/`/g, '"'));
  if (words.length === 0 || words.length > 2) throw new Unparsable();
  if (words.length === 2 && !/^(asc|desc)$/i.test(words[1] as string)) throw new Unparsable();
  const tier = tierOf(identify((words[0] as string).trim(), ORDER_BY_ATTRIBUTES), false);
  if (tier) tiers.add(tier);
}

/** Python's `shlex.split`, for the quoting MLflow's sort keys use: quotes join and vanish, spaces separate. */
function shellWords(text: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (ch === '"' || ch === "'") {
      const end = text.indexOf(ch, i + 1);
      if (end < 0) throw new Unparsable();
      word = (word ?? "") + text.slice(i + 1, end);
      i = end;
    } else if (/\s/.test(ch)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else word = (word ?? "") + ch;
  }
  if (word !== undefined) words.push(word);
  return words;
}

/** The tiers the filters and sort of a trace search select on. */
export function traceSearchTiers(filters: readonly unknown[], orderBy: readonly unknown[] = []): TraceSearchTier[] {
  const tiers = new Set<TraceSearchTier>();
  try {
    for (const f of filters) if (typeof f === "string" && f) filterTiers(f, tiers);
    for (const o of orderBy) if (typeof o === "string" && o) orderTiers(o, tiers);
  } catch (e) {
    if (e instanceof Unparsable) return [...TRACE_SEARCH_TIERS];
    throw e;
  }
  return TRACE_SEARCH_TIERS.filter((t) => tiers.has(t));
}
