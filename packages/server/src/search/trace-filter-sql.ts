import { clientCrash } from "../errors.js";
import { trimBackticks } from "./identifiers.js";
import type { SqlArg } from "./keyset.js";
import { pyStr } from "./python-compat.js";
import { likeToGlob, numberSql, placeholders } from "./sql-compare.js";
import { pyFormat, type TraceFilter, type TraceValue } from "./trace-comparators.js";
import { SOURCE_RUN_METADATA, TOKEN_USAGE_METADATA } from "./trace-keys.js";

/**
 * SQL for search_traces filters over `trace_info t`, each an AND-ed condition with its values bound. Tags, metadata,
 * assessments and links become EXISTS probes on their (trace_row, key) keys, so a filtered search still walks
 * trace_info in its sort order and stops after a page.
 * @see mlflow/store/tracking/sqlalchemy_store.py _get_filter_clauses_for_search_traces, _apply_trace_filter_clauses
 */

/** Spans may start this long before the trace's `timestamp_ms > x` bound and still be searched (the reference's). */
const SPAN_TIMESTAMP_TOLERANCE_MS = 10_000;
const SESSION_MARKER = '"mlflow.trace.session":';
const TOKEN_USAGE_COLUMNS: readonly [string, string | null][] = [
  ["input_tokens", "input_tokens"],
  ["output_tokens", "output_tokens"],
  ["total_tokens", "total_tokens"],
  // The reference has columns for these too; tracklite does not, so they are never set.
  ["cache_read_input_tokens", null],
  ["cache_creation_input_tokens", null],
  ["cache_creation_input_tokens_above_1hr", null],
];

/** Python's `json.dumps` of a string (ASCII escapes), as the reference writes assessment values. */
export function jsonDumpsString(s: string): string {
  return JSON.stringify(s).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** Whether Python's `re` would compile the pattern (approximated by JavaScript's parser): bad patterns match nothing. */
function compiles(pattern: string): boolean {
  try {
    new RegExp(pattern, "u");
    return true;
  } catch {
    return false;
  }
}

/** `expr <op> value` for any comparator but IS [NOT] NULL; LIKE is case-sensitive as in the reference's SQLite. */
export function compare(expr: string, comparator: string, value: TraceValue, args: SqlArg[]): string {
  if (Array.isArray(value)) {
    args.push(...value);
    return `${expr} ${comparator === "NOT IN" ? "NOT IN" : "IN"} (${placeholders(value)})`;
  }
  if (typeof value === "number") return `${expr} ${comparator} ${numberSql(value, args)}`;
  const v = String(value);
  switch (comparator) {
    case "LIKE":
      args.push(likeToGlob(v));
      return `${expr} GLOB ?`;
    case "ILIKE":
      args.push(likeToGlob(v));
      return `lower(${expr}) GLOB lower(?)`;
    case "RLIKE":
      if (!compiles(v)) return "0";
      args.push(v);
      return `${expr} REGEXP ?`;
    case "IN":
    case "NOT IN":
      // Not reached by the grammar (IN takes a parenthesised list); SQLAlchemy's refusal, as the reference words it.
      throw clientCrash(`IN expression list, SELECT construct, or bound parameter object expected, got ${pyStr(v)}.`);
    default:
      args.push(v);
      return `${expr} ${comparator} ?`;
  }
}

const ATTRIBUTE_EXPR: Readonly<Record<string, string>> = {
  request_id: "t.request_id",
  timestamp_ms: "t.timestamp_ms",
  execution_time_ms: "t.execution_time_ms",
  end_time_ms: "(t.timestamp_ms + COALESCE(t.execution_time_ms, 0))",
  status: "t.status",
  client_request_id: "t.client_request_id",
};

function nullable(expr: string, comparator: string, value: TraceValue, args: SqlArg[]): string {
  if (comparator === "IS NULL" || comparator === "IS NOT NULL") return `${expr} ${comparator}`;
  return compare(expr, comparator, value, args);
}

function keyValue(table: string, key: string, comparator: string, value: TraceValue, args: SqlArg[]): string {
  args.push(key);
  const probe = `SELECT 1 FROM ${table} kv WHERE kv.trace_row = t.id AND kv.key = ?`;
  if (comparator === "IS NULL") return `NOT EXISTS (${probe})`;
  if (comparator === "IS NOT NULL") return `EXISTS (${probe})`;
  return `EXISTS (${probe} AND ${compare("kv.value", comparator, value, args)})`;
}

