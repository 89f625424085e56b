import { isMlflowApiError } from "@tracklite/client";
import type { TraceInfoV3 } from "@tracklite/schemas";
import type { ReactiveController, ReactiveControllerHost } from "lit";
import { describeError } from "../components/error.js";
import { keysSeen, requestTimeMs, type TraceKeys } from "./trace-info.js";
import { searchTraces } from "./traces-api.js";

/** What a traces table shows: an experiment's traces (or one run's), filtered and ordered on the server. */
export interface TracesQuery {
  experimentId: string;
  /** The search_traces filter, as typed. */
  filter: string;
  /** One order_by clause, e.g. `timestamp_ms DESC`. */
  orderBy: string;
  /** Only the traces logged in this run (`trace.run_id = '…'`, metadata `mlflow.sourceRun`). */
  runId?: string;
}

/** The first page is small so rows show at once; later pages are bigger. */
export const FIRST_PAGE = 50;
export const NEXT_PAGE = 100;
export const POLL_MS = 4000;
export const NEWEST_FIRST = "timestamp_ms DESC";

/** The filter sent to the server: the run's clause and the user's, joined with `and`. */
export function effectiveFilter(q: Pick<TracesQuery, "filter" | "runId">): string {
  const run = q.runId ? `trace.run_id = '${q.runId.replaceAll("'", "")}'` : "";
  const user = q.filter.trim();
  return run && user ? `${run} and ${user}` : run || user;
}

/**
 * Merges a fresh first page into the loaded rows: loaded traces are replaced in place (state, assessments and tags
 * change while a trace is open or reviewed), and traces newer than the newest loaded one go on top (only when the
 * order is newest first: elsewhere a new trace has no place the user would look for it). Returns the new rows and
 * how many were added; the same array when nothing changed.
 */
export function mergeFirstPage(
  rows: readonly TraceInfoV3[],
  page: readonly TraceInfoV3[],
  orderBy: string,
): { rows: readonly TraceInfoV3[]; added: TraceInfoV3[] } {
  const fresh = new Map(page.map((t) => [t.trace_id, t]));
  let changed = false;
  const updated = rows.map((r) => {
    const f = fresh.get(r.trace_id);
    if (!f || JSON.stringify(f) === JSON.stringify(r)) return r;
    changed = true;
    return f;
  });
  const added: TraceInfoV3[] = [];
  if (orderBy.replace(/\s+/g, " ").trim().toUpperCase() === NEWEST_FIRST.toUpperCase()) {
    const have = new Set(rows.map((r) => r.trace_id));
    const newest = rows.length ? (requestTimeMs(rows[0] as TraceInfoV3) ?? 0) : -1;
    for (const t of page) if (!have.has(t.trace_id) && (requestTimeMs(t) ?? 0) >= newest) added.push(t);
  }
  if (!changed && added.length === 0) return { rows, added };
  return { rows: [...added, ...updated], added };
}

/**
 * The traces of a table: pages of `traces/search` (more on scroll, never all), a bad filter kept apart with the
 * server's message, and live arrivals: every few seconds (while the browser tab is visible) the first page is read
 * again and new traces are put on top, open ones updated in place.
 */
export class TracesData implements ReactiveController {
  rows: readonly TraceInfoV3[] = [];
  nextToken: string | undefined;
  status: "idle" | "loading" | "more" | "ready" = "idle";
  error: unknown;
  filterError: string | undefined;
  pollError: unknown;
  /** Ids of traces that arrived by polling (highlighted for a moment). */
  arrived = new Set<string>();
  version = 0;

  private query: TracesQuery | undefined;
  private queryKey = "";
  private seq = 0;
  private abort: AbortController | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;
  private polling = false;
  private keysFor: readonly TraceInfoV3[] | undefined;
  private keysCache: TraceKeys = { tags: [], metadata: [], feedback: [], expectation: [], names: [] };

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly pollMs = POLL_MS,
  ) {
    host.addController(this);
  }

  hostConnected() {
    if (this.pollMs > 0) this.timer = setInterval(() => void this.poll(), this.pollMs);
  }

  hostDisconnected() {
    clearInterval(this.timer);
    this.abort?.abort();
  }

  private changed() {
    this.version++;
    this.host.requestUpdate();
  }

  setQuery(q: TracesQuery) {
    const key = JSON.stringify(q);
    if (key === this.queryKey) return;
    if (this.query?.experimentId !== q.experimentId || this.query?.runId !== q.runId) {
      this.rows = [];
      this.filterError = undefined;
    }
    this.queryKey = key;
    this.query = q;
    void this.load(false);
  }

  reload() {
    void this.load(false);
  }

  loadMore() {
    if (this.nextToken && this.status === "ready") void this.load(true);
  }

  get keys(): TraceKeys {
    if (this.keysFor !== this.rows) {
      this.keysFor = this.rows;
      this.keysCache = keysSeen(this.rows);
    }
    return this.keysCache;
  }

  private async load(more: boolean) {
    const q = this.query;
    if (!q) return;
    const seq = ++this.seq;
    if (!more) this.abort?.abort();
    const abort = new AbortController();
    this.abort = abort;
    this.status = more ? "more" : "loading";
    this.error = undefined;
    this.changed();
    try {
      const res = await searchTraces(
        {
          experimentId: q.experimentId,
          filter: effectiveFilter(q),
          orderBy: [q.orderBy],
          maxResults: more ? NEXT_PAGE : FIRST_PAGE,
          pageToken: more ? this.nextToken : undefined,
        },
        abort.signal,
      );
      if (seq !== this.seq) return;
      const page = res.traces ?? [];
      if (more) {
        const have = new Set(this.rows.map((r) => r.trace_id));
        this.rows = [...this.rows, ...page.filter((t) => !have.has(t.trace_id))];
      } else {
        this.rows = page;
        this.filterError = undefined;
        this.arrived = new Set();
      }
      this.nextToken = res.next_page_token || undefined;
    } catch (e) {
      if (seq !== this.seq) return;
      if (!more && q.filter && isMlflowApiError(e, "INVALID_PARAMETER_VALUE")) {
        this.filterError = describeError(e).message;
      } else {
        this.error = e;
      }
    }
    this.status = "ready";
    this.changed();
  }

  /** Reads the first page again and merges it (see {@link mergeFirstPage}). */
  async poll() {
    const q = this.query;
    if (!q || this.polling || this.status !== "ready" || this.filterError) return;
    if (typeof document !== "undefined" && document.visibilityState !== "visible") return;
    this.polling = true;
    const seq = this.seq;
    try {
      const res = await searchTraces({
        experimentId: q.experimentId,
        filter: effectiveFilter(q),
        orderBy: [q.orderBy],
        maxResults: FIRST_PAGE,
      });
      if (seq !== this.seq) return;
      const merged = mergeFirstPage(this.rows, res.traces ?? [], q.orderBy);
      this.pollError = undefined;
      if (merged.rows !== this.rows) {
        this.rows = merged.rows;
        for (const t of merged.added) this.arrived.add(t.trace_id);
        // An empty table that now has rows pages from here on like a fresh search.
        if (this.rows.length === merged.added.length && res.next_page_token) this.nextToken = res.next_page_token;
      }
    } catch (e) {
      this.pollError = e;
    } finally {
      this.polling = false;
    }
    this.changed();
  }
}
