import type { Experiment, ViewType } from "@tracklite/schemas";
import { and, eq, inArray, sql } from "drizzle-orm";
import { alreadyExists, invalidParameter, invalidState, MlflowError, notFound } from "../errors.js";
import { validateExperimentName, validateExperimentTag } from "../validation/validate.js";
import type { DbHandle } from "./db.js";
import { appendToUri, parseExperimentId } from "./ids.js";
import { resolveUriIfLocal } from "./local-uri.js";
import { experiments, experimentTags, runs, workspaces } from "./schema.js";
import { type SearchExperimentsArgs, searchExperiments } from "./search-experiments.js";
import { DEFAULT_WORKSPACE, workspaceEq, writeWorkspace } from "./workspace-scope.js";

export const DEFAULT_EXPERIMENT_ID = 0;

export function stagesOf(view: ViewType | undefined): string[] {
  if (view === "DELETED_ONLY") return ["deleted"];
  if (view === "ALL") return ["active", "deleted"];
  return ["active"];
}

type ExperimentRow = typeof experiments.$inferSelect;

/** Experiments: create, read, rename, delete, restore, tags and search. */
export class ExperimentStore {
  constructor(
    private readonly h: DbHandle,
    private readonly artifactRoot: string,
    /** With `--enable-workspaces`, new experiments' artifacts go under `<root>/workspaces/<workspace>/`. */
    private readonly workspacesEnabled = false,
    /** The folder relative artifact locations are resolved against (none on runtimes without a filesystem). */
    private readonly workingDirectory?: string,
  ) {}

  /**
   * Where a new experiment of the handle's workspace keeps its artifacts: the workspace's own root when it has one,
   * else `<root>/workspaces/<name>` when workspaces are on (the default workspace too), else the server's root.
   * @see mlflow/store/tracking/sqlalchemy_workspace_store.py `_get_artifact_location`
   */
  private async experimentRoot(): Promise<string> {
    if (!this.workspacesEnabled) return this.artifactRoot;
    const name = writeWorkspace(this.h);
    const [row] = await this.h.db
      .select({ root: workspaces.defaultArtifactRoot })
      .from(workspaces)
      .where(eq(workspaces.name, name));
    return row?.root || appendToUri(this.artifactRoot, "workspaces", name);
  }

  /** Creates the Default experiment (id 0, in the default workspace) on first start, as MLflow clients expect it. */
  async ensureDefault(): Promise<void> {
    const now = Date.now();
    const root = this.workspacesEnabled
      ? appendToUri(this.artifactRoot, "workspaces", DEFAULT_WORKSPACE)
      : this.artifactRoot;
    await this.h.writer.run(() =>
      this.h.db
        .insert(experiments)
        .values({
          experimentId: DEFAULT_EXPERIMENT_ID,
          name: "Default",
          artifactLocation: appendToUri(root, "0"),
          creationTime: now,
          lastUpdateTime: now,
        })
        .onConflictDoNothing(),
    );
  }

  async create(
    name: string,
    artifactLocation: string | undefined,
    tags: { key?: string; value?: string }[] = [],
  ): Promise<string> {
    if (this.h.workspace !== undefined && artifactLocation) {
      throw invalidParameter("artifact_location cannot be specified when workspaces are enabled");
    }
    validateExperimentName(name);
    for (const t of tags) validateExperimentTag(t.key, t.value);
    // A relative local location is made absolute against the server's working folder, as the reference does.
    const location = artifactLocation ? resolveUriIfLocal(artifactLocation, this.workingDirectory) : artifactLocation;
    const root = await this.experimentRoot();
    return this.h.writer.run(async () => {
      const existing = await this.h.db
        .select({ id: experiments.experimentId })
        .from(experiments)
        .where(and(eq(experiments.name, name), workspaceEq(this.h, experiments.workspace)));
      if (existing.length > 0) {
        throw alreadyExists(
          `Experiment(name=${name}) already exists. Error: (sqlite3.IntegrityError) UNIQUE constraint failed: experiments.workspace, experiments.name`,
        );
      }
      const now = Date.now();
      const [row] = await this.h.db
        .insert(experiments)
        .values({
          name,
          artifactLocation: location || "",
          creationTime: now,
          lastUpdateTime: now,
          workspace: writeWorkspace(this.h),
        })
        .returning({ id: experiments.experimentId });
      const id = row?.id ?? 0;
      const stmts = [];
      if (!location) {
        stmts.push(
          this.h.db
            .update(experiments)
            .set({ artifactLocation: appendToUri(root, String(id)) })
            .where(eq(experiments.experimentId, id)),
        );
      }
      const seen = new Map<string, string>();
      for (const t of tags) seen.set(t.key ?? "", t.value ?? "");
      if (seen.size > 0) {
        stmts.push(
          this.h.db.insert(experimentTags).values([...seen].map(([key, value]) => ({ experimentId: id, key, value }))),
        );
      }
      if (stmts.length > 0) await this.h.db.batch(stmts as [(typeof stmts)[number]]);
      return String(id);
    });
  }

