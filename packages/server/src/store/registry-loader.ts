import type { ModelVersion, ModelVersionStatus, RegisteredModel, RegistryTag } from "@tracklite/schemas";
import { sqlList } from "../sql/in-list.js";
import { STAGE_DELETED } from "../validation/registry.js";
import type { DbHandle } from "./db.js";
import { type ModelRow, VERSION_SELECT, type VersionRow } from "./registry-rows.js";

/**
 * Registry rows to wire messages, with their tags, aliases and latest versions read in one query per child table.
 * Tags come in the order they were first set, aliases by name, as the reference reads them.
 */

/**
 * The order of a model's `latest_versions`: `firstSeen` lists stages as they first occur going up the versions (the
 * reference's get), `byStage` sorts them by stage name (the reference's search, which computes them in SQL).
 */
export type LatestOrder = "firstSeen" | "byStage";

interface KeyValueRow {
  owner: number;
  key: string;
  value: string;
}

function grouped<T extends { owner: number }>(rows: T[]): Map<number, T[]> {
  const out = new Map<number, T[]>();
  for (const row of rows) {
    const list = out.get(row.owner);
    if (list) list.push(row);
    else out.set(row.owner, [row]);
  }
  return out;
}

async function keyValues(h: DbHandle, table: string, ownerColumn: string, ids: number[]) {
  if (ids.length === 0) return new Map<number, KeyValueRow[]>();
  const rs = await h.client.execute({
    sql: `SELECT ${ownerColumn} AS owner, key, value FROM ${table} WHERE ${ownerColumn} IN ${sqlList(ids).sql} ORDER BY rowid`,
    args: sqlList(ids).args,
  });
  return grouped(rs.rows as unknown as KeyValueRow[]);
}

interface AliasRow {
  owner: number;
  alias: string;
  version: number;
}

async function aliasRows(h: DbHandle, modelIds: number[]): Promise<Map<number, AliasRow[]>> {
  if (modelIds.length === 0) return new Map();
  const rs = await h.client.execute({
    sql: `SELECT model_id AS owner, alias, version FROM registered_model_aliases WHERE model_id IN ${sqlList(modelIds).sql}
          ORDER BY model_id, alias`,
    args: sqlList(modelIds).args,
  });
  return grouped(rs.rows as unknown as AliasRow[]);
}

const tagsOf = (rows: KeyValueRow[] | undefined): RegistryTag[] =>
  (rows ?? []).map((r) => ({ key: r.key, value: r.value }));

function versionToWire(r: VersionRow, tags: RegistryTag[], aliases: string[]): ModelVersion {
  return {
    name: r.name,
    version: String(r.version),
    creation_timestamp: r.creation_time,
    last_updated_timestamp: r.last_updated_time,
    ...(r.user_id !== null ? { user_id: r.user_id } : {}),
    current_stage: r.current_stage,
    ...(r.description !== null ? { description: r.description } : {}),
    ...(r.source !== null ? { source: r.source } : {}),
    ...(r.run_id !== null ? { run_id: r.run_id } : {}),
    status: r.status as ModelVersionStatus,
    ...(r.status_message ? { status_message: r.status_message } : {}),
    ...(tags.length > 0 ? { tags } : {}),
    ...(r.run_link !== null ? { run_link: r.run_link } : {}),
    ...(aliases.length > 0 ? { aliases } : {}),
  };
}

/** Wire versions with their tags, and their aliases when `withAliases` (the reference leaves them out of searches). */
export async function loadVersions(h: DbHandle, rows: VersionRow[], withAliases: boolean): Promise<ModelVersion[]> {
  const tags = await keyValues(
    h,
    "model_version_tags",
    "version_id",
    rows.map((r) => r.id),
  );
  const aliases = withAliases ? await aliasRows(h, [...new Set(rows.map((r) => r.model_id))]) : undefined;
  return rows.map((r) => {
    const own = (aliases?.get(r.model_id) ?? []).filter((a) => a.version === r.version).map((a) => a.alias);
    return versionToWire(r, tagsOf(tags.get(r.id)), own);
  });
}

/** The newest version in each stage, per model, in the given order (deleted versions do not count). */
export async function latestVersionRows(
  h: DbHandle,
  modelIds: number[],
  order: LatestOrder,
): Promise<Map<number, VersionRow[]>> {
  const out = new Map<number, VersionRow[]>();
  if (modelIds.length === 0) return out;
  const rs = await h.client.execute({
    sql: `${VERSION_SELECT} WHERE v.model_id IN ${sqlList(modelIds).sql} AND v.current_stage != ? ORDER BY v.model_id, v.version`,
    args: [...sqlList(modelIds).args, STAGE_DELETED],
  });
  const byModel = new Map<number, Map<string, VersionRow>>();
  for (const row of rs.rows as unknown as VersionRow[]) {
    const stages = byModel.get(row.model_id) ?? new Map<string, VersionRow>();
    // Map keeps a stage where it was first seen, and the later (higher) version replaces the value.
    stages.set(row.current_stage, row);
    byModel.set(row.model_id, stages);
  }
  for (const [id, stages] of byModel) {
    const rows = [...stages.values()];
    if (order === "byStage") rows.sort((a, b) => (a.current_stage < b.current_stage ? -1 : 1));
    out.set(id, rows);
  }
  return out;
}

/** Wire registered models with tags, aliases and latest versions (those without aliases, as in the reference). */
export async function loadModels(h: DbHandle, rows: ModelRow[], order: LatestOrder): Promise<RegisteredModel[]> {
  const ids = rows.map((r) => r.id);
  const [tags, aliases, latest] = await Promise.all([
    keyValues(h, "registered_model_tags", "model_id", ids),
    aliasRows(h, ids),
    latestVersionRows(h, ids, order),
  ]);
  const latestWire = await loadVersions(h, [...latest.values()].flat(), false);
  const byId = new Map<number, ModelVersion[]>();
  for (const [i, v] of [...latest.values()].flat().entries()) {
    const list = byId.get(v.model_id) ?? [];
    list.push(latestWire[i] as ModelVersion);
    byId.set(v.model_id, list);
  }
  return rows.map((r) => {
    const modelTags = tagsOf(tags.get(r.id));
    const modelAliases = (aliases.get(r.id) ?? []).map((a) => ({ alias: a.alias, version: String(a.version) }));
    const versions = byId.get(r.id) ?? [];
    return {
      name: r.name,
      creation_timestamp: r.creation_time,
      ...(r.last_updated_time ? { last_updated_timestamp: r.last_updated_time } : {}),
      ...(r.description ? { description: r.description } : {}),
      ...(versions.length > 0 ? { latest_versions: versions } : {}),
      ...(modelTags.length > 0 ? { tags: modelTags } : {}),
      ...(modelAliases.length > 0 ? { aliases: modelAliases } : {}),
    };
  });
}
