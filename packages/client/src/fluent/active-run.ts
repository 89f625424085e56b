import type { LoggedModel, RequestOf, Run, RunInfo, RunStatus } from "@tracklite/schemas";
import type { ArtifactSource } from "../artifacts.js";
import type { MlflowClient } from "../client.js";
import type { BatchQueue, QueuedEntry } from "./batch-queue.js";

/** Options of a new run, nested or not. */
export interface ChildRunOptions {
  /** The run's name; the server picks a random one when absent, as MLflow's does. */
  runName?: string;
  /** Extra tags; they win over the context tags (`mlflow.user`, `mlflow.source.*`). */
  tags?: Record<string, unknown>;
  /** The run's description: the `mlflow.note.content` tag, as Python's `start_run(description=)` sets it. */
  description?: string;
  /** Milliseconds since the epoch; default now. */
  startTime?: number;
}

/** What a run needs from the Tracking that started it. */
export interface RunHost {
  readonly client: MlflowClient;
  readonly queue: BatchQueue;
  startChild(parent: ActiveRun, options: ChildRunOptions): Promise<ActiveRun>;
  /** Called once the run has ended, whether or not its last flush failed. */
  ended(run: ActiveRun): void;
}

/** When a metric was measured. */
export interface MetricOptions {
  /** Default 0, as in MLflow. */
  step?: number;
  /** Milliseconds since the epoch; default the time of the call. */
  timestamp?: number;
}

/**
 * A run started by {@link Tracking.startRun}. Metrics, params and tags go through the Tracking's queue: their
 * promises resolve once queued (at once unless the queue is full), and a failed background call is thrown by the
 * run's next call, by `flush()` or by `end()`. Artifacts and inputs are sent directly.
 */
export class ActiveRun {
  readonly id: string;
  readonly experimentId: string;
  /** The run as the server created it; `end()` updates its status and end time. */
  info: RunInfo;
  private ending: Promise<void> | undefined;

  constructor(
    run: Run,
    private readonly host: RunHost,
  ) {
    this.info = run.info;
    this.id = run.info.run_id;
    this.experimentId = run.info.experiment_id;
  }

  /** True once `end()` has been called. */
  get ended(): boolean {
    return this.ending !== undefined;
  }

  /** Queues one metric point. */
  logMetric(key: string, value: number, options: MetricOptions = {}): Promise<void> {
    return this.enqueue([metric(key, value, options.step ?? 0, options.timestamp ?? Date.now())]);
  }

  /** Queues several metrics measured at the same step and time. */
  logMetrics(metrics: Record<string, number>, options: MetricOptions = {}): Promise<void> {
    const step = options.step ?? 0;
    const timestamp = options.timestamp ?? Date.now();
    return this.enqueue(Object.entries(metrics).map(([key, value]) => metric(key, value, step, timestamp)));
  }

  /** Queues a param (stringified). Re-logging the same value is harmless; another value fails on the server. */
  logParam(key: string, value: unknown): Promise<void> {
    return this.enqueue([{ type: "param", key, value: String(value) }]);
  }

  logParams(params: Record<string, unknown>): Promise<void> {
    return this.enqueue(Object.entries(params).map(([key, value]) => ({ type: "param", key, value: String(value) })));
  }

  /** Queues a tag (stringified); of several values queued for one key, the last is sent. */
  setTag(key: string, value: unknown): Promise<void> {
    return this.enqueue([{ type: "tag", key, value: String(value) }]);
  }

  setTags(tags: Record<string, unknown>): Promise<void> {
    return this.enqueue(Object.entries(tags).map(([key, value]) => ({ type: "tag", key, value: String(value) })));
  }

  /** Uploads a file (a path on Node, Deno and Bun) or other source into `artifactPath`, or to `artifactFile`. */
  async logArtifact(
    source: ArtifactSource | string,
    options: { artifactPath?: string; artifactFile?: string } = {},
  ): Promise<void> {
    this.check();
    await this.host.client.logArtifact(this.id, source, options);
  }

