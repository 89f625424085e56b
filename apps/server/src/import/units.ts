import { sinkUnit } from "@tracklite/server/import";

/**
 * The names of the units an import commits one at a time, as the sink's checkpoint table keeps them (the sink's own
 * `sinkUnit`, plus the users'): an interrupted import resumes by skipping every unit already marked done. The
 * sink marks a run in the same commit as its rows; other units the orchestrator marks again afterwards (marking is
 * idempotent), so that resume holds whatever the sink does for them.
 * Artifact copies have units of their own: `artifactUnit` in artifacts/artifact-locations.ts.
 */
export const importUnit = {
  ...sinkUnit,
  authUser: (username: string) => `user:${username}`,
} as const;
