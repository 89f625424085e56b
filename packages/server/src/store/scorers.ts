import type { Row } from "@libsql/client";
import type { ScorerWire } from "@tracklite/schemas";
import { invalidParameter, notFound } from "../errors.js";
import { pyJsonDumps, pyJsonLoads } from "../traces/py-json.js";
import type { DbHandle } from "./db.js";
import { checkActive, type ExperimentStore } from "./experiments.js";
import { parseExperimentId } from "./ids.js";
import { experimentInWorkspace, inWorkspace } from "./workspace-scope.js";

/** A registered scorer version, as the store reads it (the serialized scorer as it was stored). */
export interface ScorerVersionRow {
  experimentId: number;
  scorerId: string;
  scorerName: string;
  scorerVersion: number;
  serializedScorer: string;
  creationTime: number;
}

/** The wire form; list answers re-serialize the JSON as the reference's `json.dumps(json.loads(…))` does. */
export function scorerToWire(v: ScorerVersionRow, redump: boolean): ScorerWire {
  return {
    experiment_id: v.experimentId,
    scorer_name: v.scorerName,
    scorer_version: v.scorerVersion,
    serialized_scorer: redump ? pyJsonDumps(pyJsonLoads(v.serializedScorer)) : v.serializedScorer,
    creation_time: v.creationTime,
    scorer_id: v.scorerId,
  };
}

const VERSION_COLUMNS = `s.experiment_id, s.scorer_id, s.scorer_name, v.scorer_version, v.serialized_scorer,
  v.creation_time`;

const asVersion = (r: Row): ScorerVersionRow => ({
  experimentId: Number(r.experiment_id),
  scorerId: String(r.scorer_id),
  scorerName: String(r.scorer_name),
  scorerVersion: Number(r.scorer_version),
  serializedScorer: String(r.serialized_scorer),
  creationTime: Number(r.creation_time),
});

const scorerNotFound = (name: string, experimentId: string) =>
  notFound(`Scorer with name '${name}' not found for experiment ${experimentId}.`);

/** The reference's `_validate_experiment_id` of each id in ListScorers' `experiment_ids`. */
const EXPERIMENT_ID = /^[a-zA-Z0-9][\w-]{0,63}$/;

/**
 * Registered scorers and their versions, per experiment. An experiment is reached through the experiment store, so
 * the workspace scoping and the "No Experiment" / "must be active" answers are the experiments' own.
 * @see mlflow/store/tracking/sqlalchemy_store.py register_scorer … list_scorer_versions
 */
export class ScorerStore {
  constructor(
    private readonly h: DbHandle,
    private readonly experiments: ExperimentStore,
  ) {}

  /** The active experiment's integer id, or the reference's refusal. */
  async activeExperiment(experimentId: string): Promise<number> {
    const row = await this.experiments.row(experimentId);
    checkActive(row);
    return row.experimentId;
  }

  private async scorerId(experiment: number, name: string): Promise<string | undefined> {
    const rs = await this.h.client.execute({
      sql: "SELECT scorer_id FROM scorers WHERE experiment_id = ? AND scorer_name = ?",
      args: [experiment, name],
    });
    const id = rs.rows[0]?.scorer_id;
    return id === undefined || id === null ? undefined : String(id);
  }

  /** Adds a version (1, or one past the highest), creating the scorer on its first registration. */
  async register(experimentId: string, name: string, serializedScorer: string): Promise<ScorerVersionRow> {
    return this.h.writer.run(async () => {
      const experiment = await this.activeExperiment(experimentId);
      const scorerId = (await this.scorerId(experiment, name)) ?? crypto.randomUUID();
      const creationTime = Date.now();
      await this.h.client.batch(
        [
          {
            sql: "INSERT OR IGNORE INTO scorers (scorer_id, experiment_id, scorer_name) VALUES (?, ?, ?)",
            args: [scorerId, experiment, name],
          },
          {
            sql: `INSERT INTO scorer_versions (scorer_id, scorer_version, serialized_scorer, creation_time)
              SELECT ?, COALESCE(MAX(scorer_version), 0) + 1, ?, ? FROM scorer_versions WHERE scorer_id = ?`,
            args: [scorerId, serializedScorer, creationTime, scorerId],
          },
        ],
        "write",
      );
      const rs = await this.h.client.execute({
        sql: "SELECT MAX(scorer_version) AS v FROM scorer_versions WHERE scorer_id = ?",
        args: [scorerId],
      });
      return {
        experimentId: experiment,
        scorerId,
        scorerName: name,
        scorerVersion: Number(rs.rows[0]?.v),
        serializedScorer,
        creationTime,
      };
    });
  }

  /** The latest version of each scorer of the experiments, ordered by experiment then name. */
  private async latestOf(experimentIds: readonly number[]): Promise<ScorerVersionRow[]> {
    if (experimentIds.length === 0) return [];
    const rs = await this.h.client.execute({
      sql: `SELECT ${VERSION_COLUMNS} FROM scorers s JOIN scorer_versions v ON v.scorer_id = s.scorer_id
        WHERE s.experiment_id IN (SELECT value FROM json_each(?))
          AND v.scorer_version = (SELECT MAX(scorer_version) FROM scorer_versions WHERE scorer_id = s.scorer_id)
        ORDER BY s.experiment_id, s.scorer_name`,
      args: [JSON.stringify(experimentIds)],
    });
    return rs.rows.map(asVersion);
  }

