import type { InStatement } from "@libsql/client";
import { LOGGED_MODEL_STATUSES, type LoggedModel, type LoggedModelStatus } from "@tracklite/schemas";
import { invalidParameter, MlflowError, notFound } from "../errors.js";
import { sqlList } from "../sql/in-list.js";
import { pyRepr } from "../validation/validate.js";
import type { DbHandle } from "./db.js";
import type { ExperimentStore } from "./experiments.js";
import { appendToUri } from "./ids.js";
import { loadModels, MODEL_COLUMNS, type ModelRow } from "./logged-model-loader.js";
import { randomRunName } from "./run-names.js";
import { type SearchLoggedModelsArgs, searchLoggedModels } from "./search-logged-models.js";
import { experimentInWorkspace } from "./workspace-scope.js";

type KeyValue = { key?: string | undefined; value?: string | undefined };

export interface CreateLoggedModelArgs {
  experimentId: string;
  name?: string | undefined;
  modelType?: string | undefined;
  sourceRunId?: string | undefined;
  params?: KeyValue[] | undefined;
  tags?: KeyValue[] | undefined;
}

const BAD_NAME_CHARS = ["/", ":", ".", "%", '"', "'"];

/** The reference lets its database's UNIQUE violations through as BAD_REQUEST; same code, same leading text. */
const duplicateKey = (table: "params" | "tags") => {
  const column = table === "params" ? "param_key" : "tag_key";
  return new MlflowError(
    `(sqlite3.IntegrityError) UNIQUE constraint failed: logged_model_${table}.model_id, logged_model_${table}.${column}`,
    "BAD_REQUEST",
  );
};

const hasDuplicateKeys = (items: readonly KeyValue[]) => new Set(items.map((i) => i.key ?? "")).size < items.length;

/** A new model id as the reference makes them: `m-` and a uuid4 in hex. */
const newModelId = () => `m-${crypto.randomUUID().replaceAll("-", "")}`;

/** One INSERT of any number of rows: the pairs travel as one JSON parameter (SQLite caps parameters at 32,766). */
const insertRows = (table: string, modelRowId: number, items: readonly KeyValue[]): InStatement => ({
  sql: `INSERT INTO ${table} (model_id, key, value)
        SELECT ?, j.value ->> 0, j.value ->> 1 FROM json_each(?) j`,
  args: [modelRowId, JSON.stringify(items.map((i) => [i.key ?? "", i.value ?? ""]))],
});

/**
 * Logged models: create, read, finalize, delete, tags, params and search. Their metrics are logged through runs (see
 * logged-model-metrics.ts). Like the reference, only get and search skip deleted models.
 * @see mlflow/store/tracking/sqlalchemy_store.py (the "Logged models" section)
 */
export class LoggedModelStore {
  constructor(
    private readonly h: DbHandle,
    private readonly experiments: ExperimentStore,
  ) {}

  /** The model's row, deleted or not; the reference's "Logged model with ID '…' not found." otherwise. */
  private async row(modelId: string, allowDeleted = true): Promise<ModelRow> {
    const scope = experimentInWorkspace(this.h, "m.experiment_id");
    const rs = await this.h.client.execute({
      sql: `SELECT ${MODEL_COLUMNS} FROM logged_models m WHERE m.model_id = ?${allowDeleted ? "" : " AND m.lifecycle_stage != 'deleted'"}${scope.sql}`,
      args: [modelId, ...scope.args],
    });
    const row = rs.rows[0] as unknown as ModelRow | undefined;
    if (!row) throw notFound(`Logged model with ID '${modelId}' not found.`);
    return row;
  }

  private async load(row: ModelRow): Promise<LoggedModel> {
    return (await loadModels(this.h, [row]))[0] as LoggedModel;
  }

