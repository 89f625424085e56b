import { BATCH_LIMITS, chunkBatch } from "../batch-limits.js";

/** How the queue batches and how much it may hold. */
export interface QueueOptions {
  /** Milliseconds a partial batch waits for more entries before it is sent. Default 50. */
  lingerMs?: number;
  /** Entries that may wait to be sent, over all runs; past it, logging waits for room. Default 10,000. */
  maxQueued?: number;
}

/** One thing to log: a metric point, a param or a tag. */
export type QueuedEntry =
  | { type: "metric"; key: string; value: number; timestamp: number; step: number }
  | { type: "param"; key: string; value: string }
  | { type: "tag"; key: string; value: string };

type KeyValue = { key: string; value: string };
type MetricPoint = { key: string; value: number; timestamp: number; step: number };
/** One log-batch call's worth of a run's data, as {@link chunkBatch} cuts it. */
export type Batch = ReturnType<typeof chunkBatch>[number];
/** Sends one log-batch call. */
export type SendBatch = (runId: string, batch: Batch) => Promise<void>;

interface RunQueue {
  runId: string;
  metrics: MetricPoint[];
  /** Keyed by key and value, so the same param is sent once and a changed value reaches the server to refuse. */
  params: Map<string, KeyValue>;
  /** Keyed by key: the last value wins. */
  tags: Map<string, string>;
  timer: ReturnType<typeof setTimeout> | undefined;
  /** The drain under way: one log-batch call in flight per run keeps the run's order. */
  draining: Promise<void> | undefined;
  /** The first failed call not yet reported. */
  failure: unknown;
  /** Flushes waiting on this run: while any do, partial batches go at once. */
  flushing: number;
}

interface Waiter {
  run: RunQueue;
  entries: QueuedEntry[];
  resolve(): void;
}

/**
 * Coalesces metrics, params and tags into log-batch calls within MLflow's limits, per run, in order. Holds at most
 * `maxQueued` entries: past it, {@link BatchQueue.enqueue} waits until the sender has taken entries out. A failed
 * call is kept and thrown by the run's next `enqueue` and by `flush`, which clears it.
 */
export class BatchQueue {
  private readonly runs = new Map<string, RunQueue>();
  private readonly waiters: Waiter[] = [];
  private roomWatchers: (() => void)[] = [];
  private count = 0;
  private readonly lingerMs: number;
  private readonly maxQueued: number;
  private readonly unrefTimers: boolean;

  /** With `unrefTimers`, a lingering batch does not keep the program alive (an exit hook must flush it). */
  constructor(
    private readonly send: SendBatch,
    options: QueueOptions & { unrefTimers?: boolean } = {},
  ) {
    this.lingerMs = Math.max(0, options.lingerMs ?? 50);
    this.maxQueued = Math.max(1, options.maxQueued ?? 10_000);
    this.unrefTimers = options.unrefTimers ?? false;
  }

  /** Entries waiting to be sent (not counting calls in flight or callers waiting for room). */
  get queued(): number {
    return this.count;
  }

  /** True while anything is queued, in flight or waiting for room. */
  get busy(): boolean {
    return this.count > 0 || this.waiters.length > 0 || [...this.runs.values()].some((r) => r.draining);
  }

  /** The run's failed call not reported yet, if any. */
  failure(runId: string): unknown {
    return this.runs.get(runId)?.failure;
  }

  /**
   * Queues entries of a run. Resolves at once while there is room, else once all entries are queued; rejects with
   * the run's unreported failure, queuing nothing.
   */
  async enqueue(runId: string, entries: QueuedEntry[]): Promise<void> {
    const run = this.run(runId);
    if (run.failure !== undefined) throw run.failure;
    // Callers already waiting go first, so a run's entries keep their order.
    const rest = this.waiters.length ? entries : this.admit(run, entries);
    if (rest.length === 0) return;
    await new Promise<void>((resolve) => this.waiters.push({ run, entries: rest, resolve }));
  }

  /**
   * Sends everything queued for one run (all runs without `runId`) now and waits until it is sent. Throws the
   * failures of calls not reported yet (an AggregateError when several), and forgets them.
   */
  async flush(runId?: string): Promise<void> {
    const runs = runId === undefined ? [...this.runs.values()] : [this.runs.get(runId)].filter((r) => r !== undefined);
    await Promise.all(runs.map((r) => this.settle(r)));
    const failures = runs.flatMap((r) => (r.failure === undefined ? [] : [r.failure]));
    for (const r of runs) r.failure = undefined;
    if (failures.length === 1) throw failures[0];
    if (failures.length > 1) throw new AggregateError(failures, `${failures.length} log-batch calls failed`);
  }

  /** Flushes a run, then drops its state (after the run has ended). */
  async close(runId: string): Promise<void> {
    try {
      await this.flush(runId);
    } finally {
      this.runs.delete(runId);
    }
  }

  private run(runId: string): RunQueue {
    let run = this.runs.get(runId);
    if (!run) {
      run = {
        runId,
        metrics: [],
        params: new Map(),
        tags: new Map(),
        timer: undefined,
        draining: undefined,
        failure: undefined,
        flushing: 0,
      };
      this.runs.set(runId, run);
    }
    return run;
  }

