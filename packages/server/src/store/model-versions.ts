import type { InStatement } from "@libsql/client";
import type { ModelVersion } from "@tracklite/schemas";
import { MlflowError } from "../errors.js";
import { compileModelVersionSearch, encodeOffsetToken } from "../search/index.js";
import {
  canonicalStage,
  parseVersion,
  STAGE_DELETED,
  validateModelName,
  validateModelVersionTag,
  validateTagName,
} from "../validation/registry.js";
import type { DbHandle } from "./db.js";
import { type CreateDeps, type CreateModelVersionArgs, createModelVersion } from "./model-version-create.js";
import { loadVersions } from "./registry-loader.js";
import { type VersionRow, versionByNumber, versionRow } from "./registry-rows.js";

export interface SearchModelVersionsArgs {
  filter?: string | undefined;
  maxResults?: number | undefined;
  orderBy?: readonly string[] | undefined;
  pageToken?: string | undefined;
}

const MAX_RESULTS_DEFAULT = 200_000;
const ACTIVE_STAGES = ["Staging", "Production"];

/**
 * Model versions: numbered per registered model from 1, always READY (tracklite copies nothing). Deleting a version
 * keeps its row, redacted, so numbers are never reused.
 * @see mlflow/store/model_registry/sqlalchemy_store.py
 */
export class ModelVersionStore {
  constructor(
    private readonly h: DbHandle,
    private readonly deps: CreateDeps,
  ) {}

  private async load(row: VersionRow): Promise<ModelVersion> {
    return (await loadVersions(this.h, [row], true))[0] as ModelVersion;
  }

  async create(args: CreateModelVersionArgs): Promise<ModelVersion> {
    const row = await createModelVersion(this.h, this.deps, args);
    return this.load(row);
  }

  async get(name: string | undefined, version: string | undefined): Promise<ModelVersion> {
    return this.load(await versionRow(this.h, name, version));
  }

  /** Sets the description; without one in the request it is cleared, as the reference does. */
  async update(name: string | undefined, version: string | undefined, description: string | undefined) {
    return this.h.writer.run(async () => {
      const row = await versionRow(this.h, name, version);
      const next = { ...row, description: description ?? null, last_updated_time: Date.now() };
      await this.h.client.execute({
        sql: "UPDATE model_versions SET description = ?, last_updated_time = ? WHERE id = ?",
        args: [next.description, next.last_updated_time, row.id],
      });
      return this.load(next);
    });
  }

  /** Moves a version to a stage; `archive` first archives the other versions in Staging or Production. */
  async transition(
    name: string | undefined,
    version: string | undefined,
    stage: string | undefined,
    archive: boolean,
  ): Promise<ModelVersion> {
    const canonical = canonicalStage(stage ?? "");
    if (archive && !ACTIVE_STAGES.includes(canonical)) {
      // INTERNAL_ERROR in the reference (a plain MlflowException); answered with 400, a client mistake.
      throw new MlflowError(
        `Model version transition cannot archive existing model versions because '${stage}' is not an Active stage. Valid stages are ['Staging', 'Production']`,
        "INTERNAL_ERROR",
        400,
      );
    }
    return this.h.writer.run(async () => {
      const row = await versionRow(this.h, name, version);
      const now = Date.now();
      const stmts: InStatement[] = [];
      if (archive) {
        stmts.push({
          sql: `UPDATE model_versions SET current_stage = 'Archived', last_updated_time = ?
                WHERE model_id = ? AND version != ? AND current_stage = ?`,
          args: [now, row.model_id, row.version, canonical],
        });
      }
      stmts.push(
        {
          sql: "UPDATE model_versions SET current_stage = ?, last_updated_time = ? WHERE id = ?",
          args: [canonical, now, row.id],
        },
        { sql: "UPDATE registered_models SET last_updated_time = ? WHERE id = ?", args: [now, row.model_id] },
      );
      await this.h.client.batch(stmts, "write");
      return this.load({ ...row, current_stage: canonical, last_updated_time: now });
    });
  }

