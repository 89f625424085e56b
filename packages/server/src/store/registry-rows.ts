import { notFound } from "../errors.js";
import { parseVersion, STAGE_DELETED, validateModelName } from "../validation/registry.js";
import type { DbHandle } from "./db.js";
import { inWorkspace } from "./workspace-scope.js";

/** A `registered_models` row. */
export interface ModelRow {
  id: number;
  name: string;
  creation_time: number;
  last_updated_time: number;
  description: string | null;
}

/** A `model_versions` row with its model's name. */
export interface VersionRow {
  id: number;
  model_id: number;
  name: string;
  version: number;
  creation_time: number;
  last_updated_time: number;
  description: string | null;
  user_id: string | null;
  current_stage: string;
  source: string | null;
  storage_location: string | null;
  run_id: string | null;
  run_link: string | null;
  status: string;
  status_message: string | null;
}

export const VERSION_SELECT = "SELECT v.*, m.name FROM model_versions v JOIN registered_models m ON m.id = v.model_id";

export const modelNotFound = (name: string) => notFound(`Registered Model with name=${name} not found`);
export const versionNotFound = (name: string, version: number | string) =>
  notFound(`Model Version (name=${name}, version=${version}) not found`);

/** The model named `name` (checked as the reference checks names), or its "not found". */
export async function modelRow(h: DbHandle, name: string | undefined): Promise<ModelRow> {
  const checked = validateModelName(name);
  const ws = inWorkspace(h, "m.workspace");
  const rs = await h.client.execute({
    sql: `SELECT m.id, m.name, m.creation_time, m.last_updated_time, m.description FROM registered_models m WHERE m.name = ?${ws.sql}`,
    args: [checked, ...ws.args],
  });
  const row = rs.rows[0] as unknown as ModelRow | undefined;
  if (!row) throw modelNotFound(checked);
  return row;
}

/** A version that is not deleted; name and version are checked first, in the reference's order. */
export async function versionRow(
  h: DbHandle,
  name: string | undefined,
  version: string | undefined,
): Promise<VersionRow> {
  const checked = validateModelName(name);
  const number = parseVersion(version);
  return versionByNumber(h, checked, number);
}

export async function versionByNumber(h: DbHandle, name: string, version: number): Promise<VersionRow> {
  const ws = inWorkspace(h, "m.workspace");
  const rs = await h.client.execute({
    sql: `${VERSION_SELECT} WHERE m.name = ? AND v.version = ? AND v.current_stage != ?${ws.sql}`,
    args: [name, version, STAGE_DELETED, ...ws.args],
  });
  const row = rs.rows[0] as unknown as VersionRow | undefined;
  if (!row) throw versionNotFound(name, version);
  return row;
}
