import type { Context } from "hono";
import { type Checker, IS_PROMPT_TAG } from "./checker.js";
import { parseExact, stringifyExact } from "./exact-json.js";
import { redactTraceAnswer, TRACE_REDACTIONS } from "./trace-redaction.js";

type Row = Record<string, unknown>;
const rows = (v: unknown): Row[] => (Array.isArray(v) ? (v as Row[]) : v && typeof v === "object" ? [v as Row] : []);

/**
 * Where each answer holds references to other resources (a model version's run and logged model, a logged model's
 * source run, a run's logged models), and which of them a denied tier withholds.
 * @see mlflow/server/auth/__init__.py _MODEL_VERSION_SIBLING_FIELDS, redact_* after-request handlers
 */
interface Redaction {
  /** The rows of this kind in an answer. */
  of: (body: Row) => Row[];
  /** Clears what the denied tiers hide; returns whether anything was cleared. */
  strip: (row: Row, denied: Set<string>) => boolean;
}

function clear(row: Row | undefined, fields: readonly string[]): boolean {
  let changed = false;
  for (const f of fields)
    if (row && row[f] !== undefined) {
      delete row[f];
      changed = true;
    }
  return changed;
}

const versionSiblings: Redaction["strip"] = (v, denied) =>
  (denied.has("run") && clear(v, ["run_id", "run_link"])) ||
  (denied.has("logged_model") && clear(v, ["model_id", "model_params", "model_metrics"]));

const loggedModelRuns: Redaction["strip"] = (m, denied) => {
  if (!denied.has("run")) return false;
  let changed = clear(m.info as Row | undefined, ["source_run_id"]);
  for (const metric of rows((m.data as Row | undefined)?.metrics)) changed = clear(metric, ["run_id"]) || changed;
  return changed;
};

const runModelLinks: Redaction["strip"] = (r, denied) => {
  if (!denied.has("logged_model")) return false;
  let changed = clear(r.inputs as Row | undefined, ["model_inputs"]);
  changed = clear(r.outputs as Row | undefined, ["model_outputs"]) || changed;
  for (const metric of rows((r.data as Row | undefined)?.metrics)) changed = clear(metric, ["model_id"]) || changed;
  return changed;
};

const versions = (strip = versionSiblings): Redaction => ({
  of: (b) => [...rows(b.model_version), ...rows(b.model_versions)],
  strip,
});
const modelsOf = (b: Row) => [...rows(b.registered_model), ...rows(b.registered_models)];
const modelVersionsOfModels: Redaction = {
  of: (b) => modelsOf(b).flatMap((m) => rows(m.latest_versions)),
  strip: versionSiblings,
};

/**
 * A registered model's `latest_versions` when its version tier is denied (`registered_model_version` or
 * `prompt_version`, `*`, DENY): withheld whole. @see _withhold_denied_latest_versions
 */
function withholdLatestVersions(body: Row, check: Checker): boolean {
  let changed = false;
  for (const m of modelsOf(body)) {
    if (!Array.isArray(m.latest_versions) || m.latest_versions.length === 0) continue;
    const isPrompt = rows(m.tags).some((t) => t.key === IS_PROMPT_TAG && String(t.value).toLowerCase() === "true");
    if (
      !check.ok([{ type: isPrompt ? "prompt_version" : "registered_model_version", id: "*", action: "not_denied" }])
    ) {
      delete m.latest_versions;
      changed = true;
    }
  }
  return changed;
}

export const REDACTIONS: Record<string, Redaction> = {
  getModelVersion: versions(),
  getModelVersionByAlias: versions(),
  createModelVersion: versions(),
  updateModelVersion: versions(),
  transitionModelVersionStage: versions(),
  getLatestVersions: versions(),
  searchModelVersions: versions(),
  getRegisteredModel: modelVersionsOfModels,
  updateRegisteredModel: modelVersionsOfModels,
  renameRegisteredModel: modelVersionsOfModels,
  searchRegisteredModels: modelVersionsOfModels,
  getLoggedModel: { of: (b) => rows(b.model), strip: loggedModelRuns },
  createLoggedModel: { of: (b) => rows(b.model), strip: loggedModelRuns },
  finalizeLoggedModel: { of: (b) => rows(b.model), strip: loggedModelRuns },
  setLoggedModelTags: { of: (b) => rows(b.model), strip: loggedModelRuns },
  searchLoggedModels: { of: (b) => rows(b.models), strip: loggedModelRuns },
  getRun: { of: (b) => rows(b.run), strip: runModelLinks },
  searchRuns: { of: (b) => rows(b.runs), strip: runModelLinks },
  getMetricHistory: {
    of: (b) => rows(b.metrics),
    strip: (m, denied) => denied.has("logged_model") && clear(m, ["model_id"]),
  },
};

/** The sub-resource tiers the user is denied workspace-wide (`run` / `logged_model`, `*`, DENY). */
export function deniedTiers(check: Checker): Set<string> {
  return new Set(["run", "logged_model"].filter((t) => !check.ok([{ type: t, id: "*", action: "not_denied" }])));
}

/**
 * Withholds, from a successful answer, the references to resources of a tier the user is denied: a readable model
 * version still names its run, a logged model its source run. Answers are rewritten only when something is cleared.
 */
export async function redact(c: Context, name: string, check: Checker): Promise<void> {
  const traces = TRACE_REDACTIONS[name];
  if (traces) {
    // A trace's spans carry nanosecond times beyond 2^53: parsed and written back exactly.
    const body = parseExact(await c.res.clone().text()) as Row;
    if (redactTraceAnswer(body, traces, check)) rewrite(c, stringifyExact(body));
    return;
  }
  const redaction = REDACTIONS[name];
  if (!redaction) return;
  const denied = deniedTiers(check);
  const isRegistry = redaction === modelVersionsOfModels;
  if (denied.size === 0 && !isRegistry) return;
  const body = (await c.res.clone().json()) as Row;
  let changed = isRegistry && withholdLatestVersions(body, check);
  for (const row of redaction.of(body)) changed = redaction.strip(row, denied) || changed;
  if (changed) rewrite(c, JSON.stringify(body));
}

/** Replaces the answer's body with the redacted one. */
function rewrite(c: Context, json: string): void {
  const headers = new Headers(c.res.headers);
  headers.delete("content-length");
  c.res = new Response(json, { status: c.res.status, headers });
}
