import type { InStatement } from "@libsql/client";
import type { Webhook, WebhookEventInput, WebhookEventName, WebhookStatus } from "@tracklite/schemas";
import { invalidParameter, MlflowError, notFound } from "../errors.js";
import { decodeRegistryPageToken, encodeOffsetToken } from "../search/index.js";
import { pyStr } from "../search/python-compat.js";
import {
  toEventName,
  type UrlPolicy,
  validateWebhookEvents,
  validateWebhookName,
  validateWebhookUrl,
} from "../validation/webhooks.js";
import type { DeliveryTarget } from "../webhooks/deliver.js";
import type { Subscriber } from "../webhooks/dispatcher.js";
import type { SecretBox } from "../webhooks/secret-box.js";
import type { DbHandle } from "./db.js";
import { inWorkspace, writeWorkspace } from "./workspace-scope.js";

/** A create or update request; on update an absent (or, for name and url, empty) field is left as it is. */
export interface WebhookArgs {
  name?: string | undefined;
  url?: string | undefined;
  events?: readonly WebhookEventInput[] | undefined;
  description?: string | undefined;
  secret?: string | undefined;
  status?: WebhookStatus | undefined;
}

interface WebhookRow {
  id: number;
  webhook_id: string;
  name: string;
  description: string | null;
  url: string;
  status: WebhookStatus;
  secret: string | null;
  secret_encrypted: number;
  creation_time: number;
  last_updated_time: number;
}

const MAX_RESULTS_DEFAULT = 100;
const MAX_RESULTS_LIMIT = 1000;

/** The reference fails on a repeated event with a leaked UNIQUE-constraint dump (BAD_REQUEST); this says why. */
function rejectRepeated(events: readonly WebhookEventName[]): void {
  const seen = new Set<string>();
  for (const e of events) {
    if (seen.has(e)) {
      throw new MlflowError(
        `Webhook events must not repeat an event: ${pyStr(e)} is listed more than once.`,
        "BAD_REQUEST",
      );
    }
    seen.add(e);
  }
}

/** Inserts of a webhook's events, found by its public id (so that they can join the insert of the webhook). */
function eventInserts(webhookId: string, events: readonly WebhookEventName[]): InStatement[] {
  return events.map((e) => {
    const [entity, action] = e.split(".");
    return {
      sql: "INSERT INTO webhook_events (webhook_row, entity, action) SELECT id, ?, ? FROM webhooks WHERE webhook_id = ?",
      args: [entity ?? "", action ?? "", webhookId],
    };
  });
}

/**
 * Webhooks: create, read, list newest first, update, delete, and the subscribers of an event for delivery. Secrets
 * are write-only: no answer carries them.
 * @see mlflow/store/model_registry/sqlalchemy_store.py create_webhook … list_webhooks_by_event
 */
export class WebhookStore {
  constructor(
    private readonly h: DbHandle,
    private readonly policy: UrlPolicy,
    private readonly box: SecretBox | undefined,
  ) {}

