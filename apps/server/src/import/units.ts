/**
 * The names of the units an import commits one at a time, as the sink's checkpoint table keeps them (the sink's
 * `sinkUnit` spells them the same): an interrupted import resumes by skipping every unit already marked done. The
 * sink marks a run in the same commit as its rows; other units the orchestrator marks again afterwards (marking is
 * idempotent), so that resume holds whatever the sink does for them.
 * Artifact copies have units of their own: `artifactUnit` in artifacts/artifact-locations.ts.
 */
export const importUnit = {
  run: (runId: string) => `run:${runId}`,
  loggedModel: (modelId: string) => `logged-model:${modelId}`,
  trace: (traceId: string) => `trace:${traceId}`,
  scorer: (experimentId: string, name: string) => `scorer:${experimentId}:${name}`,
  evaluationDataset: (datasetId: string) => `dataset:${datasetId}`,
  registeredModel: (name: string) => `model:${name}`,
  webhook: (webhookId: string) => `webhook:${webhookId}`,
  authUser: (username: string) => `user:${username}`,
} as const;
