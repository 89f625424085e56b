import type { Client, InStatement } from "@libsql/client";

/** Prepares one write: reads and checks what it needs, then says which statements to commit. */
export type PrepareWrite = () => Promise<InStatement[]>;

interface Job {
  prepare: PrepareWrite;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/** Most writes committed together; bounds a batch's size and the latency of the first job in it. */
const MAX_GROUP = 64;

/**
 * The one writer of this process. `run` executes exclusive work in order. `submit` adds group commit for the hot
 * paths (log-metric, log-batch, set-tag …): writes that arrive while a commit is in flight are prepared one after
 * the other and committed together in one `batch()` — one transaction, one fsync — so eight concurrent clients pay
 * for one disk flush instead of eight. Each write is acknowledged only after its group has committed.
 */
export class WriterQueue {
  #tail: Promise<unknown> = Promise.resolve();
  #pending: Job[] = [];
  #scheduled = false;
  #depth = 0;

  constructor(private readonly client: Client) {}

  /** Writes accepted and not yet answered: waiting for the writer or being committed (`--expose-prometheus`). */
  get depth(): number {
    return this.#depth;
  }

  /**
   * Resolves once every write accepted so far, and any accepted while waiting, has been committed or refused: a
   * graceful shutdown closes the database only after this.
   */
  async idle(): Promise<void> {
    while (this.#depth > 0 || this.#scheduled) await this.#chain(async () => undefined);
  }

  run<T>(work: () => Promise<T>): Promise<T> {
    this.#depth++;
    const result = this.#chain(work);
    const done = () => {
      this.#depth--;
    };
    result.then(done, done);
    return result;
  }

  submit(prepare: PrepareWrite): Promise<void> {
    this.#depth++;
    return new Promise((resolve, reject) => {
      const answer =
        <A extends unknown[]>(settle: (...args: A) => void) =>
        (...args: A) => {
          this.#depth--;
          settle(...args);
        };
      this.#pending.push({ prepare, resolve: answer(resolve), reject: answer(reject) });
      if (!this.#scheduled) {
        this.#scheduled = true;
        void this.#chain(() => this.#drain());
      }
    });
  }

  /** Runs `work` after everything before it, whether that failed or not. */
  #chain<T>(work: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(work, work);
    this.#tail = result.catch(() => undefined);
    return result;
  }

  async #drain(): Promise<void> {
    const jobs = this.#pending.splice(0, MAX_GROUP);
    this.#scheduled = this.#pending.length > 0;
    if (this.#scheduled) void this.#chain(() => this.#drain());
    const ready: { job: Job; stmts: InStatement[] }[] = [];
    for (const job of jobs) {
      try {
        ready.push({ job, stmts: await job.prepare() });
      } catch (err) {
        job.reject(err);
      }
    }
    const all = ready.flatMap((r) => r.stmts);
    try {
      if (all.length > 0) await this.client.batch(all, "write");
      for (const r of ready) r.job.resolve();
    } catch (err) {
      if (ready.length === 1) {
        ready[0]?.job.reject(err);
        return;
      }
      // One write of the group failed the whole batch (e.g. two new params with one key): commit them one at a time,
      // each prepared again so that it sees the writes before it, and give each its own answer.
      for (const { job } of ready) {
        try {
          const stmts = await job.prepare();
          if (stmts.length > 0) await this.client.batch(stmts, "write");
          job.resolve();
        } catch (e) {
          job.reject(e);
        }
      }
    }
  }
}
