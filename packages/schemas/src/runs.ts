import * as z from "zod";
import { Tag } from "./experiments.js";
import { double, idString, int64, protoEnum, requiredString, wireDouble } from "./wire.js";

export const RUN_STATUSES = ["RUNNING", "SCHEDULED", "FINISHED", "FAILED", "KILLED"] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
export const RunStatusSchema = protoEnum(RUN_STATUSES, {
  1: "RUNNING",
  2: "SCHEDULED",
  3: "FINISHED",
  4: "FAILED",
  5: "KILLED",
});

/** A metric as the server writes it. */
export const Metric = z.object({
  key: z.string(),
  value: wireDouble,
  timestamp: z.number(),
  step: z.number(),
  dataset_name: z.string().optional(),
  dataset_digest: z.string().optional(),
  model_id: z.string().optional(),
  run_id: z.string().optional(),
});
export type Metric = z.infer<typeof Metric>;

export const Param = z.object({ key: z.string(), value: z.string() });

/** @see mlflow/protos/service.proto RunInfo */
export const RunInfo = z.object({
  run_id: z.string(),
  run_uuid: z.string(),
  run_name: z.string().optional(),
  experiment_id: z.string(),
  user_id: z.string().optional(),
  status: z.enum(RUN_STATUSES),
  start_time: z.number().optional(),
  end_time: z.number().optional(),
  artifact_uri: z.string().optional(),
  lifecycle_stage: z.string(),
});
export type RunInfo = z.infer<typeof RunInfo>;

export const Dataset = z.object({
  name: z.string(),
  digest: z.string(),
  source_type: z.string(),
  source: z.string(),
  schema: z.string().optional(),
  profile: z.string().optional(),
});
export const DatasetInput = z.object({ tags: z.array(Tag).optional(), dataset: Dataset });
export const ModelInput = z.object({ model_id: z.string() });
export const ModelOutput = z.object({ model_id: z.string(), step: z.number() });

export const Run = z.object({
  info: RunInfo,
  data: z.object({
    metrics: z.array(Metric).optional(),
    params: z.array(Param).optional(),
    tags: z.array(Tag).optional(),
  }),
  inputs: z
    .object({ dataset_inputs: z.array(DatasetInput).optional(), model_inputs: z.array(ModelInput).optional() })
    .optional(),
  outputs: z.object({ model_outputs: z.array(ModelOutput).optional() }).optional(),
});
export type Run = z.infer<typeof Run>;

const runIds = { run_id: z.string().optional(), run_uuid: z.string().optional() };
const keyValueInput = z.object({ key: z.string().optional(), value: z.string().optional() });

export const CreateRun = z.object({
  experiment_id: idString.optional(),
  user_id: z.string().optional(),
  run_name: z.string().optional(),
  start_time: int64.optional(),
  tags: z.array(keyValueInput).optional(),
});
export const RunResponse = z.object({ run: Run });

export const UpdateRun = z.object({
  ...runIds,
  status: RunStatusSchema.optional(),
  end_time: int64.optional(),
  run_name: z.string().optional(),
});
export const UpdateRunResponse = z.object({ run_info: RunInfo });

export const RunIdRequest = z.object({ run_id: requiredString });
export const GetRun = z.object(runIds);

/** A metric as a client sends it: value and timestamp are checked by the store with MLflow's messages. */
export const MetricInput = z.object({
  key: z.string().optional(),
  value: double.optional(),
  timestamp: int64.optional(),
  step: int64.optional(),
  model_id: z.string().optional(),
  dataset_name: z.string().optional(),
  dataset_digest: z.string().optional(),
});
export type MetricInput = z.infer<typeof MetricInput>;

export const LogMetric = z.object({
  ...runIds,
  key: requiredString,
  value: double,
  timestamp: int64,
  step: int64.optional(),
  model_id: z.string().optional(),
  dataset_name: z.string().optional(),
  dataset_digest: z.string().optional(),
});

export const LogParam = z.object({ ...runIds, key: requiredString, value: z.string().optional() });
export const SetTag = z.object({ ...runIds, key: requiredString, value: z.string().optional() });
export const DeleteTag = z.object({ run_id: requiredString, key: requiredString });

export const LogBatch = z.object({
  run_id: requiredString,
  metrics: z.array(MetricInput).optional(),
  params: z.array(keyValueInput).optional(),
  tags: z.array(keyValueInput).optional(),
});
export type LogBatch = z.infer<typeof LogBatch>;

export const LogModel = z.object({ run_id: requiredString, model_json: requiredString });

const DatasetInputRequest = z.object({
  tags: z.array(keyValueInput).optional(),
  dataset: z
    .object({
      name: z.string().optional(),
      digest: z.string().optional(),
      source_type: z.string().optional(),
      source: z.string().optional(),
      schema: z.string().optional(),
      profile: z.string().optional(),
    })
    .optional(),
});
export type DatasetInputRequest = z.infer<typeof DatasetInputRequest>;

export const LogInputs = z.object({
  run_id: requiredString,
  datasets: z.array(DatasetInputRequest).optional(),
  models: z.array(z.object({ model_id: z.string().optional() })).optional(),
});

export const LogOutputs = z.object({
  run_id: requiredString,
  models: z.array(z.object({ model_id: z.string().optional(), step: int64.optional() })),
});

export const RUN_VIEW_TYPES = ["ACTIVE_ONLY", "DELETED_ONLY", "ALL"] as const;

export const SearchRuns = z.object({
  experiment_ids: z.array(idString).optional(),
  filter: z.string().optional(),
  run_view_type: protoEnum(RUN_VIEW_TYPES, { 1: "ACTIVE_ONLY", 2: "DELETED_ONLY", 3: "ALL" }).optional(),
  max_results: int64.optional(),
  order_by: z.array(z.string()).optional(),
  page_token: z.string().optional(),
});
export type SearchRuns = z.infer<typeof SearchRuns>;
export const SearchRunsResponse = z.object({ runs: z.array(Run).optional(), next_page_token: z.string().optional() });
