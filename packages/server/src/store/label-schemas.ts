import type { Row } from "@libsql/client";
import type { LabelSchema, LabelSchemaType } from "@tracklite/schemas";
import { alreadyExists, invalidParameter, notFound } from "../errors.js";
import { encodeOffsetToken } from "../search/registry-page-token.js";
import {
  DEFAULT_LABEL_SCHEMA_INSTRUCTION,
  DEFAULT_LABEL_SCHEMA_NAME,
  inputToWire,
  type LabelSchemaChanges,
  type SchemaInput,
  validateSchemaForCreate,
  validateSchemaForUpdate,
} from "../validation/label-schemas.js";
import type { DbHandle } from "./db.js";
import type { ExperimentStore } from "./experiments.js";
import { newRunUuid } from "./ids.js";
import { experimentInWorkspace } from "./workspace-scope.js";

/** What CreateLabelSchema stores. */
export interface NewLabelSchema {
  experimentId: string;
  name: string;
  type: LabelSchemaType;
  input: SchemaInput;
  instruction?: string | undefined;
  enableComment?: boolean | undefined;
}

const COLUMNS =
  "s.schema_id, s.experiment_id, s.name, s.type, s.instruction, s.enable_comment, s.input_type, s.input_config, " +
  "s.created_by, s.created_time, s.last_update_time, s.is_default";

export interface LabelSchemaRow {
  schemaId: string;
  experimentId: number;
  name: string;
  isDefault: boolean;
  input: SchemaInput;
  wire: LabelSchema;
}

function fromRow(r: Row): LabelSchemaRow {
  const input = { kind: String(r.input_type), ...JSON.parse(String(r.input_config)) } as SchemaInput;
  const wire: LabelSchema = {
    schema_id: String(r.schema_id),
    experiment_id: String(r.experiment_id),
    name: String(r.name),
    type: String(r.type).toUpperCase() as LabelSchemaType,
    ...(r.instruction !== null ? { instruction: String(r.instruction) } : {}),
    enable_comment: Number(r.enable_comment) === 1,
    input: inputToWire(input),
    ...(r.created_by !== null ? { created_by: String(r.created_by) } : {}),
    created_at: Number(r.created_time),
    last_updated_at: Number(r.last_update_time),
    is_default: Number(r.is_default) === 1,
  };
  return {
    schemaId: wire.schema_id,
    experimentId: Number(r.experiment_id),
    name: wire.name,
    isDefault: wire.is_default,
    input,
    wire,
  };
}

/** The stored config of an input: its fields without the kind (which is the `input_type` column). */
function configOf(input: SchemaInput): string {
  const { kind: _kind, ...config } = input;
  return JSON.stringify(config);
}

const newSchemaId = () => `ls-${newRunUuid()}`;
const duplicate = (name: string, experimentId: string | number) =>
  alreadyExists(`Label schema with name '${name}' already exists for experiment '${experimentId}'.`);

/**
 * Label schemas: CRUD, and the protected default question every experiment gets on its first list.
 * @see mlflow/store/tracking/sqlalchemy_store.py create_label_schema … _ensure_default_label_schema
 */
export class LabelSchemaStore {
  constructor(
    private readonly h: DbHandle,
    private readonly experiments: ExperimentStore,
  ) {}

  /** The active experiment's id, or the reference's "No Experiment with id=… exists" / invalid-id errors. */
  private async activeExperiment(id: string): Promise<number> {
    return (await this.experiments.row(id, ["active"])).experimentId;
  }

  private async find(where: string, args: (string | number)[]): Promise<LabelSchemaRow | undefined> {
    const scope = experimentInWorkspace(this.h, "s.experiment_id");
    const rs = await this.h.client.execute({
      sql: `SELECT ${COLUMNS} FROM label_schemas s WHERE ${where}${scope.sql}`,
      args: [...args, ...scope.args],
    });
    const r = rs.rows[0];
    return r ? fromRow(r) : undefined;
  }

  /** A schema by id (in the request's workspace), or the reference's 404. */
  async row(schemaId: string): Promise<LabelSchemaRow> {
    const found = await this.find("s.schema_id = ?", [schemaId]);
    if (!found) throw notFound(`Label schema with id '${schemaId}' not found.`);
    return found;
  }

  async create(s: NewLabelSchema): Promise<LabelSchema> {
    validateSchemaForCreate(s.name, s.instruction, s.input);
    return this.h.writer.run(async () => {
      const experimentId = await this.activeExperiment(s.experimentId);
      if (await this.find("s.experiment_id = ? AND s.name = ?", [experimentId, s.name]))
        throw duplicate(s.name, s.experimentId);
      const id = newSchemaId();
      const now = Date.now();
      await this.insert(id, experimentId, s, now, false);
      return (await this.row(id)).wire;
    });
  }

  private async insert(
    id: string,
    experimentId: number,
    s: Omit<NewLabelSchema, "experimentId">,
    now: number,
    isDefault: boolean,
  ) {
    await this.h.client.execute({
      sql: `INSERT INTO label_schemas (schema_id, experiment_id, name, type, instruction, enable_comment, input_type,
              input_config, created_by, created_time, last_update_time, is_default)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?)`,
      args: [
        id,
        experimentId,
        s.name,
        s.type.toLowerCase(),
        s.instruction ?? null,
        s.enableComment ? 1 : 0,
        s.input.kind,
        configOf(s.input),
        now,
        now,
        isDefault ? 1 : 0,
      ],
    });
  }

