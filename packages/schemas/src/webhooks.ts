import * as z from "zod";

/**
 * Webhooks: HTTP callbacks the server POSTs when something happens in the model registry (a version is created, an
 * alias moves, a prompt gets a tag …). The REST messages, the events and the JSON each delivery carries.
 * @see mlflow/protos/webhooks.proto, mlflow/entities/webhook.py and mlflow/webhooks/types.py
 */

/** Entities in proto order (`REGISTERED_MODEL` is 1); the wire spells them upper-case, deliveries lower-case. */
export const WEBHOOK_ENTITIES = [
  "registered_model",
  "model_version",
  "model_version_tag",
  "model_version_alias",
  "prompt",
  "prompt_version",
  "prompt_tag",
  "prompt_version_tag",
  "prompt_alias",
  "budget_policy",
] as const;
export type WebhookEntity = (typeof WEBHOOK_ENTITIES)[number];

/** Actions in proto order (`CREATED` is 1). */
export const WEBHOOK_ACTIONS = ["created", "updated", "deleted", "set", "exceeded"] as const;
export type WebhookAction = (typeof WEBHOOK_ACTIONS)[number];

/** Statuses in proto order (`ACTIVE` is 1); a disabled webhook keeps its subscriptions but receives nothing. */
export const WEBHOOK_STATUSES = ["ACTIVE", "DISABLED"] as const;
export type WebhookStatus = (typeof WEBHOOK_STATUSES)[number];

/** The actions each entity has; any other pair is refused. @see mlflow/entities/webhook.py VALID_ENTITY_ACTIONS */
export const WEBHOOK_ENTITY_ACTIONS = {
  registered_model: ["created"],
  model_version: ["created"],
  model_version_tag: ["set", "deleted"],
  model_version_alias: ["created", "deleted"],
  prompt: ["created"],
  prompt_version: ["created"],
  prompt_tag: ["set", "deleted"],
  prompt_version_tag: ["set", "deleted"],
  prompt_alias: ["created", "deleted"],
  budget_policy: ["exceeded"],
} as const satisfies Record<WebhookEntity, readonly WebhookAction[]>;

/** An event as MLflow's client names it: `"model_version.created"`. */
export type WebhookEventName = {
  [E in WebhookEntity]: `${E}.${(typeof WEBHOOK_ENTITY_ACTIONS)[E][number]}`;
}[WebhookEntity];

const ENTITY_NAMES = WEBHOOK_ENTITIES.map((e) => e.toUpperCase()) as Uppercase<WebhookEntity>[];
const ACTION_NAMES = WEBHOOK_ACTIONS.map((a) => a.toUpperCase()) as Uppercase<WebhookAction>[];

/**
 * A proto enum field as the reference reads it: the name or its number (1-based here); an unknown name or number is
 * ignored (the server parses with `ignore_unknown_fields`), which leaves the field unset.
 */
function enumInput<T extends string>(names: readonly T[]) {
  return z.unknown().transform((v): T | undefined => {
    if (typeof v === "string") return names.includes(v as T) ? (v as T) : undefined;
    if (typeof v === "number" && Number.isInteger(v)) return names[v - 1];
    return undefined;
  });
}

/** An int32 field: a number or a decimal string; beyond int32 the reference's parse fails and leaves it unset. */
const int32 = z.preprocess(
  (v) => (typeof v === "string" && /^\s*[-+]?\d+\s*$/.test(v) ? Number(v) : v),
  z
    .number()
    .int()
    .min(-(2 ** 31))
    .max(2 ** 31 - 1),
);

/** An event on the wire: `{"entity": "MODEL_VERSION", "action": "CREATED"}`. */
export const WebhookEvent = z.object({
  entity: z.enum(ENTITY_NAMES as [Uppercase<WebhookEntity>, ...Uppercase<WebhookEntity>[]]),
  action: z.enum(ACTION_NAMES as [Uppercase<WebhookAction>, ...Uppercase<WebhookAction>[]]),
});
export type WebhookEvent = z.infer<typeof WebhookEvent>;

/** An event in a request; the store refuses one whose entity or action is unset or unknown. */
export const WebhookEventInput = z.object({
  entity: enumInput(ENTITY_NAMES).optional(),
  action: enumInput(ACTION_NAMES).optional(),
});
export type WebhookEventInput = z.infer<typeof WebhookEventInput>;

/** @see webhooks.proto Webhook; the secret is write-only and never part of an answer. */
export const Webhook = z.object({
  webhook_id: z.string(),
  name: z.string(),
  description: z.string().optional(),
  url: z.string(),
  events: z.array(WebhookEvent),
  status: z.enum(WEBHOOK_STATUSES),
  creation_timestamp: z.number(),
  last_updated_timestamp: z.number(),
});
export type Webhook = z.infer<typeof Webhook>;

