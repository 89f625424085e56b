import type { InStatement } from "@libsql/client";
import { IS_PROMPT_TAG } from "@tracklite/schemas";
import { invalidParameter, MlflowError } from "../errors.js";
import { canonicalStage, validateModelName, validateModelVersionTag } from "../validation/registry.js";
import { pyJsonDumps } from "../webhooks/python-json.js";
import type { RegistryChangeSink } from "../webhooks/registry-changes.js";
import type { DbHandle } from "./db.js";
import type { LoggedModelStore } from "./logged-models.js";
import type { AliasStore } from "./model-aliases.js";
import { type ParsedModelUri, parseModelUri } from "./model-uri.js";
import {
  invalidSource,
  rejectHostAddressed,
  type SourceOwner,
  urlparse,
  validateModelSource,
  validateRunSource,
} from "./model-version-sources.js";
import { latestVersionRows } from "./registry-loader.js";
import { modelRow, type VersionRow, versionByNumber, versionRow } from "./registry-rows.js";
import type { RunStore } from "./runs.js";

type KeyValue = { key?: string | undefined; value?: string | undefined };

/** What creating a version reads besides the registry: the source's run or logged model, and aliases. */
export interface CreateDeps {
  runs: RunStore;
  loggedModels: LoggedModelStore;
  aliases: AliasStore;
  /** Told about each version created and each version tag written (webhooks). */
  notify?: RegistryChangeSink;
  /** MLFLOW_CREATE_MODEL_VERSION_SOURCE_VALIDATION_REGEX: a source must match it (searched anywhere, as `re.search`). */
  sourceRegex?: RegExp | undefined;
}

/** A create-model-version request; `undefined` run and model ids were absent from it (not merely empty). */
export interface CreateModelVersionArgs {
  name?: string | undefined;
  source?: string | undefined;
  runId?: string | undefined;
  modelId?: string | undefined;
  tags?: readonly KeyValue[] | undefined;
  runLink?: string | undefined;
  description?: string | undefined;
}

/** The sources MLflow's own clients give prompt versions, which have no files. */
const PROMPT_SOURCES = new Set(["dummy-source", "prompt-template"]);
/** The logged-model tag listing the versions registered from it. */
const MODEL_VERSIONS_TAG = "mlflow.modelVersions";

interface Lineage {
  source: string;
  runId: string;
  modelId: string;
}

/**
 * Creates a version the way the reference's handler and store do, in their order: prompt sources, hosts, the
 * `models:/` lineage, the source's owner (run or logged model), then name and tags, and finally the number.
 * @see mlflow/server/handlers.py _create_model_version and sqlalchemy_store.py create_model_version
 */
export async function createModelVersion(
  h: DbHandle,
  { runs, loggedModels, aliases, notify, sourceRegex }: CreateDeps,
  args: CreateModelVersionArgs,
): Promise<VersionRow> {
  const tags = args.tags ?? [];
  const source = args.source ?? "";
  if (source && sourceRegex && !sourceRegex.test(source)) {
    throw invalidParameter(`Invalid model version source: '${source}'.`);
  }
  const promptTag = tags.findLast((t) => (t.key ?? "") === IS_PROMPT_TAG);
  const isPrompt = (promptTag?.value ?? "false").toLowerCase() === "true";
  if (isPrompt && !PROMPT_SOURCES.has(source)) {
    throw invalidParameter(`Invalid prompt source: '${source}'. Prompt sources must use an MLflow placeholder.`);
  }
  rejectHostAddressed(source);
  const lookups = {
    run: async (id: string): Promise<SourceOwner | undefined> => {
      const run = await runs.get(id).catch(notFoundAsUndefined);
      return run && { artifactUri: run.info.artifact_uri ?? "" };
    },
    model: async (id: string): Promise<SourceOwner | undefined> => {
      const model = await loggedModels.get(id, false).catch(notFoundAsUndefined);
      return model && { artifactUri: model.info.artifact_uri };
    },
  };
  let lineage: Lineage = { source, runId: args.runId ?? "", modelId: args.modelId ?? "" };
  if (!isPrompt) {
    lineage = await resolveLineage(h, aliases, source, args.runId, args.modelId);
    if (lineage.modelId) await validateModelSource(lineage.source, lineage.modelId, lookups.model, modelIdOf);
    else await validateRunSource(lineage.source, lineage.runId, lookups.run, modelIdOf);
  }

  const name = validateModelName(args.name);
  for (const t of tags) validateModelVersionTag(t.key ?? "", t.value ?? "");
  let storage = lineage.source;
  let runId = lineage.runId;
  if (urlparse(lineage.source).scheme === "models") {
    const located = await storageOf(h, loggedModels, lineage.source);
    storage = located.storage;
    runId = runId || located.runId;
  }
  if (!runId && lineage.modelId) runId = (await loggedModels.get(lineage.modelId, false)).info.source_run_id ?? "";

  const unique = new Map(tags.map((t) => [t.key ?? "", t.value ?? ""]));
  const row = await h.writer.run(async () => {
    const model = await modelRow(h, name);
    const rs = await h.client.execute({
      sql: "SELECT COALESCE(MAX(version), 0) AS max FROM model_versions WHERE model_id = ?",
      args: [model.id],
    });
    const version = Number(rs.rows[0]?.max ?? 0) + 1;
    const now = Date.now();
    const stmts: InStatement[] = [
      {
        sql: `INSERT INTO model_versions (model_id, version, creation_time, last_updated_time, description, current_stage,
                source, storage_location, run_id, run_link, status)
              VALUES (?, ?, ?, ?, ?, 'None', ?, ?, ?, ?, 'READY')`,
        args: [model.id, version, now, now, args.description ?? "", lineage.source, storage, runId, args.runLink ?? ""],
      },
      { sql: "UPDATE registered_models SET last_updated_time = ? WHERE id = ?", args: [now, model.id] },
    ];
    for (const [key, value] of unique) {
      stmts.push({
        sql: `INSERT INTO model_version_tags (version_id, key, value)
              SELECT id, ?, ? FROM model_versions WHERE model_id = ? AND version = ?`,
        args: [key, value, model.id, version],
      });
    }
    await h.client.batch(stmts, "write");
    return versionByNumber(h, name, version);
  });
  if (!isPrompt && lineage.modelId) await linkLoggedModel(loggedModels, lineage.modelId, name, row.version);
  notify?.({
    kind: "modelVersionCreated",
    name,
    version: row.version,
    source: lineage.source,
    runId: lineage.runId,
    tags,
    description: args.description,
  });
  return row;
}

