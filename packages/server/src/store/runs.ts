import type { InStatement } from "@libsql/client";
import type { Run, RunInfo, RunStatus } from "@tracklite/schemas";
import { invalidParameter, MlflowError, notFound } from "../errors.js";
import type { DbHandle } from "./db.js";
import type { ExperimentStore } from "./experiments.js";
import { appendToUri, newRunUuid } from "./ids.js";
import { loadRuns, RUN_COLUMNS, type RunRow, toRunInfo } from "./run-loader.js";
import { randomRunName } from "./run-names.js";
import { experimentInWorkspace } from "./workspace-scope.js";

export const RUN_NAME_TAG = "mlflow.runName";

export interface CreateRunArgs {
  experimentId?: string | undefined;
  userId?: string | undefined;
  runName?: string | undefined;
  startTime?: number | undefined;
  tags?: { key?: string | undefined; value?: string | undefined }[] | undefined;
}

/** Runs: create, read, update, delete and restore. Logging lives in run-logging.ts, search in search-runs.ts. */
export class RunStore {
  constructor(
    private readonly h: DbHandle,
    private readonly experiments: ExperimentStore,
  ) {}

  /** The run row, or MLflow's "Run with id=… not found". */
  async row(runUuid: string): Promise<RunRow> {
    const scope = experimentInWorkspace(this.h, "r.experiment_id");
    const rs = await this.h.client.execute({
      sql: `SELECT ${RUN_COLUMNS} FROM runs r WHERE r.run_uuid = ?${scope.sql}`,
      args: [runUuid, ...scope.args],
    });
    const row = rs.rows[0] as unknown as RunRow | undefined;
    if (!row) throw notFound(`Run with id=${runUuid} not found`);
    return row;
  }

  /** The run row of an active run; logging to a deleted run is refused as in the reference. */
  async activeRow(runUuid: string): Promise<RunRow> {
    const row = await this.row(runUuid);
    checkRunActive(row);
    return row;
  }

  async create(args: CreateRunArgs): Promise<Run> {
    // The reference stores create-time tags unchecked.
    const tags = [...(args.tags ?? [])];
    const nameTag = tags.find((t) => t.key === RUN_NAME_TAG)?.value;
    if (args.runName && nameTag && args.runName !== nameTag) {
      throw invalidParameter(
        `Both 'run_name' argument and 'mlflow.runName' tag are specified, but with different values (run_name='${args.runName}', mlflow.runName='${nameTag}').`,
      );
    }
    const runName = args.runName || nameTag || randomRunName();
    if (!nameTag) tags.push({ key: RUN_NAME_TAG, value: runName });

    if (args.experimentId === undefined || args.experimentId === "") {
      // The reference fails the insert on its foreign key here; MLflow's clients always send an experiment id.
      throw new MlflowError("FOREIGN KEY constraint failed: a run needs an experiment_id.", "BAD_REQUEST");
    }
    const experiment = await this.experiments.row(args.experimentId);
    if (experiment.lifecycleStage !== "active") {
      throw invalidParameter(
        `The experiment ${experiment.experimentId} must be in the 'active' state. Current state is ${experiment.lifecycleStage}.`,
      );
    }
    const runUuid = newRunUuid();
    const row: Omit<RunRow, "id"> = {
      run_uuid: runUuid,
      experiment_id: experiment.experimentId,
      name: runName,
      user_id: args.userId ?? "",
      status: "RUNNING",
      // The reference stores 0 when the client sends no start time (MLflow's clients always send one).
      start_time: args.startTime ?? 0,
      end_time: null,
      lifecycle_stage: "active",
      artifact_uri: appendToUri(experiment.artifactLocation, runUuid, "artifacts"),
    };
    const uniqueTags = new Map<string, string>();
    for (const t of tags) uniqueTags.set(t.key ?? "", t.value ?? "");
    await this.h.writer.run(async () => {
      const rs = await this.h.client.execute({
        sql: `INSERT INTO runs (run_uuid, experiment_id, name, user_id, status, start_time, end_time, lifecycle_stage, artifact_uri)
              VALUES (?, ?, ?, ?, ?, ?, NULL, 'active', ?) RETURNING id`,
        args: [row.run_uuid, row.experiment_id, row.name, row.user_id, row.status, row.start_time, row.artifact_uri],
      });
      const id = Number(rs.rows[0]?.id);
      if (uniqueTags.size > 0) {
        await this.h.client.execute({
          // The pairs travel as one JSON parameter: SQLite caps a statement's parameters at 32,766.
          sql: "INSERT INTO tags (run_id, key, value) SELECT ?, j.value ->> 0, j.value ->> 1 FROM json_each(?) j",
          args: [id, JSON.stringify([...uniqueTags])],
        });
      }
    });
    const [run] = await loadRuns(this.h, [(await this.row(runUuid)).id], { outputs: false, modelInputs: true });
    return run as Run;
  }

  async get(runUuid: string): Promise<Run> {
    const [run] = await loadRuns(this.h, [(await this.row(runUuid)).id], { outputs: true, modelInputs: true });
    return run as Run;
  }

  async update(
    runUuid: string,
    status: RunStatus | undefined,
    endTime: number | undefined,
    runName: string | undefined,
  ): Promise<RunInfo> {
    return this.h.writer.run(async () => {
      const row = await this.activeRow(runUuid);
      const next: RunRow = {
        ...row,
        status: status ?? row.status,
        end_time: endTime ?? row.end_time,
        name: runName || row.name,
      };
      const stmts: InStatement[] = [
        {
          sql: "UPDATE runs SET status = ?, end_time = ?, name = ? WHERE id = ?",
          args: [next.status, next.end_time, next.name, row.id],
        },
      ];
      if (runName) {
        stmts.push({
          sql: "INSERT INTO tags (run_id, key, value) VALUES (?, ?, ?) ON CONFLICT (run_id, key) DO UPDATE SET value = excluded.value",
          args: [row.id, RUN_NAME_TAG, runName],
        });
      }
      await this.h.client.batch(stmts, "write");
      return toRunInfo(next);
    });
  }

  async setLifecycle(runUuid: string, to: "active" | "deleted"): Promise<void> {
    await this.h.writer.run(async () => {
      const row = await this.row(runUuid);
      await this.h.client.execute({
        sql: "UPDATE runs SET lifecycle_stage = ?, deleted_time = ? WHERE id = ?",
        args: [to, to === "deleted" ? Date.now() : null, row.id],
      });
    });
  }
}

export function checkRunActive(row: RunRow): void {
  if (row.lifecycle_stage !== "active") {
    throw new MlflowError(
      `The run ${row.run_uuid} must be in the 'active' state. Current state is ${row.lifecycle_stage}.`,
      "INVALID_PARAMETER_VALUE",
    );
  }
}
