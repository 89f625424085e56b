import type { InStatement } from "@libsql/client";
import { IS_PROMPT_TAG, MODEL_VERSION_STAGES, type ModelVersion, type RegisteredModel } from "@tracklite/schemas";
import { alreadyExists, invalidParameter } from "../errors.js";
import { compileRegisteredModelSearch, encodeOffsetToken } from "../search/index.js";
import {
  canonicalStage,
  validateModelName,
  validateRegisteredModelTag,
  validateTagName,
} from "../validation/registry.js";
import { pyRepr } from "../validation/validate.js";
import type { RegistryChangeSink } from "../webhooks/registry-changes.js";
import type { DbHandle } from "./db.js";
import { latestVersionRows, loadModels, loadVersions } from "./registry-loader.js";
import { type ModelRow, modelRow } from "./registry-rows.js";
import { inWorkspace, writeWorkspace } from "./workspace-scope.js";

type KeyValue = { key?: string | undefined; value?: string | undefined };

export interface SearchRegisteredModelsArgs {
  filter?: string | undefined;
  maxResults?: number | undefined;
  orderBy?: readonly string[] | undefined;
  pageToken?: string | undefined;
}

const MAX_RESULTS_DEFAULT = 100;
const MAX_RESULTS_LIMIT = 1000;

/** A name taken by a model or a prompt, worded as the reference words it for each pair. */
function nameTaken(name: string, existingIsPrompt: boolean, newIsPrompt: boolean) {
  const existing = existingIsPrompt ? "Prompt" : "Registered Model";
  const wanted = newIsPrompt ? "Prompt" : "Registered Model";
  if (existing !== wanted) {
    return alreadyExists(
      `Tried to create a ${wanted.toLowerCase()} with name ${pyRepr(name)}, but the name is already taken by a ${existing.toLowerCase()}. MLflow does not allow creating a model and a prompt with the same name.`,
    );
  }
  return alreadyExists(`${wanted} (name=${name}) already exists.`);
}

/**
 * Registered models: create, read, rename, describe, delete, tag, search, and the latest version per stage. A model
 * whose tags carry `mlflow.prompt.is_prompt` is a prompt (the client hides them from model searches).
 * @see mlflow/store/model_registry/sqlalchemy_store.py
 */
export class RegisteredModelStore {
  constructor(
    private readonly h: DbHandle,
    /** Told about each committed create and tag write (webhooks). */
    private readonly notify: RegistryChangeSink = () => {},
  ) {}

  private async load(row: ModelRow): Promise<RegisteredModel> {
    return (await loadModels(this.h, [row], "firstSeen"))[0] as RegisteredModel;
  }

  async create(name: string | undefined, tags: readonly KeyValue[], description: string | undefined) {
    const checked = validateModelName(name);
    for (const t of tags) validateRegisteredModelTag(t.key ?? "", t.value ?? "");
    // A key given twice keeps its first place and its last value.
    const unique = new Map(tags.map((t) => [t.key ?? "", t.value ?? ""]));
    const ws = inWorkspace(this.h, "m.workspace");
    const model = await this.h.writer.run(async () => {
      const rs = await this.h.client.execute({
        sql: `SELECT m.id, EXISTS (SELECT 1 FROM registered_model_tags t WHERE t.model_id = m.id AND t.key = ?) AS prompt
              FROM registered_models m WHERE m.name = ?${ws.sql}`,
        args: [IS_PROMPT_TAG, checked, ...ws.args],
      });
      const existing = rs.rows[0];
      if (existing) throw nameTaken(checked, Boolean(existing.prompt), unique.has(IS_PROMPT_TAG));
      const now = Date.now();
      const stmts: InStatement[] = [
        {
          sql: "INSERT INTO registered_models (name, creation_time, last_updated_time, description, workspace) VALUES (?, ?, ?, ?, ?)",
          args: [checked, now, now, description ?? "", writeWorkspace(this.h)],
        },
      ];
      for (const [key, value] of unique) {
        stmts.push({
          sql: `INSERT INTO registered_model_tags (model_id, key, value) SELECT id, ?, ? FROM registered_models m WHERE m.name = ?${ws.sql}`,
          args: [key, value, checked, ...ws.args],
        });
      }
      await this.h.client.batch(stmts, "write");
      return this.load(await modelRow(this.h, checked));
    });
    this.notify({ kind: "registeredModelCreated", name: checked, tags, description });
    return model;
  }

  /** Whether the model is a prompt: its `mlflow.prompt.is_prompt` tag says `true` (in any case). */
  async isPrompt(name: string): Promise<boolean> {
    const rs = await this.h.client.execute({
      sql: `SELECT t.value FROM registered_model_tags t JOIN registered_models m ON m.id = t.model_id
            WHERE m.name = ? AND t.key = ?${inWorkspace(this.h, "m.workspace").sql}`,
      args: [name, IS_PROMPT_TAG, ...inWorkspace(this.h, "m.workspace").args],
    });
    return String(rs.rows[0]?.value ?? "false").toLowerCase() === "true";
  }

  async get(name: string | undefined): Promise<RegisteredModel> {
    return this.load(await modelRow(this.h, name));
  }

