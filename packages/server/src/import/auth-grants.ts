import { validateGrant, validatePattern, validateResourceType } from "../auth/permissions.js";
import { DEFAULT_WORKSPACE } from "../store/workspace-scope.js";
import type { ImportAuthUser, SkippedItem } from "./model.js";

/** One row of `role_permissions` on a role of `workspace`. */
export interface AuthGrant {
  workspace: string;
  resource_type: string;
  resource_pattern: string;
  permission: string;
}

/** A named (non-per-user) role the user holds, with its grants. */
export interface NamedRole {
  name: string;
  workspace: string;
  description: string | null;
  grants: AuthGrant[];
}

export interface GrantMapping {
  /** The tracklite id of a source experiment (when the import had to give it a new one); the same id when undefined. */
  experimentId?: (sourceId: string) => string | undefined;
  /** Whether a registered-model name is a prompt in `workspace`: its legacy grants become `prompt` grants. */
  isPrompt?: (name: string, workspace: string) => boolean;
}

/** Python's `urllib.parse.quote(s, safe='')`, which the reference uses for scorer patterns. */
const pyQuote = (s: string) =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** Levels a per-resource grant may carry after MLflow's RBAC migration; NO_PERMISSIONS and the like are dropped. */
const RESOURCE_LEVELS = new Set(["READ", "USE", "EDIT", "MANAGE", "DENY"]);
/** Concrete types a legacy workspace EDIT fans out to. @see e5f6a7b8c9d0_migrate_permissions_to_roles.py */
const FAN_OUT = [
  "experiment",
  "registered_model",
  "scorer",
  "gateway_secret",
  "gateway_endpoint",
  "gateway_model_definition",
];

const str = (v: unknown) => (v === null || v === undefined ? "" : String(v));

/**
 * A user's permissions as tracklite's role grants, by the rules of MLflow's own migration of the legacy per-resource
 * tables into roles (so an old `basic_auth.db` and a 3.17 one land the same): legacy grants go to the user's
 * `__user_<id>__` role in the default workspace (registered models in theirs); `NO_PERMISSIONS` rows are dropped (an
 * absent grant plus `default_permission` says the same); a workspace READ becomes USE, EDIT becomes USE plus EDIT on
 * every resource type. RBAC-era rows (`other_permissions.role_permissions`, `.roles`) are taken as they are.
 * @see mlflow/server/auth/db/migrations/versions/e5f6a7b8c9d0_migrate_permissions_to_roles.py
 */
export function grantsOf(
  user: ImportAuthUser,
  mapping: GrantMapping = {},
): { grants: AuthGrant[]; roles: NamedRole[]; skipped: SkippedItem[] } {
  const grants: AuthGrant[] = [];
  const skipped: SkippedItem[] = [];
  const who = `user ${user.username}`;
  const experiment = (id: string) => mapping.experimentId?.(id) ?? id;

  /** Adds a checked grant; a grant tracklite would refuse is reported instead. */
  const add = (g: AuthGrant, what: string, into: AuthGrant[] = grants) => {
    if (g.resource_type !== "workspace" && !RESOURCE_LEVELS.has(g.permission)) {
      skipped.push({
        what: `${who}: ${what}`,
        reason: `${g.permission} is no grant in tracklite (as in MLflow 3.17): the default permission applies`,
      });
      return;
    }
    try {
      validateResourceType(g.resource_type);
      validatePattern(g.resource_pattern, g.resource_type);
      validateGrant(g.permission, g.resource_type);
      into.push(g);
    } catch (err) {
      skipped.push({ what: `${who}: ${what}`, reason: (err as Error).message });
    }
  };

  for (const p of user.experiment_permissions)
    add(
      {
        workspace: DEFAULT_WORKSPACE,
        resource_type: "experiment",
        resource_pattern: experiment(p.experiment_id),
        permission: p.permission,
      },
      `experiment ${p.experiment_id} ${p.permission}`,
    );
  for (const p of user.registered_model_permissions) {
    const workspace = str((p as { workspace?: unknown }).workspace) || DEFAULT_WORKSPACE;
    const type = mapping.isPrompt?.(p.name, workspace) ? "prompt" : "registered_model";
    add(
      { workspace, resource_type: type, resource_pattern: p.name, permission: p.permission },
      `${type} ${p.name} ${p.permission}`,
    );
  }

  const roles: NamedRole[] = [];
  for (const [table, rows] of Object.entries(user.other_permissions ?? {})) {
    for (const row of rows) {
      const permission = str(row.permission);
      const at = (resource_type: string, resource_pattern: string, workspace = DEFAULT_WORKSPACE) =>
        add(
          { workspace, resource_type, resource_pattern, permission },
          `${resource_type} ${resource_pattern} ${permission}`,
        );
      if (table === "scorer_permissions")
        at("scorer", `${experiment(str(row.experiment_id))}/${pyQuote(str(row.scorer_name))}`);
      else if (table === "gateway_secret_permissions") at("gateway_secret", str(row.secret_id));
      else if (table === "gateway_endpoint_permissions") at("gateway_endpoint", str(row.endpoint_id));
      else if (table === "gateway_model_definition_permissions")
        at("gateway_model_definition", str(row.model_definition_id));
      else if (table === "workspace_permissions") {
        const workspace = str(row.workspace) || DEFAULT_WORKSPACE;
        if (permission === "NO_PERMISSIONS") continue;
        const level = permission === "READ" ? "USE" : permission === "EDIT" ? "USE" : permission;
        add(
          { workspace, resource_type: "workspace", resource_pattern: "*", permission: level },
          `workspace ${workspace} ${permission}`,
        );
        if (permission === "EDIT")
          for (const type of FAN_OUT)
            add({ workspace, resource_type: type, resource_pattern: "*", permission: "EDIT" }, `${type} * EDIT`);
      } else if (table === "role_permissions") {
        const type = str(row.resource_type);
        const pattern = str(row.resource_pattern);
        at(
          type,
          type === "experiment" && pattern !== "*" ? experiment(pattern) : pattern,
          str(row.workspace) || DEFAULT_WORKSPACE,
        );
      } else if (table === "roles") {
        const name = str(row.name);
        const workspace = str(row.workspace) || DEFAULT_WORKSPACE;
        let role = roles.find((r) => r.name === name && r.workspace === workspace);
        if (!role) {
          role = { name, workspace, description: row.description == null ? null : str(row.description), grants: [] };
          roles.push(role);
        }
        if (row.resource_type != null) {
          const type = str(row.resource_type);
          const pattern = str(row.resource_pattern);
          add(
            {
              workspace,
              resource_type: type,
              resource_pattern: type === "experiment" && pattern !== "*" ? experiment(pattern) : pattern,
              permission,
            },
            `role ${name}: ${type} ${pattern} ${permission}`,
            role.grants,
          );
        }
      } else {
        skipped.push({ what: `${who}: ${table}`, reason: "a permission table tracklite does not know" });
        break;
      }
    }
  }
  return { grants, roles, skipped };
}
