import { invalidParameter } from "../errors.js";
import { stripQuotes, trimBackticks } from "./identifiers.js";
import { pySet } from "./python-compat.js";
import { TOKEN, type Token } from "./tokenizer.js";

/**
 * What a search_traces identifier names (`trace.status`, `tags.env`, `metadata.\`mlflow.sourceRun\``, `span.type`,
 * `feedback.quality`, ...), the reference's key sets, and the aliases that turn `name`, `run_id`, `prompt` and `text`
 * into tag, metadata and span keys.
 * @see mlflow/utils/search_utils.py SearchTraceUtils (class attributes, _valid_entity_type,
 *   _replace_key_to_tag_or_metadata)
 */

export const TRACE_ENTITY = {
  attribute: "attribute",
  tag: "tag",
  metadata: "request_metadata",
  span: "span",
  feedback: "feedback",
  expectation: "expectation",
  issue: "issue",
} as const;
export type TraceEntity = (typeof TRACE_ENTITY)[keyof typeof TRACE_ENTITY];

const ALTERNATE: Readonly<Record<string, TraceEntity>> = {
  tags: "tag",
  attributes: "attribute",
  trace: "attribute",
  metadata: "request_metadata",
};
/** The reference prints this set in its per-process random order; declaration order here. */
const VALID_ENTITIES = [...Object.values(TRACE_ENTITY), ...Object.keys(ALTERNATE)];

export const SEARCH_ATTRIBUTES = [
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
] as const;
export const ORDER_BY_ATTRIBUTES = [
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
] as const;
export const NUMERIC_ATTRIBUTES = [
  "timestamp_ms",
  "timestamp",
  "execution_time_ms",
  "execution_time",
  "end_time_ms",
  "end_time",
] as const;
export const LIST_ATTRIBUTES = ["name", "status", "request_id", "run_id", "client_request_id"] as const;

export const TRACE_NAME_TAG = "mlflow.traceName";
export const LINKED_PROMPTS_TAG = "mlflow.linkedPrompts";
export const SOURCE_RUN_METADATA = "mlflow.sourceRun";
export const SESSION_METADATA = "mlflow.trace.session";
export const TOKEN_USAGE_METADATA = "mlflow.trace.tokenUsage";
export const COST_METADATA = "mlflow.trace.cost";

export const isNumericAttribute = (key: string) => (NUMERIC_ATTRIBUTES as readonly string[]).includes(key);

export interface TraceIdentifier {
  type: TraceEntity;
  key: string;
}

/** `entity.key` split at the first dot, the entity checked, the key unquoted; a bare key is an attribute. */
export function resolveTraceIdentifier(text: string, validAttributes: readonly string[]): TraceIdentifier {
  const dot = text.indexOf(".");
  let type: TraceEntity = TRACE_ENTITY.attribute;
  let rawKey = text;
  if (dot >= 0) {
    const entity = trimBackticks(text.slice(0, dot));
    rawKey = text.slice(dot + 1);
    if (!VALID_ENTITIES.includes(entity)) {
      throw invalidParameter(`Invalid entity type '${entity}'. Valid values are ${pySet(VALID_ENTITIES)}`);
    }
    type = ALTERNATE[entity] ?? (entity as TraceEntity);
  }
  const key = trimBackticks(stripQuotes(rawKey));
  if (type === TRACE_ENTITY.attribute && !validAttributes.includes(key)) {
    throw invalidParameter(`Invalid attribute key '${key}' specified. Valid keys are '${pySet(validAttributes)}'`);
  }
  return { type, key };
}

/** `name` → the trace name tag, `run_id` → the source run metadata, `text` → span content, `timestamp` → `_ms`. */
export function replaceKeyAlias(id: TraceIdentifier): TraceIdentifier {
  if (id.type === TRACE_ENTITY.span) return id;
  const key = id.key.toLowerCase();
  if (key === "name") return { type: TRACE_ENTITY.tag, key: TRACE_NAME_TAG };
  if (key === "prompt") return { type: TRACE_ENTITY.tag, key: LINKED_PROMPTS_TAG };
  if (key === "run_id") return { type: TRACE_ENTITY.metadata, key: SOURCE_RUN_METADATA };
  if (key === "text") return { type: TRACE_ENTITY.span, key: "content" };
  if (key === "timestamp" || key === "execution_time" || key === "end_time") return { ...id, key: `${key}_ms` };
  return id;
}

/**
 * Words sqlparse lexes as Name.Builtin (type names). Standing alone they are not identifiers, so `text LIKE 'x'` is
 * not a comparison there, while `timestamp` gets special cases of its own.
 */
const BUILTINS = new Set(
  (
    "ARRAY BIGINT BIGNUMERIC BINARY BIT BLOB BOOLEAN CHAR CHARACTER DATE DEC DECIMAL FILE_TYPE FLOAT INT INT8 INTEGER " +
    "INTERVAL LONG MAP NATURALN NUMBER NUMERIC NVARCHAR PLS_INTEGER POSITIVE POSITIVEN REAL ROWID ROWLABEL ROWNUM " +
    "SERIAL SERIAL8 SIGNED SIGNTYPE SIMPLE_DOUBLE SIMPLE_FLOAT SIMPLE_INTEGER SMALLINT STRING STRUCT SYS_REFCURSOR " +
    "TEXT TIMESTAMP TINYINT UNSIGNED UROWID UTL_FILE VARCHAR VARCHAR2 VARIANT VARYING"
  ).split(" "),
);

/** The token kind given to a bare builtin word: one no grouping rule takes as an operand. */
export const BUILTIN = "other";

/**
 * Re-marks bare builtin words (not part of `a.b`, not a function name) so grouping leaves them alone, as sqlparse
 * does. The tokenizer itself reads them as names, which is what the other grammars expect.
 */
export function markBuiltins(source: string, tokens: Token[]): Token[] {
  return tokens.map((t) => {
    if (t.kind !== TOKEN.name || !BUILTINS.has(t.text.toUpperCase()) || !/^[A-Za-z]/.test(t.text)) return t;
    const before = source.slice(0, t.start);
    const after = source.slice(t.end);
    if (before.endsWith(".") || /^\s*\.(?!\d)/.test(after) || after.startsWith("(")) return t;
    return { ...t, kind: BUILTIN, builtin: true } as Token;
  });
}

/** Whether a token (or node) is the bare builtin `word`, matched case-sensitively as sqlparse matches Name tokens. */
export function isBuiltin(t: { kind: string; text: string; builtin?: boolean } | undefined, ...words: string[]) {
  return t !== undefined && (t as { builtin?: boolean }).builtin === true && words.includes(t.text);
}
