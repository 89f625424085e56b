import type { ModelVersion, ModelVersionStatus, RegisteredModel } from "@tracklite/schemas";
import type { ImportRegisteredModel } from "@tracklite/server/import";
import type { SqlConnection, SqlRow } from "./connection.js";
import type { SchemaInfo } from "./schema-info.js";
import { compact, num, text } from "./values.js";

/** Registered models per streamed batch; their versions, tags and aliases come in one query each. */
const BATCH = 100;

/** MLflow marks a deleted version with this stage and keeps the row (`STAGE_DELETED_INTERNAL`). */
export const STAGE_DELETED_INTERNAL = "Deleted_Internal";

type Tag = { key: string; value: string };

function group<T>(rows: SqlRow[], keyOf: (row: SqlRow) => string, toValue: (row: SqlRow) => T): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const row of rows) {
    const key = keyOf(row);
    const list = out.get(key) ?? [];
    list.push(toValue(row));
    out.set(key, list);
  }
  return out;
}

/**
 * Every registered model and prompt with all its versions (deleted ones too, stage `Deleted_Internal`), as
 * `SqlRegisteredModel.to_mlflow_entity()` / `SqlModelVersion.to_mlflow_entity()` answer them; each version carries its
 * aliases as get-model-version does, and `version_storage_locations` says where its files are.
 */
export async function* readRegisteredModels(
  db: SqlConnection,
  schema: SchemaInfo,
): AsyncIterable<ImportRegisteredModel> {
  if (!schema.has("registered_models")) return;
  // Workspaces (3.x) scope names; we import the default workspace's registry (tracklite has one namespace).
  const ws = schema.has("registered_models", "workspace");
  const where = ws ? "WHERE workspace = 'default'" : "";
  const sql = `SELECT name, creation_time, last_updated_time, description FROM registered_models ${where} ORDER BY name`;
  for await (const rows of db.iterate(sql, [], BATCH)) {
    const names = rows.map((row) => String(row.name));
    const inNames = `name IN (${names.map(() => "?").join(", ")})${ws ? " AND workspace = 'default'" : ""}`;
    const storage = schema.has("model_versions", "storage_location") ? "storage_location" : "NULL AS storage_location";
    const [versionRows, tagRows, versionTagRows, aliasRows] = await Promise.all([
      db.all(
        `SELECT name, version, creation_time, last_updated_time, description, user_id, current_stage, source, run_id,
                status, status_message, run_link, ${storage}
           FROM model_versions WHERE ${inNames} ORDER BY name, version`,
        names,
      ),
      db.all(`SELECT name, "key", "value" FROM registered_model_tags WHERE ${inNames}`, names),
      db.all(`SELECT name, version, "key", "value" FROM model_version_tags WHERE ${inNames}`, names),
      schema.has("registered_model_aliases")
        ? db.all(`SELECT name, alias, version FROM registered_model_aliases WHERE ${inNames}`, names)
        : Promise.resolve([]),
    ]);
    const tagOf = (row: SqlRow): Tag => ({ key: String(row.key), value: text(row.value) ?? "" });
    const versions = group(
      versionRows,
      (row) => String(row.name),
      (row) => row,
    );
    const tags = group(tagRows, (row) => String(row.name), tagOf);
    const versionTags = group(versionTagRows, (row) => `${row.name}\u0000${row.version}`, tagOf);
    const aliases = group(
      aliasRows,
      (row) => String(row.name),
      (row) => ({
        alias: String(row.alias),
        version: String(row.version),
      }),
    );
    for (const row of rows) {
      const name = String(row.name);
      const modelAliases = aliases.get(name) ?? [];
      const modelVersions = (versions.get(name) ?? []).map((v) =>
        toModelVersion(v, versionTags.get(`${name}\u0000${v.version}`) ?? [], modelAliases),
      );
      const model: RegisteredModel = compact({
        name,
        creation_timestamp: num(row.creation_time),
        last_updated_timestamp: num(row.last_updated_time),
        description: text(row.description),
      });
      const latest = latestPerStage(modelVersions);
      if (latest.length > 0) model.latest_versions = latest;
      const modelTags = tags.get(name) ?? [];
      if (modelTags.length > 0) model.tags = modelTags;
      if (modelAliases.length > 0) model.aliases = modelAliases;
      const locations: Record<string, string> = {};
      for (const v of versions.get(name) ?? []) {
        const location = text(v.storage_location);
        if (location) locations[String(v.version)] = location;
      }
      yield { model, versions: modelVersions, version_storage_locations: locations };
    }
  }
}

function toModelVersion(row: SqlRow, tags: Tag[], aliases: { alias: string; version: string }[]): ModelVersion {
  const version = String(row.version);
  const out: ModelVersion = compact({
    name: String(row.name),
    version,
    creation_timestamp: num(row.creation_time) ?? 0,
    last_updated_timestamp: num(row.last_updated_time),
    description: text(row.description),
    user_id: text(row.user_id),
    current_stage: text(row.current_stage),
    source: text(row.source),
    run_id: text(row.run_id),
    run_link: text(row.run_link),
    status: text(row.status) as ModelVersionStatus | undefined,
    // to_proto sets status_message only when non-empty
    status_message: text(row.status_message) || undefined,
  });
  if (tags.length > 0) out.tags = tags;
  const versionAliases = aliases.filter((a) => a.version === version).map((a) => a.alias);
  if (versionAliases.length > 0) out.aliases = versionAliases;
  return out;
}

/** The newest version of each stage, deleted ones left out, as `SqlRegisteredModel.to_mlflow_entity` picks them. */
function latestPerStage(versions: ModelVersion[]): ModelVersion[] {
  const latest = new Map<string, ModelVersion>();
  for (const v of versions) {
    const stage = v.current_stage ?? "None";
    if (stage === STAGE_DELETED_INTERNAL) continue;
    const seen = latest.get(stage);
    if (!seen || Number(seen.version) < Number(v.version)) latest.set(stage, v);
  }
  // latest_versions carry no aliases in the reference (the entity is built without them)
  return [...latest.values()].map(({ aliases: _aliases, ...rest }) => rest);
}

/** Registered models and versions in the default workspace. */
export async function countRegistry(
  db: SqlConnection,
  schema: SchemaInfo,
): Promise<{ registered_models?: number; model_versions?: number }> {
  if (!schema.has("registered_models")) return { registered_models: 0, model_versions: 0 };
  const where = schema.has("registered_models", "workspace") ? " WHERE workspace = 'default'" : "";
  const models = await db.all(`SELECT COUNT(*) AS n FROM registered_models${where}`, []);
  const versions = await db.all(`SELECT COUNT(*) AS n FROM model_versions${where}`, []);
  return { registered_models: Number(models[0]?.n ?? 0), model_versions: Number(versions[0]?.n ?? 0) };
}
