import { ISSUE_SEVERITIES, ISSUE_STATUSES } from "@tracklite/schemas";
import type { Hono } from "hono";
import { clientCrash, invalidParameter } from "../errors.js";
import { mount } from "../http/mount.js";
import { parseIssueFilter } from "../search/issue-filter.js";
import type { Store } from "../store/index.js";
import { storeIn } from "../workspaces/middleware.js";
import { MAX_RESULTS_THRESHOLD, offsetOf, page } from "./review-paging.js";

/**
 * A status or severity as the reference's enums take it. An unknown one crashes the reference (a ValueError, HTTP
 * 500); tracklite answers its message with 400 (see KNOWN_DIFFERENCES.md).
 */
function enumValue(value: string | undefined, allowed: readonly string[], enumName: string): string | undefined {
  if (value === undefined) return undefined;
  if (!allowed.includes(value)) throw clientCrash(`'${value}' is not a valid ${enumName}`);
  return value;
}

/** The store's `_validate_max_results_param` (null allowed). */
function checkMaxResults(n: number | undefined): void {
  if (n === undefined) return;
  if (n < 1)
    throw invalidParameter(`Invalid value ${n} for parameter 'max_results' supplied. It must be a positive integer`);
  if (n > MAX_RESULTS_THRESHOLD)
    throw invalidParameter(
      `Invalid value ${n} for parameter 'max_results' supplied. It must be at most ${MAX_RESULTS_THRESHOLD}`,
    );
}

/** /mlflow/issues[/…] (3.0 prefixes only). @see mlflow/server/handlers.py _create_issue … _search_issues */
export function issueRoutes(v3: Hono, store: Store): void {
  const at = storeIn(store);

  mount(v3, "createIssue", async (req, c) => {
    const status = enumValue(req.status, ISSUE_STATUSES, "IssueStatus") ?? "pending";
    const severity = enumValue(req.severity, ISSUE_SEVERITIES, "IssueSeverity");
    const issue = await at(c).issues.create({
      experimentId: req.experiment_id ?? "",
      name: req.name ?? "",
      description: req.description ?? "",
      status,
      severity,
      rootCauses: req.root_causes,
      sourceRunId: req.source_run_id || undefined,
      categories: req.categories,
      createdBy: req.created_by || undefined,
    });
    return { issue };
  });

  mount(v3, "getIssue", async (_req, c, { issue_id }) => ({ issue: await at(c).issues.get(issue_id) }));

  mount(v3, "updateIssue", async (req, c, { issue_id }) => {
    const status = enumValue(req.status, ISSUE_STATUSES, "IssueStatus");
    const severity = enumValue(req.severity, ISSUE_SEVERITIES, "IssueSeverity");
    // The path names the issue; the body's `issue_id` only has to be there (the reference's handler requires it).
    const issue = await at(c).issues.update(issue_id, {
      status,
      severity,
      name: req.name || undefined,
      description: req.description || undefined,
    });
    return { issue };
  });

  mount(v3, "searchIssues", async (req, c) => {
    checkMaxResults(req.max_results);
    const offset = offsetOf(req.page_token || undefined);
    const conditions = parseIssueFilter(req.filter_string || undefined);
    const result = await at(c).issues.search({
      experimentId: req.experiment_id || undefined,
      conditions,
      maxResults: req.max_results ?? 100,
      offset,
      includeTraceCount: req.include_trace_count ?? false,
    });
    return page("issues", result);
  });
}
