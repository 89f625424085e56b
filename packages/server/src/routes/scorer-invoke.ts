import { Hono } from "hono";
import { invalidParameter, MlflowError } from "../errors.js";
import { mount } from "../http/mount.js";
import type { Store } from "../store/index.js";
import { checkScorerPayload } from "../validation/serialized-scorer.js";
import { storeIn } from "../workspaces/middleware.js";

/** Why tracklite runs no judge: the reference runs it in its Python job runner. */
export const NO_JUDGE_RUNNER =
  "Running a scorer on traces is not available on tracklite: it needs MLflow's Python job runner, which this " +
  "server does not have. Run mlflow.genai.evaluate() from Python against this server instead.";

/**
 * `POST /ajax-api/3.0/mlflow/scorer/invoke`: the UI asks the server to run a judge on chosen traces. tracklite checks
 * the request as the reference does, then refuses to run it.
 * @see mlflow/server/handlers.py _invoke_scorer_handler
 */
export function scorerInvokeRoutes(app: Hono, store: Store, allowCustomScorers: boolean): void {
  const at = storeIn(store);
  const ajax3 = new Hono();

  mount(ajax3, "invokeScorer", async (req, c) => {
    const { experiment_id, serialized_scorer, scorer_name, scorer_version } = req;
    const traceIds = req.trace_ids ?? [];
    if (!experiment_id) throw invalidParameter("Missing required parameter: experiment_id");
    if (!serialized_scorer) throw invalidParameter("Missing required parameter: serialized_scorer");
    if (!traceIds || (Array.isArray(traceIds) && traceIds.length === 0))
      throw invalidParameter("Please select at least one trace to evaluate.");
    if (!Array.isArray(traceIds) || !traceIds.every((t) => typeof t === "string"))
      throw invalidParameter("trace_ids must be a list of strings");
    if ((scorer_name === undefined) !== (scorer_version === undefined))
      throw invalidParameter("scorer_name and scorer_version must be specified together");
    if (scorer_name !== undefined && (typeof scorer_name !== "string" || !Number.isInteger(scorer_version)))
      throw invalidParameter("scorer_name must be a string and scorer_version must be an integer");
    if (typeof serialized_scorer !== "string") throw invalidParameter("serialized_scorer must be valid JSON");
    checkScorerPayload(serialized_scorer, allowCustomScorers);
    if (typeof scorer_name === "string") {
      const stored = await at(c).scorers.get(String(experiment_id), scorer_name, scorer_version as number);
      checkScorerPayload(stored.serializedScorer, allowCustomScorers);
    }
    throw new MlflowError(NO_JUDGE_RUNNER, "NOT_IMPLEMENTED");
  });

  app.route("/ajax-api/3.0", ajax3);
}
