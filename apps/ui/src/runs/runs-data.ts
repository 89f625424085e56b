import { isMlflowApiError } from "@tracklite/client";
import type { ReactiveController, ReactiveControllerHost } from "lit";
import { client } from "../api.js";
import { describeError } from "../components/error.js";
import type { MetricSummary } from "./columns.js";
import { runIdFilter, type StepSample, stepsPerSecond } from "./live.js";
import { indexRun, keysSeen, maxStep, type RunRow } from "./run-fields.js";
import { LIFECYCLES, type Lifecycle } from "./view-state.js";

/** What the runs table searches for. */
export interface RunsQuery {
  experimentId: string;
  filter: string;
  orderBy: string;
  lifecycle: Lifecycle;
  pageSize: number;
}

/** The first page is small whatever the page size, so the first rows show at once. */
const FIRST_PAGE = 100;
const POLL_MS = 4000;
const SUMMARY_CHUNK = 100;

const pairKey = (runId: string, key: string) => `${runId}\u0000${key}`;
const num = (v: number | string | undefined) => (v === undefined ? Number.NaN : Number(v));

/**
 * The runs of an experiment page, shared by its tabs: pages of searchRuns (a bad filter keeps the last good rows and
 * gives the server's message), pinned runs the search did not return, min/max summaries fetched for the rows on
 * screen, and live polling of running runs (every few seconds while the tab is visible) with their steps per second.
 * The host re-renders on every change; `version` tells children that something changed.
 */
export class RunsData implements ReactiveController {
  rows: RunRow[] = [];
  /** Pinned runs outside the current search, fetched on their own so they stay on top. */
  extra: RunRow[] = [];
  nextToken: string | undefined;
  /** `loading` = a new search, `more` = the next page. */
  status: "idle" | "loading" | "more" | "ready" = "idle";
  /** A failed search (other than a bad filter). */
  error: unknown;
  /** The server's message for a filter it rejected; the rows are those of the last good search. */
  filterError: string | undefined;
  /** A failed live poll: shown so the user knows the numbers are not live. */
  pollError: unknown;
  /** Steps per second of running runs, by run id. */
  rates = new Map<string, number>();
  version = 0;
  /** Bumped when a live poll brought new data (charts re-fetch then). */
  liveTick = 0;

  private pinned: readonly string[] = [];
  private query: RunsQuery | undefined;
  private queryKey = "";
  private seq = 0;
  private abort: AbortController | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;
  private polling = false;
  private samples = new Map<string, StepSample>();
  private summaries = new Map<string, MetricSummary>();
  private pending = new Set<string>();
  private keysFor: RunRow[] | undefined;
  private keysCache: ReturnType<typeof keysSeen> = { params: [], metrics: [], tags: [] };

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  hostConnected() {
    this.timer = setInterval(() => void this.poll(), POLL_MS);
    document.addEventListener("visibilitychange", this.onVisible);
  }

  hostDisconnected() {
    clearInterval(this.timer);
    document.removeEventListener("visibilitychange", this.onVisible);
    this.abort?.abort();
  }

  private onVisible = () => {
    if (document.visibilityState === "visible") void this.poll();
  };

  private changed() {
    this.version++;
    this.host.requestUpdate();
  }

  get experimentId(): string | undefined {
    return this.query?.experimentId;
  }

  /** Searches again when the query differs from the current one. */
  setQuery(q: RunsQuery) {
    const key = JSON.stringify(q);
    if (key === this.queryKey) return;
    if (this.query?.experimentId !== q.experimentId) this.reset();
    this.queryKey = key;
    this.query = q;
    void this.load(false);
  }

  private reset() {
    this.rows = [];
    this.extra = [];
    this.nextToken = undefined;
    this.filterError = undefined;
    this.summaries.clear();
    this.samples.clear();
    this.rates.clear();
  }

  /** The same search again (after a delete, or the Refresh button). */
  reload() {
    void this.load(false);
  }