  async get(schemaId: string): Promise<LabelSchema> {
    return (await this.row(schemaId)).wire;
  }

  async getByName(experimentId: string, name: string): Promise<LabelSchema> {
    const id = await this.activeExperiment(experimentId);
    const found = await this.find("s.experiment_id = ? AND s.name = ?", [id, name]);
    if (!found) throw notFound(`Label schema with name '${name}' not found for experiment '${experimentId}'.`);
    return found.wire;
  }

  /** A page of the experiment's schemas, newest first; seeds the default question first if it is missing. */
  async list(
    experimentId: string,
    maxResults: number,
    offset: number,
  ): Promise<{ items: LabelSchema[]; next?: string }> {
    const id = await this.activeExperiment(experimentId);
    await this.ensureDefault(id);
    const rs = await this.h.client.execute({
      sql: `SELECT ${COLUMNS} FROM label_schemas s WHERE s.experiment_id = ?
            ORDER BY s.created_time DESC, s.schema_id ASC LIMIT ? OFFSET ?`,
      args: [id, maxResults + 1, offset],
    });
    const rows = rs.rows.map(fromRow);
    const more = rows.length > maxResults;
    return {
      items: rows.slice(0, maxResults).map((r) => r.wire),
      ...(more ? { next: encodeOffsetToken(offset + maxResults) } : {}),
    };
  }

  /** The protected default question ("Feedback", free text), created once per experiment. */
  private async ensureDefault(experimentId: number): Promise<void> {
    const exists = await this.h.client.execute({
      sql: "SELECT 1 FROM label_schemas WHERE experiment_id = ? AND is_default = 1 LIMIT 1",
      args: [experimentId],
    });
    if (exists.rows.length > 0) return;
    await this.h.writer.run(async () => {
      // A user schema that already holds the name (made before the name was reserved) keeps it, as in the reference.
      await this.h.client.execute({
        sql: `INSERT OR IGNORE INTO label_schemas (schema_id, experiment_id, name, type, instruction, enable_comment,
                input_type, input_config, created_by, created_time, last_update_time, is_default)
              SELECT ?, ?, ?, 'feedback', ?, 0, 'text', '{}', NULL, ?, ?, 1
              WHERE NOT EXISTS (SELECT 1 FROM label_schemas WHERE experiment_id = ? AND is_default = 1)`,
        args: [
          newSchemaId(),
          experimentId,
          DEFAULT_LABEL_SCHEMA_NAME,
          DEFAULT_LABEL_SCHEMA_INSTRUCTION,
          Date.now(),
          Date.now(),
          experimentId,
        ],
      });
    });
  }

  async update(schemaId: string, c: LabelSchemaChanges): Promise<LabelSchema> {
    return this.h.writer.run(async () => {
      const existing = await this.row(schemaId);
      validateSchemaForUpdate(existing, c);
      if (c.name !== undefined && c.name !== existing.name) {
        const clash = await this.find("s.experiment_id = ? AND s.name = ? AND s.schema_id != ?", [
          existing.experimentId,
          c.name,
          schemaId,
        ]);
        if (clash) throw duplicate(c.name, existing.experimentId);
      }
      const sets: string[] = ["last_update_time = ?"];
      const args: (string | number)[] = [Date.now()];
      if (c.name !== undefined) sets.push("name = ?") && args.push(c.name);
      if (c.instruction !== undefined) sets.push("instruction = ?") && args.push(c.instruction);
      if (c.enable_comment !== undefined) sets.push("enable_comment = ?") && args.push(c.enable_comment ? 1 : 0);
      if (c.input !== undefined)
        sets.push("input_type = ?, input_config = ?") && args.push(c.input.kind, configOf(c.input));
      await this.h.client.execute({
        sql: `UPDATE label_schemas SET ${sets.join(", ")} WHERE schema_id = ?`,
        args: [...args, schemaId],
      });
      return (await this.row(schemaId)).wire;
    });
  }

  /** Deletes a schema; an unknown id is a no-op, the default question is refused. */
  async delete(schemaId: string): Promise<void> {
    await this.h.writer.run(async () => {
      const found = await this.find("s.schema_id = ?", [schemaId]);
      if (!found) return;
      if (found.isDefault) throw invalidParameter("The experiment's default question cannot be deleted.");
      await this.h.client.execute({ sql: "DELETE FROM label_schemas WHERE schema_id = ?", args: [schemaId] });
    });
  }

  /** The ids among `schemaIds` that are not schemas of the experiment (review queues refer to schemas softly). */
  async missingIn(experimentId: number, schemaIds: readonly string[]): Promise<string[]> {
    if (schemaIds.length === 0) return [];
    const rs = await this.h.client.execute({
      sql: "SELECT schema_id FROM label_schemas WHERE experiment_id = ? AND schema_id IN (SELECT value FROM json_each(?))",
      args: [experimentId, JSON.stringify(schemaIds)],
    });
    const found = new Set(rs.rows.map((r) => String(r.schema_id)));
    return schemaIds.filter((id) => !found.has(id));
  }
}
