import { invalidParameter } from "../errors.js";
import { type Draft, requireIdentifier } from "./comparators.js";
import { type FilterGrammar, parseFilter } from "./filter-parser.js";
import { type Comparator, ENTITY, type FilterClause, type Identifier } from "./identifiers.js";
import { parseOrderByString } from "./order-by.js";
import { pyFloat, pyStr } from "./python-compat.js";
import { readValue } from "./values.js";

/**
 * The evaluation-datasets filter and order_by grammar (`name LIKE 'qa%' AND tags.team = 'ml' AND created_time > 0`).
 * Identifiers are split at their first dot with no quote stripping: a bare name is an attribute, `tags.<key>` a tag.
 * Comparisons are parsed first, then each is checked as the reference's SQL builder checks it.
 * @see mlflow/utils/search_utils.py SearchEvaluationDatasetsUtils
 * @see mlflow/store/tracking/sqlalchemy_store.py _get_search_datasets_filter_clauses, _get_search_datasets_order_by_clauses
 */

/** The reference prints these as Python sets, whose order varies per process; this is one order it prints. */
const SEARCH_ATTRIBUTES = ["created_time", "created_by", "name", "last_updated_by", "last_update_time"] as const;
const ORDER_BY_ATTRIBUTES = ["created_time", "last_update_time", "name"] as const;
export const DATASET_NUMERIC_ATTRIBUTES: ReadonlySet<string> = new Set(["created_time", "last_update_time"]);
const VALUE_RULES = { numericAttributes: DATASET_NUMERIC_ATTRIBUTES, listKeys: ["name"] };
const STRING_ATTRIBUTE_COMPARATORS = ["!=", "=", "LIKE", "ILIKE", "IN", "NOT IN"];
const EQUALITY_OR_PATTERN = ["=", "!=", "LIKE", "ILIKE"];
const NUMERIC_COMPARATORS = [">", ">=", "!=", "=", "<", "<="];
/** Comparators the reference's SQL builder knows; `name > 'a'` passes its checks and compares as text. */
const SQL_COMPARATORS = [...NUMERIC_COMPARATORS, "LIKE", "ILIKE", "IN", "NOT IN"];

const pySetText = (items: readonly string[]) => `{${items.map((i) => `'${i}'`).join(", ")}}`;

/** `name` is an attribute, `tags.team` a tag; other prefixes are refused. @see _get_identifier */
function identifierOf(text: string, validAttributes: readonly string[]): Identifier {
  const dot = text.indexOf(".");
  if (dot < 0) {
    if (!validAttributes.includes(text)) {
      throw invalidParameter(
        `Invalid attribute key '${text}' specified. Valid keys are: ${pySetText(validAttributes)}`,
      );
    }
    return { type: ENTITY.attribute, key: text };
  }
  const prefix = text.slice(0, dot);
  if (prefix !== "tags") throw invalidParameter(`Invalid identifier token '${prefix}' specified`);
  return { type: ENTITY.tag, key: text.slice(dot + 1) };
}

function validateAttribute(d: Draft): FilterClause["value"] {
  const { key, comparator, value } = d;
  if (DATASET_NUMERIC_ATTRIBUTES.has(key)) {
    if (!NUMERIC_COMPARATORS.includes(comparator)) {
      throw invalidParameter(`Invalid comparator for numeric attribute: ${comparator}`);
    }
    if (value?.kind === "number" && value.float) {
      throw invalidParameter(`Invalid value for numeric attribute '${key}': ${pyStr(pyFloat(value.value))}`);
    }
    return value?.value ?? null;
  }
  if (
    STRING_ATTRIBUTE_COMPARATORS.includes(comparator) &&
    !EQUALITY_OR_PATTERN.includes(comparator) &&
    !(key === "name" && comparator === "IN")
  ) {
    throw invalidParameter(`Invalid comparator for string attribute: ${comparator}`);
  }
  // Anything else the reference hands to SQLAlchemy, which has no operator for it.
  if (!SQL_COMPARATORS.includes(comparator)) {
    throw invalidParameter(`Invalid comparator for string attribute: ${comparator}`);
  }
  return value?.value ?? null;
}

export const DATASET_FILTER_GRAMMAR: FilterGrammar<Draft, FilterClause> = {
  quoteInvalidClauses: false,
  parse(c) {
    requireIdentifier(c);
    const { type, key } = identifierOf(c.left.text, SEARCH_ATTRIBUTES);
    if (!c.value) {
      if (type !== ENTITY.tag) {
        throw invalidParameter(
          `IS NULL / IS NOT NULL is only supported for tags and params, not for '${type}' '${key}'`,
        );
      }
      return { type, key, comparator: c.comparator.toUpperCase(), value: null };
    }
    const value = readValue(type, key, c.value, VALUE_RULES);
    if (value.kind === "list" && c.comparator !== "IN") {
      throw invalidParameter(`List values for '${key}' are only supported with the IN comparator.`);
    }
    return { type, key, comparator: c.comparator, value };
  },
  validate(d) {
    if (d.type === ENTITY.attribute) {
      return { type: d.type, key: d.key, comparator: d.comparator as Comparator, value: validateAttribute(d) };
    }
    if (!EQUALITY_OR_PATTERN.includes(d.comparator)) {
      throw invalidParameter(`Invalid comparator for tag: ${d.comparator}`);
    }
    return { type: d.type, key: d.key, comparator: d.comparator as Comparator, value: d.value?.value ?? null };
  },
};

/** Parses a datasets filter into validated clauses. */
export function parseDatasetFilter(filter: string | undefined): FilterClause[] {
  return parseFilter(filter, DATASET_FILTER_GRAMMAR);
}

export interface DatasetOrderTerm {
  column: "name" | "created_time" | "last_update_time" | "dataset_id";
  ascending: boolean;
}

/** The order_by terms, `created_time DESC` by default, with `dataset_id DESC` as the tie-breaker. */
export function parseDatasetOrderBy(clauses: readonly string[] | undefined): DatasetOrderTerm[] {
  const list = clauses && clauses.length > 0 ? clauses : ["created_time DESC"];
  const terms: DatasetOrderTerm[] = list.map((clause) => {
    const { identifier, ascending } = parseOrderByString(clause);
    const { type, key } = identifierOf(identifier.trim(), ORDER_BY_ATTRIBUTES);
    if (type !== ENTITY.attribute) throw invalidParameter(`Invalid order_by entity: ${type}`);
    return { column: key as DatasetOrderTerm["column"], ascending };
  });
  terms.push({ column: "dataset_id", ascending: false });
  return terms;
}
