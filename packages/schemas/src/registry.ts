import * as z from "zod";
import { int64 } from "./wire.js";

/**
 * The model registry: registered models, their numbered versions, tags and aliases. Prompts are registered models
 * tagged `mlflow.prompt.is_prompt`, so they use these messages too.
 * @see mlflow/protos/model_registry.proto
 */

export const MODEL_VERSION_STATUSES = ["PENDING_REGISTRATION", "FAILED_REGISTRATION", "READY"] as const;
export type ModelVersionStatus = (typeof MODEL_VERSION_STATUSES)[number];

/** The stages a version can be in, in MLflow's order; requests may spell them in any case. */
export const MODEL_VERSION_STAGES = ["None", "Staging", "Production", "Archived"] as const;
export type ModelVersionStage = (typeof MODEL_VERSION_STAGES)[number];

/** The tag that makes a registered model (and its versions) a prompt. */
export const IS_PROMPT_TAG = "mlflow.prompt.is_prompt";

export const RegistryTag = z.object({ key: z.string(), value: z.string() });
export type RegistryTag = z.infer<typeof RegistryTag>;

export const RegisteredModelAlias = z.object({ alias: z.string(), version: z.string() });

/** @see model_registry.proto ModelVersion; `version` is a decimal string. */
export const ModelVersion = z.object({
  name: z.string(),
  version: z.string(),
  creation_timestamp: z.number(),
  last_updated_timestamp: z.number().optional(),
  user_id: z.string().optional(),
  current_stage: z.string().optional(),
  description: z.string().optional(),
  source: z.string().optional(),
  run_id: z.string().optional(),
  status: z.enum(MODEL_VERSION_STATUSES).optional(),
  status_message: z.string().optional(),
  tags: z.array(RegistryTag).optional(),
  run_link: z.string().optional(),
  aliases: z.array(z.string()).optional(),
});
export type ModelVersion = z.infer<typeof ModelVersion>;

/** @see model_registry.proto RegisteredModel */
export const RegisteredModel = z.object({
  name: z.string(),
  creation_timestamp: z.number().optional(),
  last_updated_timestamp: z.number().optional(),
  user_id: z.string().optional(),
  description: z.string().optional(),
  latest_versions: z.array(ModelVersion).optional(),
  tags: z.array(RegistryTag).optional(),
  aliases: z.array(RegisteredModelAlias).optional(),
});
export type RegisteredModel = z.infer<typeof RegisteredModel>;

// Requests: every field optional, so that the reference's handler checks (and then its store's) speak first.
const str = z.string().optional();
const tagInput = z.object({ key: z.string().optional(), value: z.string().optional() });

export const CreateRegisteredModel = z.object({ name: str, tags: z.array(tagInput).optional(), description: str });
export const RenameRegisteredModel = z.object({ name: str, new_name: str });
export const UpdateRegisteredModel = z.object({ name: str, description: str });
export const RegisteredModelName = z.object({ name: str });
export const SearchRegisteredModels = z.object({
  filter: str,
  max_results: int64.optional(),
  order_by: z.array(z.string()).optional(),
  page_token: str,
});
export const GetLatestVersions = z.object({ name: str, stages: z.array(z.string()).optional() });
export const SetRegisteredModelTag = z.object({ name: str, key: str, value: str });
export const DeleteRegisteredModelTag = z.object({ name: str, key: str });
export const SetRegisteredModelAlias = z.object({ name: str, alias: str, version: str });
export const RegisteredModelAliasRequest = z.object({ name: str, alias: str });

export const CreateModelVersion = z.object({
  name: str,
  source: str,
  run_id: str,
  tags: z.array(tagInput).optional(),
  run_link: str,
  description: str,
  model_id: str,
});
export type CreateModelVersion = z.infer<typeof CreateModelVersion>;
export const UpdateModelVersion = z.object({ name: str, version: str, description: str });
export const TransitionModelVersionStage = z.object({
  name: str,
  version: str,
  stage: str,
  archive_existing_versions: z.boolean().optional(),
});
export const ModelVersionRequest = z.object({ name: str, version: str });
export const SearchModelVersions = z.object({
  filter: str,
  max_results: int64.optional(),
  order_by: z.array(z.string()).optional(),
  page_token: str,
});
export const SetModelVersionTag = z.object({ name: str, version: str, key: str, value: str });
export const DeleteModelVersionTag = z.object({ name: str, version: str, key: str });

export const RegisteredModelResponse = z.object({ registered_model: RegisteredModel });
export const ModelVersionResponse = z.object({ model_version: ModelVersion });
export const SearchRegisteredModelsResponse = z.object({
  registered_models: z.array(RegisteredModel).optional(),
  next_page_token: z.string().optional(),
});
export const ModelVersionsResponse = z.object({ model_versions: z.array(ModelVersion).optional() });
export const SearchModelVersionsResponse = z.object({
  model_versions: z.array(ModelVersion).optional(),
  next_page_token: z.string().optional(),
});
export const DownloadUriResponse = z.object({ artifact_uri: z.string().optional() });