  /** Uploads every file below a local directory, keeping its layout. Node, Deno and Bun. */
  async logArtifacts(localDir: string, artifactPath?: string): Promise<void> {
    this.check();
    await this.host.client.logArtifacts(this.id, localDir, artifactPath);
  }

  /** Writes text to an artifact file. */
  async logText(text: string, artifactFile: string): Promise<void> {
    this.check();
    await this.host.client.logText(this.id, text, artifactFile);
  }

  /** Writes an object as JSON to an artifact file. */
  async logDict(value: unknown, artifactFile: string): Promise<void> {
    this.check();
    await this.host.client.logDict(this.id, value, artifactFile);
  }

  /** Records datasets the run used (MLflow's log-inputs). */
  async logInputs(datasets: RequestOf<"logInputs">["datasets"]): Promise<void> {
    this.check();
    await this.host.client.logInputs(this.id, datasets);
  }

  /**
   * Logs a model as MLflow 3 does: a logged model made by this run (its files uploaded under the model's own
   * artifacts, keyed by artifact path), marked READY, and recorded as this run's output at `step`.
   */
  async logModel(
    name: string,
    files: Record<string, ArtifactSource | string>,
    options: { params?: Record<string, string>; tags?: Record<string, string>; modelType?: string; step?: number } = {},
  ): Promise<LoggedModel> {
    this.check();
    const { client } = this.host;
    const { step = 0, ...modelOptions } = options;
    const model = await client.createLoggedModel(this.experimentId, { name, sourceRunId: this.id, ...modelOptions });
    const modelId = model.info.model_id;
    try {
      for (const [artifactFile, source] of Object.entries(files)) {
        await client.logModelArtifact(modelId, source, { artifactFile });
      }
    } catch (e) {
      await client.finalizeLoggedModel(modelId, "LOGGED_MODEL_UPLOAD_FAILED").catch(() => {});
      throw e;
    }
    const ready = await client.finalizeLoggedModel(modelId);
    await client.logOutputs(this.id, [{ model_id: modelId, step }]);
    return ready;
  }

  /** Starts a nested run in the same experiment, tagged `mlflow.parentRunId` with this run's id. */
  async startRun(options: ChildRunOptions = {}): Promise<ActiveRun> {
    this.check();
    return this.host.startChild(this, options);
  }

  /** Sends everything queued for this run and waits for it; throws a background failure not reported yet. */
  async flush(): Promise<void> {
    await this.host.queue.flush(this.id);
  }

  /**
   * Flushes, then marks the run terminated (FINISHED by default) with an end time. A flush failure is thrown after
   * the run is marked, so a run is never left RUNNING. Later calls return the same promise.
   */
  end(status: RunStatus = "FINISHED"): Promise<void> {
    this.ending ??= this.finish(status);
    return this.ending;
  }

  private async finish(status: RunStatus): Promise<void> {
    const errors: unknown[] = [];
    try {
      await this.host.queue.close(this.id);
    } catch (err) {
      errors.push(err);
    }
    try {
      const endTime = Date.now();
      await this.host.client.setTerminated(this.id, status, endTime);
      this.info = { ...this.info, status, end_time: endTime };
    } catch (err) {
      errors.push(err);
    } finally {
      this.host.ended(this);
    }
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1) throw new AggregateError(errors, `Run ${this.id}: the last flush and the end both failed`);
  }

  private async enqueue(entries: QueuedEntry[]): Promise<void> {
    this.check();
    await this.host.queue.enqueue(this.id, entries);
  }

  /** Refuses calls on an ended run and reports a background failure first. */
  private check(): void {
    if (this.ending) throw new Error(`Run ${this.id} has ended.`);
    const failure = this.host.queue.failure(this.id);
    if (failure !== undefined) throw failure;
  }
}

function metric(key: string, value: number, step: number, timestamp: number): QueuedEntry {
  return { type: "metric", key, value, step, timestamp };
}
