import { invalidParameter } from "../errors.js";
import { listNeedsIn } from "./comparators.js";
import { pyRepr, pySet } from "./python-compat.js";
import type { TraceComparison } from "./trace-grammar.js";
import {
  COST_METADATA,
  isNumericAttribute,
  LINKED_PROMPTS_TAG,
  SESSION_METADATA,
  SOURCE_RUN_METADATA,
  TOKEN_USAGE_METADATA,
  TRACE_ENTITY,
  TRACE_NAME_TAG,
} from "./trace-keys.js";

/**
 * The checks search_traces makes on each parsed comparison while building its SQL (which comparators each entity
 * takes, the reserved keys with columns of their own), turning comparisons into filters the compiler can run.
 * @see mlflow/store/tracking/sqlalchemy_store.py _get_filter_clauses_for_search_traces and
 *   mlflow/utils/search_utils.py SearchTraceUtils.is_span, is_assessment, is_issue, is_request_metadata
 */

// The reference's comparator sets, in declaration order (its messages print them in a per-process random order).
const STRING_ATTRIBUTE = ["!=", "=", "IN", "NOT IN", "LIKE", "ILIKE", "RLIKE"];
const NUMERIC_ATTRIBUTE = [">", ">=", "!=", "=", "<", "<="];
const TAG = ["!=", "=", "LIKE", "ILIKE", "RLIKE", "IS NULL", "IS NOT NULL"];
const METADATA = TAG;
const SPAN_ATTRIBUTE = STRING_ATTRIBUTE;
const SPAN_CONTENT = ["LIKE", "ILIKE"];
const SPAN_COLUMNS = ["name", "type", "status"];
const ASSESSMENT = ["!=", "=", ">", ">=", "<", "<=", "LIKE", "ILIKE", "RLIKE", "IS NULL", "IS NOT NULL"];

export type TraceValue = TraceComparison["value"];

/** A comparison the compiler can run; `comparator` is upper-case and valid for its kind. */
export type TraceFilter =
  | { kind: "attribute"; key: string; comparator: string; value: TraceValue }
  | { kind: "traceName" | "session"; comparator: string; value: TraceValue }
  | { kind: "analytics"; key: string; comparator: string; value: TraceValue }
  | { kind: "runId"; value: string }
  | { kind: "prompt"; value: string }
  | { kind: "tag" | "metadata"; key: string; comparator: string; value: TraceValue }
  | { kind: "span"; key: string; comparator: string; value: TraceValue }
  | { kind: "assessment"; assessmentType: string; name: string; comparator: string; value: TraceValue }
  | { kind: "issue"; value: TraceValue };

/** `span.<key>`: a column (name, type, status), `attributes.<name>` or `content`, each with its comparators. */
export function checkSpanComparator(key: string, comparator: string): void {
  let allowed: string[];
  if (key.startsWith("attributes.")) {
    if (key.length === "attributes.".length) {
      throw invalidParameter("Span attribute name cannot be empty after 'attributes.'");
    }
    allowed = SPAN_ATTRIBUTE;
  } else if (SPAN_COLUMNS.includes(key)) allowed = SPAN_ATTRIBUTE;
  else if (key === "content") allowed = SPAN_CONTENT;
  else {
    throw invalidParameter(
      `Invalid span attribute '${key}'. Supported attributes: name, status, type, attributes.<attribute_name>.`,
    );
  }
  if (!allowed.includes(comparator)) {
    throw invalidParameter(`span.${key} comparator '${comparator}' not one of '${pySet(allowed)}'`);
  }
}

const check = (ok: boolean, comparator: string, allowed: string[], closingQuote: boolean) => {
  if (!ok) {
    throw invalidParameter(
      `Invalid comparator '${comparator}' not one of '${pySet(allowed)}${closingQuote ? "'" : ""}`,
    );
  }
};

/** Python's `str()` of a parsed value, as the reference's f-strings print it. */
export const pyFormat = (v: TraceValue) =>
  typeof v === "string" ? v : Array.isArray(v) ? pyRepr({ py: "tuple", items: [...v] }) : String(v);

/**
 * One comparison checked and classified, in the reference's order of checks. A list compared with `=` and the like
 * fails when the reference binds it (the driver refuses a tuple), after those checks; span attributes format it into
 * their pattern instead.
 */
export function toTraceFilter(c: TraceComparison): TraceFilter {
  const filter = classify(c);
  if (Array.isArray(c.value) && !(filter.kind === "span" && filter.key.startsWith("attributes."))) {
    listNeedsIn(c.comparator.toUpperCase(), { kind: "list", value: [...c.value] });
  }
  return filter;
}

function classify(c: TraceComparison): TraceFilter {
  const comparator = c.comparator.toUpperCase();
  const { key, value } = c;
  switch (c.type) {
    case TRACE_ENTITY.issue:
      if (key !== "id") throw invalidParameter(`Invalid issue attribute '${key}'. Supported attributes: id`);
      if (comparator !== "=") throw invalidParameter(`issue.${key} comparator '${comparator}' not one of '{'='}'`);
      return { kind: "issue", value };
    case TRACE_ENTITY.attribute:
      if (isNumericAttribute(key)) check(NUMERIC_ATTRIBUTE.includes(comparator), comparator, STRING_ATTRIBUTE, false);
      else check(STRING_ATTRIBUTE.includes(comparator), comparator, STRING_ATTRIBUTE, true);
      return { kind: "attribute", key, comparator, value };
    case TRACE_ENTITY.tag:
      check(TAG.includes(comparator), comparator, TAG, false);
      if (key === TRACE_NAME_TAG) return { kind: "traceName", comparator, value };
      if (key === LINKED_PROMPTS_TAG) {
        if (comparator !== "=") {
          throw invalidParameter(
            `Invalid comparator '${comparator}' for prompts filter. Only '=' is supported with format: prompt = "name/version"`,
          );
        }
        const text = pyFormat(value);
        if (typeof value !== "string" || value.split("/").length !== 2) {
          throw invalidParameter(`Invalid prompts filter value '${text}'. Expected format: prompt = "name/version"`);
        }
        return { kind: "prompt", value };
      }
      return { kind: "tag", key, comparator, value };
    case TRACE_ENTITY.metadata:
      check(METADATA.includes(comparator), comparator, METADATA, true);
      if (key === SESSION_METADATA) return { kind: "session", comparator, value };
      if (key === TOKEN_USAGE_METADATA || key === COST_METADATA) {
        if (!["=", "!=", "IS NULL", "IS NOT NULL"].includes(comparator)) {
          throw invalidParameter(
            `Comparator '${comparator}' is not supported for reserved metadata '${key}'. Only '=', '!=', 'IS NULL', and 'IS NOT NULL' are supported.`,
          );
        }
        return { kind: "analytics", key, comparator, value };
      }
      if (key === SOURCE_RUN_METADATA && comparator === "=" && typeof value === "string") {
        return { kind: "runId", value };
      }
      return { kind: "metadata", key, comparator, value };
    case TRACE_ENTITY.span:
      checkSpanComparator(key, comparator);
      return { kind: "span", key, comparator, value };
    case TRACE_ENTITY.feedback:
    case TRACE_ENTITY.expectation:
      if (!key) throw invalidParameter("Assessment field name cannot be empty");
      if (!ASSESSMENT.includes(comparator)) {
        throw invalidParameter(`assessment.${key} comparator '${comparator}' not one of '${pySet(ASSESSMENT)}'`);
      }
      return { kind: "assessment", assessmentType: c.type, name: key, comparator, value };
  }
}
