import * as z from "zod";

/**
 * Prompt optimization jobs: a GEPA or MetaPrompt optimizer run by the server's Python job runner over an evaluation
 * dataset. tracklite runs no Python, so it stores no jobs: searches are empty and a job id is never found.
 * @see mlflow/protos/service.proto CreatePromptOptimizationJob, SearchPromptOptimizationJobs, …
 * @see mlflow/protos/prompt_optimization.proto PromptOptimizationJob, PromptOptimizationJobConfig
 */

export const OPTIMIZER_TYPES = [
  "OPTIMIZER_TYPE_UNSPECIFIED",
  "OPTIMIZER_TYPE_GEPA",
  "OPTIMIZER_TYPE_METAPROMPT",
] as const;

export const PromptOptimizationJobConfig = z.object({
  optimizer_type: z.union([z.enum(OPTIMIZER_TYPES), z.number().int()]).optional(),
  dataset_id: z.string().optional(),
  scorers: z.array(z.string()).optional(),
  optimizer_config_json: z.string().optional(),
});

const JobTag = z.object({ key: z.string().optional(), value: z.string().optional() });

export const CreatePromptOptimizationJob = z.object({
  experiment_id: z.string().optional(),
  source_prompt_uri: z.string().optional(),
  config: PromptOptimizationJobConfig.optional(),
  tags: z.array(JobTag).optional(),
});

/** A job as the reference answers it; tracklite never has one to answer. */
export const PromptOptimizationJob = z.object({
  job_id: z.string().optional(),
  run_id: z.string().optional(),
  state: z.object({ status: z.string().optional(), error_message: z.string().optional() }).optional(),
  experiment_id: z.string().optional(),
  source_prompt_uri: z.string().optional(),
  optimized_prompt_uri: z.string().optional(),
  config: PromptOptimizationJobConfig.optional(),
  creation_timestamp_ms: z.number().optional(),
  completion_timestamp_ms: z.number().optional(),
  tags: z.array(JobTag).optional(),
});

export const PromptOptimizationJobResponse = z.object({ job: PromptOptimizationJob });

export const SearchPromptOptimizationJobs = z.object({ experiment_id: z.string().optional() });
export const SearchPromptOptimizationJobsResponse = z.object({ jobs: z.array(PromptOptimizationJob).optional() });

/** Get, delete and cancel take the job id from the path only. */
export const PromptOptimizationJobPathOnly = z.object({});