/** What `/test` answers: the receiver's status and body, or why nothing came back. */
export const WebhookTestResult = z.object({
  success: z.boolean(),
  response_status: z.number().optional(),
  response_body: z.string().optional(),
  error_message: z.string().optional(),
});
export type WebhookTestResult = z.infer<typeof WebhookTestResult>;

// Requests: every field optional, so that the reference's handler checks (and then its store's) speak first.
const str = z.string().optional();
const status = enumInput(WEBHOOK_STATUSES).optional();

export const CreateWebhook = z.object({
  name: str,
  description: str,
  url: str,
  events: z.array(WebhookEventInput).optional(),
  secret: str,
  status,
});
export const ListWebhooks = z.object({ max_results: int32.optional(), page_token: str });
/** A request whose only input is the path's `webhook_id` (the reference reads no body). */
export const WebhookPathOnly = z.object({});
/** A field present in the body is set (an empty description or secret clears it); absent ones are kept. */
export const UpdateWebhook = CreateWebhook;
export const TestWebhook = z.object({ event: WebhookEventInput.optional() });

export const WebhookResponse = z.object({ webhook: Webhook });
export const ListWebhooksResponse = z.object({
  webhooks: z.array(Webhook).optional(),
  next_page_token: z.string().optional(),
});
export const TestWebhookResponse = z.object({ result: WebhookTestResult });

// What a delivery carries: `{entity, action, timestamp, data}` with one of these as `data`.
const name = z.string();
const tags = z.record(z.string(), z.string());

/** The `data` of each event. @see mlflow/webhooks/types.py */
export const WEBHOOK_PAYLOADS = {
  "registered_model.created": z.object({ name, tags, description: z.string().nullable() }),
  "model_version.created": z.object({
    name,
    version: z.string(),
    source: z.string(),
    run_id: z.string().nullable(),
    tags,
    description: z.string().nullable(),
  }),
  "model_version_tag.set": z.object({ name, version: z.string(), key: z.string(), value: z.string() }),
  "model_version_tag.deleted": z.object({ name, version: z.string(), key: z.string() }),
  "model_version_alias.created": z.object({ name, alias: z.string(), version: z.string() }),
  "model_version_alias.deleted": z.object({ name, alias: z.string() }),
  "prompt.created": z.object({ name, tags, description: z.string().nullable() }),
  "prompt_version.created": z.object({
    name,
    version: z.string(),
    template: z.string().nullable(),
    tags,
    description: z.string().nullable(),
  }),
  "prompt_tag.set": z.object({ name, key: z.string(), value: z.string() }),
  "prompt_tag.deleted": z.object({ name, key: z.string() }),
  "prompt_version_tag.set": z.object({ name, version: z.string(), key: z.string(), value: z.string() }),
  "prompt_version_tag.deleted": z.object({ name, version: z.string(), key: z.string() }),
  "prompt_alias.created": z.object({ name, alias: z.string(), version: z.string() }),
  "prompt_alias.deleted": z.object({ name, alias: z.string() }),
  "budget_policy.exceeded": z.object({
    budget_policy_id: z.string(),
    budget_unit: z.string(),
    budget_amount: z.number(),
    current_spend: z.number(),
    duration_unit: z.string(),
    duration_value: z.number(),
    target_scope: z.string(),
    workspace: z.string(),
    target_value: z.string().nullable(),
    window_start: z.number(),
  }),
} as const satisfies Record<WebhookEventName, z.ZodType>;

export type WebhookPayloadOf<E extends WebhookEventName> = z.infer<(typeof WEBHOOK_PAYLOADS)[E]>;

/** The JSON body of one delivery. */
export const WebhookDelivery = z.object({
  entity: z.enum(WEBHOOK_ENTITIES),
  action: z.enum(WEBHOOK_ACTIONS),
  /** ISO 8601 in UTC with microseconds, as Python's `datetime.isoformat()` writes it. */
  timestamp: z.string(),
  data: z.record(z.string(), z.unknown()),
});

/** The headers of a delivery; the signature is there only when the webhook has a secret. */
export const WEBHOOK_HEADERS = {
  deliveryId: "X-MLflow-Delivery-Id",
  timestamp: "X-MLflow-Timestamp",
  signature: "X-MLflow-Signature",
} as const;

/** The scheme tag of `X-MLflow-Signature: v1,<base64 HMAC-SHA256>`. */
export const WEBHOOK_SIGNATURE_VERSION = "v1";
