import { Worker } from "node:worker_threads";
import type { ImportSource, MetricPoint } from "@tracklite/server/import";

/**
 * Metric histories read ahead on a worker thread while the main thread writes. The libSQL driver is synchronous:
 * in one thread, reading a run's history and writing it take turns; with the reading on a worker (its own read-only
 * connection to the same file), both cores work. The orchestrator tells the runs it is about to write (`want`, in
 * the order it writes them: runs already done are never wanted), then asks for each history in that order.
 *
 * Memory stays flat whatever the history's size: the worker sends batches of at most `BATCH` points and may have at
 * most `CREDIT` batches not yet handed to the sink (credit-based flow control: one credit back per batch taken).
 * Batches travel as transferred typed arrays (keys as indexes into a per-batch list), not as cloned objects.
 * Without worker threads or the driver on the worker, histories are read in-thread from the source as before.
 */

/** Where a worker can read the same histories the source yields (only SQLite files for now). */
export interface HistoryPrefetchSpec {
  sqlite: string;
  /** Where the worker resolves the libsql driver from (default: this module, i.e. the CLI's location). */
  driverFrom?: string;
}

export interface HistoryPrefetch {
  /** A run the orchestrator will write; its history is read ahead. Calls come in the order histories are asked. */
  want(runId: string): void;
  /** The run's history, as `source.metricHistory(runId)` yields it. Wanted runs not asked before it are dropped. */
  history(runId: string): AsyncIterable<MetricPoint[]>;
  close(): Promise<void>;
  /** Batches read ahead and not yet taken (for tests: never more than CREDIT). */
  pending(): number;
}

/** Points per batch (as the SQL source's METRIC_BATCH: the sink amortises its statements over them). */
export const BATCH = 5000;
/** Batches the worker may have in flight: 64 × 5,000 points ≈ 9 MB of typed arrays. */
export const CREDIT = 64;

/** Wants or credits sent at once (see `flush`). */
const FLUSH = CREDIT / 4;

/** The SQL source's query and mapping (metric-history.ts), on the raw rows of a worker's own connection. */
const SQL = `SELECT "key", "value", "timestamp", step, is_nan FROM metrics WHERE run_uuid = ?`;

/** Runs in the worker (CommonJS, as eval'd workers are); finds the driver from the CLI's own location. */
const SCRIPT = `
const { workerData, parentPort } = require("node:worker_threads");
const { createRequire } = require("node:module");
let Database;
try {
  Database = createRequire(workerData.from)("libsql");
} catch (e) {
  parentPort.postMessage({ unavailable: String(e && e.message) });
  return;
}
const BATCH = workerData.batch;
const keys = new Uint32Array(BATCH);
const values = new Float64Array(BATCH);
const timestamps = new Float64Array(BATCH);
const steps = new Float64Array(BATCH);
const queue = [];
let credit = workerData.credit;
let seq = 0;
let rows = null;
let peeked = null;
let failed = false;
let stmt;
const fail = (e) => {
  failed = true;
  parentPort.postMessage({ error: String((e && e.message) || e), code: e && e.code, seq });
};
try {
  // libsql creates a missing file even read-only; the import must never leave one behind.
  if (!require("node:fs").existsSync(workerData.path)) throw new Error("no such file " + workerData.path);
  const db = new Database(workerData.path, { readonly: true, fileMustExist: true });
  stmt = db.prepare(workerData.sql).raw(true);
} catch (e) {
  fail(e);
}
const pump = () => {
  if (failed) return;
  try {
    while (credit > 0) {
      if (rows === null) {
        if (queue.length === 0) return;
        rows = stmt.iterate(queue.shift());
      }
      const names = [];
      const index = new Map();
      let n = 0;
      let end = false;
      while (n < BATCH) {
        const r = peeked ?? rows.next();
        peeked = null;
        if (r.done) { end = true; break; }
        const row = r.value;
        let k = index.get(row[0]);
        if (k === undefined) { k = names.length; names.push(row[0]); index.set(row[0], k); }
        const nan = row[4] === 1 || row[4] === true || row[4] === "1";
        keys[n] = k;
        values[n] = nan ? NaN : Number(row[1]);
        timestamps[n] = Number(row[2]);
        steps[n] = Number(row[3]);
        n++;
      }
      if (!end) {
        // A full batch: look one row ahead so that the last batch of a history carries its end.
        peeked = rows.next();
        if (peeked.done) { end = true; peeked = null; }
      }
      const k = keys.slice(0, n), v = values.slice(0, n), t = timestamps.slice(0, n), s = steps.slice(0, n);
      parentPort.postMessage({ seq, names, k, v, t, s, end }, [k.buffer, v.buffer, t.buffer, s.buffer]);
      credit--;
      if (end) { rows = null; seq++; }
    }
  } catch (e) {
    fail(e);
  }
};
parentPort.on("message", (m) => {
  if (m.want) for (const id of m.want) queue.push(id);
  if (m.credit) credit += m.credit;
  pump();
});
`;

