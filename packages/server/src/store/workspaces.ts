import type { InStatement } from "@libsql/client";
import type { Workspace, WorkspaceDeletionMode } from "@tracklite/schemas";
import { alreadyExists, invalidState, notFound } from "../errors.js";
import { pyRepr } from "../validation/validate.js";
import type { DbHandle } from "./db.js";
import { DEFAULT_WORKSPACE } from "./workspace-scope.js";

interface WorkspaceRow {
  name: string;
  description: string | null;
  default_artifact_root: string | null;
}

/**
 * The tables whose rows carry a workspace, in the reference's order (`_WORKSPACE_ROOT_MODELS`): what a RESTRICT delete
 * counts, a SET_DEFAULT delete checks for name clashes and moves, and a CASCADE delete removes.
 */
const ROOT_TABLES = ["registered_models", "experiments", "evaluation_datasets", "webhooks"] as const;

/**
 * What a CASCADE delete removes, children first: everything under the workspace's experiments (runs and what they
 * logged, logged models, datasets), its registered models with their versions, and its webhooks. `?` is the workspace.
 */
const EXPERIMENTS = "SELECT experiment_id FROM experiments WHERE workspace = ?";
const RUNS = `SELECT id FROM runs WHERE experiment_id IN (${EXPERIMENTS})`;
const LOGGED_MODELS = `SELECT id FROM logged_models WHERE experiment_id IN (${EXPERIMENTS})`;
const MODELS = "SELECT id FROM registered_models WHERE workspace = ?";
const CASCADE: readonly string[] = [
  ...["metric_chunks", "latest_metrics", "params", "tags", "run_dataset_inputs", "run_dataset_input_tags"].map(
    (t) => `DELETE FROM ${t} WHERE run_id IN (${RUNS})`,
  ),
  ...["run_model_inputs", "run_model_outputs"].map((t) => `DELETE FROM ${t} WHERE run_id IN (${RUNS})`),
  `DELETE FROM logged_model_metrics WHERE model_id IN (${LOGGED_MODELS})`,
  `DELETE FROM logged_model_params WHERE model_id IN (${LOGGED_MODELS})`,
  `DELETE FROM logged_model_tags WHERE model_id IN (${LOGGED_MODELS})`,
  `DELETE FROM logged_models WHERE experiment_id IN (${EXPERIMENTS})`,
  `DELETE FROM runs WHERE experiment_id IN (${EXPERIMENTS})`,
  `DELETE FROM datasets WHERE experiment_id IN (${EXPERIMENTS})`,
  `DELETE FROM experiment_tags WHERE experiment_id IN (${EXPERIMENTS})`,
  "DELETE FROM experiments WHERE workspace = ?",
  `DELETE FROM model_version_tags WHERE version_id IN (SELECT id FROM model_versions WHERE model_id IN (${MODELS}))`,
  `DELETE FROM model_versions WHERE model_id IN (${MODELS})`,
  `DELETE FROM registered_model_aliases WHERE model_id IN (${MODELS})`,
  `DELETE FROM registered_model_tags WHERE model_id IN (${MODELS})`,
  "DELETE FROM registered_models WHERE workspace = ?",
  "DELETE FROM webhook_events WHERE webhook_row IN (SELECT id FROM webhooks WHERE workspace = ?)",
  "DELETE FROM webhooks WHERE workspace = ?",
  // GenAI evaluation datasets: their tags, records and experiment links go with them.
  ...["evaluation_dataset_tags", "evaluation_dataset_records"].map(
    (t) => `DELETE FROM ${t} WHERE dataset_id IN (SELECT dataset_id FROM evaluation_datasets WHERE workspace = ?)`,
  ),
  "DELETE FROM entity_associations WHERE source_type = 'evaluation_dataset' AND source_id IN (SELECT dataset_id FROM evaluation_datasets WHERE workspace = ?)",
  "DELETE FROM evaluation_datasets WHERE workspace = ?",
];

/**
 * Workspaces: list, get, create, update and delete (with the reference's three modes).
 * @see mlflow/store/workspace/sqlalchemy_store.py
 */
export class WorkspaceStore {
  constructor(
    private readonly h: DbHandle,
    /** Told when a workspace is gone, so that the store's view of it is dropped. */
    private readonly onDeleted: (name: string) => void = () => {},
  ) {}

  async list(): Promise<Workspace[]> {
    const rs = await this.h.client.execute("SELECT * FROM workspaces ORDER BY name");
    return (rs.rows as unknown as WorkspaceRow[]).map(toWire);
  }

  async get(name: string): Promise<Workspace> {
    return toWire(await this.row(name));
  }

  async create(workspace: {
    name: string;
    description?: string | undefined;
    defaultArtifactRoot?: string | undefined;
  }) {
    return this.h.writer.run(async () => {
      const rs = await this.h.client.execute({
        sql: "INSERT INTO workspaces (name, description, default_artifact_root) VALUES (?, ?, ?) ON CONFLICT DO NOTHING RETURNING *",
        args: [workspace.name, workspace.description ?? null, workspace.defaultArtifactRoot || null],
      });
      const row = rs.rows[0] as unknown as WorkspaceRow | undefined;
      if (!row) {
        throw alreadyExists(
          `Workspace '${workspace.name}' already exists. Error: (sqlite3.IntegrityError) UNIQUE constraint failed: workspaces.name`,
        );
      }
      return toWire(row);
    });
  }