  loadMore() {
    if (this.nextToken && this.status === "ready") void this.load(true);
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
      const res = await client.call(
        "searchRuns",
        {
          experiment_ids: [q.experimentId],
          filter: q.filter || undefined,
          run_view_type: LIFECYCLES[q.lifecycle],
          max_results: more ? q.pageSize : Math.min(FIRST_PAGE, q.pageSize),
          order_by: [q.orderBy],
          page_token: more ? this.nextToken : undefined,
        },
        undefined,
        { signal: abort.signal },
      );
      if (seq !== this.seq) return;
      const page = (res.runs ?? []).map(indexRun);
      if (more) {
        const have = new Set(this.rows.map((r) => r.id));
        this.rows = [...this.rows, ...page.filter((r) => !have.has(r.id))];
      } else {
        this.rows = page;
        this.filterError = undefined;
      }
      this.nextToken = res.next_page_token || undefined;
      for (const r of page) this.sample(r);
      if (!more) void this.ensurePinned();
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

  /** The pinned runs: those the search does not return are fetched on their own. */
  setPinned(ids: readonly string[]) {
    if (ids.join() === this.pinned.join()) return;
    this.pinned = ids;
    void this.ensurePinned();
  }

  private async ensurePinned() {
    const ids = this.pinned;
    const have = new Set([...this.rows, ...this.extra].map((r) => r.id));
    const missing = ids.filter((id) => !have.has(id)).slice(0, 100);
    const experimentId = this.query?.experimentId;
    if (missing.length === 0 || !experimentId) return;
    try {
      const res = await client.call("searchRuns", {
        experiment_ids: [experimentId],
        filter: runIdFilter(missing),
        run_view_type: "ALL",
        max_results: missing.length,
      });
      const got = (res.runs ?? []).map(indexRun);
      const ids2 = new Set(got.map((r) => r.id));
      this.extra = [...this.extra.filter((r) => !ids2.has(r.id)), ...got];
      this.changed();
    } catch (e) {
      this.error ??= e;
      this.changed();
    }
  }

  /** The param, metric and tag keys of the loaded runs. */
  get keys() {
    if (this.keysFor !== this.rows) {
      this.keysFor = this.rows;
      this.keysCache = keysSeen(this.rows);
    }
    return this.keysCache;
  }

  // Live updates

  private sample(r: RunRow) {
    if (r.status !== "RUNNING") {
      this.samples.delete(r.id);
      this.rates.delete(r.id);
      return;
    }
    const next = maxStep(r);
    if (!next) return;
    const prev = this.samples.get(r.id);
    const rate = stepsPerSecond(prev, next);
    if (rate !== undefined) this.rates.set(r.id, rate);
    // Keep the old sample while the run has not advanced, so the next rate spans the whole pause.
    if (!prev || rate !== undefined || next.step < prev.step) this.samples.set(r.id, next);
  }

  /** Runs on screen that are still going. */
  get running(): RunRow[] {
    return [...this.rows, ...this.extra].filter((r) => r.status === "RUNNING" || r.status === "SCHEDULED");
  }

  /** Re-reads the running runs (at most 100) and updates their rows in place. */
  async poll() {
    const experimentId = this.query?.experimentId;
    if (this.polling || !experimentId || document.visibilityState !== "visible") return;
    const running = this.running.slice(0, 100);
    if (running.length === 0) return;
    this.polling = true;
    try {
      const res = await client.call("searchRuns", {
        experiment_ids: [experimentId],
        filter: runIdFilter(running.map((r) => r.id)),
        run_view_type: "ALL",
        max_results: running.length,
      });
      const fresh = new Map((res.runs ?? []).map((run) => [run.info.run_id, indexRun(run)]));
      if (fresh.size > 0 && this.query?.experimentId === experimentId) {
        this.rows = this.rows.map((r) => fresh.get(r.id) ?? r);
        this.extra = this.extra.map((r) => fresh.get(r.id) ?? r);
        for (const r of fresh.values()) {
          this.sample(r);
          for (const k in r.metrics) this.summaries.delete(pairKey(r.id, k));
        }
        this.liveTick++;
      }
      this.pollError = undefined;
    } catch (e) {
      this.pollError = e;
    } finally {
      this.polling = false;
    }
    this.changed();
  }

  // Metric min/max

  summary = (runId: string, key: string): MetricSummary | undefined => this.summaries.get(pairKey(runId, key));

  /** Fetches min/max of these metrics for these runs where not known yet (the rows on screen). */
  async requestSummaries(runIds: readonly string[], keys: readonly string[]): Promise<void> {
    if (keys.length === 0 || runIds.length === 0) return;
    const byId = new Map([...this.rows, ...this.extra].map((r) => [r.id, r]));
    const need = runIds.filter((id) =>
      keys.some(
        (k) => byId.get(id)?.metrics[k] && !this.summaries.has(pairKey(id, k)) && !this.pending.has(pairKey(id, k)),
      ),
    );
    const jobs: Promise<void>[] = [];
    for (let i = 0; i < need.length; i += SUMMARY_CHUNK) {
      const chunk = need.slice(i, i + SUMMARY_CHUNK);
      const pairs = chunk.flatMap((id) => keys.map((k) => pairKey(id, k)));
      for (const p of pairs) this.pending.add(p);
      jobs.push(
        client
          .call("getMetricSummaries", { run_ids: chunk, metric_keys: [...keys] })
          .then((res) => {
            for (const s of res.summaries ?? []) {
              this.summaries.set(pairKey(s.run_id, s.key), { min: num(s.min), max: num(s.max), last: num(s.last) });
            }
          })
          .finally(() => {
            for (const p of pairs) this.pending.delete(p);
          }),
      );
    }
    if (jobs.length === 0) return;
    try {
      await Promise.all(jobs);
    } finally {
      this.changed();
    }
  }
}
