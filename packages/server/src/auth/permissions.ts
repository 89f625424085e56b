import { invalidParameter } from "../errors.js";

/**
 * Permission levels and how grants fold into one, as the reference's basic-auth app defines them.
 * @see mlflow/server/auth/permissions.py, mlflow/server/auth/requirements.py
 */
export const LEVELS = ["READ", "USE", "EDIT", "MANAGE", "NO_PERMISSIONS", "DENY"] as const;
export type Level = (typeof LEVELS)[number];

export interface Permission {
  name: Level;
  canRead: boolean;
  canUse: boolean;
  canUpdate: boolean;
  canDelete: boolean;
  canManage: boolean;
}

const make = (name: Level, n: number): Permission => ({
  name,
  canRead: n >= 1,
  canUse: n >= 2,
  canUpdate: n >= 3,
  canDelete: n >= 4,
  canManage: n >= 4,
});

export const PERMISSIONS: Record<Level, Permission> = {
  READ: make("READ", 1),
  USE: make("USE", 2),
  EDIT: make("EDIT", 3),
  MANAGE: make("MANAGE", 4),
  NO_PERMISSIONS: make("NO_PERMISSIONS", 0),
  DENY: make("DENY", 0),
};

/** DENY is negative so it never wins a max fold. */
const PRIORITY: Record<Level, number> = { DENY: -1, NO_PERMISSIONS: 0, READ: 1, USE: 2, EDIT: 3, MANAGE: 4 };

export const isLevel = (s: unknown): s is Level => typeof s === "string" && (LEVELS as readonly string[]).includes(s);

export function maxLevel(a: Level, b: Level): Level {
  return PRIORITY[a] >= PRIORITY[b] ? a : b;
}

/** Resource types a grant may name; sub-resources take only the `*` wildcard. */
export const RESOURCE_TYPES = {
  workspace: "wildcard",
  experiment: "any",
  registered_model: "any",
  prompt: "any",
  scorer: "any",
  gateway_secret: "any",
  gateway_endpoint: "any",
  gateway_model_definition: "any",
  mcp_server: "any",
  run: "wildcard",
  trace: "wildcard",
  assessment: "wildcard",
  logged_model: "wildcard",
  review_queue: "wildcard",
  registered_model_version: "wildcard",
  prompt_version: "wildcard",
  scorer_version: "wildcard",
  mcp_server_version: "wildcard",
} as const;
export type ResourceType = keyof typeof RESOURCE_TYPES;

/** Python's repr of a tuple of strings, for the reference's messages. */
const pyTuple = (xs: readonly string[]) => `(${xs.map((x) => `'${x}'`).join(", ")}${xs.length === 1 ? "," : ""})`;

export function validateResourceType(type: string): asserts type is ResourceType {
  if (!(type in RESOURCE_TYPES))
    throw invalidParameter(
      `Invalid resource type '${type}'. Valid resource types are: ${pyTuple(Object.keys(RESOURCE_TYPES).sort())}`,
    );
}

export function validatePermission(permission: string): asserts permission is Level {
  if (!isLevel(permission))
    throw invalidParameter(`Invalid permission '${permission}'. Valid permissions are: ${pyTuple(LEVELS)}`);
}

const WORKSPACE_GRANTABLE = ["MANAGE", "USE"] as const;
const RESOURCE_GRANTABLE = ["DENY", "EDIT", "MANAGE", "READ", "USE"] as const;

/** Whether `permission` may be granted on a row of `type`. @see permissions._validate_permission_for_resource_type */
export function validateGrant(permission: string, type: string): asserts permission is Level {
  validatePermission(permission);
  validateResourceType(type);
  if (type === "workspace") {
    if (!(WORKSPACE_GRANTABLE as readonly string[]).includes(permission))
      throw invalidParameter(
        `Invalid permission '${permission}' for resource_type='workspace'. Workspace-wide grants accept only: ${pyTuple(WORKSPACE_GRANTABLE)}.`,
      );
    return;
  }
  if (!(RESOURCE_GRANTABLE as readonly string[]).includes(permission))
    throw invalidParameter(
      `Invalid permission '${permission}' for resource_type='${type}'. Resource-level grants accept only: ${pyTuple(RESOURCE_GRANTABLE)}.`,
    );
}

export function validatePattern(pattern: string, type: string): void {
  validateResourceType(type);
  if (pattern === "*") return;
  if (RESOURCE_TYPES[type] === "wildcard")
    throw invalidParameter(
      `Invalid resource_pattern '${pattern}' for resource_type='${type}'. This resource type supports only wildcard ('*') grants.`,
    );
}

/** One grant row of a role the user holds. */
export interface Grant {
  resource_type: string;
  resource_pattern: string;
  permission: string;
}

