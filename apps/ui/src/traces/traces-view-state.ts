/**
 * A traces table's view in the page URL: `tfilter` (the search_traces filter) and `torder` (one order_by clause),
 * defaults left out. Pages that hold a traces table (experiment, run) read and write these beside their own keys.
 */

export interface TracesViewState {
  filter: string;
  orderBy: string;
}

export const TRACE_ORDERS = [
  "timestamp_ms DESC",
  "timestamp_ms ASC",
  "execution_time_ms DESC",
  "execution_time_ms ASC",
] as const;

export const DEFAULT_TRACES_VIEW: TracesViewState = { filter: "", orderBy: "timestamp_ms DESC" };

export function readTracesView(q: URLSearchParams): TracesViewState {
  const order = q.get("torder") ?? "";
  return {
    filter: q.get("tfilter") ?? "",
    orderBy: (TRACE_ORDERS as readonly string[]).includes(order) ? order : DEFAULT_TRACES_VIEW.orderBy,
  };
}

/** Sets (or removes, for defaults) the traces keys on `q` and returns it. */
export function writeTracesView(q: URLSearchParams, v: TracesViewState): URLSearchParams {
  if (v.filter) q.set("tfilter", v.filter);
  else q.delete("tfilter");
  if (v.orderBy !== DEFAULT_TRACES_VIEW.orderBy) q.set("torder", v.orderBy);
  else q.delete("torder");
  return q;
}
