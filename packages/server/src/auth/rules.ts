import type { EndpointName } from "@tracklite/schemas";
import { invalidParameter, MlflowError } from "../errors.js";
import { childOfExperiment } from "./checker.js";
import { DATASET_RULES } from "./dataset-rules.js";
import { rejectWorkspaceType, userPermissionFor } from "./grant-resolution.js";
import { type Requirement, validateResourceType } from "./permissions.js";
import { REVIEW_RULES } from "./review-rules.js";
import type { Rule, RuleContext } from "./rule-types.js";
import { SCORER_RULES } from "./scorer-rules.js";
import { TRACE_RULES } from "./trace-rules.js";

export type { Rule, RuleContext };

/** The experiment's sub-resource tiers a delete or restore of the experiment reaches. */
const EXPERIMENT_CASCADE = ["run", "trace", "logged_model", "assessment", "review_queue", "scorer", "scorer_version"];

const experimentCan =
  (action: "canRead" | "canUpdate" | "canManage") =>
  async ({ check, params }: RuleContext) =>
    check.experiment(await params.get("experiment_id"))[action];

const runCan =
  (action: Requirement["action"]) =>
  async ({ check, params }: RuleContext) =>
    check.run(await params.get("run_id"), action);

const loggedModelCan =
  (action: Requirement["action"]) =>
  async ({ check, params }: RuleContext) =>
    check.loggedModel(await params.get("model_id"), action);

const registryCan =
  (action: "canRead" | "canUpdate" | "canDelete") =>
  async ({ check, params }: RuleContext) =>
    (await check.registryPermission(await params.get("name")))[action];

const versionCan =
  (action: Requirement["action"]) =>
  async ({ check, params }: RuleContext) =>
    check.version(await params.get("name"), action);

/** READ of a version: READ on the container, and the version tier not denied. */
const versionRead = async ({ check, params }: RuleContext) => check.version(await params.get("name"), "not_denied");

/**
 * A run write, plus UPDATE on every logged model the metrics or inputs target (each in its own experiment); a missing
 * model denies. @see validate_can_log_metric / _validate_can_update_run_and_models
 */
const runAndModels = (modelIds: (body: Record<string, unknown>) => unknown[]) => async (ctx: RuleContext) => {
  const exp = await ctx.check.runExperiment(await ctx.params.get("run_id"));
  if (exp === undefined) return false;
  const reqs = childOfExperiment(exp, "run", "update");
  const ids = [...new Set(modelIds(await ctx.params.all()).filter((x): x is string => typeof x === "string" && !!x))];
  for (const id of ids.sort()) {
    const modelExp = await ctx.check.loggedModelExperiment(id);
    if (modelExp === undefined) return false;
    reqs.push(...childOfExperiment(modelExp, "logged_model", "update"));
  }
  return ctx.check.ok(reqs);
};
const arr = (v: unknown): Record<string, unknown>[] => (Array.isArray(v) ? v : []);

/**
 * READ on every run of a bulk metric call (each run's experiment, run tier). A call naming no run is refused, and a
 * missing run answers its 404 here, as on the reference (unlike the point routes, which deny).
 * @see validate_can_read_metric_history_bulk
 */
const runsRead = (param: string, request: string) => async (ctx: RuleContext) => {
  const ids = await ctx.params.list(param);
  if (ids.length === 0) throw invalidParameter(`${request} request must specify at least one run_id.`);
  const reqs: Requirement[] = [];
  for (const id of new Set(ids)) {
    const exp = String((await ctx.check.store.runs.row(id)).experiment_id);
    reqs.push(...childOfExperiment(exp, "run", "read"));
  }
  return ctx.check.ok(reqs);
};

/** Delete and restore: DELETE on the experiment and on every tier it contains. @see validate_can_delete_experiment */
async function deleteExperiment({ check, params }: RuleContext): Promise<boolean> {
  const id = await params.get("experiment_id");
  return check.ok([
    { type: "experiment", id, action: "delete" },
    ...EXPERIMENT_CASCADE.map(
      (t): Requirement => ({ type: t, id: "*", action: "delete", fallback: [["experiment", id]] }),
    ),
  ]);
}

const canViewRole = async (ctx: RuleContext) => {
  const named = await roleWorkspaces(ctx);
  if (!named) return false;
  const present = await ctx.roles.presentWorkspaces(ctx.user.id);
  return named.every((ws) => present.has(ws));
};

