import { invalidParameter } from "../errors.js";
import type { Checker } from "./checker.js";
import type { Requirement } from "./permissions.js";
import type { Rule, RuleContext } from "./rule-types.js";

/**
 * The permission rules of scorers, prompt optimization jobs and the prompt lab's runs. A scorer is a resource of its
 * own (`scorer`, keyed `<experiment_id>/<quoted name>`) inside its experiment, with a `scorer_version` tier under it.
 * @see mlflow/server/auth/__init__.py validate_can_register_scorer, validate_can_read_scorer,
 *   validate_can_delete_scorer, validate_can_update_online_scoring_config, validate_can_create_promptlab_run
 */

/** Python's `urllib.parse.quote(name, safe="")`. */
function pyQuote(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The grant key of a scorer. @see SqlAlchemyStore._scorer_pattern (auth store) */
export function scorerPattern(experimentId: string, name: string): string {
  return `${experimentId}/${pyQuote(name)}`;
}

const str = (v: unknown): string => (typeof v === "string" ? v : typeof v === "number" ? String(v) : "");

async function scorerOf(ctx: RuleContext): Promise<{ experimentId: string; name: string; pattern: string }> {
  const all = await ctx.params.all();
  const experimentId = str(all.experiment_id);
  const name = str(all.name);
  return { experimentId, name, pattern: scorerPattern(experimentId, name) };
}

/** The version tier, falling back to the scorer's own grant. */
const versionTier = (pattern: string, action: Requirement["action"]): Requirement => ({
  type: "scorer_version",
  id: "*",
  action,
  fallback: [["scorer", pattern]],
});

const readScorer: Rule = async (ctx) => {
  const { pattern } = await scorerOf(ctx);
  return ctx.check.on("scorer", pattern).canRead && ctx.check.ok([versionTier(pattern, "not_denied")]);
};

/** Whether a user may read a listed scorer row (cross-experiment listings are filtered with it). */
export function canReadScorerRow(check: Checker, row: Record<string, unknown>): boolean {
  const experimentId = String(row.experiment_id);
  return check.ok([
    { type: "scorer_version", id: "*", action: "not_denied" },
    { type: "experiment", id: experimentId, action: "read", fallback: [["workspace", "*"]] },
    {
      type: "scorer",
      id: scorerPattern(experimentId, String(row.scorer_name)),
      action: "read",
      fallback: [["workspace", "*"]],
    },
  ]);
}

/**
 * A job's experiment decides who may act on it; tracklite has no jobs, so a non-admin is refused, as the reference
 * refuses one for a job id it cannot find.
 */
const noJob: Rule = () => false;

export const SCORER_RULES = {
  registerScorer: async (ctx) => {
    const { experimentId, pattern } = await scorerOf(ctx);
    return ctx.check.ok([
      { type: "experiment", id: experimentId, action: "update" },
      { type: "scorer", id: pattern, action: "not_denied" },
      { type: "scorer_version", id: "*", action: "not_denied" },
    ]);
  },
  // One experiment: READ on it. Across experiments: open, the answer is filtered row by row.
  listScorers: async ({ check, params }) => {
    const id = await params.optional("experiment_id");
    return !id || check.experiment(String(id)).canRead;
  },
  getScorer: readScorer,
  listScorerVersions: readScorer,
  // Without a version the whole scorer goes (DELETE on it); with one, READ on it and DELETE on the version tier.
  deleteScorer: async (ctx) => {
    const { pattern } = await scorerOf(ctx);
    const permission = ctx.check.on("scorer", pattern);
    const namesVersion = (await ctx.params.optional("version")) !== undefined;
    const addressed = namesVersion ? permission.canRead : permission.canDelete;
    return addressed && ctx.check.ok([versionTier(pattern, "delete")]);
  },
  // The configurations' experiments are checked by the handler's own answer: READ on each.
  getOnlineScoringConfigs: async ({ check, params }) => {
    const ids = await params.list("scorer_ids");
    if (ids.length === 0) return true;
    const configs = await check.store.onlineScoringConfigs.forScorers(ids);
    return configs.every((cfg) => check.experiment(cfg.experiment_id).canRead);
  },
  upsertOnlineScoringConfig: async ({ check, params }) => {
    const id = await params.optional("experiment_id");
    return !!id && check.experiment(String(id)).canUpdate;
  },

  createPromptOptimizationJob: async ({ check, params }) => {
    const id = str(await params.optional("experiment_id"));
    return check.ok([
      { type: "experiment", id, action: "update" },
      { type: "run", id: "*", action: "not_denied" },
      { type: "scorer_version", id: "*", action: "not_denied" },
    ]);
  },
  searchPromptOptimizationJobs: async ({ check, params }) =>
    check.experiment(await params.get("experiment_id")).canRead,
  getPromptOptimizationJob: noJob,
  deletePromptOptimizationJob: noJob,
  cancelPromptOptimizationJob: noJob,

  // Runs a judge on existing traces (refused afterwards by tracklite, which runs none). @see validate_can_invoke_scorer
  invokeScorer: async ({ check, params }) => {
    const all = await params.all();
    const id = str(all.experiment_id);
    const reqs: Requirement[] = [
      { type: "experiment", id, action: "update" },
      { type: "trace", id: "*", action: "not_denied" },
    ];
    if (all.log_assessments) reqs.push({ type: "assessment", id: "*", action: "not_denied" });
    if (typeof all.scorer_name === "string" && all.scorer_name) {
      const pattern = scorerPattern(id, all.scorer_name);
      reqs.push({ type: "scorer", id: pattern, action: "not_denied" }, versionTier(pattern, "not_denied"));
    } else reqs.push({ type: "scorer_version", id: "*", action: "not_denied" });
    return check.ok(reqs);
  },

  // A run create: UPDATE on the experiment, the run tier not denied.
  createPromptlabRun: async ({ check, params }) => {
    const id = str(await params.optional("experiment_id"));
    if (!id) throw invalidParameter("CreatePromptlabRun request must specify experiment_id.");
    return check.ok([
      { type: "experiment", id, action: "update" },
      { type: "run", id: "*", action: "not_denied" },
    ]);
  },
} satisfies Record<string, Rule>;
