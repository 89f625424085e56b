export type { ArtifactSource } from "./artifacts.js";
export { BATCH_LIMITS, chunkBatch } from "./batch-limits.js";
export { type LoggedModelSearch, MlflowClient, type SearchOptions } from "./client.js";
export { type DatasetRecord, type DatasetRecordInput, parseRecords } from "./dataset-records.js";
export { isMlflowApiError, MlflowApiError } from "./errors.js";
export {
  ActiveRun,
  type ChildRunOptions,
  type MetricOptions,
  type QueueOptions,
  RUN_TAGS,
  type StartRunOptions,
  Tracking,
  type TrackingOptions,
} from "./fluent/index.js";
export { collect, type Page, paginate } from "./paging.js";
export { type PromptVersion, parsePromptUri } from "./prompts.js";
export {
  type AssessmentChanges,
  type ExactSpan,
  type ExactTrace,
  type ExpectationOptions,
  type FeedbackOptions,
  parseExactJson,
  spanDurationNs,
} from "./traces.js";
export { type ClientOptions, Transport } from "./transport.js";
