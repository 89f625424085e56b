import { MlflowClient } from "../client.js";
import { readEnv } from "../env.js";
import { isMlflowApiError } from "../errors.js";
import type { ClientOptions } from "../transport.js";
import { ActiveRun, type ChildRunOptions, type RunHost } from "./active-run.js";
import { type Batch, BatchQueue, type QueueOptions } from "./batch-queue.js";
import { installExitHooks } from "./exit-hooks.js";
import { contextTags, RUN_TAGS } from "./run-context.js";

/** Client options, queue options, and whether to flush when the program ends. */
export interface TrackingOptions extends ClientOptions, QueueOptions {
  /**
   * Flush and end the runs still active when the program ends (Node and Bun `beforeExit`, Deno `beforeunload`), or
   * flush when a page goes away (`pagehide`). Default true.
   */
  exitHooks?: boolean;
}

/** Where a new run goes and what it starts with. */
export interface StartRunOptions extends ChildRunOptions {
  experimentId?: string;
  /** An experiment by name, created when missing (as `mlflow.set_experiment` does). */
  experimentName?: string;
  /** Makes the run a child of that run (the `mlflow.parentRunId` tag). */
  parentRunId?: string;
}

/** MLflow's Default experiment, where runs go when nothing names another. */
const DEFAULT_EXPERIMENT_ID = "0";

/**
 * The fluent tracking API: runs whose metrics, params and tags are queued and sent in log-batch calls in the
 * background. One queue per Tracking; call `close()` (or end every run) so the program can exit at once.
 * @see mlflow/tracking/fluent.py for the Python API it follows
 */
export class Tracking {
  readonly client: MlflowClient;
  private readonly queue: BatchQueue;
  private readonly host: RunHost;
  private readonly runs = new Set<ActiveRun>();
  private readonly experiments = new Map<string, Promise<string>>();
  private readonly exitHooks: boolean;
  private experimentId: string | undefined;
  private unhook: (() => void) | undefined;
  private exiting: Promise<void> | undefined;
  private closing: Promise<void> | undefined;
  /** Set while flushing on `pagehide`: only keepalive requests outlive the page. */
  private keepalive = false;

  constructor(options: TrackingOptions = {}) {
    const { lingerMs, maxQueued, exitHooks, ...clientOptions } = options;
    const fetchFn = clientOptions.fetch ?? ((input, init) => fetch(input, init));
    this.client = new MlflowClient({
      ...clientOptions,
      fetch: (input, init) => fetchFn(input, this.keepalive ? { ...init, keepalive: true } : init),
    });
    this.exitHooks = exitHooks ?? true;
    const send = async (runId: string, batch: Batch) =>
      void (await this.client.call("logBatch", { run_id: runId, ...batch }));
    this.queue = new BatchQueue(send, {
      lingerMs,
      maxQueued,
      unrefTimers: this.exitHooks,
    });
    this.host = {
      client: this.client,
      queue: this.queue,
      startChild: (parent, o) => this.startRun({ ...o, experimentId: parent.experimentId, parentRunId: parent.id }),
      ended: (run) => this.forget(run),
    };
  }

  /** The runs started and not ended yet. */
  get activeRuns(): readonly ActiveRun[] {
    return [...this.runs];
  }

  /** Entries waiting in the queue. */
  get queued(): number {
    return this.queue.queued;
  }

  /** Makes an experiment (created when missing) the one later runs go to by default; returns its id. */
  async setExperiment(name: string): Promise<string> {
    const id = await this.experimentByName(name);
    this.experimentId = id;
    return id;
  }

