import { invalidParameter } from "../errors.js";
import { pyList, pyStr } from "../search/python-compat.js";

/**
 * The rules of review queues' names, users, schema ids and items, with the reference's messages and normalisation
 * (users lower-cased and stripped, ids stripped, lists de-duplicated in order).
 * @see mlflow/genai/review_queues/validation.py
 */

export const USER_MAX_LENGTH = 250;
const QUEUE_NAME_MAX_LENGTH = 250;
const SCHEMA_ID_MAX_LENGTH = 36;
const ITEM_ID_MAX_LENGTH = 50;
const MAX_ASSIGNED_USERS = 10;
/** Reserved (case-insensitively) for the no-auth default user queue. */
const RESERVED_QUEUE_NAME = "default";

const length = (s: string) => [...s].length;

function nonEmpty(value: string, field: string, max: number): void {
  if (value.length === 0) throw invalidParameter(`\`${field}\` must be a non-empty string; got ${pyStr(value)}.`);
  if (length(value) > max)
    throw invalidParameter(`\`${field}\` must be at most ${max} characters; got ${length(value)}.`);
}

/** Python's `str.strip()` (whitespace as Python counts it, which `trim` matches for the usual characters). */
const strip = (s: string) => s.trim();
const dedup = (values: string[]) => [...new Set(values)];

export const normalizeUser = (user: string) => strip(user).toLowerCase();

export function normalizeUsers(users: readonly string[]): string[] {
  const out = dedup(
    users.map((u) => {
      const n = normalizeUser(u);
      nonEmpty(n, "user", USER_MAX_LENGTH);
      return n;
    }),
  );
  if (out.length > MAX_ASSIGNED_USERS)
    throw invalidParameter(`A review queue can have at most ${MAX_ASSIGNED_USERS} assigned users; got ${out.length}.`);
  return out;
}

export function normalizeSchemaIds(ids: readonly string[]): string[] {
  return dedup(
    ids.map((id) => {
      const n = strip(id);
      nonEmpty(n, "schema_id", SCHEMA_ID_MAX_LENGTH);
      return n;
    }),
  );
}

/** A custom queue's name: stripped, case kept, not the reserved one. Shared by create and rename. */
export function validateCustomQueueName(name: string): string {
  const n = strip(name);
  nonEmpty(n, "name", QUEUE_NAME_MAX_LENGTH);
  if (n.toLowerCase() === RESERVED_QUEUE_NAME)
    throw invalidParameter(`\`${n}\` is a reserved queue name and cannot be used for a custom queue.`);
  return n;
}

/** A new owner: stripped, case kept. */
export function validateQueueOwner(owner: string): string {
  const n = strip(owner);
  nonEmpty(n, "new_owner", USER_MAX_LENGTH);
  return n;
}

export interface ValidatedQueue {
  queueType: "user" | "custom";
  name: string;
  users: string[];
  schemaIds: string[];
}

/** A queue about to be created: a USER queue is its one user's, with no schemas; a CUSTOM one has a free name. */
export function validateQueueForCreate(
  name: string,
  queueType: "user" | "custom",
  users: readonly string[],
  schemaIds: readonly string[],
): ValidatedQueue {
  let normalizedUsers = normalizeUsers(users);
  const normalizedSchemaIds = normalizeSchemaIds(schemaIds);
  if (queueType === "user") {
    const n = normalizeUser(name);
    nonEmpty(n, "name", QUEUE_NAME_MAX_LENGTH);
    if (normalizedUsers.length === 0) normalizedUsers = [n];
    else if (normalizedUsers.length !== 1 || normalizedUsers[0] !== n)
      throw invalidParameter(
        "A user queue must have exactly one assigned user equal to its name; " +
          `got name=${pyStr(n)} and users=${pyList(normalizedUsers)}.`,
      );
    if (normalizedSchemaIds.length > 0)
      throw invalidParameter(
        "A user queue cannot have explicitly-attached schemas; it resolves to all of the experiment's label schemas.",
      );
    return { queueType, name: n, users: normalizedUsers, schemaIds: [] };
  }
  return { queueType, name: validateCustomQueueName(name), users: normalizedUsers, schemaIds: normalizedSchemaIds };
}

/** A batch of item ids to attach or detach: non-empty, each stripped and valid, de-duplicated. */
export function validateItemIds(itemIds: readonly string[]): string[] {
  if (itemIds.length === 0) throw invalidParameter("`item_ids` must be a non-empty list; got [].");
  return dedup(
    itemIds.map((id) => {
      const n = strip(id);
      nonEmpty(n, "item_id", ITEM_ID_MAX_LENGTH);
      return n;
    }),
  );
}
