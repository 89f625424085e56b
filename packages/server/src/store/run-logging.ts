import type { InStatement } from "@libsql/client";
import type { DatasetInputRequest, MetricInput } from "@tracklite/schemas";
import { invalidParameter, notFound } from "../errors.js";
import { checkJsonBody } from "../validation/json-shape.js";
import { LIMITS } from "../validation/limits.js";
import {
  checkLength,
  pyRepr,
  validateBatchLimits,
  validateMetric,
  validateParam,
  validateParamKeysUnique,
  validateRunId,
  validateTag,
} from "../validation/validate.js";
import type { DbHandle } from "./db.js";
import { modelMetricStatements } from "./logged-model-metrics.js";
import type { MetricCompactor } from "./metric-compaction.js";
import { type MetricPoint, metricWrite } from "./metric-sql.js";
import type { RunRow } from "./run-loader.js";
import type { RunStore } from "./runs.js";

type KeyValue = { key?: string | undefined; value?: string | undefined };

export interface BatchArgs {
  metrics?: MetricInput[] | undefined;
  params?: KeyValue[] | undefined;
  tags?: KeyValue[] | undefined;
}

const upsertTag =
  "INSERT INTO tags (run_id, key, value) VALUES (?, ?, ?) ON CONFLICT (run_id, key) DO UPDATE SET value = excluded.value";

/** Metrics, params, tags, inputs and outputs logged to a run. Every write goes through the writer queue. */
export class RunLogStore {
  constructor(
    private readonly h: DbHandle,
    private readonly runs: RunStore,
    /** MLFLOW_TRUNCATE_LONG_VALUES: cut long param and tag values instead of refusing them (MLflow 3's default). */
    private readonly truncate: boolean,
    /** Merges the small chunks that metric writes add (metric-compaction.ts). */
    private readonly compactor: MetricCompactor,
  ) {}

  async logBatch(runUuid: string, batch: BatchArgs): Promise<void> {
    const metrics = batch.metrics ?? [];
    const params = batch.params ?? [];
    const tags = batch.tags ?? [];
    validateRunId(runUuid);
    for (const [i, m] of metrics.entries()) validateMetric(m, `metrics[${i}]`);
    const cleanParams = params.map((p, i) => ({
      key: p.key,
      value: validateParam(p.key, p.value, `params[${i}]`, this.truncate),
    }));
    const cleanTags = tags.map((t, i) => ({
      key: t.key,
      value: validateTag(t.key, t.value, `tags[${i}]`, this.truncate),
    }));
    validateBatchLimits(metrics.length, params.length, tags.length);
    validateParamKeysUnique(params.map((p) => p.key));
    await this.write(runUuid, metrics.map(toPoint), cleanParams, cleanTags);
  }

  async logMetric(runUuid: string, metric: MetricInput): Promise<void> {
    validateMetric(metric);
    await this.write(runUuid, [toPoint(metric)], [], []);
  }

  async logParam(runUuid: string, key: string, rawValue: string | undefined): Promise<void> {
    const value = validateParam(key, rawValue, "", this.truncate);
    await this.write(runUuid, [], [{ key, value }], [], "single");
  }

  async setTag(runUuid: string, key: string, rawValue: string | undefined): Promise<void> {
    const value = validateTag(key, rawValue, "", this.truncate);
    await this.write(runUuid, [], [], [{ key, value }]);
  }

  async deleteTag(runUuid: string, key: string): Promise<void> {
    await this.h.writer.submit(async () => {
      const row = await this.runs.activeRow(runUuid);
      const rs = await this.h.client.execute({
        sql: "SELECT 1 FROM tags WHERE run_id = ? AND key = ?",
        args: [row.id, key],
      });
      if (rs.rows.length === 0) throw notFound(`No tag with name: ${key} in run with id ${runUuid}`);
      return [{ sql: "DELETE FROM tags WHERE run_id = ? AND key = ?", args: [row.id, key] }];
    });
  }

