import { invalidParameter, MlflowError } from "../errors.js";
import type { RawComparison } from "./filter-parser.js";
import type { EntityType } from "./identifiers.js";
import { pySet } from "./python-compat.js";
import type { DraftValue } from "./values.js";

/**
 * What the grammars share about comparisons: the reference's comparator sets and the checks (and messages) it makes
 * on every comparison, whatever the resource searched.
 * @see mlflow/utils/search_utils.py SearchUtils.VALID_*_COMPARATORS, _validate_comparison
 */

// The reference's comparator sets, in declaration order; its messages print them as Python sets.
export const METRIC_COMPARATORS = [">", ">=", "!=", "=", "<", "<="] as const;
export const PARAM_COMPARATORS = ["!=", "=", "LIKE", "ILIKE", "IS NULL", "IS NOT NULL"] as const;
export const STRING_ATTRIBUTE_COMPARATORS = ["!=", "=", "LIKE", "ILIKE", "IN", "NOT IN"] as const;
export const DATASET_COMPARATORS = STRING_ATTRIBUTE_COMPARATORS;
export const NUMERIC_ATTRIBUTE_COMPARATORS = METRIC_COMPARATORS;

/** A comparison as parsed, before the comparator is checked against the entity. */
export interface Draft {
  type: EntityType;
  key: string;
  comparator: string;
  value: DraftValue | null;
}

/** The "Invalid comparison clause" check the reference makes before reading a comparison. */
export function requireIdentifier(c: RawComparison): void {
  if (c.left.kind !== "ident") {
    throw invalidParameter(`Invalid comparison clause. Expected 'Identifier' found '${c.left.text}'`);
  }
}

/** "Invalid comparator 'x' not one of '{...}'" – with or without the closing quote, as each reference message has it. */
export function invalidComparator(comparator: string, allowed: readonly string[], closingQuote: boolean): MlflowError {
  return invalidParameter(`Invalid comparator '${comparator}' not one of '${pySet(allowed)}${closingQuote ? "'" : ""}`);
}

/** A list compared with `=`, `LIKE`, ...: the reference hands the tuple to the database driver, which refuses it. */
export function listNeedsIn(comparator: string, value: DraftValue | null): void {
  if (value?.kind === "list" && comparator !== "IN" && comparator !== "NOT IN") {
    throw new MlflowError(
      `Error binding parameter: a list of values can only be compared with IN or NOT IN, not '${comparator}'`,
      "BAD_REQUEST",
    );
  }
}
