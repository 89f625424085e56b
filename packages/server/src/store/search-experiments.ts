import type { ViewType } from "@tracklite/schemas";
import { invalidParameter } from "../errors.js";
import { compileExperimentSearch } from "../search/index.js";
import { LIMITS } from "../validation/limits.js";
import type { DbHandle } from "./db.js";
import { runPagedSearch } from "./page-token.js";
import type { experiments } from "./schema.js";

export interface SearchExperimentsArgs {
  filter?: string | undefined;
  orderBy?: string[] | undefined;
  viewType?: ViewType | undefined;
  maxResults?: number | undefined;
  pageToken?: string | undefined;
}

type ExperimentRow = typeof experiments.$inferSelect;

/** Experiments search with the reference's grammar, ordering and page limits. */
export async function searchExperiments(
  h: DbHandle,
  args: SearchExperimentsArgs,
): Promise<{ rows: ExperimentRow[]; nextPageToken?: string }> {
  // The reference requires max_results here (an absent value reads as 0); MLflow's clients always send it.
  const maxResults = args.maxResults ?? 0;
  if (maxResults < 1) {
    throw invalidParameter(
      `Invalid value ${maxResults} for parameter 'max_results' supplied. It must be a positive integer`,
    );
  }
  if (maxResults > LIMITS.experimentsPerPage) {
    throw invalidParameter(
      `Invalid value ${maxResults} for parameter 'max_results' supplied. It must be at most ${LIMITS.experimentsPerPage}`,
    );
  }
  const compiled = compileExperimentSearch({
    ...(args.filter ? { filter: args.filter } : {}),
    ...(args.orderBy ? { orderBy: args.orderBy } : {}),
    viewType: args.viewType ?? "ACTIVE_ONLY",
    maxResults,
    ...(args.pageToken ? { pageToken: args.pageToken } : {}),
    workspace: h.workspace,
  });
  const { page, nextPageToken } = await runPagedSearch(h, compiled, maxResults);
  return {
    rows: page.map((r) => ({
      experimentId: Number(r.experiment_id),
      name: String(r.name),
      artifactLocation: String(r.artifact_location),
      lifecycleStage: String(r.lifecycle_stage),
      creationTime: Number(r.creation_time),
      lastUpdateTime: Number(r.last_update_time),
      workspace: String(r.workspace),
    })),
    ...(nextPageToken ? { nextPageToken } : {}),
  };
}