  /**
   * Params, metrics and tags of one request, committed in one transaction (grouped with concurrent writes): params
   * are checked against stored values first, then everything lands or nothing does.
   */
  private async write(
    runUuid: string,
    points: MetricPoint[],
    params: KeyValue[],
    tags: KeyValue[],
    paramMessage: "single" | "batch" = "batch",
  ): Promise<void> {
    let written: { runId: number; open: Map<string, number> } | undefined;
    await this.h.writer.submit(async () => {
      const row = await this.runs.activeRow(runUuid);
      const stmts: InStatement[] = [];
      const newParams = await this.newParams(row, params, paramMessage);
      if (newParams.length > 0) {
        stmts.push({
          sql: `INSERT INTO params (run_id, key, value) VALUES ${newParams.map(() => "(?, ?, ?)").join(",")}`,
          args: newParams.flatMap((p) => [row.id, p.key ?? "", p.value ?? ""]),
        });
      }
      const metrics = metricWrite(row.id, points);
      written = { runId: row.id, open: metrics.open };
      stmts.push(...metrics.statements);
      stmts.push(...(await modelMetricStatements(this.h, row.id, points)));
      for (const t of tags) stmts.push(...tagStatements(row.id, t.key ?? "", t.value ?? ""));
      return stmts;
    });
    if (points.length > 0) this.h.observer?.ingested("metric", points.length);
    if (written) await this.compactor.written(written.runId, written.open);
  }

  /** Params not stored yet; a stored key with another value is MLflow's "Changing param values is not allowed". */
  private async newParams(row: RunRow, params: KeyValue[], message: "single" | "batch"): Promise<KeyValue[]> {
    if (params.length === 0) return [];
    const rs = await this.h.client.execute({
      sql: `SELECT key, value FROM params WHERE run_id = ? AND key IN (${params.map(() => "?").join(",")})`,
      args: [row.id, ...params.map((p) => p.key ?? "")],
    });
    const stored = new Map(rs.rows.map((r) => [r.key as string, r.value as string]));
    const changed = params.filter((p) => stored.has(p.key ?? "") && stored.get(p.key ?? "") !== (p.value ?? ""));
    const [first] = changed;
    if (first && message === "single") {
      throw invalidParameter(
        `Changing param values is not allowed. Param with key='${first.key}' was already logged with value='${stored.get(first.key ?? "")}' for run ID='${row.run_uuid}'. Attempted logging new value '${first.value ?? ""}'.`,
      );
    }
    if (first) {
      const list = changed.map(
        (p) =>
          `{'key': ${pyRepr(p.key ?? "")}, 'old_value': ${pyRepr(stored.get(p.key ?? "") ?? "")}, 'new_value': ${pyRepr(p.value ?? "")}}`,
      );
      throw invalidParameter(
        `Changing param values is not allowed. Params were already logged='[${list.join(", ")}]' for run ID='${row.run_uuid}'.`,
      );
    }
    return params.filter((p) => !stored.has(p.key ?? ""));
  }

  async logInputs(
    runUuid: string,
    datasets: DatasetInputRequest[],
    models: { model_id?: string | undefined }[],
  ): Promise<void> {
    for (const d of datasets) validateDatasetInput(d);
    await this.h.writer.submit(async () => {
      const row = await this.runs.activeRow(runUuid);
      const stmts: InStatement[] = [];
      const seen = new Set<string>();
      for (const d of datasets) {
        const ds = d.dataset ?? {};
        // The first input of a (name, digest) pair wins, as in the reference.
        const identity = JSON.stringify([ds.name ?? "", ds.digest ?? ""]);
        if (seen.has(identity)) continue;
        seen.add(identity);
        stmts.push({
          sql: `INSERT INTO datasets (experiment_id, name, digest, source_type, source, schema, profile) VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (experiment_id, name, digest) DO NOTHING`,
          args: [
            row.experiment_id,
            ds.name ?? "",
            ds.digest ?? "",
            ds.source_type ?? "",
            ds.source ?? "",
            ds.schema ?? null,
            ds.profile ?? null,
          ],
        });
        const datasetId = "(SELECT id FROM datasets WHERE experiment_id = ? AND name = ? AND digest = ?)";
        const key = [row.experiment_id, ds.name ?? "", ds.digest ?? ""];
        stmts.push({
          sql: `INSERT OR IGNORE INTO run_dataset_inputs (run_id, dataset_id, position)
                VALUES (?, ${datasetId}, (SELECT COUNT(*) FROM run_dataset_inputs WHERE run_id = ?))`,
          args: [row.id, ...key, row.id],
        });
        // Tags come with a new input only: logging an input the run already has changes nothing. `changes()` is the
        // row count of the previous statement: the input insert for the first tag, the previous tag's for the rest.
        for (const t of d.tags ?? []) {
          stmts.push({
            sql: `INSERT OR IGNORE INTO run_dataset_input_tags (run_id, dataset_id, key, value)
                  SELECT ?, ${datasetId}, ?, ? WHERE changes() > 0`,
            args: [row.id, ...key, t.key ?? "", t.value ?? ""],
          });
        }
      }
      for (const m of models) {
        stmts.push({
          sql: "INSERT OR IGNORE INTO run_model_inputs (run_id, model_id) VALUES (?, ?)",
          args: [row.id, m.model_id ?? ""],
        });
      }
      return stmts;
    });
  }

