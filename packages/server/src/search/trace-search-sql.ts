import { sqlList } from "../sql/in-list.js";
import { limitOf } from "./compiled-search.js";
import { afterRow, orderByKeys, type SortKey, type SqlArg, selectKeys } from "./keyset.js";
import type { TraceFilter } from "./trace-comparators.js";
import { drivenFrom, driverOf } from "./trace-driver.js";
import { filterSql } from "./trace-filter-sql.js";
import type { TraceOrderColumn, TraceOrderTerm } from "./trace-order-by.js";

/**
 * Compiles a search_traces page into one statement over `trace_info t`: the experiments, the filters, the order_by
 * terms with the reference's tie-breakers (newest first, then request id), and keyset paging on those keys, so the
 * last page costs what the first does.
 * @see mlflow/store/tracking/sqlalchemy_store.py SqlAlchemyStore.search_traces, _get_orderby_clauses_for_search_traces
 */

export interface TraceSearchQuery {
  /** null searches every experiment (MLflow 2's search with an empty experiment list). */
  experimentIds: readonly number[] | null;
  filters: readonly TraceFilter[];
  order: readonly TraceOrderTerm[];
  maxResults: number;
  /** A filter that matches few traces, to list them from its index rather than walk the experiment (trace-driver.ts). */
  driven?: TraceFilter | undefined;
  /** Where the page starts: after the row with these key values, or (for an offset token) after n rows. */
  start?: { after: readonly SqlArg[] } | { offset: number } | undefined;
}

export interface CompiledTraceSearch {
  /** Selects `id`, `request_id` and the sort keys k0, k1, ... of the page plus one row. */
  sql: string;
  args: SqlArg[];
  keys: SortKey[];
}

const NUMERIC_COLUMNS: ReadonlySet<TraceOrderColumn> = new Set(["experiment_id", "timestamp_ms", "execution_time_ms"]);
const NULLABLE_COLUMNS: ReadonlySet<TraceOrderColumn> = new Set(["execution_time_ms", "trace_name", "session_id"]);

/** The sort keys of the order (a missing value sorts last whichever the direction), and the joins they need. */
export function traceSortKeys(order: readonly TraceOrderTerm[]): {
  keys: SortKey[];
  joins: string[];
  joinArgs: SqlArg[];
} {
  const keys: SortKey[] = [];
  const joins: string[] = [];
  const joinArgs: SqlArg[] = [];
  const columns = new Set<string>();
  order.forEach((term, i) => {
    const descending = !term.ascending;
    let expr: string;
    let type: SortKey["type"];
    let isNullable: boolean;
    if (term.target.kind === "column") {
      const column = term.target.column;
      columns.add(column);
      expr = `t.${column}`;
      type = NUMERIC_COLUMNS.has(column) ? "number" : "text";
      isNullable = NULLABLE_COLUMNS.has(column);
    } else {
      const table = term.target.kind === "tag" ? "trace_tags" : "trace_request_metadata";
      joins.push(`LEFT JOIN ${table} o${i} ON o${i}.trace_row = t.id AND o${i}.key = ?`);
      joinArgs.push(term.target.key);
      expr = `o${i}.value`;
      type = "text";
      isNullable = true;
    }
    if (isNullable) {
      keys.push({ expr: `(${expr} IS NULL)`, descending: false, type: "number" });
      keys.push({ expr: `COALESCE(${expr}, ${type === "number" ? "0" : "''"})`, descending, type });
    } else keys.push({ expr, descending, type });
  });
  if (!columns.has("timestamp_ms")) keys.push({ expr: "t.timestamp_ms", descending: true, type: "number" });
  if (!columns.has("request_id")) keys.push({ expr: "t.request_id", descending: false, type: "text" });
  return { keys, joins, joinArgs };
}

/** Experiments searched one by one and merged, for the newest-first order that each can walk in its index. */
const MERGE_MAX_EXPERIMENTS = 20;

/**
 * Whether the page can walk trace_info_experiment_timestamp (experiment, timestamp) in order: one experiment, the
 * order led by timestamp_ms and no request-id lookup (which has its own unique index). The planner picks that index
 * by itself on a fresh database, but after ANALYZE it may prefer sorting the whole experiment (150 ms at 100k traces
 * instead of under 1 ms for a page), so the index is named.
 */
function walksTimestampIndex(q: TraceSearchQuery, keys: readonly SortKey[]): boolean {
  const byRequestId = q.filters.some(
    (f) => f.kind === "attribute" && f.key === "request_id" && (f.comparator === "=" || f.comparator === "IN"),
  );
  return keys[0]?.expr === "t.timestamp_ms" && !byRequestId && q.driven === undefined;
}

function pageSql(
  q: TraceSearchQuery,
  experimentIds: readonly number[] | null,
  keys: SortKey[],
  joins: string[],
  joinArgs: SqlArg[],
  indexed: boolean,
): { sql: string; args: SqlArg[] } {
  const inList = (alias: string, ids: readonly number[] | null) => {
    if (ids === null) return { sql: "1", args: [] };
    const list = sqlList(ids);
    return { sql: ids.length > 0 ? `${alias}.experiment_id IN ${list.sql}` : "0", args: list.args };
  };
  const experiments = inList("t", experimentIds);
  const driver = q.driven && driverOf(q.driven);
  const args: SqlArg[] = [...(driver?.args ?? []), ...joinArgs, ...experiments.args];
  const where = [experiments.sql];
  where.push(...filterSql(q.filters, inList("s", q.experimentIds), args, q.driven));
  let offset = "";
  if (q.start && "after" in q.start) {
    const after = afterRow(keys, q.start.after);
    where.push(after.sql);
    args.push(...after.args);
  } else if (q.start && q.start.offset > 0) {
    offset = ` OFFSET ${Math.trunc(q.start.offset)}`;
  }
  const sql = [
    `SELECT t.id AS id, t.request_id AS request_id, ${selectKeys(keys)} FROM ${driver ? drivenFrom(driver) : `trace_info t${indexed ? " INDEXED BY trace_info_experiment_timestamp" : ""}`}`,
    ...joins,
    `WHERE ${where.join(" AND ")}`,
    `ORDER BY ${orderByKeys(keys)}`,
    `LIMIT ${limitOf(q.maxResults)}${offset}`,
  ].join("\n");
  return { sql, args };
}

/**
 * The statement for one page. Several experiments in newest-first order are searched one by one (each a page walk
 * of its index) and the pages merged, rather than sorting all their traces.
 */
export function compileTraceSearch(q: TraceSearchQuery): CompiledTraceSearch {
  const { keys, joins, joinArgs } = traceSortKeys(q.order);
  const walk = walksTimestampIndex(q, keys);
  const ids = q.experimentIds;
  const offset = q.start !== undefined && "offset" in q.start;
  if (ids === null || !walk || ids.length < 2 || ids.length > MERGE_MAX_EXPERIMENTS || offset) {
    return { ...pageSql(q, ids, keys, joins, joinArgs, walk && ids?.length === 1), keys };
  }
  const parts = [...new Set(ids)].map((id) => pageSql(q, [id], keys, joins, joinArgs, true));
  const sql = [
    parts.map((p) => `SELECT * FROM (${p.sql})`).join("\nUNION ALL\n"),
    `ORDER BY ${orderByKeys(keys)}`,
    `LIMIT ${limitOf(q.maxResults)}`,
  ].join("\n");
  return { sql, args: parts.flatMap((p) => p.args), keys };
}