export const isWorkspaceAdminGrant = (g: Grant) =>
  g.resource_type === "workspace" && g.resource_pattern === "*" && g.permission === "MANAGE";

function matches(g: Grant, type: string, id: string): boolean {
  const grain = (RESOURCE_TYPES as Record<string, string>)[type];
  if (grain === undefined || g.resource_type !== type) return false;
  return g.resource_pattern === "*" || (grain === "any" && g.resource_pattern === id);
}

/** The grants on one key: DENY among them wins, else the highest; undefined when none applies. */
export function foldGrants(grants: readonly Grant[], type: string, id: string): Permission | undefined {
  let denied = false;
  let best: Level | undefined;
  for (const g of grants) {
    if (!matches(g, type, id) || !isLevel(g.permission)) continue;
    if (g.permission === "DENY") denied = true;
    else best = best === undefined ? g.permission : maxLevel(best, g.permission);
  }
  if (denied) return PERMISSIONS.DENY;
  return best === undefined ? undefined : PERMISSIONS[best];
}

/** A positive grant never resolves below `default_permission`; DENY and NO_PERMISSIONS stay as they are. */
export function floor(p: Permission, defaultLevel: Level): Permission {
  if (p.name === "DENY" || p.name === "NO_PERMISSIONS") return p;
  return PERMISSIONS[maxLevel(p.name, defaultLevel)];
}

export const ACTIONS = ["read", "use", "update", "delete", "manage", "create", "not_denied"] as const;
export type Action = (typeof ACTIONS)[number];

export function actionMet(action: Action, p: Permission): boolean {
  switch (action) {
    case "not_denied":
      return p.name !== "DENY";
    case "read":
      return p.canRead;
    case "use":
    case "create":
      return p.canUse;
    case "update":
      return p.canUpdate;
    case "delete":
      return p.canDelete;
    case "manage":
      return p.canManage;
  }
}

/**
 * A fallback key of a requirement. It inherits the requirement's action unless it names its own: a destructive act on
 * a tier can need `delete` of a tier grant while a caller without one inherits the experiment's `update`.
 * @see mlflow/server/auth/requirements.py requirement_rungs
 */
export type Rung = readonly [type: string, id: string, action?: Action];

/**
 * One thing an operation requires: `action` on a resource, with keys consulted in order only when the caller holds no
 * grant on the resource's own key (the first key holding any grant decides: a DENY is never rescued by an ancestor).
 */
export interface Requirement {
  type: string;
  id: string;
  action: Action;
  fallback?: readonly Rung[];
}

/**
 * Whether every requirement is met by the permission that governs it. Admin (workspace MANAGE) grants win first.
 * `absent` is what no grant at all means: `default_permission`, or NO_PERMISSIONS with workspaces enabled.
 */
export function authorize(
  grants: readonly Grant[],
  requirements: readonly Requirement[],
  defaultLevel: Level,
  absent: Level = defaultLevel,
): boolean {
  if (grants.some(isWorkspaceAdminGrant)) return true;
  return requirements.every((r) => {
    const [permission, action] = governingRung(grants, r, defaultLevel, absent);
    return actionMet(action, permission);
  });
}

/** The permission that governs one requirement (the tier override). */
export function governing(
  grants: readonly Grant[],
  r: Requirement,
  defaultLevel: Level,
  absent: Level = defaultLevel,
): Permission {
  return governingRung(grants, r, defaultLevel, absent)[0];
}

/**
 * The governing permission and the action its rung requires. With no grant on any rung, the last rung's action is
 * the one to clear (the level a caller without grants inherits).
 * @see mlflow/server/auth/requirements.py governing_permission_and_action
 */
export function governingRung(
  grants: readonly Grant[],
  r: Requirement,
  defaultLevel: Level,
  absent: Level = defaultLevel,
): [Permission, Action] {
  const rungs: Rung[] = [[r.type, r.id], ...(r.fallback ?? [])];
  for (const [type, id, action] of rungs) {
    const p = foldGrants(grants, type, id);
    if (p) return [p.name === "DENY" ? p : floor(p, defaultLevel), action ?? r.action];
  }
  return [floor(PERMISSIONS[absent], defaultLevel), rungs[rungs.length - 1]?.[2] ?? r.action];
}

/** A user's permission on one resource: its grant floored at the default, or what no grant means. */
export function permissionOn(
  grants: readonly Grant[],
  type: string,
  id: string,
  defaultLevel: Level,
  absent: Level = defaultLevel,
): Permission {
  if (grants.some(isWorkspaceAdminGrant)) return PERMISSIONS.MANAGE;
  return governing(grants, { type, id, action: "read" }, defaultLevel, absent);
}