  async create(args: CreateLoggedModelArgs): Promise<LoggedModel> {
    if (args.name !== undefined && (args.name === "" || BAD_NAME_CHARS.some((c) => args.name?.includes(c)))) {
      throw invalidParameter(
        `Invalid model name (${pyRepr(args.name)}) provided. Model name must be a non-empty string and cannot contain the following characters: ('/', ':', '.', '%', '"', "'")`,
      );
    }
    const params = args.params ?? [];
    const tags = args.tags ?? [];
    return this.h.writer.run(async () => {
      const experiment = await this.experiments.row(args.experimentId);
      if (experiment.lifecycleStage !== "active") {
        throw invalidParameter(
          `The experiment ${experiment.experimentId} must be in the 'active' state. Current state is ${experiment.lifecycleStage}.`,
        );
      }
      if (hasDuplicateKeys(params)) throw duplicateKey("params");
      if (hasDuplicateKeys(tags)) throw duplicateKey("tags");
      const modelId = newModelId();
      const now = Date.now();
      const rs = await this.h.client.execute({
        sql: `INSERT INTO logged_models (model_id, experiment_id, name, artifact_location, creation_timestamp_ms,
                last_updated_timestamp_ms, status, lifecycle_stage, model_type, source_run_id)
              VALUES (?, ?, ?, ?, ?, ?, 1, 'active', ?, ?) RETURNING id`,
        args: [
          modelId,
          experiment.experimentId,
          args.name || randomRunName(),
          appendToUri(experiment.artifactLocation, "models", modelId, "artifacts"),
          now,
          now,
          // The reference's handler passes the proto's "" for an unset type or run, and stores it.
          args.modelType ?? "",
          args.sourceRunId ?? "",
        ],
      });
      const id = Number(rs.rows[0]?.id);
      const children: InStatement[] = [];
      if (params.length > 0) children.push(insertRows("logged_model_params", id, params));
      if (tags.length > 0) children.push(insertRows("logged_model_tags", id, tags));
      if (children.length > 0) await this.h.client.batch(children, "write");
      return this.load(await this.row(modelId));
    });
  }

  async get(modelId: string, allowDeleted: boolean): Promise<LoggedModel> {
    return this.load(await this.row(modelId, allowDeleted));
  }

  async finalize(modelId: string, status: LoggedModelStatus): Promise<LoggedModel> {
    return this.h.writer.run(async () => {
      const row = await this.row(modelId);
      const next = { ...row, status: LOGGED_MODEL_STATUSES.indexOf(status), last_updated_timestamp_ms: Date.now() };
      await this.h.client.execute({
        sql: "UPDATE logged_models SET status = ?, last_updated_timestamp_ms = ? WHERE id = ?",
        args: [next.status, next.last_updated_timestamp_ms, row.id],
      });
      return this.load(next);
    });
  }

  async delete(modelId: string): Promise<void> {
    await this.h.writer.submit(async () => {
      const row = await this.row(modelId);
      return [
        {
          sql: "UPDATE logged_models SET lifecycle_stage = 'deleted', last_updated_timestamp_ms = ? WHERE id = ?",
          args: [Date.now(), row.id],
        },
      ];
    });
  }

  /** Upserts tags; a key given twice keeps its last value. */
  async setTags(modelId: string, tags: readonly KeyValue[]): Promise<void> {
    const last = new Map(tags.map((t) => [t.key ?? "", t.value ?? ""]));
    await this.h.writer.submit(async () => {
      const row = await this.row(modelId);
      if (last.size === 0) return [];
      return [
        {
          sql: `INSERT INTO logged_model_tags (model_id, key, value)
                SELECT ?, j.value ->> 0, j.value ->> 1 FROM json_each(?) j WHERE true
                ON CONFLICT (model_id, key) DO UPDATE SET value = excluded.value`,
          args: [row.id, JSON.stringify([...last])],
        },
      ];
    });
  }

  async deleteTag(modelId: string, key: string): Promise<void> {
    await this.h.writer.submit(async () => {
      const row = await this.row(modelId);
      const rs = await this.h.client.execute({
        sql: "SELECT 1 FROM logged_model_tags WHERE model_id = ? AND key = ?",
        args: [row.id, key],
      });
      if (rs.rows.length === 0) {
        throw notFound(`No tag with key ${pyRepr(key)} found for model with ID ${pyRepr(modelId)}.`);
      }
      return [{ sql: "DELETE FROM logged_model_tags WHERE model_id = ? AND key = ?", args: [row.id, key] }];
    });
  }

  /** Adds params; a key the model has (or one given twice) is refused, even with the same value, as in the reference. */
  async logParams(modelId: string, params: readonly KeyValue[]): Promise<void> {
    await this.h.writer.submit(async () => {
      const row = await this.row(modelId);
      if (params.length === 0) return [];
      if (hasDuplicateKeys(params)) throw duplicateKey("params");
      const keys = sqlList(params.map((p) => p.key ?? ""));
      const rs = await this.h.client.execute({
        sql: `SELECT 1 FROM logged_model_params WHERE model_id = ? AND key IN ${keys.sql} LIMIT 1`,
        args: [row.id, ...keys.args],
      });
      if (rs.rows.length > 0) throw duplicateKey("params");
      return [insertRows("logged_model_params", row.id, params)];
    });
  }

  async search(args: SearchLoggedModelsArgs): Promise<{ models: LoggedModel[]; nextPageToken?: string }> {
    return searchLoggedModels(this.h, args);
  }
}
