import type { Context, Hono } from "hono";
import * as z from "zod";
import { clientCrash, invalidParameter, MlflowError } from "../errors.js";
import { checkJsonRequest, readRequestJson } from "../http/parse-request.js";

/**
 * The UI's "run a judge" calls: apply a scorer to traces, run `mlflow.genai.evaluate`, detect issues. The reference
 * checks the request, then runs the judges (LLM calls through Python scorer code) as jobs. tracklite runs no Python:
 * it checks the request as the reference does and then says so, with NOT_IMPLEMENTED (501, which the Python client
 * does not retry). Scorers registered here run wherever `mlflow.genai.evaluate` runs and log their results to tracklite.
 * @see mlflow/server/handlers.py _invoke_scorer_handler, _invoke_genai_evaluate_handler, _invoke_issue_detection_handler
 */
export function genaiInvokeRoutes(ajaxV3: Hono): void {
  const body = (c: Context) => readRequestJson(c, NO_FIELDS);

  ajaxV3.post("/mlflow/scorer/invoke", async (c) => {
    const args = await body(c);
    const traceIds = args.trace_ids ?? [];
    if (!args.experiment_id) throw invalidParameter("Missing required parameter: experiment_id");
    if (!args.serialized_scorer) throw invalidParameter("Missing required parameter: serialized_scorer");
    if (Array.isArray(traceIds) ? traceIds.length === 0 : !traceIds)
      throw invalidParameter("Please select at least one trace to evaluate.");
    if (!Array.isArray(traceIds) || !traceIds.every((t) => typeof t === "string"))
      throw invalidParameter("trace_ids must be a list of strings");
    const name = args.scorer_name;
    const version = args.scorer_version;
    if ((name === undefined) !== (version === undefined))
      throw invalidParameter("scorer_name and scorer_version must be specified together");
    if (name !== undefined && (typeof name !== "string" || typeof version !== "number" || !Number.isInteger(version)))
      throw invalidParameter("scorer_name must be a string and scorer_version must be an integer");
    throw needsPython("Running a scorer on traces");
  });

  ajaxV3.post("/mlflow/genai/evaluate/invoke", async (c) => {
    const args = await body(c);
    checkJsonRequest(args, {
      experiment_id: ["required", "string"],
      trace_ids: ["required", "array", "itemsString"],
      serialized_scorers: ["required", "array"],
      scorer_versions: ["array"],
    });
    const scorers = args.serialized_scorers as unknown[];
    if ((args.trace_ids as unknown[]).length === 0)
      throw invalidParameter("Please select at least one trace to evaluate.");
    if (scorers.length === 0) throw invalidParameter("Please select at least one judge.");
    const versions = (args.scorer_versions as unknown[] | undefined) ?? scorers;
    if (versions.length !== scorers.length)
      throw invalidParameter("scorer_versions must have the same length as serialized_scorers");
    throw needsPython("Running an evaluation");
  });

  ajaxV3.post("/mlflow/issues/invoke", async (c) => {
    const args = await body(c);
    checkJsonRequest(args, {
      experiment_id: ["required", "string"],
      trace_ids: ["required", "array", "itemsString"],
      categories: ["required", "array"],
      provider: ["required", "string"],
      model: ["string"],
      secret_id: ["string"],
      endpoint_name: ["string"],
    });
    if ((args.trace_ids as unknown[]).length === 0)
      throw invalidParameter("Please select at least one trace to analyze.");
    if (!args.endpoint_name && !(args.provider && args.model))
      throw clientCrash("Either 'endpoint_name' or both 'provider' and 'model' must be provided");
    throw needsPython("Issue detection");
  });
}

const NO_FIELDS = z.object({});

/** What tracklite answers where the reference would start a Python job. */
export const needsPython = (what: string) =>
  new MlflowError(
    `${what} needs MLflow's Python judges, which tracklite (a server without Python) does not run. ` +
      "Run mlflow.genai.evaluate() from Python against this server instead: its results are stored here.",
    "NOT_IMPLEMENTED",
  );
