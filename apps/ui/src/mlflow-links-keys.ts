/**
 * The query keys only MLflow's own UI writes into its hash URLs. A URL that carries one of them, or whose path is no
 * tracklite route, is an MLflow link: the router then loads `mlflow-links.ts` (a chunk of its own) to translate it.
 * Kept apart so the router's cheap check costs the first page a few bytes, not the whole mapping.
 * @see mlflow/server/js (3.17.2) experiment page search facets, traces tab, evaluation-runs tab
 */
export const MLFLOW_QUERY_KEYS = [
  "searchFilter",
  "searchInput",
  "orderByKey",
  "orderByAsc",
  "startTime",
  "lifecycleFilter",
  "modelVersionFilter",
  "datasetsFilter",
  "compareRunsMode",
  "viewStateShareKey",
  "isComparingRuns",
  "isPreview",
  "selectedEvaluationId",
  "selectedTraceId",
  "traceId",
  "selectedRunUuid",
  "selectedScorerName",
] as const;

/** Whether a query holds a key of MLflow's UI (see {@link MLFLOW_QUERY_KEYS}). */
export const hasMlflowQuery = (query: URLSearchParams): boolean => MLFLOW_QUERY_KEYS.some((k) => query.has(k));