/**
 * The rows of these searches are filtered afterwards; what filtering cannot hide is a filter that selects by run id
 * (it answers whether a denied run has models), so such a filter needs the run tier not denied.
 * @see validate_can_search_model_versions, validate_can_search_logged_models
 */
const filterNamesRun =
  (attribute: string): Rule =>
  async ({ check, params }) => {
    const filter = await params.optional("filter");
    if (
      typeof filter !== "string" ||
      !new RegExp(`(^|[^.\\w])(attributes?\\.)?\`?${attribute}\`?\\s*(=|!=|IN|LIKE)`, "i").test(filter)
    )
      return true;
    return check.ok([{ type: "run", id: "*", action: "not_denied" }]);
  };

/** A create in the workspace: the created type must not be denied (creation itself is open without workspaces). */
const createNotDenied =
  (type: string, id = "*"): Rule =>
  ({ check }) =>
    check.canCreateInWorkspace() && check.ok([{ type, id, action: "not_denied" }]);

const isSelf = async ({ user, params }: RuleContext) => (await params.get("username")) === user.username;

const isWorkspaceAdmin = async (ctx: RuleContext, workspace: string) =>
  (await ctx.roles.adminWorkspaces(ctx.user.id)).has(workspace);

/**
 * Every workspace a role request names, by role, by role permission and by `workspace`; undefined when one of them is
 * unknown or none is given. The check needs all of them, because each handler acts on the one field it reads
 * (`update` on `role_permission_id`, `create` on `workspace`): a request also carrying a role of the user's own
 * workspace must not pass for another's. (The reference takes the first of them only.)
 */
async function roleWorkspaces(ctx: RuleContext): Promise<string[] | undefined> {
  const all = await ctx.params.all();
  const named: string[] = [];
  if ("role_id" in all) {
    const ws = (await ctx.roles.find(await ctx.params.int("role_id")))?.workspace;
    if (ws === undefined) return undefined;
    named.push(ws);
  }
  if ("role_permission_id" in all) {
    const rp = await ctx.roles.findPermission(await ctx.params.int("role_permission_id"));
    const ws = rp ? (await ctx.roles.find(rp.role_id))?.workspace : undefined;
    if (ws === undefined) return undefined;
    named.push(ws);
  }
  if (typeof all.workspace === "string" && all.workspace.trim()) named.push(all.workspace);
  return named.length > 0 ? named : undefined;
}

const canManageRoles: Rule = async (ctx) => {
  const named = await roleWorkspaces(ctx);
  if (!named) return false;
  const mine = await ctx.roles.adminWorkspaces(ctx.user.id);
  return named.every((ws) => mine.has(ws));
};

const canViewUserRoles: Rule = async (ctx) => {
  const target = await ctx.params.get("username");
  if (target === ctx.user.username) return true;
  const other = await ctx.users.find(target);
  if (!other) return false;
  const mine = await ctx.roles.adminWorkspaces(ctx.user.id);
  for (const ws of await ctx.roles.presentWorkspaces(other.id)) if (mine.has(ws)) return true;
  return false;
};

/** Runs another endpoint's rule (admins pass every rule before it runs). */
function sameRuleAs(name: EndpointName, ctx: RuleContext): Promise<boolean> | boolean {
  const rule = RULES[name];
  return typeof rule === "function" ? rule(ctx) : rule === "authenticated";
}

/**
 * The permission every served endpoint of the shared table requires, as the reference's before-request validators
 * decide it. Typed over every endpoint name, so a new endpoint does not compile without its rule.
 * @see mlflow/server/auth/__init__.py BEFORE_REQUEST_HANDLERS, LOGGED_MODEL_…, WEBHOOK_…, BEFORE_REQUEST_VALIDATORS
 */
