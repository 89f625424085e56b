import { invalidParameter } from "../errors.js";
import { narrowQueueList } from "../http/review-queue-visibility.js";
import { parseIssueFilter } from "../search/issue-filter.js";
import type { QueueRow } from "../store/review-queues.js";
import type { Checker } from "./checker.js";
import { governing, isWorkspaceAdminGrant, PERMISSIONS, type Permission } from "./permissions.js";
import type { Rule, RuleContext } from "./rule-types.js";

/**
 * The permission rules of label schemas, review queues and issues. All inherit from the experiment: creating a queue
 * needs EDIT (the creator owns it); editing or deleting one MANAGE, or EDIT as its owner (reassigning the owner is
 * MANAGE only); label schemas are managed with MANAGE; adding items needs EDIT; reviewing needs EDIT and a place in
 * the queue's user pool; reads need READ, and opening a queue also MANAGE, membership or EDIT-ownership.
 * A missing queue or label schema answers 404 before any permission is weighed, as in the reference.
 * @see mlflow/server/auth/__init__.py validate_can_*review_queue*, validate_can_*label_schema, validate_can_*issue
 */

/** The permission that governs the experiment's `review_queue` tier; none without READ on the experiment. */
function queuePermission(check: Checker, experimentId: string): Permission {
  if (check.grants.some(isWorkspaceAdminGrant)) return PERMISSIONS.MANAGE;
  if (!check.ok([{ type: "experiment", id: experimentId, action: "read" }])) return PERMISSIONS.NO_PERMISSIONS;
  return governing(
    check.grants,
    { type: "review_queue", id: "*", action: "not_denied", fallback: [["experiment", experimentId]] },
    check.defaultLevel,
    check.absentLevel,
  );
}

const norm = (s: string | null | undefined) => (s ?? "").trim().toLowerCase();
const isMember = (q: QueueRow, username: string) => q.users.includes(norm(username));
const isOwner = (q: QueueRow, username: string) => !!norm(q.createdBy) && norm(q.createdBy) === norm(username);

async function queueOf(ctx: RuleContext): Promise<QueueRow> {
  return ctx.check.store.reviewQueues.row(await ctx.params.get("queue_id"));
}

/** A manager, or the owner with EDIT. */
function ownsOrManages(ctx: RuleContext, q: QueueRow): boolean {
  const p = queuePermission(ctx.check, q.experimentId);
  return p.canManage || (p.canUpdate && isOwner(q, ctx.user.username));
}

/** Delete a queue or un-assign its items: a manager, or the EDIT owner of a CUSTOM queue. */
const deleteOrPrune: Rule = async (ctx) => {
  const q = await queueOf(ctx);
  const p = queuePermission(ctx.check, q.experimentId);
  return p.canManage || (p.canUpdate && isOwner(q, ctx.user.username) && q.queueType === "custom");
};

const viewQueue: Rule = async (ctx) => {
  const q = await queueOf(ctx);
  const p = queuePermission(ctx.check, q.experimentId);
  if (!p.canRead) return false;
  return p.canManage || isMember(q, ctx.user.username) || (p.canUpdate && isOwner(q, ctx.user.username));
};

/** A registered user whose name a custom queue would take (and so shadow that user's personal queue). */
async function rejectUsernameAsQueueName(ctx: RuleContext, name: unknown, verb: "use" | "be renamed to") {
  if (typeof name !== "string" || !name.trim()) return;
  const target = name.trim().toLowerCase();
  const matched = (await ctx.users.list()).find((u) => u.username.trim().toLowerCase() === target);
  if (matched)
    throw invalidParameter(
      `'${matched.username}' is a registered user. A custom review queue cannot ${verb === "use" ? "use a username as its name" : "be renamed to a username"}; assign that user to a queue instead.`,
    );
}

const CUSTOM = new Set(["CUSTOM", 2]);

const createIn = async ({ check, params }: RuleContext) =>
  check.ok([
    { type: "experiment", id: await params.get("experiment_id"), action: "update" },
    { type: "review_queue", id: "*", action: "not_denied" },
  ]);

const experimentCan =
  (action: "canRead" | "canUpdate" | "canManage"): Rule =>
  async ({ check, params }) =>
    check.experiment(await params.get("experiment_id"))[action];

