import { invalidParameter } from "../errors.js";
import { type Checker, childOfExperiment, createIn } from "./checker.js";
import type { Action, Requirement } from "./permissions.js";
import { plainTextError } from "./responses.js";
import { type Rule, RuleAnswer, type RuleContext } from "./rule-types.js";
import { traceSearchTiers } from "./trace-search-tiers.js";

/**
 * The permission rules of MLflow Tracing's routes. A trace is a sub-resource of its experiment: its routes need READ
 * on the experiment plus the action on the `trace` tier (falling back to the experiment); a missing trace denies.
 * Assessments are a tier of their own under the trace's experiment.
 * @see mlflow/server/auth/__init__.py validate_can_*trace*, validate_can_*assessment*, _get_otel_validator
 */

type Row = Record<string, unknown>;
const obj = (v: unknown): Row => (v && typeof v === "object" && !Array.isArray(v) ? (v as Row) : {});
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const idOf = (v: unknown): string => (typeof v === "string" ? v : typeof v === "number" ? String(v) : "");

/** READ on each experiment and the action on its tier; a request naming none is refused. */
function inExperiments(experimentIds: readonly string[], type: string, action: Requirement["action"]) {
  const ids = [...new Set(experimentIds.map(String))];
  return ids.length === 0 ? undefined : ids.flatMap((id) => childOfExperiment(id, type, action));
}

/** The experiments of the traces named, or undefined when one of them does not exist. */
async function traceExperiments(check: Checker, traceIds: readonly string[]): Promise<string[] | undefined> {
  const out: string[] = [];
  for (const id of traceIds) {
    const exp = await check.traceExperiment(id);
    if (exp === undefined) return undefined;
    out.push(exp);
  }
  return out;
}

/** READ on every trace named (each in its own experiment); one that does not exist denies. */
async function tracesRead(check: Checker, traceIds: readonly string[]): Promise<boolean> {
  const exps = await traceExperiments(check, traceIds);
  const reqs = exps && inExperiments(exps, "trace", "read");
  return !!reqs && check.ok(reqs);
}

/**
 * A trace search: READ on each experiment searched and its trace tier, plus READ on every tier its filters or sort
 * select on (assessments, the run or logged model of the trace's metadata), falling back to the experiment.
 * @see _authorize_trace_search
 */
export function traceSearch(
  check: Checker,
  experimentIds: readonly string[],
  filters: readonly unknown[],
  orderBy: readonly unknown[] = [],
): boolean {
  const reqs = inExperiments(experimentIds, "trace", "read");
  if (!reqs) return false;
  const tiers = traceSearchTiers(filters, orderBy);
  for (const id of new Set(experimentIds.map(String)))
    for (const tier of tiers) reqs.push({ type: tier, id: "*", action: "read", fallback: [["experiment", id]] });
  return check.ok(reqs);
}

const traceCan =
  (param: string, action: Action): Rule =>
  async ({ check, params }) =>
    check.trace(await params.get(param), action);

/**
 * An assessment route: READ on the trace (which is how the route names the assessment's experiment), and `action` on
 * the assessment tier, falling back to `experimentAction` on the experiment (by default the same action).
 * @see validate_can_get_assessment, validate_can_update_assessment, validate_can_delete_assessment
 */
const assessmentCan =
  (action: Action, experimentAction?: Action): Rule =>
  async ({ check, params }) => {
    const exp = await check.traceExperiment(await params.get("trace_id"));
    if (exp === undefined) return false;
    return check.ok([
      ...childOfExperiment(exp, "trace", "read"),
      { type: "assessment", id: "*", action, fallback: [["experiment", exp, experimentAction]] },
    ]);
  };

/**
 * CreateAssessment: the trace READ and the assessment tier not denied, and either UPDATE on the experiment or UPDATE
 * on the trace tier (no fallback: a trace grant may confer the write, but not weaken an experiment EDIT).
 * @see validate_can_create_assessment
 */
async function createAssessment({ check, params }: RuleContext): Promise<boolean> {
  const exp = await check.traceExperiment(await params.get("trace_id"));
  if (exp === undefined) return false;
  if (!check.ok([...childOfExperiment(exp, "trace", "read"), { type: "assessment", id: "*", action: "not_denied" }]))
    return false;
  return (
    check.ok([{ type: "experiment", id: exp, action: "update" }]) ||
    check.ok([{ type: "trace", id: "*", action: "update" }])
  );
}

const ASSESSMENTS_VIEW = new Set(["ASSESSMENTS", 3, "3"]);

/**
 * Every trace rule, by endpoint name; names not yet in the shared table (assessments, trace metrics) wait there for
 * their endpoints.
 */