function notFoundAsUndefined(err: unknown): undefined {
  if (err instanceof MlflowError && err.code === "RESOURCE_DOES_NOT_EXIST") return undefined;
  throw err;
}

/** The model id of a `models:/<id>` source; an unparsable `models:/` URI is an invalid source. */
function modelIdOf(source: string): string | undefined {
  return parseOrInvalid(source).modelId;
}

function parseOrInvalid(source: string): ParsedModelUri {
  try {
    return parseModelUri(source);
  } catch {
    throw invalidSource(source, "model_id");
  }
}

/**
 * A `models:/<name>/<version|stage|latest>` or `models:/<name>@<alias>` source is pinned to the version it means now
 * and inherits that version's run, unless the request names one (which must then be the same).
 * @see handlers.py _resolve_registered_model_source_lineage
 */
async function resolveLineage(
  h: DbHandle,
  aliases: AliasStore,
  source: string,
  runId: string | undefined,
  modelId: string | undefined,
): Promise<Lineage> {
  const given = { source, runId: runId ?? "", modelId: modelId ?? "" };
  const { scheme, netloc } = urlparse(source);
  if (scheme !== "models") return given;
  if (netloc) {
    throw invalidParameter(
      `Invalid model version source: '${source}'. Registered model sources must use the active model registry.`,
    );
  }
  const parsed = parseOrInvalid(source);
  if (parsed.modelId !== undefined) return given;
  const name = parsed.name ?? "";
  const model = await modelRow(h, name);
  const tag = await h.client.execute({
    sql: "SELECT value FROM registered_model_tags WHERE model_id = ? AND key = ?",
    args: [model.id, IS_PROMPT_TAG],
  });
  if (String(tag.rows[0]?.value ?? "false").toLowerCase() === "true") {
    throw invalidParameter(
      `Invalid model version source: '${source}'. Prompt versions cannot be used as model version sources.`,
    );
  }
  let version = parsed.version;
  if (version === undefined && parsed.alias !== undefined) {
    version = (await aliases.get(name, parsed.alias)).version;
  }
  version ??= String(await latestVersion(h, model.id, name, parsed.stage));
  const target = await versionRow(h, name, version);
  if ((runId !== undefined && runId !== (target.run_id ?? "")) || (modelId !== undefined && modelId !== "")) {
    throw invalidParameter(
      `Invalid model version source: '${source}'. The run_id and model_id request parameters must match the referenced model version.`,
    );
  }
  return { source: `models:/${name}/${target.version}`, runId: runId ?? target.run_id ?? "", modelId: "" };
}

async function latestVersion(h: DbHandle, modelId: number, name: string, stage: string | undefined) {
  const wanted = stage === undefined ? undefined : canonicalStage(stage);
  const latest = (await latestVersionRows(h, [modelId], "firstSeen")).get(modelId) ?? [];
  const versions = latest.filter((v) => wanted === undefined || v.current_stage === wanted).map((v) => v.version);
  if (versions.length === 0) {
    // A plain MlflowException in the reference (INTERNAL_ERROR); answered with 400.
    throw new MlflowError(
      `No versions of model with name '${name}'${stage === undefined ? "" : ` and stage '${stage}'`} found`,
      "INTERNAL_ERROR",
      400,
    );
  }
  return Math.max(...versions);
}

/** Where a `models:/` source's files are, and the run behind them. */
async function storageOf(h: DbHandle, loggedModels: LoggedModelStore, source: string) {
  try {
    const parsed = parseModelUri(source);
    if (parsed.modelId !== undefined) {
      const model = await loggedModels.get(parsed.modelId, false);
      return { storage: model.info.artifact_uri, runId: model.info.source_run_id ?? "" };
    }
    const target = await versionRow(h, parsed.name, parsed.version);
    return { storage: target.storage_location || target.source || "", runId: "" };
  } catch (e) {
    throw new MlflowError(
      `Unable to fetch model from model URI source artifact location '${source}'.Error: ${e instanceof Error ? e.message : String(e)}`,
      "INTERNAL_ERROR",
      400,
    );
  }
}

/** Records the new version on the logged model it came from (tag `mlflow.modelVersions`, a JSON list). */
async function linkLoggedModel(loggedModels: LoggedModelStore, modelId: string, name: string, version: number) {
  const model = await loggedModels.get(modelId, false);
  const entry = { name, version };
  const current = model.info.tags?.find((t) => t.key === MODEL_VERSIONS_TAG)?.value;
  let list: unknown[] = [entry];
  if (current) {
    const existing = JSON.parse(current) as unknown;
    const known = Array.isArray(existing) && existing.some((e) => pyJsonDumps(e) === pyJsonDumps(entry));
    // As in the reference: an entry already listed leaves only itself.
    if (Array.isArray(existing) && !known) list = [...existing, entry];
  }
  await loggedModels.setTags(modelId, [{ key: MODEL_VERSIONS_TAG, value: pyJsonDumps(list) }]);
}
