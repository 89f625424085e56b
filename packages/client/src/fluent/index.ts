export { ActiveRun, type ChildRunOptions, type MetricOptions } from "./active-run.js";
export type { QueueOptions } from "./batch-queue.js";
export { contextTags, RUN_TAGS, sourceName, userName } from "./run-context.js";
export { type StartRunOptions, Tracking, type TrackingOptions } from "./tracking.js";
