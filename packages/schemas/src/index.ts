export * from "./checks.js";
export * from "./endpoints.js";
export * from "./errors.js";
export * from "./experiments.js";
export * from "./logged-models.js";
export * from "./metrics.js";
export * from "./runs.js";
export * from "./wire.js";
