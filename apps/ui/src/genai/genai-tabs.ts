/**
 * The GenAI tabs of an experiment, at MLflow's own UI paths (so links from MLflow's UI open them here):
 * `#/experiments/:id/datasets` (evaluation datasets), `#/experiments/:id/judges` (registered scorers) and
 * `#/experiments/:id/review-queue` (labeling sessions, label schemas and issues); and `#/experiments/:id/prompts`
 * (the prompts registered while the experiment was active, the prompts UI's list). Kept free of lit so the experiment
 * page can show these tabs without loading the GenAI chunk.
 */
export const GENAI_TABS = [
  { id: "eval-datasets", label: "Evaluation datasets", path: "datasets" },
  { id: "judges", label: "Judges", path: "judges" },
  { id: "review", label: "Review", path: "review-queue" },
  { id: "prompts", label: "Prompts", path: "prompts" },
] as const;

export type GenaiTab = (typeof GENAI_TABS)[number]["id"];

/** The route path of a GenAI tab of an experiment, or undefined when `id` is not one of them. */
export function genaiTabPath(experimentId: string, id: string): string | undefined {
  const tab = GENAI_TABS.find((t) => t.id === id);
  return tab && `/experiments/${encodeURIComponent(experimentId)}/${tab.path}`;
}