export const TRACE_RULES = {
  startTraceV3: async ({ check, params }) => {
    const info = obj(obj((await params.all()).trace).trace_info);
    const exp = idOf(obj(obj(info.trace_location).mlflow_experiment).experiment_id);
    if (!exp) return false;
    // A trace may carry assessments (the SDK logs them this way on an active trace): their tier must not be denied.
    const extra: Requirement[] =
      list(info.assessments).length > 0 ? [{ type: "assessment", id: "*", action: "not_denied" }] : [];
    return createIn(check, exp, "trace", extra);
  },
  startTraceV2: async ({ check, params }) => createIn(check, await params.get("experiment_id"), "trace"),
  getTrace: traceCan("trace_id", "read"),
  getTraceInfoV3: traceCan("trace_id", "read"),
  getTraceInfoV2: traceCan("trace_id", "read"),
  batchGetTraces: async ({ check, params }) => tracesRead(check, await params.list("trace_ids")),
  batchGetTraceInfos: async ({ check, params }) => tracesRead(check, await params.list("trace_ids")),
  searchTracesV3: async ({ check, params }) => {
    const all = await params.all();
    const ids = list(all.locations)
      .map((l) => idOf(obj(obj(l).mlflow_experiment).experiment_id))
      .filter(Boolean);
    return traceSearch(check, ids, [all.filter], list(all.order_by));
  },
  searchTracesV2: async ({ check, params }) =>
    traceSearch(check, await params.list("experiment_ids"), [params.query("filter")], await params.list("order_by")),
  /**
   * DELETE on the trace tier (without a trace grant: on the experiment), and on the assessments the deletion takes
   * with it (without an assessment grant: UPDATE on the experiment). @see validate_can_delete_traces
   */
  deleteTraces: async ({ check, params }) => {
    const id = await params.get("experiment_id");
    return check.ok([
      { type: "experiment", id, action: "read" },
      { type: "trace", id: "*", action: "delete", fallback: [["experiment", id, "delete"]] },
      { type: "assessment", id: "*", action: "delete", fallback: [["experiment", id, "update"]] },
    ]);
  },
  setTraceTag: traceCan("trace_id", "update"),
  deleteTraceTag: traceCan("trace_id", "update"),
  endTraceV2: traceCan("trace_id", "update"),
  linkPromptsToTrace: traceCan("trace_id", "update"),
  /** UPDATE on the run, READ on every trace. @see validate_can_link_traces_to_run */
  linkTracesToRun: async ({ check, params }) =>
    (await check.run(await params.get("run_id"), "update")) && tracesRead(check, await params.list("trace_ids")),

  /** Metrics over the experiments' traces; over their assessments, the assessment tier too. */
  queryTraceMetrics: async ({ check, params }) => {
    const all = await params.all();
    const ids = list(all.experiment_ids).map(idOf);
    const reqs = inExperiments(ids, "trace", "read");
    if (!reqs) return false;
    if (ASSESSMENTS_VIEW.has(all.view_type as string))
      for (const id of ids) reqs.push({ type: "assessment", id: "*", action: "read", fallback: [["experiment", id]] });
    return check.ok(reqs);
  },
  calculateTraceFilterCorrelation: async ({ check, params }) => {
    const all = await params.all();
    return traceSearch(check, list(all.experiment_ids).map(idOf), [
      all.filter_string1,
      all.filter_string2,
      all.base_filter,
    ]);
  },

  createAssessment,
  getAssessment: assessmentCan("read"),
  updateAssessment: assessmentCan("update"),
  // DELETE on an assessment grant; without one, the experiment's UPDATE (what deleting an assessment needed before).
  deleteAssessment: assessmentCan("delete", "update"),
} satisfies Record<string, Rule>;

/** `get-trace-artifact` (the UI's span download): READ on the trace named by `request_id`. */
export const traceArtifactRule: Rule = async ({ check, params }) => {
  const id = params.query("request_id");
  if (!id) throw invalidParameter("Request must specify request_id parameter");
  return check.trace(id, "read");
};

/**
 * OTLP ingest (`/v1/traces`) creates traces in the experiment its `X-Mlflow-Experiment-Id` header names. The
 * reference answers a missing header with a plain-text 400 before the route runs.
 */
export const otlpIngestRule: Rule = ({ check, c }) => {
  const exp = c.req.header("x-mlflow-experiment-id");
  if (!exp) throw new RuleAnswer(plainTextError("Missing required header: X-Mlflow-Experiment-Id", 400));
  return createIn(check, exp, "trace");
};
