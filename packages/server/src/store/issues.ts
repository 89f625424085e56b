import type { Row } from "@libsql/client";
import { ISSUE_SEVERITIES, type Issue } from "@tracklite/schemas";
import { MlflowError, notFound } from "../errors.js";
import { encodeOffsetToken } from "../search/registry-page-token.js";
import type { DbHandle } from "./db.js";
import type { ExperimentStore } from "./experiments.js";
import { newRunUuid, parseExperimentId } from "./ids.js";
import { experimentInWorkspace } from "./workspace-scope.js";

/** What CreateIssue stores (status and severity already checked). */
export interface NewIssue {
  experimentId: string;
  name: string;
  description: string;
  status: string;
  severity?: string | undefined;
  rootCauses?: string[] | undefined;
  sourceRunId?: string | undefined;
  categories?: string[] | undefined;
  createdBy?: string | undefined;
}

/** A comparison of an issue search's filter: `status` or `source_run_id`, `=` or `!=`. */
export interface IssueCondition {
  key: "status" | "source_run_id";
  comparator: "=" | "!=";
  value: string;
}

const COLUMNS =
  "i.issue_id, i.experiment_id, i.name, i.description, i.status, i.severity, i.root_causes, i.source_run_id, " +
  "i.categories, i.created_timestamp, i.last_updated_timestamp, i.created_by";

const nonEmptyList = (json: unknown): string[] | undefined => {
  if (typeof json !== "string" || json === "") return undefined;
  const list = JSON.parse(json) as string[];
  return list.length > 0 ? list : undefined;
};

/** The wire form: unset and empty fields left out, as the reference's `Issue.to_proto` does. */
function fromRow(r: Row, withTraceCount: boolean): Issue {
  const rootCauses = nonEmptyList(r.root_causes);
  const categories = nonEmptyList(r.categories);
  return {
    issue_id: String(r.issue_id),
    experiment_id: String(r.experiment_id),
    name: String(r.name),
    description: String(r.description),
    status: String(r.status),
    ...(r.severity ? { severity: String(r.severity) } : {}),
    ...(rootCauses ? { root_causes: rootCauses } : {}),
    ...(r.source_run_id ? { source_run_id: String(r.source_run_id) } : {}),
    created_timestamp: Number(r.created_timestamp),
    last_updated_timestamp: Number(r.last_updated_timestamp),
    ...(r.created_by ? { created_by: String(r.created_by) } : {}),
    ...(categories ? { categories } : {}),
    ...(withTraceCount ? { trace_count: Number(r.trace_count ?? 0) } : {}),
  };
}

/** The severity's rank (most severe highest), -1 for none: the search's first sort key. */
const SEVERITY_RANK = `CASE i.severity ${ISSUE_SEVERITIES.map((s, i) => `WHEN '${s}' THEN ${i}`).join(" ")} ELSE -1 END`;

/**
 * Issues of experiments, and the count of traces that reference each (through `issue` assessments named by its id).
 * @see mlflow/store/tracking/sqlalchemy_store.py create_issue, get_issue, update_issue, search_issues
 */
export class IssueStore {
  constructor(
    private readonly h: DbHandle,
    private readonly experiments: ExperimentStore,
  ) {}

