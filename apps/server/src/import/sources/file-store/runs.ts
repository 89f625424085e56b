/**
 * Runs of a FileStore experiment: `<exp>/<run_id>/meta.yaml` with `params/`, `tags/`, `inputs/<id>/meta.yaml` (its
 * dataset in `<exp>/datasets/<id>/meta.yaml`) and `outputs/<model_id>/meta.yaml`. Built as the reference's get-run
 * answers it, without the latest metrics (the sink derives them from the history).
 * @see mlflow/store/tracking/file_store.py _read_persisted_run_info_dict, _get_run_from_info, _get_all_inputs
 */
import { join } from "node:path";
import type { Run, RunStatus } from "@tracklite/schemas";
import type { ImportRun } from "@tracklite/server/import";
import { num, RESERVED_EXPERIMENT_FOLDERS, readKeyValueFolder, readYaml, type Skips, str, subdirs } from "./layout.js";

/** RunStatus as the FileStore stores it: the proto enum's number (`_make_persisted_run_info_dict`). */
const RUN_STATUS_BY_NUMBER: Record<number, RunStatus> = {
  1: "RUNNING",
  2: "SCHEDULED",
  3: "FINISHED",
  4: "FAILED",
  5: "KILLED",
};

function runStatus(value: unknown): RunStatus {
  if (typeof value === "number") return RUN_STATUS_BY_NUMBER[value] ?? "RUNNING";
  if (typeof value === "string" && Object.values(RUN_STATUS_BY_NUMBER).includes(value as RunStatus)) {
    return value as RunStatus;
  }
  return "RUNNING";
}

/** Folders of an experiment that may be runs: anything but its reserved folders. */
export async function listRunDirs(experimentDir: string): Promise<string[]> {
  return (await subdirs(experimentDir)).filter((n) => !RESERVED_EXPERIMENT_FOLDERS.has(n));
}

/**
 * The run in `runDir`, or undefined when the folder is not one (no meta.yaml: the reference passes over it) or its
 * meta.yaml names another experiment (the reference ignores it with a warning; so do we, and say so).
 */
export async function readRun(
  experimentId: string,
  experimentDir: string,
  runDir: string,
  skipped: Skips,
): Promise<ImportRun | undefined> {
  const meta = await readYaml(runDir);
  if (meta === undefined) return undefined;
  const runId = str(meta.run_id) ?? str(meta.run_uuid);
  if (runId === undefined) {
    skipped.push({ what: `run folder ${runDir}`, reason: "its meta.yaml has no run_id" });
    return undefined;
  }
  const recordedExperiment = str(meta.experiment_id);
  if (recordedExperiment !== experimentId) {
    skipped.push({
      what: `run ${runId}`,
      reason: `recorded under experiment ${recordedExperiment} but stored in ${experimentId}; the reference ignores it too`,
    });
    return undefined;
  }
  const params = await readKeyValueFolder(join(runDir, "params"));
  const tags = await readKeyValueFolder(join(runDir, "tags"));
  const info: Run["info"] = {
    run_id: runId,
    run_uuid: runId,
    experiment_id: experimentId,
    status: runStatus(meta.status),
    lifecycle_stage: str(meta.lifecycle_stage) ?? "active",
  };
  // A run without a name in meta.yaml takes it from its mlflow.runName tag (FileStore._get_run_from_info).
  const runName = str(meta.run_name) || tags.find((t) => t.key === "mlflow.runName")?.value;
  if (runName) info.run_name = runName;
  const userId = str(meta.user_id);
  if (userId !== undefined) info.user_id = userId;
  const start = num(meta.start_time);
  if (start !== undefined) info.start_time = start;
  const end = num(meta.end_time);
  if (end !== undefined) info.end_time = end;
  const artifactUri = str(meta.artifact_uri);
  if (artifactUri !== undefined) info.artifact_uri = artifactUri;

  const run: Run = { info, data: {} };
  if (params.length > 0) run.data.params = params;
  if (tags.length > 0) run.data.tags = tags;
  const inputs = await readInputs(experimentDir, runDir, runId, skipped);
  if (inputs !== undefined) run.inputs = inputs;
  const outputs = await readOutputs(runDir);
  if (outputs !== undefined) run.outputs = outputs;

  const imported: ImportRun = { run };
  const deletedTime = num(meta.deleted_time);
  if (info.lifecycle_stage === "deleted" && deletedTime !== undefined) imported.deleted_time = deletedTime;
  return imported;
}

async function readInputs(
  experimentDir: string,
  runDir: string,
  runId: string,
  skipped: Skips,
): Promise<Run["inputs"]> {
  const inputsDir = join(runDir, "inputs");
  const ids = await subdirs(inputsDir);
  if (ids.length === 0) return undefined;
  const datasetInputs: NonNullable<NonNullable<Run["inputs"]>["dataset_inputs"]> = [];
  const modelInputs: { model_id: string }[] = [];
  for (const id of ids) {
    const meta = await readYaml(join(inputsDir, id));
    if (meta === undefined) continue;
    const sourceId = str(meta.source_id) ?? "";
    if (meta.source_type === "MODEL") {
      modelInputs.push({ model_id: sourceId });
      continue;
    }
    if (meta.source_type !== "DATASET") continue;
    const dataset = await readYaml(join(experimentDir, "datasets", sourceId));
    if (dataset === undefined) {
      skipped.push({ what: `dataset input ${sourceId} of run ${runId}`, reason: "its dataset folder is missing" });
      continue;
    }
    const tagMap = (meta.tags ?? {}) as Record<string, unknown>;
    const tags = Object.entries(tagMap).map(([key, value]) => ({ key, value: str(value) ?? "" }));
    const input: (typeof datasetInputs)[number] = {
      dataset: {
        name: str(dataset.name) ?? "",
        digest: str(dataset.digest) ?? "",
        source_type: str(dataset.source_type) ?? "",
        source: str(dataset.source) ?? "",
      },
    };
    const schema = str(dataset.schema);
    if (schema !== undefined) input.dataset.schema = schema;
    const profile = str(dataset.profile);
    if (profile !== undefined) input.dataset.profile = profile;
    if (tags.length > 0) input.tags = tags;
    datasetInputs.push(input);
  }
  if (datasetInputs.length === 0 && modelInputs.length === 0) return undefined;
  const inputs: NonNullable<Run["inputs"]> = {};
  if (datasetInputs.length > 0) inputs.dataset_inputs = datasetInputs;
  if (modelInputs.length > 0) inputs.model_inputs = modelInputs;
  return inputs;
}

async function readOutputs(runDir: string): Promise<Run["outputs"]> {
  const outputsDir = join(runDir, "outputs");
  const modelOutputs: { model_id: string; step: number }[] = [];
  for (const id of await subdirs(outputsDir)) {
    const meta = await readYaml(join(outputsDir, id));
    if (meta === undefined || meta.destination_type !== "MODEL_OUTPUT") continue;
    // MLflow writes the model id into both source_id and destination_id (FileStore._FileStoreOutput.write_yaml).
    modelOutputs.push({ model_id: str(meta.destination_id) ?? id, step: num(meta.step) ?? 0 });
  }
  return modelOutputs.length > 0 ? { model_outputs: modelOutputs } : undefined;
}
