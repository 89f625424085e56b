import { invalidParameter } from "../errors.js";
import type { Permission } from "./permissions.js";
import type { Rule, RuleContext } from "./rule-types.js";

/**
 * The permission rules of the evaluation-dataset routes. A dataset is experiment-scoped: its routes need the action
 * on every experiment it is linked to, and a dataset linked to none (or that does not exist) denies. Create and
 * search must name experiments, which the caller must be able to update or read.
 * @see mlflow/server/auth/__init__.py _dataset_experiment_permissions, validate_can_*_dataset*,
 *   validate_can_search_datasets
 */

type Action = "canRead" | "canUpdate" | "canDelete";

const asIds = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);

/** The experiments the request's body (or query) names. @see _experiment_ids_from_request */
async function requestedExperiments({ c, params }: RuleContext): Promise<string[]> {
  if (c.req.method === "GET") return params.list("experiment_ids");
  return asIds((await params.all()).experiment_ids);
}

/** The action on every experiment the dataset of the path is linked to. */
async function onDatasetExperiments(ctx: RuleContext, action: Action): Promise<boolean> {
  const datasetId = await ctx.params.get("dataset_id");
  let ids: string[];
  try {
    ids = await ctx.check.store.datasets.experimentIds(datasetId);
  } catch {
    return false;
  }
  return ids.length > 0 && ids.every((id) => ctx.check.experiment(id)[action]);
}

const datasetCan =
  (action: Action): Rule =>
  (ctx) =>
    onDatasetExperiments(ctx, action);

const allExperiments = (ctx: RuleContext, ids: readonly string[], action: keyof Permission) =>
  ids.length > 0 && ids.every((id) => ctx.check.experiment(id)[action] === true);

export const DATASET_RULES = {
  createDataset: async (ctx) => allExperiments(ctx, await requestedExperiments(ctx), "canUpdate"),
  searchEvaluationDatasets: async (ctx) => allExperiments(ctx, await requestedExperiments(ctx), "canRead"),
  getDataset: datasetCan("canRead"),
  deleteDataset: datasetCan("canDelete"),
  setDatasetTags: datasetCan("canUpdate"),
  deleteDatasetTag: datasetCan("canUpdate"),
  upsertDatasetRecords: datasetCan("canUpdate"),
  getDatasetRecords: datasetCan("canRead"),
  deleteDatasetRecords: datasetCan("canUpdate"),
  getDatasetExperimentIds: datasetCan("canRead"),
  /** UPDATE on the dataset's experiments and on each experiment added. */
  addDatasetToExperiments: async (ctx) =>
    (await onDatasetExperiments(ctx, "canUpdate")) && allExperiments(ctx, await requestedExperiments(ctx), "canUpdate"),
  removeDatasetFromExperiments: datasetCan("canUpdate"),
  /** READ on every experiment searched; a search naming none is refused before the permission check. */
  searchDatasets: async (ctx) => {
    const ids = asIds((await ctx.params.all()).experiment_ids);
    if (ids.length === 0) throw invalidParameter("SearchDatasets request must specify at least one experiment_id.");
    return ids.every((id) => ctx.check.experiment(id).canRead);
  },
} satisfies Record<string, Rule>;