  /** Sets the fields given; an empty `defaultArtifactRoot` clears it. */
  async update(name: string, changes: { description?: string | undefined; defaultArtifactRoot?: string | undefined }) {
    return this.h.writer.run(async () => {
      const row = await this.row(name);
      const next: WorkspaceRow = {
        ...row,
        ...(changes.description !== undefined ? { description: changes.description } : {}),
        ...(changes.defaultArtifactRoot !== undefined
          ? { default_artifact_root: changes.defaultArtifactRoot || null }
          : {}),
      };
      await this.h.client.execute({
        sql: "UPDATE workspaces SET description = ?, default_artifact_root = ? WHERE name = ?",
        args: [next.description, next.default_artifact_root, name],
      });
      return toWire(next);
    });
  }

  /**
   * Deletes a workspace. RESTRICT refuses while any experiment, registered model or webhook is in it; CASCADE deletes
   * them with everything under them; SET_DEFAULT moves them to the default workspace unless a name would clash there.
   */
  async delete(name: string, mode: WorkspaceDeletionMode): Promise<void> {
    if (name === DEFAULT_WORKSPACE) throw invalidState(`Cannot delete the reserved '${DEFAULT_WORKSPACE}' workspace`);
    await this.h.writer.run(async () => {
      await this.row(name);
      const stmts: InStatement[] = [];
      if (mode === "RESTRICT") {
        for (const table of ROOT_TABLES) {
          const rs = await this.h.client.execute({
            sql: `SELECT count(*) AS n FROM ${table} WHERE workspace = ?`,
            args: [name],
          });
          const n = Number(rs.rows[0]?.n ?? 0);
          if (n > 0) {
            throw invalidState(
              `Cannot delete workspace '${name}': table '${table}' still contains ${n} resource(s). Remove or reassign them before deleting the workspace.`,
            );
          }
        }
      } else if (mode === "CASCADE") {
        for (const sql of CASCADE) stmts.push({ sql, args: Array(sql.split("?").length - 1).fill(name) });
      } else {
        await this.checkSetDefaultConflicts(name);
        for (const table of ROOT_TABLES) {
          stmts.push({ sql: `UPDATE ${table} SET workspace = ? WHERE workspace = ?`, args: [DEFAULT_WORKSPACE, name] });
        }
      }
      stmts.push({ sql: "DELETE FROM workspaces WHERE name = ?", args: [name] });
      await this.h.client.batch(stmts, "write");
    });
    this.onDeleted(name);
  }

  /** The reference's preflight of SET_DEFAULT: every name that already exists in the default workspace. */
  private async checkSetDefaultConflicts(name: string): Promise<void> {
    const conflicts: string[] = [];
    for (const table of ROOT_TABLES) {
      const rs = await this.h.client.execute({
        sql: `SELECT name FROM ${table} WHERE workspace = ? AND name IN (SELECT name FROM ${table} WHERE workspace = ?)`,
        args: [name, DEFAULT_WORKSPACE],
      });
      for (const r of rs.rows) conflicts.push(`  - ${table}: ${pyRepr(String(r.name))}`);
    }
    if (conflicts.length > 0) {
      throw invalidState(
        `Cannot reassign resources from workspace '${name}' to '${DEFAULT_WORKSPACE}': the following names already exist in the default workspace and would cause conflicts:\n${conflicts.join("\n")}\nRename or remove the conflicting resources before retrying.`,
      );
    }
  }

  private async row(name: string): Promise<WorkspaceRow> {
    const rs = await this.h.client.execute({ sql: "SELECT * FROM workspaces WHERE name = ?", args: [name] });
    const row = rs.rows[0] as unknown as WorkspaceRow | undefined;
    if (!row) throw notFound(`Workspace '${name}' not found`);
    return row;
  }
}

function toWire(row: WorkspaceRow): Workspace {
  return {
    name: row.name,
    ...(row.description !== null ? { description: row.description } : {}),
    ...(row.default_artifact_root !== null ? { default_artifact_root: row.default_artifact_root } : {}),
  };
}

/**
 * With workspaces off, a database that holds another workspace's experiments, models or webhooks is refused at start,
 * as the reference refuses it: they would otherwise show up in the single-tenant server.
 * @see mlflow/store/tracking/sqlalchemy_store.py `_initialize_store_state`
 */
export async function refuseForeignWorkspaces(h: DbHandle): Promise<void> {
  const what = { experiments: "experiments", registered_models: "registered models", webhooks: "webhooks" } as const;
  for (const table of ["experiments", "registered_models", "webhooks"] as const) {
    const rs = await h.client.execute({
      sql: `SELECT workspace FROM ${table} WHERE workspace != ? LIMIT 1`,
      args: [DEFAULT_WORKSPACE],
    });
    const found = rs.rows[0];
    if (found) {
      throw new Error(
        `Cannot disable workspaces because ${what[table]} exist outside the default workspace (for example in workspace '${String(found.workspace)}'). Enable workspace support (MLFLOW_ENABLE_WORKSPACES=true) or move them back to the default workspace before starting in single-tenant mode.`,
      );
    }
  }
}
