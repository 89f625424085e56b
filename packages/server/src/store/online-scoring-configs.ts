import type { OnlineScoringConfigWire } from "@tracklite/schemas";
import type { DbHandle } from "./db.js";
import { experimentInWorkspace } from "./workspace-scope.js";

/**
 * Online scoring configurations: how often a registered scorer judges new traces of its experiment. tracklite keeps
 * them (a sample rate of 0 is a stopped scorer) but runs no judges, so it never stores a rate above 0.
 * @see mlflow/store/tracking/sqlalchemy_store.py get_online_scoring_configs, upsert_online_scoring_config
 */
export class OnlineScoringConfigStore {
  constructor(private readonly h: DbHandle) {}

  /** The configurations of these scorers (those of the workspace's experiments); scorers without one are left out. */
  async forScorers(scorerIds: readonly string[]): Promise<OnlineScoringConfigWire[]> {
    if (scorerIds.length === 0) return [];
    const scope = experimentInWorkspace(this.h, "c.experiment_id");
    const rs = await this.h.client.execute({
      sql: `SELECT c.online_scoring_config_id, c.scorer_id, c.sample_rate, c.experiment_id, c.filter_string
        FROM online_scoring_configs c WHERE c.scorer_id IN (SELECT value FROM json_each(?))${scope.sql}`,
      args: [JSON.stringify(scorerIds), ...scope.args],
    });
    return rs.rows.map((r) => ({
      online_scoring_config_id: String(r.online_scoring_config_id),
      scorer_id: String(r.scorer_id),
      sample_rate: Number(r.sample_rate),
      experiment_id: String(r.experiment_id),
      ...(r.filter_string === null ? {} : { filter_string: String(r.filter_string) }),
    }));
  }

  /** Replaces the scorer's configuration with a new one (a new id each time, as the reference does). */
  async replace(
    scorerId: string,
    experiment: number,
    sampleRate: number,
    filterString: string | undefined,
  ): Promise<OnlineScoringConfigWire> {
    const id = crypto.randomUUID().replaceAll("-", "");
    await this.h.writer.run(() =>
      this.h.client.batch(
        [
          { sql: "DELETE FROM online_scoring_configs WHERE scorer_id = ?", args: [scorerId] },
          {
            sql: `INSERT INTO online_scoring_configs
              (online_scoring_config_id, scorer_id, sample_rate, experiment_id, filter_string) VALUES (?, ?, ?, ?, ?)`,
            args: [id, scorerId, sampleRate, experiment, filterString ?? null],
          },
        ],
        "write",
      ),
    );
    return {
      online_scoring_config_id: id,
      scorer_id: scorerId,
      sample_rate: sampleRate,
      experiment_id: String(experiment),
      ...(filterString === undefined ? {} : { filter_string: filterString }),
    };
  }
}