  /**
   * Creates a run tagged as Python's client tags one (`mlflow.user`, `mlflow.source.name`, `mlflow.source.type`).
   * Its experiment: `experimentId`, else `experimentName`, else the one of `setExperiment`, else
   * `MLFLOW_EXPERIMENT_NAME` / `MLFLOW_EXPERIMENT_ID`, else the Default experiment.
   */
  async startRun(options: StartRunOptions = {}): Promise<ActiveRun> {
    if (this.closing) throw new Error("This Tracking is closed.");
    const experimentId = await this.experimentFor(options);
    const tags: Record<string, string> = { ...contextTags(), ...stringify(options.tags) };
    if (options.parentRunId) tags[RUN_TAGS.parentRunId] = options.parentRunId;
    if (options.description !== undefined) tags[RUN_TAGS.note] = options.description;
    const created = await this.client.createRun(experimentId, {
      runName: options.runName,
      startTime: options.startTime,
      tags,
      userId: tags[RUN_TAGS.user],
    });
    const run = new ActiveRun(created, this.host);
    this.runs.add(run);
    if (this.exitHooks) this.unhook ??= this.installHooks();
    return run;
  }

  /** Sends everything queued for every run and waits; throws background failures not reported yet. */
  async flush(): Promise<void> {
    await this.queue.flush();
  }

  /**
   * Flushes, ends the runs still active with FINISHED (what the exit hook does) and removes the exit hooks. Later
   * `startRun` calls fail.
   */
  close(): Promise<void> {
    this.closing ??= this.endAll().finally(() => this.removeHooks());
    return this.closing;
  }

  private async endAll(): Promise<void> {
    const results = await Promise.allSettled([...this.runs].map((r) => r.end()));
    results.push(...(await Promise.allSettled([this.queue.flush()])));
    const errors = results.flatMap((r) => (r.status === "rejected" ? [r.reason] : []));
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1) throw new AggregateError(errors, `${errors.length} runs failed to flush or end`);
  }

  private forget(run: ActiveRun): void {
    this.runs.delete(run);
    if (this.runs.size === 0 && !this.queue.busy) this.removeHooks();
  }

  private installHooks(): () => void {
    return installExitHooks({
      pending: () => this.runs.size > 0 || this.queue.busy,
      onExit: () => {
        this.exiting ??= this.endAll()
          .catch((err: unknown) => console.error("tracklite: flushing runs at exit failed:", err))
          .finally(() => {
            this.exiting = undefined;
          });
        return this.exiting;
      },
      onPageHide: () => {
        this.keepalive = true;
        this.queue
          .flush()
          .catch((err: unknown) => console.error("tracklite: flushing runs on pagehide failed:", err))
          .finally(() => {
            this.keepalive = false;
          });
      },
    });
  }

  private removeHooks(): void {
    this.unhook?.();
    this.unhook = undefined;
  }

  private async experimentFor(options: StartRunOptions): Promise<string> {
    if (options.experimentId !== undefined) return options.experimentId;
    if (options.experimentName !== undefined) return this.experimentByName(options.experimentName);
    if (this.experimentId !== undefined) return this.experimentId;
    const envName = readEnv("MLFLOW_EXPERIMENT_NAME");
    if (envName) return this.experimentByName(envName);
    return readEnv("MLFLOW_EXPERIMENT_ID") || DEFAULT_EXPERIMENT_ID;
  }

  /** The id of the experiment of that name, created on first use; looked up once per Tracking. */
  private experimentByName(name: string): Promise<string> {
    let id = this.experiments.get(name);
    if (!id) {
      id = this.findOrCreateExperiment(name);
      id.catch(() => this.experiments.delete(name));
      this.experiments.set(name, id);
    }
    return id;
  }

  /** @see mlflow.set_experiment: a deleted experiment is refused, not restored. */
  private async findOrCreateExperiment(name: string): Promise<string> {
    const found = await this.client.getExperimentByName(name);
    if (found) {
      if (found.lifecycle_stage === "deleted") {
        throw new Error(`Experiment '${name}' is deleted; restore it, or delete it permanently, to use its name.`);
      }
      return found.experiment_id;
    }
    try {
      return await this.client.createExperiment(name);
    } catch (err) {
      // Another process created it between the lookup and the create.
      const raced = isMlflowApiError(err, "RESOURCE_ALREADY_EXISTS") && (await this.client.getExperimentByName(name));
      if (!raced) throw err;
      return raced.experiment_id;
    }
  }
}

function stringify(tags: Record<string, unknown> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(tags ?? {}).map(([k, v]) => [k, String(v)]));
}
