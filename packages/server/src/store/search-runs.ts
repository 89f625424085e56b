import type { Run } from "@tracklite/schemas";
import { invalidParameter } from "../errors.js";
import { compileRunSearch } from "../search/index.js";
import { LIMITS } from "../validation/limits.js";
import { API_DOCS, invalidValue } from "../validation/messages.js";
import type { DbHandle } from "./db.js";
import { parseExperimentId } from "./ids.js";
import { runPagedSearch } from "./page-token.js";
import { loadRuns } from "./run-loader.js";
import { experimentsInWorkspace } from "./workspace-scope.js";

export interface SearchRunsArgs {
  experimentIds: (string | number)[];
  filter?: string | undefined;
  orderBy?: string[] | undefined;
  viewType?: "ACTIVE_ONLY" | "DELETED_ONLY" | "ALL" | undefined;
  maxResults?: number | undefined;
  pageToken?: string | undefined;
}

/** Runs search: the compiled filter picks and orders run ids page by page, then whole runs are loaded for the page. */
export async function searchRuns(h: DbHandle, args: SearchRunsArgs): Promise<{ runs: Run[]; nextPageToken?: string }> {
  const maxResults = args.maxResults ?? 1000;
  if (maxResults > LIMITS.runsPerPage) {
    // The reference's handler check has no message of its own, hence its generic wording.
    throw invalidParameter(invalidValue("max_results", maxResults, " Hint: Value was of type 'int'.") + API_DOCS);
  }
  if (maxResults <= 0) {
    throw invalidParameter(
      `Invalid value ${maxResults} for parameter 'max_results' supplied. It must be a positive integer`,
    );
  }
  const experimentIds = await experimentsInWorkspace(h, args.experimentIds.map(parseExperimentId));
  if (experimentIds.length === 0) return { runs: [] };
  const compiled = compileRunSearch({
    experimentIds,
    ...(args.filter ? { filter: args.filter } : {}),
    ...(args.orderBy ? { orderBy: args.orderBy } : {}),
    viewType: args.viewType ?? "ACTIVE_ONLY",
    maxResults,
    ...(args.pageToken ? { pageToken: args.pageToken } : {}),
  });
  const { page, nextPageToken } = await runPagedSearch(h, compiled, maxResults);
  const ids = page.map((r) => Number(r.id));
  return {
    runs: await loadRuns(h, ids, { outputs: true, modelInputs: false }),
    ...(nextPageToken ? { nextPageToken } : {}),
  };
}
