import type { InValue } from "@libsql/client";
import { eq, type SQL } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import type { DbHandle } from "./db.js";

/**
 * The one way a store query is confined to the request's workspace. Each helper adds nothing when workspaces are off
 * (`h.workspace` undefined), so the single-tenant fast paths keep their exact SQL.
 * @see mlflow/store/tracking/sqlalchemy_workspace_store.py `_get_query` (experiments and what hangs off them)
 * @see mlflow/store/model_registry/sqlalchemy_store.py `_get_workspace_clauses`
 */

export const DEFAULT_WORKSPACE = "default";

/** A SQL fragment (with its arguments) to append to a WHERE clause. */
export interface ScopeSql {
  sql: string;
  args: InValue[];
}

const NONE: ScopeSql = { sql: "", args: [] };

/** ` AND <column> = ?` for a table with its own workspace column (experiments, registered_models, webhooks). */
export function inWorkspace(h: DbHandle, column: string): ScopeSql {
  return h.workspace === undefined ? NONE : { sql: ` AND ${column} = ?`, args: [h.workspace] };
}

/**
 * ` AND` the row's experiment is in the workspace: runs, logged models and everything under them belong to their
 * experiment's workspace. One primary-key probe per row.
 */
export function experimentInWorkspace(h: DbHandle, experimentIdColumn: string): ScopeSql {
  return h.workspace === undefined
    ? NONE
    : {
        sql: ` AND EXISTS (SELECT 1 FROM experiments ws_e WHERE ws_e.experiment_id = ${experimentIdColumn} AND ws_e.workspace = ?)`,
        args: [h.workspace],
      };
}

/**
 * The experiment ids of a search that are in the workspace, in their order: other workspaces' experiments are left
 * out silently, as the reference's `_filter_experiment_ids` does. No query when workspaces are off.
 */
export async function experimentsInWorkspace<T extends number | string>(h: DbHandle, ids: T[]): Promise<T[]> {
  if (h.workspace === undefined || ids.length === 0) return ids;
  const rs = await h.client.execute({
    sql: `SELECT experiment_id FROM experiments WHERE experiment_id IN (SELECT value FROM json_each(?)) AND workspace = ?`,
    args: [JSON.stringify(ids), h.workspace],
  });
  const found = new Set(rs.rows.map((r) => Number(r.experiment_id)));
  // An id that is no integer stays, for the search's own check to refuse it with the reference's message.
  return ids.filter((id) => found.has(Number(id)) || !/^-?\d+$/.test(String(id)));
}

/** The run ids (MLflow's 32-hex) that belong to the workspace, in their order; all of them when workspaces are off. */
export async function runsInWorkspace(h: DbHandle, runUuids: string[]): Promise<string[]> {
  if (h.workspace === undefined || runUuids.length === 0) return runUuids;
  const scope = experimentInWorkspace(h, "r.experiment_id");
  const rs = await h.client.execute({
    sql: `SELECT r.run_uuid FROM runs r WHERE r.run_uuid IN (SELECT value FROM json_each(?))${scope.sql}`,
    args: [JSON.stringify(runUuids), ...scope.args],
  });
  const found = new Set(rs.rows.map((r) => String(r.run_uuid)));
  return runUuids.filter((id) => found.has(id));
}

/** The drizzle form of `inWorkspace`: undefined (which `and()` drops) when workspaces are off. */
export function workspaceEq(h: DbHandle, column: SQLiteColumn): SQL | undefined {
  return h.workspace === undefined ? undefined : eq(column, h.workspace);
}

/** The workspace a new row is written to. */
export const writeWorkspace = (h: DbHandle): string => h.workspace ?? DEFAULT_WORKSPACE;