  async create(args: WebhookArgs): Promise<Webhook> {
    // The handler converts the events before the store checks name and URL, so their errors come first.
    const events = (args.events ?? []).map(toEventName);
    const name = validateWebhookName(args.name ?? "");
    await validateWebhookUrl(args.url ?? "", this.policy);
    validateWebhookEvents(events);
    rejectRepeated(events);
    const [secret, encrypted] = await this.#seal(args.secret || undefined);
    const webhookId = crypto.randomUUID();
    const now = Date.now();
    await this.h.writer.run(() =>
      this.h.client.batch(
        [
          {
            sql: `INSERT INTO webhooks (webhook_id, name, description, url, status, secret, secret_encrypted,
                    creation_time, last_updated_time, workspace) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
            args: [
              webhookId,
              name,
              args.description || null,
              args.url ?? "",
              args.status ?? "ACTIVE",
              secret,
              encrypted,
              now,
              now,
              writeWorkspace(this.h),
            ],
          },
          ...eventInserts(webhookId, events),
        ],
        "write",
      ),
    );
    return this.get(webhookId);
  }

  async get(webhookId: string): Promise<Webhook> {
    const [webhook] = await this.#load([await this.#row(webhookId)]);
    return webhook as Webhook;
  }

  /** A page of webhooks, newest first; `max_results` 0 or absent means 100. */
  async list(maxResults: number | undefined, pageToken: string | undefined) {
    const max = maxResults || MAX_RESULTS_DEFAULT;
    if (max < 1 || max > MAX_RESULTS_LIMIT) {
      throw invalidParameter(`max_results must be between 1 and ${MAX_RESULTS_LIMIT}.`);
    }
    const offset = decodeRegistryPageToken(pageToken);
    // Ties (one millisecond) in creation order, as the reference's SQLite sort leaves them.
    const ws = inWorkspace(this.h, "workspace");
    const rs = await this.h.client.execute({
      sql: `SELECT * FROM webhooks WHERE 1 = 1${ws.sql} ORDER BY creation_time DESC, id LIMIT ? OFFSET ?`,
      args: [...ws.args, max + 1, offset],
    });
    const rows = rs.rows as unknown as WebhookRow[];
    return {
      webhooks: await this.#load(rows.slice(0, max)),
      ...(rows.length > max ? { nextPageToken: encodeOffsetToken(offset + max) } : {}),
    };
  }

  async update(webhookId: string, args: WebhookArgs): Promise<Webhook> {
    const events = args.events && args.events.length > 0 ? args.events.map(toEventName) : undefined;
    // Checked outside the writer: resolving the URL's host may take seconds.
    await this.#row(webhookId);
    if (args.name) validateWebhookName(args.name);
    if (args.url) await validateWebhookUrl(args.url, this.policy);
    if (events) {
      validateWebhookEvents(events);
      rejectRepeated(events);
    }
    // An empty secret clears it: deliveries go unsigned, as in the reference.
    const sealed = args.secret === undefined ? undefined : await this.#seal(args.secret || undefined);
    return this.h.writer.run(async () => {
      const row = await this.#row(webhookId);
      const next: WebhookRow = {
        ...row,
        name: args.name || row.name,
        url: args.url || row.url,
        description: args.description ?? row.description,
        status: args.status ?? row.status,
        secret: sealed ? sealed[0] : row.secret,
        secret_encrypted: sealed ? sealed[1] : row.secret_encrypted,
        last_updated_time: Date.now(),
      };
      const stmts: InStatement[] = [
        {
          sql: `UPDATE webhooks SET name = ?, description = ?, url = ?, status = ?, secret = ?, secret_encrypted = ?,
                  last_updated_time = ? WHERE id = ?`,
          args: [
            next.name,
            next.description,
            next.url,
            next.status,
            next.secret,
            next.secret_encrypted,
            next.last_updated_time,
            row.id,
          ],
        },
      ];
      if (events) {
        stmts.push(
          { sql: "DELETE FROM webhook_events WHERE webhook_row = ?", args: [row.id] },
          ...eventInserts(webhookId, events),
        );
      }
      await this.h.client.batch(stmts, "write");
      return (await this.#load([next]))[0] as Webhook;
    });
  }

  async delete(webhookId: string): Promise<void> {
    await this.h.writer.run(async () => {
      const row = await this.#row(webhookId);
      await this.h.client.batch(
        [
          { sql: "DELETE FROM webhook_events WHERE webhook_row = ?", args: [row.id] },
          { sql: "DELETE FROM webhooks WHERE id = ?", args: [row.id] },
        ],
        "write",
      );
    });
  }

  /** A webhook as `/test` needs it: its events in answer order (the first is the default) and where to send. */
  async target(webhookId: string): Promise<{ events: WebhookEventName[]; target: DeliveryTarget }> {
    const row = await this.#row(webhookId);
    const rs = await this.h.client.execute({
      sql: "SELECT entity, action FROM webhook_events WHERE webhook_row = ? ORDER BY entity, action",
      args: [row.id],
    });
    const events = rs.rows.map((r) => `${r.entity}.${r.action}` as WebhookEventName);
    return { events, target: this.#target(row) };
  }

  /** Every webhook subscribed to `event`, newest first, with its status. */
  /** One webhook as delivery needs it, by its id, whatever the workspace (ids are unique across them). */
  async subscriber(webhookId: string): Promise<Subscriber | undefined> {
    const rs = await this.h.client.execute({ sql: "SELECT * FROM webhooks WHERE webhook_id = ?", args: [webhookId] });
    const row = rs.rows[0] as unknown as WebhookRow | undefined;
    return row && { webhookId: row.webhook_id, active: row.status === "ACTIVE", ...this.#target(row) };
  }

  async subscribers(event: WebhookEventName): Promise<Subscriber[]> {
    const [entity, action] = event.split(".");
    const rs = await this.h.client.execute({
      sql: `SELECT w.* FROM webhooks w JOIN webhook_events e ON e.webhook_row = w.id
            WHERE e.entity = ? AND e.action = ?${inWorkspace(this.h, "w.workspace").sql} ORDER BY w.creation_time DESC, w.id`,
      args: [entity ?? "", action ?? "", ...inWorkspace(this.h, "w.workspace").args],
    });
    return (rs.rows as unknown as WebhookRow[]).map((row) => ({
      webhookId: row.webhook_id,
      active: row.status === "ACTIVE",
      ...this.#target(row),
    }));
  }

  #target(row: WebhookRow): DeliveryTarget {
    return { url: row.url, readSecret: () => this.#open(row) };
  }

  async #row(webhookId: string): Promise<WebhookRow> {
    const ws = inWorkspace(this.h, "workspace");
    const rs = await this.h.client.execute({
      sql: `SELECT * FROM webhooks WHERE webhook_id = ?${ws.sql}`,
      args: [webhookId, ...ws.args],
    });
    const row = rs.rows[0] as unknown as WebhookRow | undefined;
    if (!row) throw notFound(`Webhook with ID ${webhookId} not found.`);
    return row;
  }

  /** Rows as the API answers them: events sorted by entity and action (the reference's primary-key order). */
  async #load(rows: readonly WebhookRow[]): Promise<Webhook[]> {
    if (rows.length === 0) return [];
    const rs = await this.h.client.execute({
      sql: `SELECT webhook_row, entity, action FROM webhook_events WHERE webhook_row IN (${rows.map(() => "?").join(", ")})
            ORDER BY webhook_row, entity, action`,
      args: rows.map((r) => r.id),
    });
    const events = new Map<number, Webhook["events"]>();
    for (const r of rs.rows) {
      const list = events.get(Number(r.webhook_row)) ?? [];
      list.push({
        entity: String(r.entity).toUpperCase() as Webhook["events"][number]["entity"],
        action: String(r.action).toUpperCase() as Webhook["events"][number]["action"],
      });
      events.set(Number(r.webhook_row), list);
    }
    return rows.map((r) => ({
      webhook_id: r.webhook_id,
      name: r.name,
      ...(r.description ? { description: r.description } : {}),
      url: r.url,
      events: events.get(r.id) ?? [],
      status: r.status,
      creation_timestamp: r.creation_time,
      last_updated_timestamp: r.last_updated_time,
    }));
  }

  async #seal(secret: string | undefined): Promise<[string | null, number]> {
    if (!secret) return [null, 0];
    return this.box ? [await this.box.seal(secret), 1] : [secret, 0];
  }

  async #open(row: WebhookRow): Promise<string | undefined> {
    if (!row.secret) return undefined;
    if (!row.secret_encrypted) return row.secret;
    if (!this.box)
      throw new Error("The webhook's secret is encrypted, but MLFLOW_WEBHOOK_SECRET_ENCRYPTION_KEY is not set.");
    return this.box.open(row.secret);
  }
}