  async logOutputs(
    runUuid: string,
    models: { model_id?: string | undefined; step?: number | undefined }[],
  ): Promise<void> {
    await this.h.writer.submit(async () => {
      const row = await this.runs.activeRow(runUuid);
      return models.map((m) => ({
        sql: "INSERT OR IGNORE INTO run_model_outputs (run_id, model_id, step) VALUES (?, ?, ?)",
        args: [row.id, m.model_id ?? "", m.step ?? 0],
      }));
    });
  }

  /**
   * Appends a model's MLmodel JSON to the run's `mlflow.log-model.history` tag.
   * @see mlflow/store/tracking/sqlalchemy_store.py `record_logged_model`
   */
  async logModel(runUuid: string, modelJson: string): Promise<void> {
    let parsed: unknown;
    try {
      parsed = JSON.parse(modelJson);
    } catch {
      throw invalidParameter(`Malformed model info. \n ${modelJson} \n is not a valid JSON.`);
    }
    checkJsonBody(parsed, "model_json");
    // JSON that is not an object (`1`, `null`, `"x"`) lacks every field; the reference crashes on it (HTTP 500).
    const model = isJsonObject(parsed) ? parsed : {};
    const missing = ["artifact_path", "flavors", "utc_time_created", "run_id"].filter((k) => !(k in model));
    if (missing.length > 0) {
      // The reference prints a Python set (in an order of its own; see `error-message-order`).
      throw invalidParameter(`Model json is missing mandatory fields: {${missing.map((k) => pyRepr(k)).join(", ")}}`);
    }
    await this.h.writer.run(async () => {
      const row = await this.runs.activeRow(runUuid);
      const rs = await this.h.client.execute({
        sql: "SELECT value FROM tags WHERE run_id = ? AND key = 'mlflow.log-model.history'",
        args: [row.id],
      });
      const history = rs.rows[0] ? loggedModelHistory(rs.rows[0].value as string) : [];
      history.push(model);
      const value = JSON.stringify(history);
      // The reference validates the grown history as a tag value but stores it whole: with MLFLOW_TRUNCATE_LONG_VALUES
      // (its default) the check only computes a truncated copy it ignores, so a long history is never refused or cut.
      if (!this.truncate) checkLength("value", LIMITS.tagValueLength, value);
      await this.h.client.execute({ sql: upsertTag, args: [row.id, "mlflow.log-model.history", value] });
    });
  }
}

function isJsonObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * The models already in a run's `mlflow.log-model.history` tag. A value set by hand that is not a JSON list is refused
 * (the reference crashes on it) rather than overwritten.
 */
function loggedModelHistory(value: string): unknown[] {
  let history: unknown;
  try {
    history = JSON.parse(value);
  } catch {
    history = undefined;
  }
  if (!Array.isArray(history))
    throw invalidParameter("The run's 'mlflow.log-model.history' tag does not hold a JSON list of models.");
  return history;
}

/**
 * Upserts a run tag. `mlflow.runName` renames the run instead, and an empty name changes nothing, as in the reference
 * (its set_tag routes that key to update_run_info).
 */
function tagStatements(runId: number, key: string, value: string): InStatement[] {
  if (key !== "mlflow.runName") return [{ sql: upsertTag, args: [runId, key, value] }];
  if (value === "") return [];
  return [
    { sql: upsertTag, args: [runId, key, value] },
    { sql: "UPDATE runs SET name = ? WHERE id = ?", args: [value, runId] },
  ];
}

function toPoint(m: MetricInput): MetricPoint {
  return {
    key: m.key ?? "",
    value: m.value ?? 0,
    timestamp: m.timestamp ?? 0,
    step: m.step ?? 0,
    datasetName: m.dataset_name,
    datasetDigest: m.dataset_digest,
    modelId: m.model_id,
  };
}

/** @see mlflow/utils/validation.py `_validate_dataset_inputs` (its None checks cannot trigger over REST). */
function validateDatasetInput(d: DatasetInputRequest): void {
  const ds = d.dataset ?? {};
  checkLength("name", LIMITS.datasetNameLength, ds.name);
  checkLength("digest", LIMITS.datasetDigestLength, ds.digest);
  checkLength("source", LIMITS.datasetSourceLength, ds.source);
  checkLength("schema", LIMITS.datasetSchemaLength, ds.schema);
  checkLength("profile", LIMITS.datasetProfileLength, ds.profile);
  for (const t of d.tags ?? []) {
    checkLength("key", LIMITS.inputTagKeyLength, t.key);
    checkLength("value", LIMITS.inputTagValueLength, t.value);
  }
}
