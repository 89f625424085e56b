import type { SqlArg } from "./keyset.js";
import type { TraceFilter } from "./trace-comparators.js";
import { SOURCE_RUN_METADATA } from "./trace-keys.js";

/**
 * Filters that can list the rows they match straight from an index: tag and metadata equality (trace_tags and
 * trace_request_metadata are indexed on (key, value)), `run_id =` and `prompt =` (entity_associations is indexed on
 * its destination). A page is normally found by walking the experiment's traces newest first and probing each
 * filter, which is fastest when matches are common; when one of these filters matches few traces, the search starts
 * from its list instead (a tag on 10 traces of 100,000: 0.3 ms instead of 90 ms; up to 500 matches sort in ~4 ms, while walking for them
 * would probe tens of thousands of traces).
 */

export interface Driver {
  /** Selects distinct trace_info row ids, as `trace_row`. */
  sql: string;
  args: SqlArg[];
}

/** How few matches make a filter the starting point: at most this many rows to sort. */
export const DRIVER_MAX_ROWS = 500;

export function driverOf(f: TraceFilter): Driver | undefined {
  if ((f.kind === "tag" || f.kind === "metadata") && f.comparator === "=" && typeof f.value === "string") {
    const table = f.kind === "tag" ? "trace_tags" : "trace_request_metadata";
    return { sql: `SELECT trace_row FROM ${table} WHERE key = ? AND value = ?`, args: [f.key, f.value] };
  }
  if (f.kind === "runId") {
    return {
      sql:
        "SELECT lt.id AS trace_row FROM entity_associations ea JOIN trace_info lt ON lt.request_id = ea.source_id" +
        " WHERE ea.destination_type = 'RUN' AND ea.destination_id = ? AND ea.source_type = 'TRACE'" +
        " UNION SELECT trace_row FROM trace_request_metadata WHERE key = ? AND value = ?",
      args: [f.value, SOURCE_RUN_METADATA, f.value],
    };
  }
  if (f.kind === "prompt") {
    return {
      sql:
        "SELECT lt.id AS trace_row FROM entity_associations ea JOIN trace_info lt ON lt.request_id = ea.source_id" +
        " WHERE ea.destination_type = 'PROMPT_VERSION' AND ea.destination_id = ? AND ea.source_type = 'TRACE'",
      args: [f.value],
    };
  }
  return undefined;
}

/** The filters worth counting: those with a driver, the last `run_id =` only (the only one the reference applies). */
export function driverCandidates(filters: readonly TraceFilter[]): TraceFilter[] {
  const lastRunId = filters.filter((f) => f.kind === "runId").at(-1);
  return filters.filter((f) => (f.kind !== "runId" || f === lastRunId) && driverOf(f) !== undefined);
}

/**
 * The FROM clause starting at the driver's rows: CROSS JOIN makes SQLite keep that order of tables, which its planner
 * would otherwise swap for the experiment's index walk (30 ms for a tag no trace has, at 100,000 traces).
 */
export const drivenFrom = (d: Driver) => `(${d.sql}) d CROSS JOIN trace_info t ON t.id = d.trace_row`;

/** `SELECT count(*)` of a driver's rows, stopping past the limit. */
export function countSql(d: Driver, maxRows = DRIVER_MAX_ROWS): Driver {
  return { sql: `SELECT count(*) AS n FROM (${d.sql} LIMIT ${Math.trunc(maxRows) + 1})`, args: d.args };
}