const labelSchemaCan =
  (action: "canRead" | "canManage"): Rule =>
  async ({ check, params }) => {
    const schema = await check.store.labelSchemas.row(await params.get("schema_id"));
    return check.experiment(String(schema.experimentId))[action];
  };

/** READ or UPDATE on the issue's experiment; a missing issue denies. */
const issueCan =
  (action: "canRead" | "canUpdate"): Rule =>
  async ({ check, params }) => {
    const exp = await check.store.issues.experimentOf(await params.get("issue_id"));
    return exp !== undefined && check.experiment(exp)[action];
  };

/** Whether an issue search's filter selects by run (answering which runs have issues). */
function selectsRun(filter: unknown): boolean {
  if (typeof filter !== "string" || !filter) return false;
  try {
    return parseIssueFilter(filter).some((c) => c.key === "source_run_id");
  } catch {
    return true;
  }
}

export const REVIEW_RULES = {
  createLabelSchema: experimentCan("canManage"),
  getLabelSchema: labelSchemaCan("canRead"),
  getLabelSchemaByName: experimentCan("canRead"),
  listLabelSchemas: experimentCan("canRead"),
  updateLabelSchema: labelSchemaCan("canManage"),
  deleteLabelSchema: labelSchemaCan("canManage"),

  createReviewQueue: async (ctx) => {
    if (!(await createIn(ctx))) return false;
    const all = await ctx.params.all();
    if (CUSTOM.has(all.queue_type as string)) await rejectUsernameAsQueueName(ctx, all.name, "use");
    return true;
  },
  getOrCreateUserQueue: createIn,
  getReviewQueue: viewQueue,
  listReviewQueueItems: viewQueue,
  getReviewQueueByName: async (ctx) => {
    const exp = await ctx.params.get("experiment_id");
    const p = queuePermission(ctx.check, exp);
    if (!p.canRead) return false;
    if (p.canManage) return true;
    const q = await ctx.check.store.reviewQueues.rowByName(exp, await ctx.params.get("name"));
    return isMember(q, ctx.user.username) || (p.canUpdate && isOwner(q, ctx.user.username));
  },
  /** READ on the experiment; a caller whose queue permission lacks EDIT then sees only the queues they are in. */
  listReviewQueues: async (ctx) => {
    const exp = await ctx.params.get("experiment_id");
    if (!ctx.check.experiment(exp).canRead) return false;
    const p = queuePermission(ctx.check, exp);
    if (!(p.canRead && p.canUpdate))
      narrowQueueList(ctx.c, p.canRead ? { assignedTo: norm(ctx.user.username) } : "none");
    return true;
  },
  updateReviewQueue: async (ctx) => {
    const q = await queueOf(ctx);
    const all = await ctx.params.all();
    const allowed =
      all.new_owner !== undefined && all.new_owner !== null
        ? queuePermission(ctx.check, q.experimentId).canManage
        : ownsOrManages(ctx, q);
    if (allowed && q.queueType === "custom" && typeof all.name === "string")
      await rejectUsernameAsQueueName(ctx, all.name, "be renamed to");
    return allowed;
  },
  deleteReviewQueue: deleteOrPrune,
  removeItemsFromReviewQueue: deleteOrPrune,
  addItemsToReviewQueue: async (ctx) => {
    const q = await queueOf(ctx);
    return queuePermission(ctx.check, q.experimentId).canUpdate;
  },
  setReviewQueueItemStatus: async (ctx) => {
    const q = await queueOf(ctx);
    return queuePermission(ctx.check, q.experimentId).canUpdate && isMember(q, ctx.user.username);
  },

  createIssue: async ({ check, params }) => {
    const exp = await params.optional("experiment_id");
    return !!exp && check.experiment(String(exp)).canUpdate;
  },
  getIssue: issueCan("canRead"),
  updateIssue: issueCan("canUpdate"),
  searchIssues: async ({ check, params }) => {
    const all = await params.all();
    if (!all.experiment_id) return false;
    if (!check.experiment(String(all.experiment_id)).canRead) return false;
    if (!selectsRun(all.filter_string)) return true;
    return check.ok([{ type: "run", id: "*", action: "not_denied" }]);
  },
} satisfies Record<string, Rule>;
