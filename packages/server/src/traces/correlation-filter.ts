import type { InValue } from "@libsql/client";
import { invalidParameter } from "../errors.js";
import { parseComparisons } from "../search/filter-parser.js";
import { stripQuotes, trimBackticks } from "../search/identifiers.js";
import type { TraceCondition } from "../store/trace-correlation.js";

/**
 * A search_traces filter as a condition on `trace_info t`, for CalculateTraceFilterCorrelation: the common subset of
 * the grammar (trace attributes, tags, metadata; `=`, `!=`, `<`, `<=`, `>`, `>=`, `LIKE`, `ILIKE`, joined by AND).
 * The full grammar (spans, assessments, `IN`, `RLIKE`) is search_traces' own; a filter using it is refused here.
 * @see mlflow/utils/search_utils.py SearchTraceUtils
 */

const ATTRIBUTE_COLUMNS: Record<string, string> = {
  request_id: "t.request_id",
  trace_id: "t.request_id",
  client_request_id: "t.client_request_id",
  status: "t.status",
  name: "t.trace_name",
  timestamp: "t.timestamp_ms",
  timestamp_ms: "t.timestamp_ms",
  execution_time: "t.execution_time_ms",
  execution_time_ms: "t.execution_time_ms",
  end_time: "(t.timestamp_ms + t.execution_time_ms)",
  end_time_ms: "(t.timestamp_ms + t.execution_time_ms)",
};
const NUMERIC = new Set([
  "timestamp",
  "timestamp_ms",
  "execution_time",
  "execution_time_ms",
  "end_time",
  "end_time_ms",
]);
const PREFIXES: Record<string, "attribute" | "tag" | "metadata"> = {
  attribute: "attribute",
  attributes: "attribute",
  trace: "attribute",
  tag: "tag",
  tags: "tag",
  metadata: "metadata",
  request_metadata: "metadata",
};
const SQL_OPS: Record<string, string> = { "=": "=", "!=": "!=", "<": "<", "<=": "<=", ">": ">", ">=": ">=" };

function comparison(column: string, op: string, value: InValue): TraceCondition {
  const upper = op.toUpperCase();
  if (upper === "LIKE") return { sql: `${column} GLOB ?`, args: [likeToGlob(String(value))] };
  if (upper === "ILIKE") return { sql: `${column} LIKE ?`, args: [value] };
  const sqlOp = SQL_OPS[op];
  if (!sqlOp) throw invalidParameter(`Comparator '${op}' is not supported in trace correlation filters.`);
  return { sql: `${column} ${sqlOp} ?`, args: [value] };
}

/** A case-sensitive LIKE as a GLOB (SQLite's LIKE ignores ASCII case). */
function likeToGlob(pattern: string): string {
  return pattern
    .replace(/[*?[\]]/g, (c) => `[${c}]`)
    .replace(/%/g, "*")
    .replace(/_/g, "?");
}

export function compileTraceFilter(filter: string): TraceCondition {
  const parts: string[] = [];
  const args: InValue[] = [];
  for (const c of parseComparisons(filter, true)) {
    const ident = c.left.text.trim();
    const dot = ident.indexOf(".");
    const prefix = dot < 0 ? "attribute" : PREFIXES[trimBackticks(ident.slice(0, dot))];
    const key = trimBackticks(stripQuotes(dot < 0 ? ident : ident.slice(dot + 1)));
    if (!prefix || !c.value)
      throw invalidParameter(`Filter '${c.left.text} ${c.comparator}' is not supported in trace correlation filters.`);
    const raw = c.value.text.trim();
    let cond: TraceCondition;
    if (prefix === "attribute") {
      const column = ATTRIBUTE_COLUMNS[key];
      if (!column) throw invalidParameter(`Invalid attribute key '${key}' in trace correlation filters.`);
      const value: InValue = NUMERIC.has(key) ? Number(raw) : stripQuotes(raw);
      if (NUMERIC.has(key) && Number.isNaN(value)) throw invalidParameter(`Invalid numeric value ${raw} for '${key}'.`);
      cond = comparison(column, c.comparator, value);
    } else {
      const table = prefix === "tag" ? "trace_tags" : "trace_request_metadata";
      const inner = comparison("kv.value", c.comparator, stripQuotes(raw));
      cond = {
        sql: `EXISTS (SELECT 1 FROM ${table} kv WHERE kv.trace_row = t.id AND kv.key = ? AND ${inner.sql})`,
        args: [key, ...inner.args],
      };
    }
    parts.push(`(${cond.sql})`);
    args.push(...cond.args);
  }
  return { sql: parts.length > 0 ? parts.join(" AND ") : "1", args };
}
