import { type Completion, type CompletionResult, expectation, tokenize } from "../runs/filter-complete.js";
import { quoteKey } from "../runs/view-state.js";
import type { TraceKeys } from "./trace-info.js";

/**
 * Autocomplete for MLflow's trace filter (`trace.status = 'OK' and tags.env = 'prod'`), the grammar of
 * `SearchTraceUtils` in mlflow/utils/search_utils.py: entity prefixes `trace.`, `tags.`, `metadata.`, `span.`,
 * `feedback.`, `expectation.`; the trace attributes and span fields MLflow accepts; the tag, metadata and assessment
 * keys seen in the loaded traces; comparators; and values for statuses, span types and trace names.
 */

const ENTITIES = ["trace", "tags", "metadata", "span", "feedback", "expectation"] as const;
type Entity = (typeof ENTITIES)[number];

const ALIASES: Record<string, Entity> = {
  trace: "trace",
  attribute: "trace",
  attributes: "trace",
  tag: "tags",
  tags: "tags",
  metadata: "metadata",
  request_metadata: "metadata",
  span: "span",
  feedback: "feedback",
  expectation: "expectation",
};

/** `SearchTraceUtils.VALID_SEARCH_ATTRIBUTE_KEYS`, the names MLflow documents first. */
export const TRACE_ATTRIBUTES = [
  "status",
  "name",
  "timestamp_ms",
  "execution_time_ms",
  "end_time_ms",
  "run_id",
  "request_id",
  "client_request_id",
  "text",
  "prompt",
];
const SPAN_FIELDS = ["name", "type", "status", "content", "attributes."];
const TRACE_STATES = ["OK", "ERROR", "IN_PROGRESS"];
const SPAN_STATUSES = ["OK", "ERROR", "UNSET"];
export const SPAN_TYPES = [
  "LLM",
  "CHAT_MODEL",
  "CHAIN",
  "AGENT",
  "TOOL",
  "RETRIEVER",
  "EMBEDDING",
  "RERANKER",
  "PARSER",
  "MEMORY",
  "UNKNOWN",
];
const COMPARATORS: Record<string, string[]> = {
  numeric: ["=", "!=", ">", ">=", "<", "<="],
  string: ["=", "!=", "IN", "NOT IN", "LIKE", "ILIKE", "RLIKE"],
  tag: ["=", "!=", "LIKE", "ILIKE", "RLIKE", "IS NULL", "IS NOT NULL"],
  content: ["LIKE", "ILIKE"],
  assessment: ["=", "!=", ">", ">=", "<", "<=", "LIKE", "ILIKE", "IS NULL", "IS NOT NULL"],
};
const NUMERIC = new Set([
  "timestamp_ms",
  "timestamp",
  "execution_time_ms",
  "execution_time",
  "end_time_ms",
  "end_time",
]);
const MAX_ITEMS = 50;

const lower = (s: string) => s.toLowerCase();

function rank(keys: readonly string[], partial: string): string[] {
  const p = lower(partial);
  const starts = keys.filter((k) => lower(k).startsWith(p));
  const contains = p ? keys.filter((k) => !lower(k).startsWith(p) && lower(k).includes(p)) : [];
  return [...starts, ...contains];
}

function keysOf(entity: Entity, keys: TraceKeys): readonly string[] {
  switch (entity) {
    case "trace":
      return TRACE_ATTRIBUTES;
    case "span":
      return SPAN_FIELDS;
    default:
      return keys[entity];
  }
}

function identifierItems(word: string, keys: TraceKeys): Completion[] {
  const dot = word.indexOf(".");
  if (dot >= 0) {
    const entity = ALIASES[lower(word.slice(0, dot).replaceAll("`", ""))];
    if (!entity) return [];
    const partial = word.slice(dot + 1).replaceAll("`", "");
    return rank(keysOf(entity, keys), partial).map((k) => {
      const name = entity === "trace" || entity === "span" ? k : quoteKey(k);
      const tail = k.endsWith(".") ? "" : " ";
      return { label: `${entity}.${name}`, insert: `${entity}.${name}${tail}`, detail: entity };
    });
  }
  const items: Completion[] = ENTITIES.filter((e) => e.startsWith(lower(word))).map((e) => ({
    label: `${e}.`,
    insert: `${e}.`,
    detail: "prefix",
  }));
  if (word) {
    for (const entity of ["tags", "metadata", "feedback", "expectation"] as const) {
      for (const k of rank(keys[entity], word)) {
        items.push({ label: `${entity}.${quoteKey(k)}`, insert: `${entity}.${quoteKey(k)} `, detail: entity });
      }
    }
  }
  return items;
}

function comparatorsFor(identifier: string | undefined): string[] {
  const dot = identifier?.indexOf(".") ?? -1;
  const entity = identifier && dot > 0 ? ALIASES[lower(identifier.slice(0, dot))] : undefined;
  const key = identifier && dot > 0 ? identifier.slice(dot + 1).replaceAll("`", "") : "";
  if (entity === "trace") return NUMERIC.has(key) ? COMPARATORS.numeric! : COMPARATORS.string!;
  if (entity === "span") return key === "content" ? COMPARATORS.content! : COMPARATORS.string!;
  if (entity === "feedback" || entity === "expectation") return COMPARATORS.assessment!;
  return COMPARATORS.tag!;
}

function valueItems(identifier: string | undefined, typed: string, keys: TraceKeys): Completion[] {
  const dot = identifier?.indexOf(".") ?? -1;
  if (!identifier || dot <= 0) return [];
  const entity = ALIASES[lower(identifier.slice(0, dot))];
  const key = identifier.slice(dot + 1).replaceAll("`", "");
  let values: readonly string[] = [];
  if (entity === "trace" && key === "status") values = TRACE_STATES;
  else if (entity === "trace" && key === "name") values = keys.names;
  else if (entity === "span" && key === "type") values = SPAN_TYPES;
  else if (entity === "span" && key === "status") values = SPAN_STATUSES;
  else if (entity === "feedback") values = ["true", "false"];
  const p = lower(typed.replace(/^'/, ""));
  return values
    .filter((v) => lower(v).startsWith(p))
    .map((v) => ({ label: `'${v}'`, insert: `'${v.replaceAll("'", "\\'")}' ` }));
}

/** The completions at `cursor` in `text`. */
export function completeTraceFilter(text: string, cursor: number, keys: TraceKeys): CompletionResult {
  const tokens = tokenize(text);
  const at = tokens.find((t) => t.start < cursor && cursor <= t.end);
  if (at?.kind === "string" && cursor < at.end) return { from: cursor, to: cursor, items: [] };
  const current = at && at.kind !== "punct" ? at : undefined;
  const from = current ? current.start : cursor;
  const to = current ? current.end : cursor;
  const before = tokens.filter((t) => t.end <= from);
  const typed = current ? text.slice(current.start, cursor) : "";
  const { expect, identifier } = expectation(before);
  let items: Completion[] = [];
  if (expect === "identifier") items = identifierItems(typed, keys);
  else if (expect === "comparator") {
    items = comparatorsFor(identifier)
      .filter((c) => c.startsWith(typed.toUpperCase()))
      .map((c) => ({ label: c, insert: `${c} ` }));
  } else if (expect === "value") items = valueItems(identifier, typed, keys);
  else if ("AND".startsWith(typed.toUpperCase())) items = [{ label: "and", insert: "and " }];
  if (items.length === 1 && items[0]?.insert.trim() === text.slice(from, to)) items = [];
  return { from, to, items: items.slice(0, MAX_ITEMS) };
}