  /** Queues entries while there is room and returns those that did not fit. */
  private admit(run: RunQueue, entries: QueuedEntry[]): QueuedEntry[] {
    let i = 0;
    for (; i < entries.length && this.count < this.maxQueued; i++) {
      const e = entries[i]!;
      const before = size(run);
      if (e.type === "metric") run.metrics.push({ key: e.key, value: e.value, timestamp: e.timestamp, step: e.step });
      else if (e.type === "param") run.params.set(`${e.key}\0${e.value}`, { key: e.key, value: e.value });
      else run.tags.set(e.key, e.value);
      this.count += size(run) - before;
    }
    if (i > 0) this.schedule(run);
    return i === entries.length ? [] : entries.slice(i);
  }

  /** Sends at once when a full batch is ready (or the queue is full), else after the linger. */
  private schedule(run: RunQueue): void {
    if (run.draining) return; // the drain under way sends it, or schedules it when done
    if (this.ready(run)) void this.drain(run);
    else if (!run.timer) {
      run.timer = setTimeout(() => void this.drain(run, true), this.lingerMs);
      if (this.unrefTimers) unref(run.timer);
    }
  }

  /** A full log-batch call's worth is queued, or the queue is full and callers wait for room. */
  private ready(run: RunQueue): boolean {
    return (
      run.metrics.length >= BATCH_LIMITS.metrics ||
      run.params.size >= BATCH_LIMITS.params ||
      run.tags.size >= BATCH_LIMITS.tags ||
      size(run) >= BATCH_LIMITS.entities ||
      this.count >= this.maxQueued
    );
  }

  /** Starts sending a run's queue (`lingered`: a partial batch too), or joins the drain under way. */
  private drain(run: RunQueue, lingered = false): Promise<void> {
    clearTimeout(run.timer);
    run.timer = undefined;
    // Sending starts in a microtask, so `draining` is set first and entries are never taken out (nor waiters let
    // in) in the middle of `admit`: that would start a second drain of the run or admit a waiter twice.
    run.draining ??= Promise.resolve()
      .then(() => this.sendAll(run, lingered))
      .finally(() => {
        run.draining = undefined;
        if (size(run) > 0) this.schedule(run);
      });
    return run.draining;
  }

  /** Sends full batches, and partial ones once lingered or while someone flushes; one call at a time. */
  private async sendAll(run: RunQueue, lingered: boolean): Promise<void> {
    let partialOk = lingered;
    while (size(run) > 0 && (partialOk || run.flushing > 0 || this.ready(run))) {
      partialOk = false;
      for (const chunk of chunkBatch(this.take(run))) {
        try {
          await this.send(run.runId, chunk);
        } catch (err) {
          run.failure ??= err;
        }
      }
    }
  }

  /** Takes at most one log-batch call's worth of each kind out of the queue, which makes room for waiters. */
  private take(run: RunQueue): { metrics: MetricPoint[]; params: KeyValue[]; tags: KeyValue[] } {
    const params = takeFirst(run.params, BATCH_LIMITS.params).map(([, kv]) => kv);
    const tags = takeFirst(run.tags, BATCH_LIMITS.tags).map(([key, value]) => ({ key, value }));
    const metrics = run.metrics.splice(0, BATCH_LIMITS.metrics);
    this.count -= params.length + tags.length + metrics.length;
    this.admitWaiters();
    return { params, tags, metrics };
  }

  private admitWaiters(): void {
    while (this.waiters.length && this.count < this.maxQueued) {
      const w = this.waiters[0]!;
      w.entries = this.admit(w.run, w.entries);
      if (w.entries.length) break;
      this.waiters.shift();
      w.resolve();
    }
    const watchers = this.roomWatchers;
    this.roomWatchers = [];
    for (const notify of watchers) notify();
  }

  /** Waits until nothing of the run is queued, in flight or waiting for room. */
  private async settle(run: RunQueue): Promise<void> {
    run.flushing++;
    try {
      for (;;) {
        if (run.draining || size(run) > 0) await this.drain(run);
        else if (this.waiters.some((w) => w.run === run)) await new Promise<void>((r) => this.roomWatchers.push(r));
        else return;
      }
    } finally {
      run.flushing--;
    }
  }
}

function size(run: RunQueue): number {
  return run.metrics.length + run.params.size + run.tags.size;
}

function takeFirst<K, V>(map: Map<K, V>, n: number): [K, V][] {
  const out: [K, V][] = [];
  for (const entry of map) {
    if (out.length === n) break;
    out.push(entry);
    map.delete(entry[0]);
  }
  return out;
}

/** Lets the program end while a batch lingers (Node and Bun timers have `unref`; Deno unrefs by id). */
function unref(timer: ReturnType<typeof setTimeout>): void {
  const deno = (globalThis as { Deno?: { unrefTimer?(id: number): void } }).Deno;
  if (typeof timer === "number") deno?.unrefTimer?.(timer);
  else (timer as { unref?(): void }).unref?.();
}
