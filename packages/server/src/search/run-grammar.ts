import { invalidParameter } from "../errors.js";
import {
  DATASET_COMPARATORS,
  type Draft,
  invalidComparator,
  listNeedsIn,
  METRIC_COMPARATORS,
  NUMERIC_ATTRIBUTE_COMPARATORS,
  PARAM_COMPARATORS,
  requireIdentifier,
  STRING_ATTRIBUTE_COMPARATORS,
} from "./comparators.js";
import { type FilterGrammar, parseFilter } from "./filter-parser.js";
import {
  type Comparator,
  ENTITY,
  type EntityType,
  type FilterClause,
  RUN_NUMERIC_ATTRIBUTES,
  RUN_SEARCH_ATTRIBUTES,
  resolveRunIdentifier,
  translateRunKeyAlias,
} from "./identifiers.js";
import { readValue } from "./values.js";

/**
 * The runs filter grammar (`metrics.acc > 0.9 AND params.model = 'cnn'`).
 * @see mlflow/utils/search_utils.py SearchUtils (parse) and
 *   mlflow/store/tracking/sqlalchemy_store.py _get_sqlalchemy_filter_clauses (the comparator checks)
 */

function checkComparator(type: EntityType, key: string, comparator: string): void {
  const allowed = (list: readonly string[]) => list.includes(comparator);
  switch (type) {
    case ENTITY.attribute:
      if (RUN_NUMERIC_ATTRIBUTES.has(key)) {
        // The reference lists the string comparators here, and drops the closing quote.
        if (!allowed(NUMERIC_ATTRIBUTE_COMPARATORS))
          throw invalidComparator(comparator, STRING_ATTRIBUTE_COMPARATORS, false);
      } else if (!allowed(STRING_ATTRIBUTE_COMPARATORS)) {
        throw invalidComparator(comparator, STRING_ATTRIBUTE_COMPARATORS, true);
      }
      return;
    case ENTITY.metric:
      if (!allowed(METRIC_COMPARATORS)) throw invalidComparator(comparator, METRIC_COMPARATORS, false);
      return;
    case ENTITY.parameter:
      if (!allowed(PARAM_COMPARATORS)) throw invalidComparator(comparator, PARAM_COMPARATORS, true);
      return;
    case ENTITY.tag:
      if (!allowed(PARAM_COMPARATORS)) throw invalidComparator(comparator, PARAM_COMPARATORS, false);
      return;
    case ENTITY.dataset:
      if (!allowed(DATASET_COMPARATORS)) throw invalidComparator(comparator, DATASET_COMPARATORS, false);
      return;
  }
}

const RUN_VALUE_RULES = { numericAttributes: RUN_NUMERIC_ATTRIBUTES, listKeys: ["run_id"] };

export const RUN_FILTER_GRAMMAR: FilterGrammar<Draft, FilterClause> = {
  quoteInvalidClauses: true,
  parse(c) {
    requireIdentifier(c);
    const { type, key } = resolveRunIdentifier(c.left.text, RUN_SEARCH_ATTRIBUTES);
    if (!c.value) {
      if (type !== ENTITY.tag && type !== ENTITY.parameter) {
        throw invalidParameter(
          `IS NULL / IS NOT NULL is only supported for tags and params, not for '${type}' '${key}'`,
        );
      }
      return { type, key, comparator: c.comparator.toUpperCase(), value: null };
    }
    return { type, key, comparator: c.comparator, value: readValue(type, key, c.value, RUN_VALUE_RULES) };
  },
  validate(d) {
    const comparator = d.comparator.toUpperCase();
    const key = translateRunKeyAlias(d.key);
    checkComparator(d.type, key, comparator);
    listNeedsIn(comparator, d.value);
    return { type: d.type, key, comparator: comparator as Comparator, value: d.value?.value ?? null };
  },
};

/** Parses a runs filter into validated clauses (keys with aliases resolved, comparators upper-cased). */
export function parseRunFilter(filter: string | undefined): FilterClause[] {
  return parseFilter(filter, RUN_FILTER_GRAMMAR);
}
