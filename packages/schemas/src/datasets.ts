import * as z from "zod";
import { int64 } from "./wire.js";

/**
 * GenAI evaluation datasets (MLflow 3): a named set of records (inputs, expectations, outputs), tagged and linked to
 * experiments. Tags, records, schema and profile travel as JSON text inside the messages, as the reference sends them.
 * Also the older run-dataset summaries of `experiments/search-datasets` (datasets logged with `log_inputs`).
 * @see mlflow/protos/datasets.proto Dataset, DatasetRecord
 * @see mlflow/protos/service.proto CreateDataset … RemoveDatasetFromExperiments, SearchDatasets
 */

/** @see mlflow/protos/datasets.proto Dataset */
export const EvaluationDataset = z.object({
  dataset_id: z.string(),
  name: z.string(),
  /** The tags as a JSON object, Python-dumped (`{"a": "b"}`). */
  tags: z.string().optional(),
  /** The inferred field types of inputs, outputs and expectations, as JSON text. */
  schema: z.string().optional(),
  /** `{"num_records": N}` as JSON text (the reference writes `null` once every record is deleted). */
  profile: z.string().optional(),
  digest: z.string().optional(),
  created_time: z.number().optional(),
  last_update_time: z.number().optional(),
  created_by: z.string().optional(),
  last_updated_by: z.string().optional(),
  /** Only CreateDataset's answer carries them; the client fetches them with `experiment-ids`. */
  experiment_ids: z.array(z.string()).optional(),
});
export type EvaluationDataset = z.infer<typeof EvaluationDataset>;

export const DatasetResponse = z.object({ dataset: EvaluationDataset });

export const CreateDataset = z.object({
  name: z.string().optional(),
  experiment_ids: z.array(z.string()).optional(),
  /** A JSON object of tags, as text. */
  tags: z.string().optional(),
});

/** Requests whose only input is the path (`datasets/:dataset_id`, `…/tags/:key`, `…/experiment-ids`). */
export const DatasetPathOnly = z.object({});

export const SearchEvaluationDatasets = z.object({
  experiment_ids: z.array(z.string()).optional(),
  filter_string: z.string().optional(),
  max_results: int64.optional(),
  order_by: z.array(z.string()).optional(),
  page_token: z.string().optional(),
});

export const SearchEvaluationDatasetsResponse = z.object({
  datasets: z.array(EvaluationDataset).optional(),
  next_page_token: z.string().optional(),
});

export const SetDatasetTags = z.object({ tags: z.string().optional() });

export const UpsertDatasetRecords = z.object({
  /** A JSON list of records (`inputs`, `outputs`, `expectations`, `tags`, `source`), as text. */
  records: z.string().optional(),
});

export const UpsertDatasetRecordsResponse = z.object({
  inserted_count: z.number().optional(),
  updated_count: z.number().optional(),
});

export const GetDatasetRecords = z.object({ max_results: int64.optional(), page_token: z.string().optional() });

export const GetDatasetRecordsResponse = z.object({
  /** The page's records as a JSON list, Python-dumped. */
  records: z.string(),
  next_page_token: z.string().optional(),
});

export const DeleteDatasetRecords = z.object({ dataset_record_ids: z.array(z.string()).optional() });

export const DeleteDatasetRecordsResponse = z.object({ deleted_count: z.number().optional() });

export const DatasetExperimentIds = z.object({ experiment_ids: z.array(z.string()).optional() });

/** A dataset a run logged (`log_inputs`), as the experiment page lists them. @see service.proto DatasetSummary */
export const DatasetSummary = z.object({
  experiment_id: z.string(),
  name: z.string(),
  digest: z.string(),
  context: z.string().optional(),
});

/** The experiment ids are read leniently: a non-list counts as none, as the reference's parse leaves it empty. */
export const SearchRunDatasets = z.object({
  experiment_ids: z
    .unknown()
    .optional()
    .transform((v) => (Array.isArray(v) ? v.map(String) : [])),
});

export const SearchRunDatasetsResponse = z.object({ dataset_summaries: z.array(DatasetSummary).optional() });