/** The reference's canonical token-usage JSON for a value, or undefined when the value cannot equal one. */
function tokenUsageMatch(value: TraceValue, args: SqlArg[]): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(String(value));
  } catch {
    return "0";
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return "0";
  const known = new Map(TOKEN_USAGE_COLUMNS);
  const entries = Object.entries(parsed as Record<string, unknown>);
  if (entries.length === 0 || !entries.every(([k]) => known.has(k))) return "0";
  const normalized = TOKEN_USAGE_COLUMNS.flatMap(([k]) => {
    const v = (parsed as Record<string, unknown>)[k];
    return typeof v === "number" && Number.isSafeInteger(v) ? [[k, v] as const] : [];
  });
  const canonical = `{${normalized.map(([k, v]) => `${JSON.stringify(k)}: ${v}`).join(", ")}}`;
  if (normalized.length === 0 || canonical !== value) return "0";
  const conditions = TOKEN_USAGE_COLUMNS.map(([k, column]) => {
    const item = normalized.find(([n]) => n === k);
    if (!column) return item ? "0" : "1";
    if (!item) return `t.${column} IS NULL`;
    args.push(item[1]);
    return `t.${column} = ?`;
  });
  return `(${conditions.join(" AND ")})`;
}

function analytics(f: Extract<TraceFilter, { kind: "analytics" }>, args: SqlArg[]): string {
  if (f.key !== TOKEN_USAGE_METADATA) {
    // No cost columns in tracklite: the metadata entry itself is compared.
    return keyValue("trace_request_metadata", f.key, f.comparator, f.value, args);
  }
  const exists = `(${TOKEN_USAGE_COLUMNS.flatMap(([, c]) => (c ? [`t.${c} IS NOT NULL`] : [])).join(" OR ")})`;
  if (f.comparator === "IS NULL") return `NOT ${exists}`;
  if (f.comparator === "IS NOT NULL") return exists;
  const matches = tokenUsageMatch(f.value, args);
  return f.comparator === "=" ? matches : `(${exists} AND NOT ${matches})`;
}

/** Which traces' assessments (feedback / expectations, valid ones) pass a filter; `a` is the assessments row. */
function assessmentCondition(f: Extract<TraceFilter, { kind: "assessment" }>, args: SqlArg[]): string {
  args.push(f.assessmentType, f.name);
  const base = "a.assessment_type = ? AND a.name = ? AND a.valid = 1";
  const { comparator, value } = f;
  if (comparator === "IS NULL" || comparator === "IS NOT NULL") return base;
  if (["<", "<=", ">", ">="].includes(comparator)) {
    const numeric =
      "CASE WHEN json_valid(a.value) AND json_type(a.value) IN ('integer', 'real') THEN CAST(a.value AS REAL) END";
    return `${base} AND ${numeric} ${comparator} ${numberSql(Number(value), args)}`;
  }
  if (comparator === "=" || comparator === "!=") {
    // Values are stored as JSON: numbers and booleans bare, strings quoted.
    args.push(String(value), jsonDumpsString(String(value)));
    return `${base} AND ${comparator === "!=" ? "NOT " : ""}(a.value = ? OR a.value = ?)`;
  }
  return `${base} AND ${compare("a.value", comparator, value, args)}`;
}

/**
 * A trace matches an assessment filter through its own assessments or, for session-scoped assessments (metadata
 * naming the session), through any assessment of its session within the searched experiments.
 */
function assessment(
  f: Extract<TraceFilter, { kind: "assessment" }>,
  scope: { sql: string; args: SqlArg[] },
  args: SqlArg[],
): string {
  const direct = `EXISTS (SELECT 1 FROM assessments a WHERE a.trace_row = t.id AND ${assessmentCondition(f, args)})`;
  args.push(...scope.args);
  const session = `(t.session_id IS NOT NULL AND t.session_id IN (SELECT s.session_id FROM trace_info s JOIN assessments a ON a.trace_row = s.id WHERE ${scope.sql} AND s.session_id IS NOT NULL AND ${assessmentCondition(f, args)} AND instr(a.assessment_metadata, '${SESSION_MARKER}') > 0))`;
  return f.comparator === "IS NULL" ? `(NOT ${direct} AND NOT ${session})` : `(${direct} OR ${session})`;
}

/**
 * `span.attributes.<name>`: the reference matches patterns inside its stored span JSON, `%"<name>"<value>%` (and for
 * RLIKE `"<name>": "\\"<value>`, as its attribute values are JSON strings). tracklite stores spans as the API sends
 * them, attributes as OpenTelemetry key/values, `{"key":"<name>","value":{"string_value":"<value>"}}`; the patterns
 * are placed the same way in that form, so the same filters match the same spans.
 */
