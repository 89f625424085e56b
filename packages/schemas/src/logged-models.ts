import * as z from "zod";
import { Metric } from "./runs.js";
import { idString, int64 } from "./wire.js";

/**
 * MLflow 3's logged models: a model with its own id, params, tags and metrics, logged to an experiment.
 * @see mlflow/protos/service.proto LoggedModel, CreateLoggedModel, SearchLoggedModels, ...
 */

export const LOGGED_MODEL_STATUSES = [
  "LOGGED_MODEL_STATUS_UNSPECIFIED",
  "LOGGED_MODEL_PENDING",
  "LOGGED_MODEL_READY",
  "LOGGED_MODEL_UPLOAD_FAILED",
] as const;
export type LoggedModelStatus = (typeof LOGGED_MODEL_STATUSES)[number];

/**
 * A status as the reference's proto parser reads it: a name or a number (also as a decimal string, which protobuf's
 * JSON parser accepts); anything else it ignores, which leaves the field at its default, UNSPECIFIED.
 */
export const LoggedModelStatusInput = z.unknown().transform((v): LoggedModelStatus => {
  if (typeof v === "string" && (LOGGED_MODEL_STATUSES as readonly string[]).includes(v)) return v as LoggedModelStatus;
  const n = typeof v === "number" ? v : typeof v === "string" && /^\s*-?\d+\s*$/.test(v) ? Number(v) : Number.NaN;
  return LOGGED_MODEL_STATUSES[n] ?? "LOGGED_MODEL_STATUS_UNSPECIFIED";
});

const keyValue = z.object({ key: z.string(), value: z.string() });
const keyValueInput = z.object({ key: z.string().optional(), value: z.string().optional() });

/** @see mlflow/protos/service.proto LoggedModelInfo */
export const LoggedModelInfo = z.object({
  model_id: z.string(),
  experiment_id: z.string(),
  name: z.string(),
  creation_timestamp_ms: z.number(),
  last_updated_timestamp_ms: z.number(),
  artifact_uri: z.string(),
  status: z.enum(LOGGED_MODEL_STATUSES),
  model_type: z.string().optional(),
  source_run_id: z.string().optional(),
  status_message: z.string().optional(),
  tags: z.array(keyValue).optional(),
});

export const LoggedModel = z.object({
  info: LoggedModelInfo,
  data: z.object({ params: z.array(keyValue).optional(), metrics: z.array(Metric).optional() }),
});
export type LoggedModel = z.infer<typeof LoggedModel>;

export const LoggedModelResponse = z.object({ model: LoggedModel });

export const CreateLoggedModel = z.object({
  experiment_id: idString.optional(),
  name: z.string().optional(),
  model_type: z.string().optional(),
  source_run_id: z.string().optional(),
  params: z.array(keyValueInput).optional(),
  tags: z.array(keyValueInput).optional(),
});

/** `?allow_deleted=true` also finds deleted models. */
export const GetLoggedModel = z.object({ allow_deleted: z.string().optional() });

/** The body's `model_id` is required (and is the model finalized), as in the reference. */
export const FinalizeLoggedModel = z.object({
  model_id: z.string().optional(),
  status: LoggedModelStatusInput.optional(),
});

/** Requests whose only input is the path (the reference reads no body). */
export const LoggedModelPathOnly = z.object({});

export const SetLoggedModelTags = z.object({ tags: z.array(keyValueInput).optional() });

export const LogLoggedModelParams = z.object({
  model_id: z.string().optional(),
  params: z.array(keyValueInput).optional(),
});

export const SearchLoggedModelsDataset = z.object({
  dataset_name: z.string().optional(),
  dataset_digest: z.string().optional(),
});
export const SearchLoggedModelsOrderBy = z.object({
  field_name: z.string().optional(),
  ascending: z.boolean().optional(),
  dataset_name: z.string().optional(),
  dataset_digest: z.string().optional(),
});
export type SearchLoggedModelsOrderBy = z.infer<typeof SearchLoggedModelsOrderBy>;

export const SearchLoggedModels = z.object({
  experiment_ids: z.array(idString).optional(),
  filter: z.string().optional(),
  datasets: z.array(SearchLoggedModelsDataset).optional(),
  max_results: int64.optional(),
  order_by: z.array(SearchLoggedModelsOrderBy).optional(),
  page_token: z.string().optional(),
});
export const SearchLoggedModelsResponse = z.object({
  models: z.array(LoggedModel).optional(),
  next_page_token: z.string().optional(),
});
