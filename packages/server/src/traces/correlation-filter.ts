import { toTraceFilter } from "../search/trace-comparators.js";
import { filterSql } from "../search/trace-filter-sql.js";
import { parseTraceComparisons } from "../search/trace-grammar.js";
import { sqlList } from "../sql/in-list.js";
import type { TraceCondition } from "../store/trace-correlation.js";

/**
 * A search_traces filter as one condition on `trace_info t`, for CalculateTraceFilterCorrelation: search_traces' own
 * grammar and SQL (attributes, tags, metadata, spans, assessments), so both calls select the same traces.
 * `experimentIds` scope the session-wide assessment filters, as in a search of those experiments.
 * @see mlflow/store/tracking/sqlalchemy_store.py _build_trace_filter_subquery
 */
export function compileTraceFilter(filter: string, experimentIds: readonly number[]): TraceCondition {
  const filters = parseTraceComparisons(filter).map(toTraceFilter);
  const list = sqlList(experimentIds);
  const scope = { sql: experimentIds.length > 0 ? `s.experiment_id IN ${list.sql}` : "0", args: list.args };
  const args: (string | number)[] = [];
  const where = filterSql(filters, scope, args);
  return { sql: where.length > 0 ? where.map((w) => `(${w})`).join(" AND ") : "1", args };
}
