import type { Row } from "@libsql/client";
import type { ReviewQueue, ReviewQueueItem, ReviewQueueType, ReviewStatus } from "@tracklite/schemas";
import { alreadyExists, invalidParameter, MlflowError, notFound } from "../errors.js";
import { pyList } from "../search/python-compat.js";
import { encodeOffsetToken } from "../search/registry-page-token.js";
import {
  normalizeSchemaIds,
  normalizeUser,
  normalizeUsers,
  USER_MAX_LENGTH,
  validateCustomQueueName,
  validateItemIds,
  validateQueueForCreate,
  validateQueueOwner,
} from "../validation/review-queues.js";
import type { DbHandle } from "./db.js";
import type { ExperimentStore } from "./experiments.js";
import { newRunUuid } from "./ids.js";
import type { LabelSchemaStore } from "./label-schemas.js";
import { experimentInWorkspace } from "./workspace-scope.js";

/** A queue row with its users and schema ids, as the permission checks read it too. */
export interface QueueRow {
  queueId: string;
  experimentId: string;
  name: string;
  queueType: "user" | "custom";
  createdBy: string | null;
  users: string[];
  schemaIds: string[];
  wire: ReviewQueue;
}

/** What UpdateReviewQueue changes (each only when the request sets it). */
export interface QueueChanges {
  users?: string[] | undefined;
  schemaIds?: string[] | undefined;
  name?: string | undefined;
  newOwner?: string | undefined;
}

export interface Page<T> {
  items: T[];
  next?: string;
}

const QUEUE_COLUMNS =
  "q.queue_id, q.experiment_id, q.name, q.queue_type, q.created_by, q.creation_time_ms, q.last_update_time_ms";
const ITEM_COLUMNS =
  "queue_id, item_type, item_id, status, completed_by, completed_time_ms, creation_time_ms, last_update_time_ms";

function itemFromRow(r: Row): ReviewQueueItem {
  return {
    queue_id: String(r.queue_id),
    item_type: "TRACE",
    item_id: String(r.item_id),
    status: String(r.status).toUpperCase() as ReviewStatus,
    ...(r.completed_by !== null ? { completed_by: String(r.completed_by) } : {}),
    ...(r.completed_time_ms !== null ? { completed_time_ms: Number(r.completed_time_ms) } : {}),
    creation_time_ms: Number(r.creation_time_ms),
    last_update_time_ms: Number(r.last_update_time_ms),
  };
}

const queueExists = (name: string) =>
  alreadyExists(`Review queue with name '${name}' already exists (names are case-insensitive).`);

/**
 * Review queues, their assigned users, attached schemas and items with their review status.
 * @see mlflow/store/tracking/sqlalchemy_store.py create_review_queue … set_review_queue_item_status
 */
export class ReviewQueueStore {
  constructor(
    private readonly h: DbHandle,
    private readonly experiments: ExperimentStore,
    private readonly labelSchemas: LabelSchemaStore,
  ) {}

  private async activeExperiment(id: string): Promise<number> {
    return (await this.experiments.row(id, ["active"])).experimentId;
  }

  /** Queue rows matching `where`, with their users and schema ids, in the query's order. */
  private async hydrate(where: string, args: (string | number)[], tail = ""): Promise<QueueRow[]> {
    const scope = experimentInWorkspace(this.h, "q.experiment_id");
    const rs = await this.h.client.execute({
      sql: `SELECT ${QUEUE_COLUMNS} FROM review_queues q WHERE ${where}${scope.sql} ${tail}`,
      args: [...args, ...scope.args],
    });
    if (rs.rows.length === 0) return [];
    const ids = JSON.stringify(rs.rows.map((r) => String(r.queue_id)));
    const [users, schemas] = await Promise.all([
      this.h.client.execute({
        sql: "SELECT queue_id, user_id AS v FROM review_queue_users WHERE queue_id IN (SELECT value FROM json_each(?)) ORDER BY user_id",
        args: [ids],
      }),
      this.h.client.execute({
        sql: "SELECT queue_id, schema_id AS v FROM review_queue_label_schemas WHERE queue_id IN (SELECT value FROM json_each(?)) ORDER BY schema_id",
        args: [ids],
      }),
    ]);
    const group = (rows: Row[]) => {
      const m = new Map<string, string[]>();
      for (const r of rows) m.set(String(r.queue_id), [...(m.get(String(r.queue_id)) ?? []), String(r.v)]);
      return m;
    };
    const usersOf = group(users.rows);
    const schemasOf = group(schemas.rows);
    return rs.rows.map((r) => {
      const queueId = String(r.queue_id);
      const u = usersOf.get(queueId) ?? [];
      const s = schemasOf.get(queueId) ?? [];
      const queueType = String(r.queue_type) as "user" | "custom";
      const createdBy = r.created_by === null ? null : String(r.created_by);
      return {
        queueId,
        experimentId: String(r.experiment_id),
        name: String(r.name),
        queueType,
        createdBy,
        users: u,
        schemaIds: s,
        wire: {
          queue_id: queueId,
          experiment_id: String(r.experiment_id),
          name: String(r.name),
          queue_type: queueType.toUpperCase() as ReviewQueueType,
          ...(createdBy !== null ? { created_by: createdBy } : {}),
          creation_time_ms: Number(r.creation_time_ms),
          last_update_time_ms: Number(r.last_update_time_ms),
          ...(u.length > 0 ? { users: u } : {}),
          ...(s.length > 0 ? { schema_ids: s } : {}),
        },
      };
    });
  }

