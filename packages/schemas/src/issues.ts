import * as z from "zod";
import { int32, pagedOf } from "./review-common.js";

/**
 * Issues: quality or operational problems found in an experiment's traces (by a person or an issue-detection run).
 * Traces point at an issue through `issue` assessments named by its id.
 * @see mlflow/protos/issues.proto, mlflow/entities/issue.py
 */

export const ISSUE_STATUSES = ["pending", "rejected", "resolved"] as const;
export type IssueStatus = (typeof ISSUE_STATUSES)[number];
/** Lowest to highest: a search lists the most severe first. */
export const ISSUE_SEVERITIES = ["not_an_issue", "low", "medium", "high"] as const;
export type IssueSeverity = (typeof ISSUE_SEVERITIES)[number];

export const Issue = z.object({
  issue_id: z.string(),
  experiment_id: z.string(),
  name: z.string(),
  description: z.string(),
  status: z.string(),
  severity: z.string().optional(),
  root_causes: z.array(z.string()).optional(),
  source_run_id: z.string().optional(),
  created_timestamp: z.number(),
  last_updated_timestamp: z.number(),
  created_by: z.string().optional(),
  categories: z.array(z.string()).optional(),
  trace_count: z.number().optional(),
});
export type Issue = z.infer<typeof Issue>;

export const CreateIssue = z.object({
  experiment_id: z.string().optional(),
  name: z.string().optional(),
  description: z.string().optional(),
  status: z.string().optional(),
  severity: z.string().optional(),
  root_causes: z.array(z.string()).optional(),
  source_run_id: z.string().optional(),
  created_by: z.string().optional(),
  categories: z.array(z.string()).optional(),
});

/** The issue id comes from the path, but the reference's handler also requires it in the body. */
export const UpdateIssue = z.object({
  issue_id: z.string().optional(),
  name: z.string().optional(),
  description: z.string().optional(),
  status: z.string().optional(),
  severity: z.string().optional(),
});

export const GetIssue = z.object({});

export const SearchIssues = z.object({
  experiment_id: z.string().optional(),
  filter_string: z.string().optional(),
  max_results: int32.optional(),
  page_token: z.string().optional(),
  include_trace_count: z.boolean().optional(),
});

export const IssueResponse = z.object({ issue: Issue });
export const SearchIssuesResponse = pagedOf("issues", Issue);
