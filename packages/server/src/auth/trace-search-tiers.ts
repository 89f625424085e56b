import { invalidParameter, MlflowError } from "../errors.js";
import { pySet } from "../search/python-compat.js";
import { toTraceFilter } from "../search/trace-comparators.js";
import { parseTraceComparisons, type TraceComparison } from "../search/trace-grammar.js";
import { parseTraceOrderBy, type TraceOrderTerm } from "../search/trace-order-by.js";

/**
 * Which sub-resource tiers a trace search reaches through its filter or its sort: a comparison on an assessment
 * (`feedback.…`, `expectation.…`) reads the assessment tier, one on the `mlflow.sourceRun` / `mlflow.modelId` metadata
 * (`run_id` is an alias of the first) the run or logged-model tier. A search must be allowed to read each tier it
 * selects on, since its row set answers questions about values the response itself would withhold. What cannot be
 * parsed reaches every tier, as in the reference (the search itself then refuses it).
 * @see mlflow/server/auth/__init__.py _trace_search_selects_on_tiers
 * @see search/trace-grammar.ts, search/trace-order-by.ts (the search's parsers, which mirror the reference's)
 */

export const TRACE_SEARCH_TIERS = ["assessment", "run", "logged_model"] as const;
export type TraceSearchTier = (typeof TRACE_SEARCH_TIERS)[number];

const METADATA_TIERS: Record<string, TraceSearchTier> = {
  "mlflow.sourceRun": "run",
  "mlflow.modelId": "logged_model",
};

/** @see SearchTraceUtils.VALID_ASSESSMENT_COMPARATORS */
const ASSESSMENT_COMPARATORS = ["!=", "=", ">", ">=", "<", "<=", "LIKE", "ILIKE", "RLIKE", "IS NULL", "IS NOT NULL"];

/** Thrown inside the analysis for what the reference's parser refuses. */
class Unparsable extends Error {}

/** The tiers one filter's comparisons select on, read by the parser the search itself uses. */
function filterTiers(filter: string, tiers: Set<TraceSearchTier>): void {
  let comparisons: TraceComparison[];
  try {
    comparisons = parseTraceComparisons(filter);
  } catch (e) {
    if (e instanceof MlflowError) throw new Unparsable();
    throw e;
  }
  for (const c of comparisons) {
    if (c.type === "feedback" || c.type === "expectation") {
      // The reference checks an assessment comparison after the parse, so what it refuses is a 400 for everyone;
      // it compares a comparator as written (`like` is refused), the search upper-cases it first.
      toTraceFilter(c);
      if (c.value !== null && c.comparator !== c.comparator.toUpperCase())
        throw invalidParameter(
          `assessment.${c.key} comparator '${c.comparator}' not one of '${pySet(ASSESSMENT_COMPARATORS)}'`,
        );
      tiers.add("assessment");
    } else if (c.type === "request_metadata" && METADATA_TIERS[c.key])
      tiers.add(METADATA_TIERS[c.key] as TraceSearchTier);
  }
}

/** What the search's order_by parser refuses that the reference's parse accepts (the store refuses it later). */
const AFTER_PARSE = ["Ordering by reserved metadata", "Invalid identifier type"];

/**
 * The tier one `order_by` clause sorts on, read by the search's own parser. What that parser refuses after the
 * reference's parse has accepted the clause (an attribute with no column, reserved metadata, an assessment) sorts on no
 * tier.
 */
function orderTiers(clause: string, tiers: Set<TraceSearchTier>): void {
  let terms: TraceOrderTerm[];
  try {
    terms = parseTraceOrderBy([clause]);
  } catch (e) {
    if (!(e instanceof MlflowError)) throw e;
    if (e.code === "INTERNAL_ERROR" || AFTER_PARSE.some((m) => e.message.startsWith(m))) return;
    throw new Unparsable();
  }
  for (const { target } of terms) {
    const tier = target.kind === "metadata" ? METADATA_TIERS[target.key] : undefined;
    if (tier) tiers.add(tier);
  }
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
