import type { InValue } from "@libsql/client";
import { clientCrash, invalidParameter } from "../errors.js";
import { pyInt } from "../search/python-compat.js";
import { type TraceFilter, toTraceFilter } from "../search/trace-comparators.js";
import { countSql, DRIVER_MAX_ROWS, driverCandidates, driverOf } from "../search/trace-driver.js";
import { parseTraceComparisons } from "../search/trace-grammar.js";
import { parseTraceOrderBy } from "../search/trace-order-by.js";
import { decodeTracePageToken, encodeTracePageToken } from "../search/trace-page-token.js";
import { compileTraceSearch, traceSortKeys } from "../search/trace-search-sql.js";
import type { DbHandle } from "./db.js";
import { experimentsInWorkspace } from "./workspace-scope.js";

/**
 * search_traces: which traces of the given experiments match a filter, in the requested order, one page at a time.
 * Returns trace row ids (trace_info.id) and request ids in order; store/traces.ts turns them into TraceInfoV3.
 * Checks happen in the reference's order: locations, max_results, experiment ids, order_by, filter, then the page
 * token.
 * @see mlflow/store/tracking/sqlalchemy_store.py SqlAlchemyStore.search_traces
 */

export interface SearchTracesArgs {
  /** Experiment ids (v2's experiment_ids, or v3's mlflow_experiment locations); null searches them all. */
  experimentIds: readonly string[] | null;
  filter?: string | undefined;
  /** The page size; the reference's store takes 1 to 50,000 (its handlers allow at most 500). */
  maxResults?: number | undefined;
  orderBy?: readonly string[] | undefined;
  pageToken?: string | undefined;
  /**
   * Up to how many matches a tag, metadata, run or prompt equality is listed from its index instead of walking the
   * experiment (default DRIVER_MAX_ROWS; tests set 0 to check the walk gives the same answers).
   */
  driverMaxRows?: number | undefined;
}

export interface TraceSearchPage {
  /** The page's traces in order: their trace_info row ids and MLflow trace ids. */
  traces: { id: number; requestId: string }[];
  nextPageToken?: string;
}

/** The store's default page size, used when a request leaves max_results unset. */
export const SEARCH_TRACES_DEFAULT_MAX_RESULTS = 100;
export const SEARCH_TRACES_MAX_RESULTS = 50_000;

function checkMaxResults(maxResults: number): void {
  if (!Number.isInteger(maxResults) || maxResults < 1) {
    throw invalidParameter(
      `Invalid value ${maxResults} for parameter 'max_results' supplied. It must be a positive integer`,
    );
  }
  if (maxResults > SEARCH_TRACES_MAX_RESULTS) {
    throw invalidParameter(
      `Invalid value ${maxResults} for parameter 'max_results' supplied. It must be at most ${SEARCH_TRACES_MAX_RESULTS}`,
    );
  }
}

/** The reference's location check: experiment ids, not `catalog.schema` locations. */
function checkLocations(ids: readonly string[]): void {
  const dotted = ids.filter((id) => id.includes("."));
  if (dotted.length > 0) {
    let shown = dotted.join(", ");
    if (shown.length > 20) shown = `${shown.slice(0, 20)}...`;
    throw invalidParameter(`Locations must be a list of experiment IDs. Found invalid experiment IDs: ${shown}.`);
  }
}

/** `int()` of each id, its ValueError answered as a client error. */
function experimentIdsOf(ids: readonly string[]): number[] {
  return ids.map((id) => {
    const n = pyInt(id);
    if (n === undefined) throw clientCrash(`invalid literal for int() with base 10: '${id}'`);
    return n;
  });
}

/** Every experiment of the workspace, or null (no condition) when workspaces are off. */
async function allInWorkspace(h: DbHandle): Promise<number[] | null> {
  if (h.workspace === undefined) return null;
  const rs = await h.client.execute({
    sql: "SELECT experiment_id FROM experiments WHERE workspace = ?",
    args: [h.workspace],
  });
  return rs.rows.map((r) => Number(r.experiment_id));
}

/** The indexable filter matching fewest traces, if one matches few enough to start from (see trace-driver.ts). */
async function fewestMatches(
  h: DbHandle,
  filters: readonly TraceFilter[],
  maxRows: number,
): Promise<TraceFilter | undefined> {
  let best: { f: TraceFilter; n: number } | undefined;
  if (maxRows <= 0) return undefined;
  for (const f of driverCandidates(filters)) {
    const driver = driverOf(f);
    if (!driver) continue;
    const count = countSql(driver, maxRows);
    const rs = await h.client.execute({ sql: count.sql, args: count.args as InValue[] });
    const n = Number(rs.rows[0]?.n ?? 0);
    if (n <= maxRows && (!best || n < best.n)) best = { f, n };
  }
  return best?.f;
}

export async function searchTraces(h: DbHandle, args: SearchTracesArgs): Promise<TraceSearchPage> {
  if (args.experimentIds !== null) checkLocations(args.experimentIds);
  const maxResults = args.maxResults ?? SEARCH_TRACES_DEFAULT_MAX_RESULTS;
  checkMaxResults(maxResults);
  const ids = args.experimentIds === null ? null : experimentIdsOf(args.experimentIds);
  const order = parseTraceOrderBy(args.orderBy);
  const filters = parseTraceComparisons(args.filter).map(toTraceFilter);
  const { keys } = traceSortKeys(order);
  const start = args.pageToken ? decodeTracePageToken(keys, args.pageToken) : undefined;
  const experimentIds = ids === null ? await allInWorkspace(h) : await experimentsInWorkspace(h, ids);
  const driven = await fewestMatches(h, filters, args.driverMaxRows ?? DRIVER_MAX_ROWS);
  const compiled = compileTraceSearch({ experimentIds, filters, order, maxResults, start, driven });
  const rs = await h.client.execute({ sql: compiled.sql, args: compiled.args as InValue[] });
  const rows = rs.rows as unknown as Record<string, unknown>[];
  const page = rows.slice(0, maxResults);
  const last = page.at(-1);
  return {
    traces: page.map((r) => ({ id: Number(r.id), requestId: String(r.request_id) })),
    ...(rows.length > maxResults && last ? { nextPageToken: encodeTracePageToken(compiled.keys, last) } : {}),
  };
}
