import type { DbHandle } from "./db.js";
import { experimentInWorkspace } from "./workspace-scope.js";

/**
 * The experiment each trace belongs to. The basic-auth app judges a trace by its experiment's grants, as the
 * reference resolves `get_trace_info(trace_id).experiment_id` before each trace route.
 * @see mlflow/server/auth/__init__.py _authorize_trace
 */
export class TraceOwnerStore {
  constructor(private readonly h: DbHandle) {}

  /** The id of the trace's experiment, or undefined when there is no such trace (in the workspace). */
  async experimentOf(traceId: string): Promise<string | undefined> {
    const scope = experimentInWorkspace(this.h, "t.experiment_id");
    const rs = await this.h.client.execute({
      sql: `SELECT t.experiment_id FROM trace_info t WHERE t.request_id = ?${scope.sql}`,
      args: [traceId, ...scope.args],
    });
    const row = rs.rows[0];
    return row ? String(row.experiment_id) : undefined;
  }
}