function spanAttribute(key: string, comparator: string, value: TraceValue, args: SqlArg[]): string {
  const name = trimBackticks(key.slice("attributes.".length));
  const text = pyFormat(value);
  const keyJson = `"key":${JSON.stringify(name)}`;
  if (comparator === "IN" || comparator === "NOT IN") {
    // The reference hands its pattern (a string) to SQL's IN, which SQLAlchemy refuses.
    const shown = pyStr(`%"${name}"${text}%`);
    throw clientCrash(`IN expression list, SELECT construct, or bound parameter object expected, got ${shown}.`);
  }
  if (comparator !== "RLIKE") return compare("s.content", comparator, `%${keyJson}${text}%`, args);
  let pattern = text;
  let prefix = ".*";
  let suffix = "";
  if (pattern.startsWith("^")) {
    pattern = pattern.slice(1);
    prefix = "";
  }
  if (pattern.endsWith("$")) {
    pattern = pattern.slice(0, -1);
    suffix = '"';
  }
  // The name goes into the regular expression as it is, as in the reference.
  return compare("s.content", "RLIKE", `"key":"${name}","value":\\{"string_value":"${prefix}${pattern}${suffix}`, args);
}

function span(f: Extract<TraceFilter, { kind: "span" }>, args: SqlArg[]): string {
  if (f.key.startsWith("attributes.")) return spanAttribute(f.key, f.comparator, f.value, args);
  return nullable(`s.${f.key}`, f.comparator, f.value, args);
}

/**
 * The WHERE conditions for the filters (experiment scoping is the caller's); `scope` is the searched experiments as a
 * condition on `s`, a trace_info row (session-scoped assessments only count within them).
 */
export function filterSql(
  filters: readonly TraceFilter[],
  scope: { sql: string; args: SqlArg[] },
  args: SqlArg[],
  driven?: TraceFilter,
): string[] {
  // A driven filter is applied by the caller, which starts from its rows (see trace-driver.ts).
  const where: string[] = [];
  const spans: TraceFilter[] = [];
  let spanLowerBoundMs: number | undefined;
  // Only the last `run_id =` counts, as in the reference.
  const runId = filters.filter((f) => f.kind === "runId").at(-1);
  for (const f of filters) {
    if (f === driven) continue;
    switch (f.kind) {
      case "attribute":
        if (
          f.key === "timestamp_ms" &&
          (f.comparator === ">" || f.comparator === ">=") &&
          typeof f.value === "number"
        ) {
          spanLowerBoundMs = Math.max(spanLowerBoundMs ?? f.value, f.value);
        }
        where.push(compare(ATTRIBUTE_EXPR[f.key] ?? "NULL", f.comparator, f.value, args));
        break;
      case "traceName":
        where.push(nullable("t.trace_name", f.comparator, f.value, args));
        break;
      case "session":
        where.push(nullable("t.session_id", f.comparator, f.value, args));
        break;
      case "analytics":
        where.push(analytics(f, args));
        break;
      case "prompt":
        args.push(f.value);
        where.push(
          "EXISTS (SELECT 1 FROM entity_associations ea WHERE ea.source_type = 'TRACE' AND ea.source_id = t.request_id AND ea.destination_type = 'PROMPT_VERSION' AND ea.destination_id = ?)",
        );
        break;
      case "tag":
        where.push(keyValue("trace_tags", f.key, f.comparator, f.value, args));
        break;
      case "metadata":
        where.push(keyValue("trace_request_metadata", f.key, f.comparator, f.value, args));
        break;
      case "span":
        spans.push(f);
        break;
      case "assessment":
        where.push(assessment(f, scope, args));
        break;
      case "issue":
        args.push(String(f.value));
        where.push(
          "EXISTS (SELECT 1 FROM assessments a WHERE a.trace_row = t.id AND a.assessment_type = 'issue' AND a.name = ?)",
        );
        break;
      case "runId":
        break;
    }
  }
  if (spans.length > 0) {
    // Every span condition must hold for one and the same span.
    const conditions: string[] = [];
    if (spanLowerBoundMs !== undefined) {
      conditions.push(
        `s.start_time_unix_nano >= ${numberSql((spanLowerBoundMs - SPAN_TIMESTAMP_TOLERANCE_MS) * 1e6, args)}`,
      );
    }
    for (const f of spans) if (f.kind === "span") conditions.push(span(f, args));
    where.push(`EXISTS (SELECT 1 FROM spans s WHERE s.trace_row = t.id AND ${conditions.join(" AND ")})`);
  }
  if (runId?.kind === "runId" && runId !== driven) {
    args.push(runId.value, SOURCE_RUN_METADATA, runId.value);
    where.push(
      "(EXISTS (SELECT 1 FROM entity_associations ea WHERE ea.source_type = 'TRACE' AND ea.source_id = t.request_id AND ea.destination_type = 'RUN' AND ea.destination_id = ?)" +
        " OR EXISTS (SELECT 1 FROM trace_request_metadata kv WHERE kv.trace_row = t.id AND kv.key = ? AND kv.value = ?))",
    );
  }
  return where;
}
