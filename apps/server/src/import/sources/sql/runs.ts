import type { Run, RunStatus } from "@tracklite/schemas";
import type { ImportRun } from "@tracklite/server/import";
import type { SqlConnection, SqlRow } from "./connection.js";
import type { SchemaInfo } from "./schema-info.js";
import { compact, num, text } from "./values.js";

/** Runs per streamed batch: params, tags and inputs of a batch come in one query each (`IN (…)`). */
const BATCH = 200;

type KeyValue = { key: string; value: string };
type DatasetInput = NonNullable<NonNullable<Run["inputs"]>["dataset_inputs"]>[number];

/**
 * Every run of one experiment (all lifecycle stages), as the reference's get-run answers it: `SqlRun.to_mlflow_entity`
 * plus `_get_run_inputs`, `_get_model_inputs` and `_get_model_outputs` (latest metrics left out: the sink derives them).
 */
export async function* readRuns(db: SqlConnection, schema: SchemaInfo, experimentId: string): AsyncIterable<ImportRun> {
  const optional = ["deleted_time"].filter((c) => schema.has("runs", c));
  const columns = [
    "run_uuid",
    "name",
    "experiment_id",
    "user_id",
    "status",
    "start_time",
    "end_time",
    "lifecycle_stage",
    "artifact_uri",
    ...optional,
  ].join(", ");
  const sql = `SELECT ${columns} FROM runs WHERE experiment_id = ? ORDER BY run_uuid`;
  for await (const rows of db.iterate(sql, [Number(experimentId)], BATCH)) {
    const ids = rows.map((row) => String(row.run_uuid));
    const [params, tags, datasets, models] = await Promise.all([
      keyValues(db, "params", ids),
      keyValues(db, "tags", ids),
      datasetInputs(db, schema, ids),
      modelInputsOutputs(db, schema, ids),
    ]);
    for (const row of rows) {
      const id = String(row.run_uuid);
      yield toImportRun(row, {
        params: params.get(id) ?? [],
        tags: tags.get(id) ?? [],
        datasets: datasets.get(id) ?? [],
        modelInputs: models.inputs.get(id) ?? [],
        modelOutputs: models.outputs.get(id) ?? [],
      });
    }
  }
}

interface RunChildren {
  params: KeyValue[];
  tags: KeyValue[];
  datasets: DatasetInput[];
  modelInputs: { model_id: string }[];
  modelOutputs: { model_id: string; step: number }[];
}

function toImportRun(row: SqlRow, children: RunChildren): ImportRun {
  const id = String(row.run_uuid);
  // MLflow fills a run without a name from its `mlflow.runName` tag (`_get_run_name_from_tags`).
  const runName = text(row.name) || children.tags.find((t) => t.key === "mlflow.runName")?.value;
  const run: Run = {
    info: compact({
      run_id: id,
      run_uuid: id,
      run_name: runName,
      experiment_id: String(row.experiment_id),
      user_id: text(row.user_id),
      status: (text(row.status) ?? "RUNNING") as RunStatus,
      start_time: num(row.start_time),
      end_time: num(row.end_time),
      artifact_uri: text(row.artifact_uri),
      lifecycle_stage: text(row.lifecycle_stage) ?? "active",
    }),
    data: {},
    inputs: {},
    outputs: {},
  };
  if (children.params.length > 0) run.data.params = children.params;
  if (children.tags.length > 0) run.data.tags = children.tags;
  if (children.datasets.length > 0) run.inputs = { ...run.inputs, dataset_inputs: children.datasets };
  if (children.modelInputs.length > 0) run.inputs = { ...run.inputs, model_inputs: children.modelInputs };
  if (children.modelOutputs.length > 0) run.outputs = { model_outputs: children.modelOutputs };
  const deletedTime = num(row.deleted_time);
  return run.info.lifecycle_stage === "deleted" && deletedTime !== undefined
    ? { run, deleted_time: deletedTime }
    : { run };
}

function placeholders(ids: readonly unknown[]): string {
  return ids.map(() => "?").join(", ");
}

