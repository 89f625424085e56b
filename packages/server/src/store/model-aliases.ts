import type { ModelVersion } from "@tracklite/schemas";
import { invalidParameter, notFound } from "../errors.js";
import { checkAliasNotReserved, parseVersion, validateAliasName, validateModelName } from "../validation/registry.js";
import type { RegistryChangeSink } from "../webhooks/registry-changes.js";
import type { DbHandle } from "./db.js";
import { latestVersionRows, loadVersions } from "./registry-loader.js";
import { modelRow, versionByNumber } from "./registry-rows.js";

/**
 * Aliases: names pointing at one version of a registered model (`models:/name@champion`). Setting an alias again moves
 * it; deleting a version drops its aliases (see model-versions.ts). `latest` always means the highest version.
 * @see mlflow/store/model_registry/sqlalchemy_store.py set_registered_model_alias, get_model_version_by_alias
 */
export class AliasStore {
  constructor(
    private readonly h: DbHandle,
    /** Told about each committed set and delete (webhooks). */
    private readonly notify: RegistryChangeSink = () => {},
  ) {}

  async set(name: string | undefined, alias: string | undefined, version: string | undefined): Promise<void> {
    const model = validateModelName(name);
    const checked = validateAliasName(alias);
    checkAliasNotReserved(checked);
    const number = parseVersion(version);
    await this.h.writer.submit(async () => {
      const row = await versionByNumber(this.h, model, number);
      return [
        {
          sql: `INSERT INTO registered_model_aliases (model_id, alias, version) VALUES (?, ?, ?)
                ON CONFLICT (model_id, alias) DO UPDATE SET version = excluded.version`,
          args: [row.model_id, checked, number],
        },
      ];
    });
    this.notify({ kind: "aliasSet", name: model, alias: checked, version: version ?? "" });
  }

  /** Deletes an alias; one the model does not have is no error, as in the reference. */
  async delete(name: string | undefined, alias: string | undefined): Promise<void> {
    validateModelName(name);
    const checked = validateAliasName(alias);
    await this.h.writer.submit(async () => {
      const row = await modelRow(this.h, name);
      return [
        { sql: "DELETE FROM registered_model_aliases WHERE model_id = ? AND alias = ?", args: [row.id, checked] },
      ];
    });
    this.notify({ kind: "aliasDeleted", name: name ?? "", alias: checked });
  }

  /** The version an alias points at; `latest` (any case) is the highest version that is not deleted. */
  async get(name: string | undefined, alias: string | undefined): Promise<ModelVersion> {
    const model = validateModelName(name);
    const checked = validateAliasName(alias);
    const row = await modelRow(this.h, model);
    if (checked.toLowerCase() === "latest") {
      const latest = (await latestVersionRows(this.h, [row.id], "firstSeen")).get(row.id) ?? [];
      const newest = latest.reduce<(typeof latest)[number] | undefined>(
        (best, v) => (best && best.version > v.version ? best : v),
        undefined,
      );
      if (!newest) throw notFound(`Latest version not found for model ${model}.`);
      return (await loadVersions(this.h, [newest], true))[0] as ModelVersion;
    }
    const rs = await this.h.client.execute({
      sql: "SELECT version FROM registered_model_aliases WHERE model_id = ? AND alias = ?",
      args: [row.id, checked],
    });
    const target = rs.rows[0];
    if (!target) throw invalidParameter(`Registered model alias ${checked} not found.`);
    const version = await versionByNumber(this.h, model, Number(target.version));
    return (await loadVersions(this.h, [version], true))[0] as ModelVersion;
  }
}
