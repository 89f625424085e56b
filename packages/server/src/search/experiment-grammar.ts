import { invalidParameter } from "../errors.js";
import {
  type Draft,
  invalidComparator,
  listNeedsIn,
  NUMERIC_ATTRIBUTE_COMPARATORS,
  requireIdentifier,
  STRING_ATTRIBUTE_COMPARATORS,
} from "./comparators.js";
import { type FilterGrammar, parseFilter } from "./filter-parser.js";
import {
  type Comparator,
  ENTITY,
  EXPERIMENT_ATTRIBUTES,
  type FilterClause,
  resolveExperimentIdentifier,
} from "./identifiers.js";
import { pyFloat, pyInt, pyStr } from "./python-compat.js";
import { readValue } from "./values.js";

/**
 * The experiments filter grammar (`name LIKE 'prod-%' AND tags.team = 'ml'`). Unlike runs, the reference does not
 * upper-case comparators here, so `name like 'x'` is refused.
 * @see mlflow/utils/search_utils.py SearchExperimentsUtils and
 *   mlflow/store/tracking/sqlalchemy_store.py _get_search_experiments_filter_clauses
 */

const NUMERIC_ATTRIBUTES: ReadonlySet<string> = new Set(["creation_time", "last_update_time"]);
const VALUE_RULES = { numericAttributes: NUMERIC_ATTRIBUTES, listKeys: ["experiment_id"] };
const EQUALITY_OR_PATTERN = ["=", "!=", "LIKE", "ILIKE"];

function experimentId(value: string): number {
  const id = pyInt(value);
  if (id === undefined) {
    throw invalidParameter(`Invalid experiment ID '${value}'. Experiment ID must be a valid integer.`);
  }
  return id;
}

function validateAttribute(d: Draft): FilterClause["value"] {
  const { key, comparator, value } = d;
  if (key === "experiment_id") {
    if (!["=", "!=", "IN", "NOT IN"].includes(comparator)) {
      throw invalidParameter(`Invalid comparator for experiment_id: ${comparator}`);
    }
    if (value?.kind === "list") return value.value.map(experimentId);
    return experimentId(String(value?.value));
  }
  if (!NUMERIC_ATTRIBUTES.has(key)) {
    if (!(STRING_ATTRIBUTE_COMPARATORS as readonly string[]).includes(comparator)) {
      throw invalidComparator(comparator, STRING_ATTRIBUTE_COMPARATORS, true);
    }
    if (!EQUALITY_OR_PATTERN.includes(comparator)) {
      throw invalidParameter(`Invalid comparator for string attribute: ${comparator}`);
    }
    return value?.value ?? null;
  }
  if (!(NUMERIC_ATTRIBUTE_COMPARATORS as readonly string[]).includes(comparator)) {
    throw invalidComparator(comparator, STRING_ATTRIBUTE_COMPARATORS, false);
  }
  if (value?.kind === "number" && value.float) {
    throw invalidParameter(`Invalid value for numeric attribute '${key}': ${pyStr(pyFloat(value.value))}`);
  }
  return value?.value ?? null;
}

export const EXPERIMENT_FILTER_GRAMMAR: FilterGrammar<Draft, FilterClause> = {
  quoteInvalidClauses: false,
  parse(c) {
    requireIdentifier(c);
    const { type, key } = resolveExperimentIdentifier(c.left.text, EXPERIMENT_ATTRIBUTES);
    if (!c.value) {
      if (type !== ENTITY.tag) {
        throw invalidParameter(`IS NULL / IS NOT NULL is only supported for tags, not for attribute '${key}'`);
      }
      return { type, key, comparator: c.comparator.toUpperCase(), value: null };
    }
    return { type, key, comparator: c.comparator, value: readValue(type, key, c.value, VALUE_RULES) };
  },
  validate(d) {
    let value: FilterClause["value"];
    if (d.type === ENTITY.attribute) {
      value = validateAttribute(d);
    } else {
      if (d.comparator !== "IS NULL" && d.comparator !== "IS NOT NULL" && !EQUALITY_OR_PATTERN.includes(d.comparator)) {
        throw invalidParameter(`Invalid comparator for tag: ${d.comparator}`);
      }
      value = d.value?.value ?? null;
    }
    listNeedsIn(d.comparator, d.value);
    return { type: d.type, key: d.key, comparator: d.comparator as Comparator, value };
  },
};

/** Parses an experiments filter into validated clauses. */
export function parseExperimentFilter(filter: string | undefined): FilterClause[] {
  return parseFilter(filter, EXPERIMENT_FILTER_GRAMMAR);
}