export const RULES: { readonly [N in EndpointName]: Rule } = {
  // MLflow Tracing (trace-rules.ts).
  ...TRACE_RULES,
  // GenAI evaluation datasets (dataset-rules.ts).
  ...DATASET_RULES,
  // Scorers, prompt optimization jobs, the prompt lab's runs (scorer-rules.ts).
  ...SCORER_RULES,
  // Review: label schemas, review queues, issues (review-rules.ts).
  ...REVIEW_RULES,

  // Experiments. Searches are filtered after the fact (see search-filters.ts).
  createExperiment: createNotDenied("experiment"),
  getExperiment: experimentCan("canRead"),
  getExperimentByName: async ({ check, params }) => {
    const name = await params.get("experiment_name");
    const exp = await check.store.experiments.getByName(name);
    if (!exp) {
      throw new MlflowError(`Could not find experiment with name ${name}`, "RESOURCE_DOES_NOT_EXIST");
    }
    return check.experiment(exp.experiment_id).canRead;
  },
  searchExperiments: "authenticated",
  updateExperiment: experimentCan("canUpdate"),
  deleteExperiment: (ctx) => deleteExperiment(ctx),
  restoreExperiment: (ctx) => deleteExperiment(ctx),
  setExperimentTag: experimentCan("canUpdate"),
  deleteExperimentTag: experimentCan("canUpdate"),

  // Runs. search-runs drops the experiments the user may not read from the request.
  createRun: async ({ check, params }) => {
    const id = await params.get("experiment_id");
    return check.ok([
      { type: "experiment", id, action: "update" },
      { type: "run", id: "*", action: "not_denied" },
    ]);
  },
  getRun: runCan("read"),
  updateRun: runCan("update"),
  deleteRun: runCan("delete"),
  restoreRun: runCan("delete"),
  searchRuns: "authenticated",
  logMetric: runAndModels((b) => [b.model_id]),
  logParam: runCan("update"),
  setTag: runCan("update"),
  deleteTag: runCan("update"),
  logBatch: runAndModels((b) => arr(b.metrics).map((m) => m.model_id)),
  logModel: runCan("update"),
  logInputs: runAndModels((b) => arr(b.models).map((m) => m.model_id)),
  logOutputs: runAndModels((b) => arr(b.models).map((m) => m.model_id)),

  getMetricHistory: runCan("read"),
  getMetricHistoryBulkInterval: runsRead("run_ids", "GetMetricHistoryBulkInterval"),
  getMetricHistoryBulk: runsRead("run_id", "GetMetricHistoryBulk"),
  // tracklite's chart calls read runs like the bulk metric calls they replace.
  getMetricSummaries: runsRead("run_ids", "GetMetricSummaries"),
  getMetricBuckets: runsRead("run_ids", "GetMetricBuckets"),
  // tracklite's span-tree and span calls read a trace like traces/get.
  getTraceSpanTree: (ctx) => sameRuleAs("getTrace", ctx),
  getTraceSpans: (ctx) => sameRuleAs("getTrace", ctx),

  // Logged models.
  createLoggedModel: async ({ check, params }) => {
    // The reference reads the id from the parsed message: a missing one is "", which only a `*` grant reaches.
    const raw = await params.optional("experiment_id");
    const id = raw === undefined || raw === null ? "" : String(raw);
    if (
      !check.ok([
        { type: "experiment", id, action: "update" },
        { type: "logged_model", id: "*", action: "not_denied" },
      ])
    )
      return false;
    const source = await params.optional("source_run_id");
    return !source || check.run(String(source), "read");
  },
  searchLoggedModels: filterNamesRun("source_run_id"),
  getLoggedModel: loggedModelCan("read"),
  finalizeLoggedModel: loggedModelCan("update"),
  deleteLoggedModel: loggedModelCan("delete"),
  setLoggedModelTags: loggedModelCan("update"),
  deleteLoggedModelTag: loggedModelCan("delete"),
  logLoggedModelParams: loggedModelCan("update"),

  // Registry (registered models and prompts, each in its own grant namespace).
  createRegisteredModel: async ({ check, params }) => {
    const all = await params.all();
    const isPrompt = arr(all.tags).some(
      (t) => t.key === "mlflow.prompt.is_prompt" && String(t.value).toLowerCase() === "true",
    );
    const name = typeof all.name === "string" && all.name ? all.name : "*";
    return (
      check.canCreateInWorkspace() &&
      check.ok([{ type: isPrompt ? "prompt" : "registered_model", id: name, action: "not_denied" }])
    );
  },
  renameRegisteredModel: registryCan("canUpdate"),
  updateRegisteredModel: registryCan("canUpdate"),
  deleteRegisteredModel: async ({ check, params }) => {
    const name = await params.get("name");
    const kind = await check.registryKind(name);
    if (kind === undefined) return false;
    const versionType = kind === "prompt" ? "prompt_version" : "registered_model_version";
    return check.ok([
      { type: kind, id: name, action: "delete" },
      { type: versionType, id: "*", action: "delete", fallback: [[kind, name]] },
    ]);
  },
  getRegisteredModel: registryCan("canRead"),
  searchRegisteredModels: "authenticated",
  getLatestVersions: versionRead,
  setRegisteredModelTag: registryCan("canUpdate"),
  deleteRegisteredModelTag: registryCan("canUpdate"),
  setRegisteredModelAlias: async (ctx) =>
    (await registryCan("canUpdate")(ctx)) && ctx.check.version(await ctx.params.get("name"), "read", "not_denied"),
  deleteRegisteredModelAlias: async (ctx) =>
    (await registryCan("canDelete")(ctx)) && ctx.check.version(await ctx.params.get("name"), "read", "not_denied"),
  getModelVersionByAlias: versionRead,
  createModelVersion: async ({ check, params }) => {
    const name = await params.get("name");
    if (!(await check.version(name, "not_denied", "update"))) return false;
    const all = await params.all();
    if (typeof all.run_id === "string" && !(all.run_id && (await check.run(all.run_id, "read")))) return false;
    if (typeof all.model_id === "string" && !(all.model_id && (await check.loggedModel(all.model_id, "read"))))
      return false;
    const source = typeof all.source === "string" ? /^models:\/(m-[0-9a-f]+)/.exec(all.source)?.[1] : undefined;
    return !source || check.loggedModel(source, "read");
  },
  updateModelVersion: versionCan("update"),
  transitionModelVersionStage: versionCan("update"),
  deleteModelVersion: versionCan("delete"),
  getModelVersion: versionRead,
  searchModelVersions: filterNamesRun("run_id"),
  getModelVersionDownloadUri: versionRead,
  setModelVersionTag: versionCan("update"),
  deleteModelVersionTag: versionCan("delete"),

  // Workspaces (with --enable-workspaces): members see theirs; only admins change them. The list is filtered afterwards.
  listWorkspaces: "authenticated",
  createWorkspace: "admin",
  // The reference's validator for this route is keyed by its pattern (`…/workspaces/<workspace_name>`), which its
  // exact-path lookup never matches: the route fails closed for non-admins, members included.
  getWorkspace: "admin",
  updateWorkspace: "admin",
  deleteWorkspace: "admin",

  // Webhooks are for admins only.
  createWebhook: "admin",
  listWebhooks: "admin",
  getWebhook: "admin",
  updateWebhook: "admin",
  deleteWebhook: "admin",
  testWebhook: "admin",

  // The basic-auth app's own routes.
  createUser: async (ctx) => (await ctx.roles.adminWorkspaces(ctx.user.id)).size > 0,
  getUser: isSelf,
  getCurrentUser: "authenticated",
  listUsers: "authenticated",
  updateUserPassword: isSelf,
  updateUserAdmin: "admin",
  deleteUser: "admin",
  listCurrentUserPermissions: "authenticated",
  listUserPermissions: canViewUserRoles,
  grantUserPermission: async (ctx) => canManageResource(ctx),
  revokeUserPermission: async (ctx) => canManageResource(ctx),
  getUserPermission: async (ctx) => {
    rejectWorkspaceType(await ctx.params.get("resource_type"));
    const target = await ctx.params.get("username");
    if (target === ctx.user.username) return true;
    if (!(await ctx.users.find(target))) return false;
    return isWorkspaceAdmin(ctx, ctx.workspace);
  },
  createRole: canManageRoles,
  getRole: canViewRole,
  listRoles: async (ctx) => {
    const requested = new Set((await ctx.params.list("workspace")).map((w) => w.trim()).filter(Boolean));
    if (requested.size === 0) return false;
    const present = await ctx.roles.presentWorkspaces(ctx.user.id);
    return [...requested].every((w) => present.has(w));
  },
  updateRole: canManageRoles,
  deleteRole: canManageRoles,
  addRolePermission: canManageRoles,
  removeRolePermission: canManageRoles,
  listRolePermissions: canViewRole,
  updateRolePermission: canManageRoles,
  assignRole: canManageRoles,
  unassignRole: canManageRoles,
  listUserRoles: canViewUserRoles,
  listRoleUsers: canManageRoles,
  // Every user manages their own tokens.
  createApiToken: "authenticated",
  listApiTokens: "authenticated",
  deleteApiToken: "authenticated",
};

/** grant/revoke: MANAGE on the resource (a `*` grant: workspace admins only). @see validate_can_manage_resource */
async function canManageResource(ctx: RuleContext): Promise<boolean> {
  const type = await ctx.params.get("resource_type");
  const id = await ctx.params.get("resource_id");
  if (id === "*") {
    rejectWorkspaceType(type);
    validateResourceType(type);
    return isWorkspaceAdmin(ctx, ctx.workspace);
  }
  return userPermissionFor(ctx.check, type, id).canManage;
}