  /** Renames a model; its versions follow (they reference its row) and count as updated. */
  async rename(name: string | undefined, newName: string | undefined): Promise<RegisteredModel> {
    const target = validateModelName(newName, "new_name");
    return this.h.writer.run(async () => {
      const row = await modelRow(this.h, name);
      const clash = await this.h.client.execute({
        sql: `SELECT 1 FROM registered_models m WHERE m.name = ? AND m.id != ?${inWorkspace(this.h, "m.workspace").sql}`,
        args: [target, row.id, ...inWorkspace(this.h, "m.workspace").args],
      });
      if (clash.rows.length > 0) throw alreadyExists(`Registered Model (name=${target}) already exists.`);
      const now = Date.now();
      await this.h.client.batch(
        [
          {
            sql: "UPDATE registered_models SET name = ?, last_updated_time = ? WHERE id = ?",
            args: [target, now, row.id],
          },
          { sql: "UPDATE model_versions SET last_updated_time = ? WHERE model_id = ?", args: [now, row.id] },
        ],
        "write",
      );
      return this.load({ ...row, name: target, last_updated_time: now });
    });
  }

  async update(name: string | undefined, description: string | undefined): Promise<RegisteredModel> {
    return this.h.writer.run(async () => {
      const row = await modelRow(this.h, name);
      const next = { ...row, description: description ?? "", last_updated_time: Date.now() };
      await this.h.client.execute({
        sql: "UPDATE registered_models SET description = ?, last_updated_time = ? WHERE id = ?",
        args: [next.description, next.last_updated_time, row.id],
      });
      return this.load(next);
    });
  }

  /** Deletes a model with its versions, tags and aliases. */
  async delete(name: string | undefined): Promise<void> {
    await this.h.writer.run(async () => {
      const row = await modelRow(this.h, name);
      await this.h.client.batch(
        [
          {
            sql: "DELETE FROM model_version_tags WHERE version_id IN (SELECT id FROM model_versions WHERE model_id = ?)",
            args: [row.id],
          },
          { sql: "DELETE FROM model_versions WHERE model_id = ?", args: [row.id] },
          { sql: "DELETE FROM registered_model_aliases WHERE model_id = ?", args: [row.id] },
          { sql: "DELETE FROM registered_model_tags WHERE model_id = ?", args: [row.id] },
          { sql: "DELETE FROM registered_models WHERE id = ?", args: [row.id] },
        ],
        "write",
      );
    });
  }

  async setTag(name: string | undefined, key: string | undefined, value: string | undefined): Promise<void> {
    validateModelName(name);
    validateRegisteredModelTag(key ?? "", value ?? "");
    await this.h.writer.submit(async () => {
      const row = await modelRow(this.h, name);
      return [
        {
          sql: `INSERT INTO registered_model_tags (model_id, key, value) VALUES (?, ?, ?)
                ON CONFLICT (model_id, key) DO UPDATE SET value = excluded.value`,
          args: [row.id, key ?? "", value ?? ""],
        },
      ];
    });
    this.notify({ kind: "registeredModelTagSet", name: name ?? "", key: key ?? "", value: value ?? "" });
  }

  /** Deletes a tag; a tag the model does not have is no error, as in the reference. */
  async deleteTag(name: string | undefined, key: string | undefined): Promise<void> {
    validateModelName(name);
    validateTagName(key ?? "");
    await this.h.writer.submit(async () => {
      const row = await modelRow(this.h, name);
      return [{ sql: "DELETE FROM registered_model_tags WHERE model_id = ? AND key = ?", args: [row.id, key ?? ""] }];
    });
    this.notify({ kind: "registeredModelTagDeleted", name: name ?? "", key: key ?? "" });
  }

  /** The newest version in each of `stages` (every stage when none is given), with aliases. */
  async latestVersions(name: string | undefined, stages: readonly string[] | undefined): Promise<ModelVersion[]> {
    const row = await modelRow(this.h, name);
    const wanted = new Set<string>(stages && stages.length > 0 ? stages.map(canonicalStage) : MODEL_VERSION_STAGES);
    const latest = (await latestVersionRows(this.h, [row.id], "firstSeen")).get(row.id) ?? [];
    return loadVersions(
      this.h,
      latest.filter((v) => wanted.has(v.current_stage)),
      true,
    );
  }

  async search(args: SearchRegisteredModelsArgs): Promise<{ models: RegisteredModel[]; nextPageToken?: string }> {
    const maxResults = args.maxResults ?? MAX_RESULTS_DEFAULT;
    if (maxResults > MAX_RESULTS_LIMIT) {
      throw invalidParameter(
        `Invalid value for request parameter max_results. It must be at most ${MAX_RESULTS_LIMIT}, but got value ${maxResults}`,
      );
    }
    // The reference turns a negative page size into an odd SQL LIMIT; tracklite refuses it.
    if (maxResults < 0) {
      throw invalidParameter(
        `Invalid value ${maxResults} for parameter 'max_results' supplied: it must not be negative.`,
      );
    }
    const {
      sql,
      args: sqlArgs,
      offset,
    } = compileRegisteredModelSearch({ ...args, maxResults, workspace: this.h.workspace });
    const rs = await this.h.client.execute({ sql, args: sqlArgs });
    const rows = rs.rows as unknown as ModelRow[];
    const models = await loadModels(this.h, rows.slice(0, maxResults), "byStage");
    return {
      models,
      ...(rows.length > maxResults ? { nextPageToken: encodeOffsetToken(offset + maxResults) } : {}),
    };
  }
}
