/**
 * MLflow 3's logged models in a FileStore: `<exp>/models/<model_id>/meta.yaml` with `params/`, `tags/` and
 * `metrics/` (lines `timestamp value step run_id [dataset_name dataset_digest]`). A deleted one keeps its folder with
 * `lifecycle_stage: deleted`. Every metric point comes across (as `mlflow migrate-filestore` carries them), not only
 * the latest per key that the reference's get-logged-model shows.
 * @see mlflow/store/tracking/file_store.py create_logged_model, _get_model_info_from_dir
 */
import { join } from "node:path";
import { type LoggedModel, type LoggedModelStatus, toWireDouble } from "@tracklite/schemas";
import type { ImportLoggedModel } from "@tracklite/server/import";
import { filesUnder, num, readKeyValueFolder, readYaml, type Skips, str, subdirs } from "./layout.js";
import { parseModelMetricLine, readLines } from "./metric-lines.js";

/** LoggedModelStatus as stored: its number (`LoggedModelStatus.to_int`) or, in some writers, its name. */
const STATUS: Record<string, LoggedModelStatus> = {
  "0": "LOGGED_MODEL_STATUS_UNSPECIFIED",
  "1": "LOGGED_MODEL_PENDING",
  "2": "LOGGED_MODEL_READY",
  "3": "LOGGED_MODEL_UPLOAD_FAILED",
  UNSPECIFIED: "LOGGED_MODEL_STATUS_UNSPECIFIED",
  PENDING: "LOGGED_MODEL_PENDING",
  READY: "LOGGED_MODEL_READY",
  FAILED: "LOGGED_MODEL_UPLOAD_FAILED",
};

function modelStatus(value: unknown): LoggedModelStatus {
  const key = str(value) ?? "";
  return STATUS[key] ?? STATUS[key.replace(/^LOGGED_MODEL_/, "")] ?? "LOGGED_MODEL_STATUS_UNSPECIFIED";
}

/** Every logged model (active and deleted) of the experiment in `experimentDir`. */
export async function* readLoggedModels(
  experimentId: string,
  experimentDir: string,
  skipped: Skips,
): AsyncGenerator<ImportLoggedModel> {
  const modelsDir = join(experimentDir, "models");
  for (const name of await subdirs(modelsDir)) {
    const modelDir = join(modelsDir, name);
    const meta = await readYaml(modelDir);
    if (meta === undefined) continue;
    const modelId = str(meta.model_id) ?? name;
    if (str(meta.experiment_id) !== experimentId) {
      skipped.push({
        what: `logged model ${modelId}`,
        reason: `recorded under experiment ${str(meta.experiment_id)} but stored in ${experimentId}; the reference ignores it too`,
      });
      continue;
    }
    const info: LoggedModel["info"] = {
      model_id: modelId,
      experiment_id: experimentId,
      name: str(meta.name) ?? "",
      creation_timestamp_ms: num(meta.creation_timestamp) ?? 0,
      last_updated_timestamp_ms: num(meta.last_updated_timestamp) ?? 0,
      artifact_uri: str(meta.artifact_location) ?? "",
      status: modelStatus(meta.status),
    };
    const modelType = str(meta.model_type);
    if (modelType !== undefined) info.model_type = modelType;
    const sourceRun = str(meta.source_run_id);
    if (sourceRun !== undefined) info.source_run_id = sourceRun;
    const statusMessage = str(meta.status_message);
    if (statusMessage !== undefined) info.status_message = statusMessage;
    const tags = await readKeyValueFolder(join(modelDir, "tags"));
    if (tags.length > 0) info.tags = tags;
    const model: LoggedModel = { info, data: {} };
    const params = await readKeyValueFolder(join(modelDir, "params"));
    if (params.length > 0) model.data.params = params;
    const metrics = await readModelMetrics(modelId, join(modelDir, "metrics"), skipped);
    if (metrics.length > 0) model.data.metrics = metrics;
    const imported: ImportLoggedModel = { model };
    if (meta.lifecycle_stage === "deleted") imported.deleted = true;
    yield imported;
  }
}

async function readModelMetrics(
  modelId: string,
  metricsDir: string,
  skipped: Skips,
): Promise<NonNullable<LoggedModel["data"]["metrics"]>> {
  const metrics: NonNullable<LoggedModel["data"]["metrics"]> = [];
  for (const file of await filesUnder(metricsDir)) {
    const key = file.split("\\").join("/");
    let bad = 0;
    for await (const line of readLines(join(metricsDir, file))) {
      if (line.trim() === "") continue;
      const p = parseModelMetricLine(line);
      if (p === undefined) {
        bad++;
        continue;
      }
      const metric: (typeof metrics)[number] = {
        key,
        value: toWireDouble(p.value),
        timestamp: p.timestamp,
        step: p.step,
        model_id: modelId,
      };
      if (p.run_id !== undefined) metric.run_id = p.run_id;
      if (p.dataset_name !== undefined) {
        metric.dataset_name = p.dataset_name;
        metric.dataset_digest = p.dataset_digest;
      }
      metrics.push(metric);
    }
    if (bad > 0) {
      skipped.push({
        what: `${bad} point(s) of metric ${key} of logged model ${modelId}`,
        reason: "malformed lines (expected `timestamp value step run_id [dataset_name dataset_digest]`)",
      });
    }
  }
  return metrics;
}
