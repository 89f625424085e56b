import type { Hono } from "hono";
import { invalidParameter, MlflowError, notFound } from "../errors.js";
import { mount } from "../http/mount.js";
import type { Store } from "../store/index.js";
import { pyJsonLoads } from "../traces/py-json.js";
import { storeIn } from "../workspaces/middleware.js";

/**
 * Prompt optimization jobs. The reference runs them (GEPA, MetaPrompt) in its Python job runner; tracklite runs no
 * Python, so it never has a job: it checks a new job's request as the reference does, then refuses to start it, and
 * answers searches with no jobs and a job id with "not found", as the reference does for a job it does not have.
 * @see mlflow/server/handlers.py _create_prompt_optimization_job … _delete_prompt_optimization_job
 */

/** The optimizer names a job may ask for, by the proto's names and numbers. */
const OPTIMIZERS: Record<string, true> = {
  OPTIMIZER_TYPE_GEPA: true,
  OPTIMIZER_TYPE_METAPROMPT: true,
  "1": true,
  "2": true,
};

const jobNotFound = (jobId: string) => notFound(`Job with ID ${jobId} not found`);

/** Why tracklite starts no job: it would need MLflow's Python job runner and optimizer libraries. */
export const NO_JOB_RUNNER =
  "Prompt optimization jobs are not available on tracklite: running an optimizer needs MLflow's Python job " +
  "runner, which this server does not have. Run mlflow.genai.optimize_prompts() from Python against this " +
  "server instead.";

/** /mlflow/prompt-optimization/jobs[/…] (3.0 prefixes only). */
export function promptOptimizationRoutes(v3: Hono, store: Store): void {
  const at = storeIn(store);

  mount(v3, "createPromptOptimizationJob", async (req, c) => {
    const type = req.config?.optimizer_type;
    if (type === undefined || !OPTIMIZERS[String(type)])
      throw invalidParameter(
        "optimizer_type is required. Supported types: ['OPTIMIZER_TYPE_GEPA', 'OPTIMIZER_TYPE_METAPROMPT']",
      );
    const experimentId = (req.experiment_id ?? "").trim();
    if (!experimentId) throw invalidParameter("experiment_id is required for optimization job");
    const configJson = req.config?.optimizer_config_json;
    if (configJson) {
      try {
        pyJsonLoads(configJson);
      } catch (e) {
        throw invalidParameter(`Invalid JSON in optimizer_config_json: ${(e as Error).message}`);
      }
    }
    // The reference creates the job's run here; its experiment must exist and be active.
    await at(c).scorers.activeExperiment(experimentId);
    throw new MlflowError(NO_JOB_RUNNER, "NOT_IMPLEMENTED");
  });

  mount(v3, "searchPromptOptimizationJobs", () => ({}));

  mount(v3, "getPromptOptimizationJob", (_req, _c, { job_id }) => {
    throw jobNotFound(job_id);
  });

  mount(v3, "deletePromptOptimizationJob", (_req, _c, { job_id }) => {
    throw jobNotFound(job_id);
  });

  mount(v3, "cancelPromptOptimizationJob", (_req, _c, { job_id }) => {
    throw jobNotFound(job_id);
  });
}
