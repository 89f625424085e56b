import type { DbHandle } from "./db.js";
import { parseExperimentId } from "./ids.js";
import { experimentsInWorkspace } from "./workspace-scope.js";

/**
 * The datasets runs of experiments logged (`log_inputs`), one summary per dataset and context, for the experiment
 * page's dataset filter (the UI's `experiments/search-datasets`).
 * @see mlflow/store/tracking/sqlalchemy_store.py SqlAlchemyStore._search_datasets
 */

/** The reference returns at most this many summaries. */
const MAX_DATASET_SUMMARIES = 1000;
const CONTEXT_TAG = "mlflow.data.context";

export interface RunDatasetSummary {
  experiment_id: string;
  name: string;
  digest: string;
  context?: string;
}

export async function runDatasetSummaries(h: DbHandle, experimentIds: readonly string[]): Promise<RunDatasetSummary[]> {
  const ids = await experimentsInWorkspace(h, experimentIds.map(parseExperimentId));
  if (ids.length === 0) return [];
  const rs = await h.client.execute({
    sql: `SELECT DISTINCT d.experiment_id, d.name, d.digest, t.value AS context
      FROM datasets d JOIN run_dataset_inputs i ON i.dataset_id = d.id
      LEFT JOIN run_dataset_input_tags t ON t.run_id = i.run_id AND t.dataset_id = d.id AND t.key = ?
      WHERE d.experiment_id IN (SELECT value FROM json_each(?))
      ORDER BY d.id, context LIMIT ?`,
    args: [CONTEXT_TAG, JSON.stringify(ids), MAX_DATASET_SUMMARIES],
  });
  return rs.rows.map((r) => ({
    experiment_id: String(r.experiment_id),
    name: String(r.name),
    digest: String(r.digest),
    ...(r.context === null || r.context === undefined ? {} : { context: String(r.context) }),
  }));
}