  async create(n: NewIssue): Promise<Issue> {
    return this.h.writer.run(async () => {
      const experimentId = (await this.experiments.row(n.experimentId, ["active"])).experimentId;
      if (n.sourceRunId !== undefined) {
        // The reference's foreign key to runs refuses an unknown run (with SQLAlchemy's words; see KNOWN_DIFFERENCES).
        const run = await this.h.client.execute({
          sql: "SELECT 1 FROM runs WHERE run_uuid = ?",
          args: [n.sourceRunId],
        });
        if (run.rows.length === 0) throw new MlflowError("FOREIGN KEY constraint failed", "BAD_REQUEST");
      }
      const issueId = `iss-${newRunUuid()}`;
      const now = Date.now();
      await this.h.client.execute({
        sql: `INSERT INTO issues (issue_id, experiment_id, name, description, status, severity, root_causes, source_run_id,
                categories, created_timestamp, last_updated_timestamp, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        args: [
          issueId,
          experimentId,
          n.name,
          n.description,
          n.status,
          n.severity ?? null,
          n.rootCauses?.length ? JSON.stringify(n.rootCauses) : null,
          n.sourceRunId ?? null,
          n.categories?.length ? JSON.stringify(n.categories) : null,
          now,
          now,
          n.createdBy ?? null,
        ],
      });
      return this.get(issueId);
    });
  }

  /** The issue's experiment (for permission checks), or undefined. */
  async experimentOf(issueId: string): Promise<string | undefined> {
    const rs = await this.h.client.execute({
      sql: "SELECT experiment_id FROM issues WHERE issue_id = ?",
      args: [issueId],
    });
    const r = rs.rows[0];
    return r ? String(r.experiment_id) : undefined;
  }

  async get(issueId: string): Promise<Issue> {
    const scope = experimentInWorkspace(this.h, "i.experiment_id");
    const rs = await this.h.client.execute({
      sql: `SELECT ${COLUMNS} FROM issues i WHERE i.issue_id = ?${scope.sql}`,
      args: [issueId, ...scope.args],
    });
    const r = rs.rows[0];
    if (!r) throw notFound(`Issue with ID '${issueId}' not found`);
    return fromRow(r, false);
  }

  async update(
    issueId: string,
    c: {
      status?: string | undefined;
      name?: string | undefined;
      description?: string | undefined;
      severity?: string | undefined;
    },
  ): Promise<Issue> {
    return this.h.writer.run(async () => {
      await this.get(issueId);
      const sets = ["last_updated_timestamp = ?"];
      const args: (string | number)[] = [Date.now()];
      for (const [column, value] of [
        ["status", c.status],
        ["name", c.name],
        ["description", c.description],
        ["severity", c.severity],
      ] as const) {
        if (value === undefined) continue;
        sets.push(`${column} = ?`);
        args.push(value);
      }
      await this.h.client.execute({
        sql: `UPDATE issues SET ${sets.join(", ")} WHERE issue_id = ?`,
        args: [...args, issueId],
      });
      return this.get(issueId);
    });
  }

  /** A page of issues: most severe first, then (with counts) most traces, then newest. */
  async search(args: {
    experimentId?: string | undefined;
    conditions: IssueCondition[];
    maxResults: number;
    offset: number;
    includeTraceCount: boolean;
  }): Promise<{ items: Issue[]; next?: string }> {
    const where: string[] = [];
    const params: (string | number)[] = [];
    if (args.experimentId !== undefined) {
      where.push("i.experiment_id = ?");
      params.push(parseExperimentId(args.experimentId));
    }
    for (const c of args.conditions) {
      where.push(`i.${c.key} ${c.comparator} ?`);
      params.push(c.value);
    }
    const scope = experimentInWorkspace(this.h, "i.experiment_id");
    const count = args.includeTraceCount
      ? `, (SELECT COUNT(DISTINCT a.trace_row) FROM assessments a
           WHERE a.name = i.issue_id AND a.assessment_type = 'issue') AS trace_count`
      : "";
    const rs = await this.h.client.execute({
      sql: `SELECT ${COLUMNS}${count} FROM issues i WHERE 1 = 1${where.map((w) => ` AND ${w}`).join("")}${scope.sql}
            ORDER BY ${SEVERITY_RANK} DESC${args.includeTraceCount ? ", trace_count DESC" : ""},
              i.created_timestamp DESC, i.issue_id DESC LIMIT ? OFFSET ?`,
      args: [...params, ...scope.args, args.maxResults + 1, args.offset],
    });
    const items = rs.rows.map((r) => fromRow(r, args.includeTraceCount));
    return {
      items: items.slice(0, args.maxResults),
      ...(items.length > args.maxResults ? { next: encodeOffsetToken(args.offset + args.maxResults) } : {}),
    };
  }
}