type Batch = {
  seq: number;
  names: string[];
  k: Uint32Array;
  v: Float64Array;
  t: Float64Array;
  s: Float64Array;
  end: boolean;
};
type Message = Batch | { unavailable: string } | { error: string; code?: string; seq: number };

/** Reads `source`'s histories ahead on a worker when `spec` says where; else answers them in-thread. */
export function prefetchHistories(source: ImportSource, spec: HistoryPrefetchSpec | undefined): HistoryPrefetch {
  const inThread: HistoryPrefetch = {
    want: () => undefined,
    history: (runId) => source.metricHistory(runId),
    close: async () => undefined,
    pending: () => 0,
  };
  if (spec === undefined) return inThread;
  let worker: Worker;
  try {
    worker = new Worker(`(function () {${SCRIPT}})();`, {
      eval: true,
      workerData: {
        from: spec.driverFrom ?? import.meta.url,
        path: spec.sqlite,
        sql: SQL,
        batch: BATCH,
        credit: CREDIT,
      },
    });
  } catch {
    return inThread;
  }
  // Never what keeps the process alive: the orchestrator closes it, and a failed import must still exit.
  worker.unref();

  let fallback = false;
  let closed = false;
  const inbox: Message[] = [];
  let wake: (() => void) | undefined;
  const deliver = (m: Message) => {
    inbox.push(m);
    wake?.();
    wake = undefined;
  };
  worker.on("message", deliver);
  worker.on("error", (e) => deliver({ error: e.message, seq: -1 }));
  worker.on("exit", () => {
    if (!closed) deliver({ error: "the metric history reader stopped", seq: -1 });
  });
  /**
   * Wants and credit are sent sixteen at a time (a message per run and per batch cost the main thread more than the
   * reading it saves), and always before waiting, so that the worker never waits for what the main thread holds.
   */
  let wants: string[] = [];
  let credit = 0;
  const flush = () => {
    if (wants.length === 0 && credit === 0) return;
    worker.postMessage({ want: wants, credit });
    wants = [];
    credit = 0;
  };
  const take = async (): Promise<Message> => {
    for (;;) {
      const m = inbox.shift();
      if (m) return m;
      flush();
      await new Promise<void>((resolve) => (wake = resolve));
    }
  };

  /** Wanted runs → their place in the worker's queue. */
  const seqs = new Map<string, number>();
  let wanted = 0;

  return {
    want(runId) {
      if (fallback || closed) return;
      seqs.set(runId, wanted++);
      wants.push(runId);
      // Sent at once while few runs are known ahead (the worker may be idle), else sixteen at a time.
      if (wants.length >= FLUSH || seqs.size <= FLUSH) flush();
    },
    async *history(runId) {
      const seq = seqs.get(runId);
      seqs.delete(runId);
      if (seq === undefined || fallback) {
        yield* source.metricHistory(runId);
        return;
      }
      for (;;) {
        const m = await take();
        if ("unavailable" in m) {
          fallback = true;
          yield* source.metricHistory(runId);
          return;
        }
        if ("error" in m) {
          // Kept for whoever asks next: the reader is stopped for good.
          inbox.unshift(m);
          throw Object.assign(new Error(m.error), m.code ? { code: m.code } : {});
        }
        if (++credit >= FLUSH) flush();
        if (m.seq < seq) continue; // a wanted run the orchestrator did not ask for
        if (m.seq > seq) throw new Error(`metric histories read ahead out of order (run ${runId})`);
        if (m.k.length > 0) yield toPoints(m);
        if (m.end) return;
      }
    },
    pending: () => inbox.length,
    async close() {
      closed = true;
      await worker.terminate();
    },
  };
}

/** A transferred batch as the points the sink takes (the same fields, in the same order, as the SQL source's). */
function toPoints({ names, k, v, t, s }: Batch): MetricPoint[] {
  const points: MetricPoint[] = new Array(k.length);
  for (let i = 0; i < k.length; i++) {
    points[i] = {
      key: names[k[i] as number] as string,
      value: v[i] as number,
      timestamp: t[i] as number,
      step: s[i] as number,
    };
  }
  return points;
}
