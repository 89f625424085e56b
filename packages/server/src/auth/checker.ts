import { canonicalExperimentId } from "../store/ids.js";
import type { Store } from "../store/index.js";
import {
  authorize,
  foldGrants,
  type Grant,
  type Level,
  type Permission,
  permissionOn,
  type Requirement,
  type Rung,
} from "./permissions.js";

export const IS_PROMPT_TAG = "mlflow.prompt.is_prompt";

/**
 * One user's permission checks within one request: the user's grants (loaded once) against resources looked up in
 * the tracking store. Missing runs, traces, logged models and registered models deny (403) rather than 404, as in the
 * reference, so that a check is no oracle for which ids exist.
 */
export class Checker {
  /** What no grant means: `default_permission`, or NO_PERMISSIONS with workspaces enabled (the reference's rule). */
  readonly absentLevel: Level;

  /** The user's grants, experiment ids canonical: a DENY given on "03" holds for experiment 3. */
  readonly grants: readonly Grant[];

  constructor(
    readonly store: Store,
    grants: readonly Grant[],
    readonly defaultLevel: Level,
  ) {
    this.absentLevel = store.workspacesEnabled ? "NO_PERMISSIONS" : defaultLevel;
    this.grants = grants.map((g) => ({ ...g, resource_pattern: canonicalId(g.resource_type, g.resource_pattern) }));
  }

  ok(requirements: readonly Requirement[]): boolean {
    const canonical = requirements.map((r) => ({
      ...r,
      id: canonicalId(r.type, r.id),
      ...(r.fallback ? { fallback: r.fallback.map(([t, id, a]): Rung => [t, canonicalId(t, id), a]) } : {}),
    }));
    return authorize(this.grants, canonical, this.defaultLevel, this.absentLevel);
  }

  on(type: string, id: string): Permission {
    return permissionOn(this.grants, type, canonicalId(type, id), this.defaultLevel, this.absentLevel);
  }

  /**
   * Whether the user may create in the request's workspace: always without workspaces; with them, a workspace-wide
   * grant that can USE (USE or MANAGE). @see _can_create_in_workspace
   */
  canCreateInWorkspace(): boolean {
    if (!this.store.workspacesEnabled) return true;
    return foldGrants(this.grants, "workspace", "*")?.canUse ?? false;
  }

  experiment(id: string): Permission {
    return this.on("experiment", id);
  }

  /** The experiment a run belongs to, or undefined when there is no such run. */
  async runExperiment(runId: string): Promise<string | undefined> {
    try {
      return String((await this.store.runs.row(runId)).experiment_id);
    } catch {
      return undefined;
    }
  }

  async loggedModelExperiment(modelId: string): Promise<string | undefined> {
    try {
      return (await this.store.loggedModels.get(modelId, true)).info.experiment_id;
    } catch {
      return undefined;
    }
  }

  /** An action on a run: READ on its experiment plus the action on the run tier (falling back to the experiment). */
  async run(runId: string, action: Requirement["action"]): Promise<boolean> {
    const exp = await this.runExperiment(runId);
    if (exp === undefined) return false;
    return this.ok(childOfExperiment(exp, "run", action));
  }

  async loggedModel(modelId: string, action: Requirement["action"]): Promise<boolean> {
    const exp = await this.loggedModelExperiment(modelId);
    if (exp === undefined) return false;
    return this.ok(childOfExperiment(exp, "logged_model", action));
  }

  /** The experiment a trace belongs to, or undefined when there is no such trace. */
  async traceExperiment(traceId: string): Promise<string | undefined> {
    const row = await this.store.traces.findRow(traceId);
    return row ? String(row.experiment_id) : undefined;
  }

  /**
   * An action on a trace: READ on its experiment plus the action on the trace tier (falling back to the experiment).
   * A missing trace denies, as in the reference. @see _authorize_trace
   */
  async trace(traceId: string, action: Requirement["action"]): Promise<boolean> {
    const exp = await this.traceExperiment(traceId);
    if (exp === undefined) return false;
    return this.ok(childOfExperiment(exp, "trace", action));
  }

  /** Whether a registered model is a prompt, or undefined when it does not exist. */
  async registryKind(name: string): Promise<"prompt" | "registered_model" | undefined> {
    try {
      const model = await this.store.registeredModels.get(name);
      const tag = model.tags?.find((t) => t.key === IS_PROMPT_TAG);
      return String(tag?.value ?? "").toLowerCase() === "true" ? "prompt" : "registered_model";
    } catch {
      return undefined;
    }
  }

  /** The permission on a registered model or prompt, in its own namespace (a missing one: the registered model's). */
  async registryPermission(name: string): Promise<Permission> {
    return this.on((await this.registryKind(name)) ?? "registered_model", name);
  }

  /** A version action: READ on the container plus the action on its version tier. */
  async version(name: string, action: Requirement["action"], containerAction: Requirement["action"] = "read") {
    const kind = await this.registryKind(name);
    if (kind === undefined) return false;
    const versionType = kind === "prompt" ? "prompt_version" : "registered_model_version";
    return this.ok([
      { type: kind, id: name, action: containerAction },
      { type: versionType, id: "*", action, fallback: [[kind, name]] },
    ]);
  }
}

/**
 * The id a grant is keyed by, as the handler will read the request's id: the store parses `03`, `+3` and ` 3 ` as
 * experiment 3, so the check must not look up a grant on "03" (none: the default permission) for what the handler
 * then serves as experiment 3.
 */
function canonicalId(type: string, id: string): string {
  return type === "experiment" ? canonicalExperimentId(id) : id;
}

/** The requirements of an action on a sub-resource of an experiment. */
export function childOfExperiment(experimentId: string, type: string, action: Requirement["action"]): Requirement[] {
  return [
    { type: "experiment", id: experimentId, action: "read" },
    { type, id: "*", action, fallback: [["experiment", experimentId]] },
  ];
}

/**
 * A create in an experiment: UPDATE on it, and the created tier (plus any written alongside) not denied.
 * @see mlflow/server/auth/__init__.py _authorize_create_in_experiment
 */
export const createIn = (check: Checker, experimentId: string, type: string, extra: Requirement[] = []) =>
  check.ok([
    { type: "experiment", id: experimentId, action: "update" },
    { type, id: "*", action: "not_denied" },
    ...extra,
  ]);