  /** ListScorers of one experiment (which must be active). */
  async list(experimentId: string): Promise<ScorerVersionRow[]> {
    return this.latestOf([await this.activeExperiment(experimentId)]);
  }

  /**
   * ListScorers of several experiments: ids are checked, then those that are not active experiments of the workspace
   * are left out silently. Without ids, every active experiment of the workspace.
   */
  async listAcross(experimentIds: readonly string[] | undefined): Promise<ScorerVersionRow[]> {
    let ids: number[];
    if (experimentIds === undefined) {
      const ws = inWorkspace(this.h, "workspace");
      const rs = await this.h.client.execute({
        sql: `SELECT experiment_id FROM experiments WHERE lifecycle_stage = 'active'${ws.sql}`,
        args: ws.args,
      });
      ids = rs.rows.map((r) => Number(r.experiment_id));
    } else {
      const unique = [...new Set(experimentIds)];
      for (const id of unique) {
        if (!EXPERIMENT_ID.test(id)) throw invalidParameter(`Invalid experiment ID: '${id}'`);
      }
      const parsed = unique.map((id) => parseExperimentId(id));
      const ws = inWorkspace(this.h, "workspace");
      const rs = await this.h.client.execute({
        sql: `SELECT experiment_id FROM experiments WHERE experiment_id IN (SELECT value FROM json_each(?))
          AND lifecycle_stage = 'active'${ws.sql}`,
        args: [JSON.stringify(parsed), ...ws.args],
      });
      ids = rs.rows.map((r) => Number(r.experiment_id));
    }
    return this.latestOf(ids);
  }

  /** One version of a scorer, the latest without `version`. */
  async get(experimentId: string, name: string, version: number | undefined): Promise<ScorerVersionRow> {
    const experiment = await this.activeExperiment(experimentId);
    const rs = await this.h.client.execute({
      sql: `SELECT ${VERSION_COLUMNS} FROM scorers s JOIN scorer_versions v ON v.scorer_id = s.scorer_id
        WHERE s.experiment_id = ? AND s.scorer_name = ?${version === undefined ? "" : " AND v.scorer_version = ?"}
        ORDER BY v.scorer_version DESC LIMIT 1`,
      args: version === undefined ? [experiment, name] : [experiment, name, version],
    });
    const row = rs.rows[0];
    if (row) return asVersion(row);
    if (version !== undefined && (await this.scorerId(experiment, name)) !== undefined)
      throw notFound(`Scorer with name '${name}' and version ${version} not found for experiment ${experimentId}.`);
    throw scorerNotFound(name, experimentId);
  }

  /** Every version of a scorer, oldest first. */
  async versions(experimentId: string, name: string): Promise<ScorerVersionRow[]> {
    const experiment = await this.activeExperiment(experimentId);
    const rs = await this.h.client.execute({
      sql: `SELECT ${VERSION_COLUMNS} FROM scorers s JOIN scorer_versions v ON v.scorer_id = s.scorer_id
        WHERE s.experiment_id = ? AND s.scorer_name = ? ORDER BY v.scorer_version`,
      args: [experiment, name],
    });
    if (rs.rows.length === 0) throw scorerNotFound(name, experimentId);
    return rs.rows.map(asVersion);
  }

  /**
   * Deletes one version, or (without `version`) every version, the scorer itself and its online configuration. A
   * scorer whose versions were all deleted one by one stays, with none.
   */
  async delete(experimentId: string, name: string, version: number | undefined): Promise<void> {
    await this.h.writer.run(async () => {
      const experiment = await this.activeExperiment(experimentId);
      const scorerId = await this.scorerId(experiment, name);
      if (scorerId === undefined) throw scorerNotFound(name, experimentId);
      const rs = await this.h.client.execute({
        sql: `DELETE FROM scorer_versions WHERE scorer_id = ?${version === undefined ? "" : " AND scorer_version = ?"}`,
        args: version === undefined ? [scorerId] : [scorerId, version],
      });
      if (rs.rowsAffected === 0) {
        if (version !== undefined)
          throw notFound(`Scorer with name '${name}' and version ${version} not found for experiment ${experimentId}.`);
        throw scorerNotFound(name, experimentId);
      }
      if (version === undefined) {
        await this.h.client.batch(
          [
            { sql: "DELETE FROM online_scoring_configs WHERE scorer_id = ?", args: [scorerId] },
            { sql: "DELETE FROM scorers WHERE scorer_id = ?", args: [scorerId] },
          ],
          "write",
        );
      }
    });
  }

  /** The scorer id and latest version of a scorer of an active experiment (for online configuration). */
  async latestForConfig(
    experimentId: string,
    name: string,
  ): Promise<{ experiment: number; scorerId: string; latest: string | undefined }> {
    const experiment = await this.activeExperiment(experimentId);
    const scorerId = await this.scorerId(experiment, name);
    if (scorerId === undefined) throw scorerNotFound(name, experimentId);
    const rs = await this.h.client.execute({
      sql: "SELECT serialized_scorer FROM scorer_versions WHERE scorer_id = ? ORDER BY scorer_version DESC LIMIT 1",
      args: [scorerId],
    });
    const latest = rs.rows[0]?.serialized_scorer;
    return { experiment, scorerId, latest: latest === undefined || latest === null ? undefined : String(latest) };
  }

  /** Scoping for reads by scorer id: a scorer belongs to its experiment's workspace. */
  scorerScope(column: string) {
    return experimentInWorkspace(this.h, column);
  }
}
