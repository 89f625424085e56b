import { clientCrash, invalidParameter, MlflowError } from "../errors.js";
import { parseOrderByString, shlexSplit } from "./order-by.js";
import { pyList } from "./python-compat.js";
import { TOKEN, tokenize } from "./tokenizer.js";
import {
  COST_METADATA,
  isBuiltin,
  markBuiltins,
  ORDER_BY_ATTRIBUTES,
  replaceKeyAlias,
  resolveTraceIdentifier,
  SESSION_METADATA,
  TOKEN_USAGE_METADATA,
  TRACE_ENTITY,
  TRACE_NAME_TAG,
} from "./trace-keys.js";

/**
 * search_traces `order_by` clauses (`timestamp_ms DESC`, `name`, `tags.env`, `metadata.user DESC`, ...), checked as
 * the reference checks them, and what each sorts on.
 * @see mlflow/utils/search_utils.py SearchTraceUtils.parse_order_by_for_search_traces,
 *   SearchUtils._validate_order_by_and_generate_token;
 *   mlflow/store/tracking/sqlalchemy_store.py _get_orderby_clauses_for_search_traces
 */

/** What one term sorts on: a trace_info column, or the value of a tag or metadata key (missing values last). */
export type TraceOrderTarget = { kind: "column"; column: TraceOrderColumn } | { kind: "tag" | "metadata"; key: string };

export type TraceOrderColumn =
  | "experiment_id"
  | "timestamp_ms"
  | "execution_time_ms"
  | "status"
  | "request_id"
  | "trace_name"
  | "session_id";

export interface TraceOrderTerm {
  target: TraceOrderTarget;
  ascending: boolean;
}

const ATTRIBUTE_COLUMNS: readonly string[] = [
  "experiment_id",
  "timestamp_ms",
  "execution_time_ms",
  "status",
  "request_id",
];

/** A clause split into identifier and direction; a bare `timestamp` (a type name to sqlparse) is let through. */
function splitClause(clause: string): { identifier: string; ascending: boolean } {
  const unparsable = () => invalidParameter(`Invalid order_by clause '${clause}'. Could not be parsed.`);
  const tokens = markBuiltins(clause, tokenize(clause));
  if (!tokens.some((t) => isBuiltin(t, ...[t.text]))) return parseOrderByString(clause);
  const [first, ...rest] = tokens;
  const last = rest.at(-1);
  const single = rest.length === 0;
  const ordered = last?.kind === TOKEN.order && rest.slice(0, -1).every((t) => t.kind === TOKEN.ws);
  if (!isBuiltin(first, "timestamp") || !(single || ordered)) throw unparsable();
  const words = shlexSplit(single ? "timestamp" : `timestamp ${last?.text}`) ?? [];
  if (words.length > 2) throw unparsable();
  if (words.length === 1) return { identifier: "timestamp", ascending: true };
  const direction = (words[1] as string).toLowerCase();
  if (direction !== "asc" && direction !== "desc") {
    throw invalidParameter(`Invalid ordering key in order_by clause '${clause}'.`);
  }
  return { identifier: "timestamp", ascending: direction === "asc" };
}

/** Parses and checks the order_by clauses, in the reference's order; the default tie-breakers are not included. */
export function parseTraceOrderBy(clauses: readonly string[] | undefined): TraceOrderTerm[] {
  const terms: TraceOrderTerm[] = [];
  const seen = new Set<string>();
  for (const clause of clauses ?? []) {
    const { identifier, ascending } = splitClause(clause);
    const { type, key } = replaceKeyAlias(resolveTraceIdentifier(identifier.trim(), ORDER_BY_ATTRIBUTES));
    if (type === TRACE_ENTITY.metadata && (key === TOKEN_USAGE_METADATA || key === COST_METADATA)) {
      throw invalidParameter(
        `Ordering by reserved metadata '${key}' is not supported because it is represented by multiple columns.`,
      );
    }
    let target: TraceOrderTarget;
    if (type === TRACE_ENTITY.attribute) {
      if (!ATTRIBUTE_COLUMNS.includes(key)) throw clientCrash(`type object 'SqlTraceInfo' has no attribute '${key}'`);
      target = { kind: "column", column: key as TraceOrderColumn };
    } else if (type === TRACE_ENTITY.tag && key === TRACE_NAME_TAG) {
      target = { kind: "column", column: "trace_name" };
    } else if (type === TRACE_ENTITY.metadata && key === SESSION_METADATA) {
      target = { kind: "column", column: "session_id" };
    } else if (type === TRACE_ENTITY.tag || type === TRACE_ENTITY.metadata) {
      target = { kind: type === TRACE_ENTITY.tag ? "tag" : "metadata", key };
    } else {
      throw invalidParameter(`Invalid identifier type '${type}'`);
    }
    const id = `${type}\u0000${key}`;
    if (seen.has(id)) {
      // INTERNAL_ERROR as in the reference, answered with 400 since a 500 would make clients retry.
      throw new MlflowError(`\`order_by\` contains duplicate fields: ${pyList(clauses ?? [])}`, "INTERNAL_ERROR", 400);
    }
    seen.add(id);
    terms.push({ target, ascending });
  }
  return terms;
}