/** params or tags of many runs: run_uuid → [{key, value}]. */
async function keyValues(db: SqlConnection, table: "params" | "tags", ids: string[]): Promise<Map<string, KeyValue[]>> {
  const out = new Map<string, KeyValue[]>();
  const rows = await db.all(
    `SELECT run_uuid, "key", "value" FROM ${table} WHERE run_uuid IN (${placeholders(ids)})`,
    ids,
  );
  for (const row of rows) push(out, String(row.run_uuid), { key: String(row.key), value: text(row.value) ?? "" });
  return out;
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Dataset inputs with their input tags (`inputs` ⋈ `datasets` ⟕ `input_tags`), as `_get_run_inputs` builds them. */
async function datasetInputs(
  db: SqlConnection,
  schema: SchemaInfo,
  ids: string[],
): Promise<Map<string, DatasetInput[]>> {
  const out = new Map<string, DatasetInput[]>();
  if (!schema.has("inputs") || !schema.has("datasets")) return out;
  const rows = await db.all(
    `SELECT i.input_uuid, i.destination_id AS run_uuid, d.dataset_uuid, d.name, d.digest, d.dataset_source_type,
            d.dataset_source, d.dataset_schema, d.dataset_profile, t.name AS tag_name, t."value" AS tag_value
       FROM inputs i
       JOIN datasets d ON i.source_id = d.dataset_uuid
       LEFT JOIN input_tags t ON t.input_uuid = i.input_uuid
      WHERE i.destination_type = 'RUN' AND i.destination_id IN (${placeholders(ids)})
      ORDER BY i.destination_id`,
    ids,
  );
  // One entry per (run, dataset), tags gathered from every input row of that dataset, like the reference's dict.
  const byRunDataset = new Map<string, DatasetInput>();
  for (const row of rows) {
    const runId = String(row.run_uuid);
    const key = `${runId}\u0000${String(row.dataset_uuid)}`;
    let input = byRunDataset.get(key);
    if (!input) {
      input = {
        tags: [],
        dataset: compact({
          name: String(row.name),
          digest: String(row.digest),
          source_type: String(row.dataset_source_type),
          source: String(row.dataset_source),
          schema: text(row.dataset_schema),
          profile: text(row.dataset_profile),
        }),
      };
      byRunDataset.set(key, input);
      push(out, runId, input);
    }
    if (row.tag_name !== null && row.tag_name !== undefined) {
      input.tags?.push({ key: String(row.tag_name), value: text(row.tag_value) ?? "" });
    }
  }
  for (const input of byRunDataset.values()) if (input.tags?.length === 0) delete input.tags;
  return out;
}

/** MLflow 3's model inputs (RUN_INPUT → MODEL_INPUT) and outputs (RUN_OUTPUT → MODEL_OUTPUT, with a step). */
async function modelInputsOutputs(
  db: SqlConnection,
  schema: SchemaInfo,
  ids: string[],
): Promise<{
  inputs: Map<string, { model_id: string }[]>;
  outputs: Map<string, { model_id: string; step: number }[]>;
}> {
  const inputs = new Map<string, { model_id: string }[]>();
  const outputs = new Map<string, { model_id: string; step: number }[]>();
  if (!schema.has("inputs")) return { inputs, outputs };
  const step = schema.has("inputs", "step") ? "step" : "0 AS step";
  const rows = await db.all(
    `SELECT source_type, source_id, destination_id, ${step} FROM inputs
      WHERE source_type IN ('RUN_INPUT', 'RUN_OUTPUT') AND destination_type IN ('MODEL_INPUT', 'MODEL_OUTPUT')
        AND source_id IN (${placeholders(ids)})`,
    ids,
  );
  for (const row of rows) {
    const runId = String(row.source_id);
    const modelId = String(row.destination_id);
    if (row.source_type === "RUN_INPUT") push(inputs, runId, { model_id: modelId });
    else push(outputs, runId, { model_id: modelId, step: num(row.step) ?? 0 });
  }
  return { inputs, outputs };
}

/** How many runs the picked experiments hold. */
export async function countRuns(db: SqlConnection, experimentIds?: string[]): Promise<number> {
  if (experimentIds === undefined) {
    return Number((await db.all("SELECT COUNT(*) AS n FROM runs", []))[0]?.n ?? 0);
  }
  if (experimentIds.length === 0) return 0;
  const rows = await db.all(
    `SELECT COUNT(*) AS n FROM runs WHERE experiment_id IN (${placeholders(experimentIds)})`,
    experimentIds.map(Number),
  );
  return Number(rows[0]?.n ?? 0);
}