  /** The row of an experiment in one of `stages`; MLflow's "No Experiment with id=… exists" otherwise. */
  async row(id: string | number | undefined, stages = ["active", "deleted"]): Promise<ExperimentRow> {
    const n = parseExperimentId(id === "" || id === undefined ? "0" : id);
    const [row] = await this.h.db
      .select()
      .from(experiments)
      .where(
        and(
          eq(experiments.experimentId, n),
          inArray(experiments.lifecycleStage, stages),
          workspaceEq(this.h, experiments.workspace),
        ),
      );
    if (!row) throw notFound(`No Experiment with id=${n} exists`);
    return row;
  }

  async get(id: string): Promise<Experiment> {
    const row = await this.row(id);
    return (await this.toWire([row]))[0] as Experiment;
  }

  async getByName(name: string): Promise<Experiment | undefined> {
    const [row] = await this.h.db
      .select()
      .from(experiments)
      .where(and(eq(experiments.name, name), workspaceEq(this.h, experiments.workspace)));
    return row ? (await this.toWire([row]))[0] : undefined;
  }

  async rename(id: string, newName: string): Promise<void> {
    validateExperimentName(newName);
    await this.h.writer.run(async () => {
      const row = await this.row(id);
      if (row.lifecycleStage !== "active") throw invalidState("Cannot rename a non-active experiment.");
      const clash = await this.h.db
        .select({ id: experiments.experimentId })
        .from(experiments)
        .where(and(eq(experiments.name, newName), workspaceEq(this.h, experiments.workspace)));
      if (clash.length > 0 && clash[0]?.id !== row.experimentId) {
        // The reference lets the database's UNIQUE violation through as BAD_REQUEST; same code, same leading text.
        throw new MlflowError(
          "(sqlite3.IntegrityError) UNIQUE constraint failed: experiments.workspace, experiments.name",
          "BAD_REQUEST",
        );
      }
      await this.h.db
        .update(experiments)
        .set({ name: newName, lastUpdateTime: Date.now() })
        .where(eq(experiments.experimentId, row.experimentId));
    });
  }

  /** Marks an experiment and all its runs deleted (or active again). */
  async setLifecycle(id: string, to: "deleted" | "active"): Promise<void> {
    await this.h.writer.run(async () => {
      const row = await this.row(id, [to === "deleted" ? "active" : "deleted"]);
      const now = Date.now();
      await this.h.db.batch([
        this.h.db
          .update(experiments)
          .set({ lifecycleStage: to, lastUpdateTime: now })
          .where(eq(experiments.experimentId, row.experimentId)),
        this.h.db
          .update(runs)
          .set({ lifecycleStage: to, deletedTime: to === "deleted" ? now : null })
          .where(eq(runs.experimentId, row.experimentId)),
      ]);
    });
  }

  async setTag(id: string, key: string, value: string | undefined): Promise<void> {
    validateExperimentTag(key, value);
    await this.h.writer.run(async () => {
      const row = await this.row(id);
      checkActive(row);
      await this.h.db
        .insert(experimentTags)
        .values({ experimentId: row.experimentId, key, value: value ?? "" })
        .onConflictDoUpdate({ target: [experimentTags.experimentId, experimentTags.key], set: { value: value ?? "" } });
    });
  }

  async deleteTag(id: string, key: string): Promise<void> {
    await this.h.writer.run(async () => {
      const row = await this.row(id);
      checkActive(row);
      const deleted = await this.h.db
        .delete(experimentTags)
        .where(and(eq(experimentTags.experimentId, row.experimentId), eq(experimentTags.key, key)))
        .returning({ key: experimentTags.key });
      if (deleted.length === 0) throw notFound(`No tag with name: ${key} in experiment with id ${row.experimentId}`);
    });
  }

  async search(args: SearchExperimentsArgs): Promise<{ experiments: Experiment[]; nextPageToken?: string }> {
    const { rows, nextPageToken } = await searchExperiments(this.h, args);
    return { experiments: await this.toWire(rows), ...(nextPageToken ? { nextPageToken } : {}) };
  }

  /** Rows to wire experiments, with their tags in one query. */
  async toWire(rows: ExperimentRow[]): Promise<Experiment[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.experimentId);
    const tagRows = await this.h.db
      .select()
      .from(experimentTags)
      // One JSON parameter however long the page (up to 50,000): SQLite caps a statement's parameters at 32,766.
      .where(sql`${experimentTags.experimentId} IN (SELECT value FROM json_each(${JSON.stringify(ids)}))`)
      .orderBy(sql`rowid`);
    const byExperiment = new Map<number, { key: string; value: string }[]>();
    for (const t of tagRows) {
      const list = byExperiment.get(t.experimentId) ?? [];
      list.push({ key: t.key, value: t.value });
      byExperiment.set(t.experimentId, list);
    }
    return rows.map((r) => {
      const tags = byExperiment.get(r.experimentId);
      return {
        experiment_id: String(r.experimentId),
        name: r.name,
        artifact_location: r.artifactLocation,
        lifecycle_stage: r.lifecycleStage,
        last_update_time: r.lastUpdateTime,
        creation_time: r.creationTime,
        ...(tags ? { tags } : {}),
        workspace: r.workspace,
      };
    });
  }
}

/** The reference's `_check_experiment_is_active`. */
export function checkActive(row: ExperimentRow): void {
  if (row.lifecycleStage !== "active") {
    throw new MlflowError(
      `The experiment ${row.experimentId} must be in the 'active' state. Current state is ${row.lifecycleStage}.`,
      "INVALID_PARAMETER_VALUE",
    );
  }
}
