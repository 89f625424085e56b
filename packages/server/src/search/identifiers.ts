import { invalidParameter } from "../errors.js";
import { pySet } from "./python-compat.js";

/**
 * What a search identifier like `metrics.\`val loss\`` names: an entity type and a key. The reference splits the
 * identifier's source text at its first dot and strips quotes from each half; this does the same, on the same text,
 * so odd spellings (`"metrics".x`, `` `attributes.status` ``) fail or succeed as they do there.
 * @see mlflow/utils/search_utils.py SearchUtils._get_identifier, SearchExperimentsUtils._get_identifier
 */

export const ENTITY = {
  metric: "metric",
  parameter: "parameter",
  tag: "tag",
  attribute: "attribute",
  dataset: "dataset",
} as const;
export type EntityType = (typeof ENTITY)[keyof typeof ENTITY];

export type Comparator =
  | "="
  | "!="
  | ">"
  | ">="
  | "<"
  | "<="
  | "LIKE"
  | "ILIKE"
  | "IN"
  | "NOT IN"
  | "IS NULL"
  | "IS NOT NULL";

/** One AND-ed condition of a filter, validated and normalised (upper-case comparator, key aliases resolved). */
export interface FilterClause {
  type: EntityType;
  key: string;
  comparator: Comparator;
  /**
   * A number for metrics and numeric attributes (and experiment ids), a list for IN / NOT IN, null for
   * IS [NOT] NULL, a string otherwise.
   */
  value: string | number | readonly string[] | readonly number[] | null;
}

export interface Identifier {
  type: EntityType;
  key: string;
}

const ENTITY_ALIASES: Record<string, EntityType> = {
  metric: "metric",
  metrics: "metric",
  parameter: "parameter",
  parameters: "parameter",
  param: "parameter",
  params: "parameter",
  tag: "tag",
  tags: "tag",
  attribute: "attribute",
  attributes: "attribute",
  attr: "attribute",
  run: "attribute",
  dataset: "dataset",
  datasets: "dataset",
};

/** Runs' attribute keys, in the reference's declaration order (its messages print a set, whose order is random). */
export const RUN_ORDER_BY_ATTRIBUTES = [
  "artifact_uri",
  "end_time",
  "run_id",
  "run_name",
  "start_time",
  "status",
  "user_id",
  "created",
  "Created",
] as const;
export const RUN_SEARCH_ATTRIBUTES = [...RUN_ORDER_BY_ATTRIBUTES, "run name", "Run name", "Run Name"] as const;
export const RUN_NUMERIC_ATTRIBUTES: ReadonlySet<string> = new Set(["start_time", "end_time", "created", "Created"]);
export const DATASET_KEYS = ["context", "digest", "name"] as const;
export const EXPERIMENT_ATTRIBUTES = ["creation_time", "experiment_id", "last_update_time", "name"] as const;

/** `created` means start_time and `run name` means run_name, in filters and in order_by. */
export function translateRunKeyAlias(key: string): string {
  if (key === "created" || key === "Created") return "start_time";
  if (key === "run name" || key === "Run name" || key === "Run Name") return "run_name";
  return key;
}

const isQuoted = (s: string, q: string) => s.length >= 2 && s.startsWith(q) && s.endsWith(q);

export function trimBackticks(s: string): string {
  return isQuoted(s, "`") ? s.slice(1, -1) : s;
}

/** Removes one pair of surrounding single or double quotes; string values must have them. */
export function stripQuotes(value: string, expectQuoted = false): string {
  if (isQuoted(value, "'") || isQuoted(value, '"')) return value.slice(1, -1);
  if (expectQuoted) {
    throw invalidParameter(
      `Parameter value is either not quoted or unidentified quote types used for string value ${value}. Use either single or double quotes.`,
    );
  }
  return value;
}

/** `entity.key` split at the first dot; a bare key is an attribute. */
function split(text: string): { entity: string | undefined; key: string } {
  const dot = text.indexOf(".");
  return dot < 0 ? { entity: undefined, key: text } : { entity: text.slice(0, dot), key: text.slice(dot + 1) };
}

function checkAttribute(key: string, valid: readonly string[]): void {
  if (!valid.includes(key)) {
    throw invalidParameter(`Invalid attribute key '${key}' specified. Valid keys are '${pySet(valid)}'`);
  }
}

/** Resolves a runs identifier (filter or order_by) against the given attribute keys. */
export function resolveRunIdentifier(text: string, validAttributes: readonly string[]): Identifier {
  const { entity, key: rawKey } = split(text);
  const name = trimBackticks(entity ?? "attribute");
  const type = Object.hasOwn(ENTITY_ALIASES, name) ? ENTITY_ALIASES[name] : undefined;
  if (!type) {
    throw invalidParameter(
      `Invalid entity type '${name}'. Valid values are ['metric', 'parameter', 'tag', 'attribute', 'dataset']`,
    );
  }
  const key = trimBackticks(stripQuotes(rawKey));
  if (type === ENTITY.attribute) checkAttribute(key, validAttributes);
  if (type === ENTITY.dataset && !(DATASET_KEYS as readonly string[]).includes(key)) {
    throw invalidParameter(`Invalid dataset key '${key}' specified. Valid keys are '${pySet(DATASET_KEYS)}'`);
  }
  return { type, key };
}

/** Resolves an experiments identifier: only `attribute.`, `tag.` and `tags.` prefixes exist there. */
export function resolveExperimentIdentifier(text: string, validAttributes: readonly string[]): Identifier {
  const { entity, key: rawKey } = split(text);
  let type: EntityType = ENTITY.attribute;
  if (entity !== undefined) {
    if (entity !== "attribute" && entity !== "tag" && entity !== "tags") {
      throw invalidParameter(`Invalid entity type '${entity}'. Valid entity types are ('attribute', 'tag', 'tags')`);
    }
    type = entity === "attribute" ? ENTITY.attribute : ENTITY.tag;
  }
  const key = trimBackticks(stripQuotes(rawKey));
  if (type === ENTITY.attribute) checkAttribute(key, validAttributes);
  return { type, key };
}