  /** A queue by id (in the request's workspace), or the reference's 404. */
  async row(queueId: string): Promise<QueueRow> {
    const [found] = await this.hydrate("q.queue_id = ?", [queueId]);
    if (!found) throw notFound(`Review queue with id '${queueId}' not found.`);
    return found;
  }

  private async missingSchemas(experimentId: number, schemaIds: string[]): Promise<void> {
    const missing = await this.labelSchemas.missingIn(experimentId, schemaIds);
    if (missing.length > 0)
      throw invalidParameter(`Label schema id(s) ${pyList(missing)} not found for experiment '${experimentId}'.`);
  }

  async create(args: {
    experimentId: string;
    name: string;
    queueType: "user" | "custom";
    createdBy?: string | undefined;
    users: readonly string[];
    schemaIds: readonly string[];
  }): Promise<ReviewQueue> {
    const v = validateQueueForCreate(args.name, args.queueType, args.users, args.schemaIds);
    return this.h.writer.run(async () => {
      const experimentId = await this.activeExperiment(args.experimentId);
      await this.missingSchemas(experimentId, v.schemaIds);
      const clash = await this.h.client.execute({
        sql: "SELECT 1 FROM review_queues WHERE experiment_id = ? AND name_key = ?",
        args: [experimentId, v.name.toLowerCase()],
      });
      if (clash.rows.length > 0) throw queueExists(v.name);
      const queueId = `rq-${newRunUuid()}`;
      const now = Date.now();
      await this.h.client.batch(
        [
          {
            sql: `INSERT INTO review_queues (queue_id, experiment_id, name, name_key, queue_type, created_by,
                    creation_time_ms, last_update_time_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
            args: [queueId, experimentId, v.name, v.name.toLowerCase(), v.queueType, args.createdBy ?? null, now, now],
          },
          ...v.users.map((u) => ({
            sql: "INSERT INTO review_queue_users (queue_id, user_id) VALUES (?, ?)",
            args: [queueId, u],
          })),
          ...v.schemaIds.map((s) => ({
            sql: "INSERT INTO review_queue_label_schemas (queue_id, schema_id) VALUES (?, ?)",
            args: [queueId, s],
          })),
        ],
        "write",
      );
      return (await this.row(queueId)).wire;
    });
  }

  /** The user's personal queue, created on first use; a custom queue holding the name is refused. */
  async getOrCreateUserQueue(experimentId: string, user: string): Promise<ReviewQueue> {
    const name = normalizeUser(user);
    try {
      return await this.create({ experimentId, name, queueType: "user", createdBy: name, users: [], schemaIds: [] });
    } catch (e) {
      if (!(e instanceof MlflowError) || e.code !== "RESOURCE_ALREADY_EXISTS") throw e;
      const existing = await this.getByName(experimentId, name);
      if (existing.queue_type !== "USER")
        throw alreadyExists(
          `A non-user queue named '${name}' already exists; cannot get-or-create a user queue with that name.`,
        );
      return existing;
    }
  }

  async get(queueId: string): Promise<ReviewQueue> {
    return (await this.row(queueId)).wire;
  }

  async getByName(experimentId: string, name: string): Promise<ReviewQueue> {
    return (await this.rowByName(experimentId, name)).wire;
  }

  /** A queue by its name in the experiment (case-insensitively), or the reference's 404. */
  async rowByName(experimentId: string, name: string): Promise<QueueRow> {
    const id = await this.activeExperiment(experimentId);
    const [found] = await this.hydrate("q.experiment_id = ? AND q.name_key = ?", [id, name.toLowerCase()]);
    if (!found) throw notFound(`Review queue with name '${name}' not found for experiment '${experimentId}'.`);
    return found;
  }

  /** A page of the experiment's queues, newest first; narrowed to a user's queues or to those holding an item. */
  async list(
    experimentId: string,
    opts: { user?: string | undefined; itemId?: string | undefined; maxResults: number; offset: number },
  ): Promise<Page<ReviewQueue>> {
    const id = await this.activeExperiment(experimentId);
    let where = "q.experiment_id = ?";
    const args: (string | number)[] = [id];
    if (opts.user !== undefined) {
      where += " AND q.queue_id IN (SELECT queue_id FROM review_queue_users WHERE user_id = ?)";
      args.push(normalizeUser(opts.user));
    }
    if (opts.itemId !== undefined) {
      where += " AND q.queue_id IN (SELECT queue_id FROM review_queue_items WHERE item_id = ?)";
      args.push(opts.itemId);
    }
    const rows = await this.hydrate(
      where,
      args,
      `ORDER BY q.creation_time_ms DESC, q.queue_id ASC LIMIT ${opts.maxResults + 1} OFFSET ${opts.offset}`,
    );
    return {
      items: rows.slice(0, opts.maxResults).map((r) => r.wire),
      ...(rows.length > opts.maxResults ? { next: encodeOffsetToken(opts.offset + opts.maxResults) } : {}),
    };
  }

  async update(queueId: string, c: QueueChanges): Promise<ReviewQueue> {
    return this.h.writer.run(async () => {
      const q = await this.row(queueId);
      if (q.queueType === "user")
        throw invalidParameter(
          "A user queue's name, assigned user, schemas, and owner are fixed and cannot be updated.",
        );
      if (c.users === undefined && c.schemaIds === undefined && c.name === undefined && c.newOwner === undefined)
        return q.wire;
      const stmts: { sql: string; args: (string | number | null)[] }[] = [];
      if (c.newOwner !== undefined)
        stmts.push({
          sql: "UPDATE review_queues SET created_by = ? WHERE queue_id = ?",
          args: [validateQueueOwner(c.newOwner), queueId],
        });
      if (c.name !== undefined) {
        const name = validateCustomQueueName(c.name);
        if (name !== q.name) {
          if (name.toLowerCase() !== q.name.toLowerCase()) {
            const clash = await this.h.client.execute({
              sql: "SELECT 1 FROM review_queues WHERE experiment_id = ? AND name_key = ? AND queue_id != ?",
              args: [Number(q.experimentId), name.toLowerCase(), queueId],
            });
            if (clash.rows.length > 0) throw queueExists(name);
          }
          stmts.push({
            sql: "UPDATE review_queues SET name = ?, name_key = ? WHERE queue_id = ?",
            args: [name, name.toLowerCase(), queueId],
          });
        }
      }
      if (c.users !== undefined) {
        const users = normalizeUsers(c.users);
        stmts.push({ sql: "DELETE FROM review_queue_users WHERE queue_id = ?", args: [queueId] });
        for (const u of users)
          stmts.push({ sql: "INSERT INTO review_queue_users (queue_id, user_id) VALUES (?, ?)", args: [queueId, u] });
      }
      if (c.schemaIds !== undefined) {
        // A queue's questions are frozen once it has items: reviewers' answers would be stranded.
        const items = await this.h.client.execute({
          sql: "SELECT 1 FROM review_queue_items WHERE queue_id = ? LIMIT 1",
          args: [queueId],
        });
        if (items.rows.length > 0)
          throw invalidParameter(
            "A review queue's questions are locked once items are assigned to it. " +
              "Remove the items before changing its questions.",
          );
        const schemaIds = normalizeSchemaIds(c.schemaIds);
        await this.missingSchemas(Number(q.experimentId), schemaIds);
        stmts.push({ sql: "DELETE FROM review_queue_label_schemas WHERE queue_id = ?", args: [queueId] });
        for (const s of schemaIds)
          stmts.push({
            sql: "INSERT INTO review_queue_label_schemas (queue_id, schema_id) VALUES (?, ?)",
            args: [queueId, s],
          });
      }
      stmts.push({
        sql: "UPDATE review_queues SET last_update_time_ms = ? WHERE queue_id = ?",
        args: [Date.now(), queueId],
      });
      await this.h.client.batch(stmts, "write");
      return (await this.row(queueId)).wire;
    });
  }

  /** Deletes a queue with its users, schemas and items; an unknown id is a no-op. */
  async delete(queueId: string): Promise<void> {
    await this.h.writer.run(async () => {
      const [found] = await this.hydrate("q.queue_id = ?", [queueId]);
      if (!found) return;
      await this.h.client.batch(
        ["review_queue_users", "review_queue_items", "review_queue_label_schemas", "review_queues"].map((t) => ({
          sql: `DELETE FROM ${t} WHERE queue_id = ?`,
          args: [queueId],
        })),
        "write",
      );
    });
  }

  /**
   * The traces among `itemIds` that are not in the queue's experiment (items refer to traces without a foreign key,
   * so the handler checks them before attaching).
   */
  async foreignTraces(experimentId: string, itemIds: readonly string[]): Promise<string[]> {
    const rs = await this.h.client.execute({
      sql: "SELECT request_id FROM trace_info WHERE experiment_id = ? AND request_id IN (SELECT value FROM json_each(?))",
      args: [Number(experimentId), JSON.stringify(itemIds)],
    });
    const found = new Set(rs.rows.map((r) => String(r.request_id)));
    return itemIds.filter((id) => !found.has(id));
  }

  /** Attaches traces as pending items; ones already attached keep their status. Answers the items in request order. */
  async addItems(queueId: string, rawItemIds: readonly string[]): Promise<ReviewQueueItem[]> {
    const itemIds = validateItemIds(rawItemIds);
    return this.h.writer.run(async () => {
      await this.row(queueId);
      const now = Date.now();
      await this.h.client.batch(
        itemIds.map((id) => ({
          sql: `INSERT OR IGNORE INTO review_queue_items (queue_id, item_type, item_id, status, creation_time_ms,
                  last_update_time_ms) VALUES (?, 'trace', ?, 'pending', ?, ?)`,
          args: [queueId, id, now, now],
        })),
        "write",
      );
      const rs = await this.h.client.execute({
        sql: `SELECT ${ITEM_COLUMNS} FROM review_queue_items WHERE queue_id = ? AND item_id IN (SELECT value FROM json_each(?))`,
        args: [queueId, JSON.stringify(itemIds)],
      });
      const byId = new Map(rs.rows.map((r) => [String(r.item_id), itemFromRow(r)]));
      return itemIds.flatMap((id) => byId.get(id) ?? []);
    });
  }

  async removeItems(queueId: string, rawItemIds: readonly string[]): Promise<void> {
    const itemIds = validateItemIds(rawItemIds);
    await this.h.writer.run(async () => {
      await this.row(queueId);
      await this.h.client.execute({
        sql: "DELETE FROM review_queue_items WHERE queue_id = ? AND item_id IN (SELECT value FROM json_each(?))",
        args: [queueId, JSON.stringify(itemIds)],
      });
    });
  }

  async listItems(
    queueId: string,
    opts: { status?: ReviewStatus | undefined; maxResults: number; offset: number },
  ): Promise<Page<ReviewQueueItem>> {
    await this.row(queueId);
    const rs = await this.h.client.execute({
      sql: `SELECT ${ITEM_COLUMNS} FROM review_queue_items WHERE queue_id = ?${opts.status ? " AND status = ?" : ""}
            ORDER BY creation_time_ms DESC, item_id ASC LIMIT ? OFFSET ?`,
      args: [queueId, ...(opts.status ? [opts.status.toLowerCase()] : []), opts.maxResults + 1, opts.offset],
    });
    const items = rs.rows.map(itemFromRow);
    return {
      items: items.slice(0, opts.maxResults),
      ...(items.length > opts.maxResults ? { next: encodeOffsetToken(opts.offset + opts.maxResults) } : {}),
    };
  }

  /**
   * Moves an item to a status. Completing or declining records who; reopening clears it. Setting the status it
   * already has changes nothing (so a second reviewer cannot take over the attribution).
   */
  async setItemStatus(
    queueId: string,
    rawItemId: string,
    status: ReviewStatus,
    completedBy: string | undefined,
  ): Promise<ReviewQueueItem> {
    const itemId = rawItemId.trim();
    const by = completedBy === undefined ? undefined : normalizeUser(completedBy);
    const lower = status.toLowerCase();
    if (status === "PENDING") {
      if (by !== undefined)
        throw invalidParameter("`completed_by` must not be set when reopening an item to `pending`.");
    } else if (!by) {
      throw invalidParameter(`\`completed_by\` is required when setting status to \`${lower}\`.`);
    }
    if (by !== undefined && [...by].length > USER_MAX_LENGTH)
      throw invalidParameter(`\`completed_by\` must be at most ${USER_MAX_LENGTH} characters; got ${[...by].length}.`);
    return this.h.writer.run(async () => {
      await this.row(queueId);
      const read = () =>
        this.h.client.execute({
          sql: `SELECT ${ITEM_COLUMNS} FROM review_queue_items WHERE queue_id = ? AND item_id = ?`,
          args: [queueId, itemId],
        });
      const [row] = (await read()).rows;
      if (!row) throw notFound(`Item '${itemId}' is not attached to review queue '${queueId}'.`);
      if (String(row.status) === lower) return itemFromRow(row);
      const now = Date.now();
      await this.h.client.execute({
        sql: `UPDATE review_queue_items SET status = ?, last_update_time_ms = ?, completed_by = ?, completed_time_ms = ?
              WHERE queue_id = ? AND item_id = ?`,
        args: [
          lower,
          now,
          status === "PENDING" ? null : (by ?? null),
          status === "PENDING" ? null : now,
          queueId,
          itemId,
        ],
      });
      const [updated] = (await read()).rows;
      return itemFromRow(updated as Row);
    });
  }
}
