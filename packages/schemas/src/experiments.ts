import * as z from "zod";
import { idString, int64, protoEnum, requiredString } from "./wire.js";

/** An experiment or run tag. */
export const Tag = z.object({ key: z.string(), value: z.string() });
export type Tag = z.infer<typeof Tag>;

/** Which lifecycle stages a search covers. */
export const VIEW_TYPES = ["ACTIVE_ONLY", "DELETED_ONLY", "ALL"] as const;
export const ViewType = protoEnum(VIEW_TYPES, { 1: "ACTIVE_ONLY", 2: "DELETED_ONLY", 3: "ALL" });
export type ViewType = (typeof VIEW_TYPES)[number];

/** @see mlflow/protos/service.proto Experiment */
export const Experiment = z.object({
  experiment_id: z.string(),
  name: z.string(),
  artifact_location: z.string().optional(),
  lifecycle_stage: z.string(),
  last_update_time: z.number().optional(),
  creation_time: z.number().optional(),
  tags: z.array(Tag).optional(),
  /** The experiment's MLflow 3 workspace (`--enable-workspaces`); "default" when workspaces are off. */
  workspace: z.string().optional(),
});
export type Experiment = z.infer<typeof Experiment>;

const tagInput = z.object({ key: z.string().optional(), value: z.string().optional() });

export const CreateExperiment = z.object({
  name: requiredString,
  artifact_location: z.string().optional(),
  tags: z.array(tagInput).optional(),
});
export const CreateExperimentResponse = z.object({ experiment_id: z.string() });

export const ExperimentIdRequest = z.object({ experiment_id: idString.pipe(requiredString) });
export const GetExperimentResponse = z.object({ experiment: Experiment });

export const GetExperimentByName = z.object({ experiment_name: requiredString });

export const SearchExperiments = z.object({
  max_results: int64.optional(),
  page_token: z.string().optional(),
  filter: z.string().optional(),
  order_by: z.array(z.string()).optional(),
  view_type: ViewType.optional(),
});
export const SearchExperimentsResponse = z.object({
  experiments: z.array(Experiment).optional(),
  next_page_token: z.string().optional(),
});

export const UpdateExperiment = z.object({
  experiment_id: idString.pipe(requiredString),
  new_name: requiredString,
});

export const SetExperimentTag = z.object({
  experiment_id: idString.pipe(requiredString),
  key: requiredString,
  value: z.string().optional(),
});

export const DeleteExperimentTag = z.object({
  experiment_id: idString.pipe(requiredString),
  key: requiredString,
});

export const Empty = z.object({});