  /** Hides a version for good: its aliases go, its details are redacted, its tags stay (as in the reference). */
  async delete(name: string | undefined, version: string | undefined): Promise<void> {
    parseVersion(version);
    await this.h.writer.run(async () => {
      const row = await versionRow(this.h, name, version);
      const now = Date.now();
      await this.h.client.batch(
        [
          {
            sql: "DELETE FROM registered_model_aliases WHERE model_id = ? AND version = ?",
            args: [row.model_id, row.version],
          },
          {
            sql: `UPDATE model_versions SET current_stage = ?, last_updated_time = ?, description = NULL, user_id = NULL,
                    source = 'REDACTED-SOURCE-PATH', run_id = 'REDACTED-RUN-ID', run_link = 'REDACTED-RUN-LINK',
                    status_message = NULL
                  WHERE id = ?`,
            args: [STAGE_DELETED, now, row.id],
          },
          { sql: "UPDATE registered_models SET last_updated_time = ? WHERE id = ?", args: [now, row.model_id] },
        ],
        "write",
      );
    });
  }

  /** Where the version's files are: a `models:/` source's own location, else the source itself. */
  async downloadUri(name: string | undefined, version: string | undefined): Promise<string> {
    const row = await versionRow(this.h, name ?? "", version ?? "");
    return row.storage_location || row.source || "";
  }

  async setTag(
    name: string | undefined,
    version: string | undefined,
    key: string | undefined,
    value: string | undefined,
  ) {
    const model = validateModelName(name);
    const number = parseVersion(version);
    validateModelVersionTag(key ?? "", value ?? "");
    await this.h.writer.submit(async () => {
      const row = await versionByNumber(this.h, model, number);
      return [
        {
          sql: `INSERT INTO model_version_tags (version_id, key, value) VALUES (?, ?, ?)
                ON CONFLICT (version_id, key) DO UPDATE SET value = excluded.value`,
          args: [row.id, key ?? "", value ?? ""],
        },
      ];
    });
    this.deps.notify?.({
      kind: "modelVersionTagSet",
      name: model,
      version: version ?? "",
      key: key ?? "",
      value: value ?? "",
    });
  }

  /** Deletes a tag; one the version does not have is no error, as in the reference. */
  async deleteTag(name: string | undefined, version: string | undefined, key: string | undefined): Promise<void> {
    const model = validateModelName(name);
    const number = parseVersion(version);
    validateTagName(key ?? "");
    await this.h.writer.submit(async () => {
      const row = await versionByNumber(this.h, model, number);
      return [{ sql: "DELETE FROM model_version_tags WHERE version_id = ? AND key = ?", args: [row.id, key ?? ""] }];
    });
    this.deps.notify?.({ kind: "modelVersionTagDeleted", name: model, version: version ?? "", key: key ?? "" });
  }

  async search(args: SearchModelVersionsArgs): Promise<{ versions: ModelVersion[]; nextPageToken?: string }> {
    const maxResults = args.maxResults ?? MAX_RESULTS_DEFAULT;
    if (maxResults < 1) {
      throw new MlflowError(
        `Invalid value for max_results. It must be a positive integer, but got ${maxResults}`,
        "INVALID_PARAMETER_VALUE",
      );
    }
    if (maxResults > MAX_RESULTS_DEFAULT) {
      throw new MlflowError(
        `Invalid value for request parameter max_results. It must be at most ${MAX_RESULTS_DEFAULT}, but got value ${maxResults}`,
        "INVALID_PARAMETER_VALUE",
      );
    }
    const {
      sql,
      args: sqlArgs,
      offset,
    } = compileModelVersionSearch({ ...args, maxResults, workspace: this.h.workspace });
    const rs = await this.h.client.execute({ sql, args: sqlArgs });
    const rows = rs.rows as unknown as VersionRow[];
    // Searches leave aliases out, as the reference does.
    const versions = await loadVersions(this.h, rows.slice(0, maxResults), false);
    return {
      versions,
      ...(rows.length > maxResults ? { nextPageToken: encodeOffsetToken(offset + maxResults) } : {}),
    };
  }
}
