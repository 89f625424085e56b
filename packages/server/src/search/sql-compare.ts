import type { Comparator } from "./identifiers.js";
import type { SqlArg } from "./keyset.js";

/**
 * SQL for one comparison, with every user value bound. SQLite's LIKE ignores ASCII case, while the reference runs
 * SQLite with `PRAGMA case_sensitive_like = true` (LIKE exact, ILIKE as `lower(x) LIKE lower(y)`); GLOB with the
 * pattern translated gives exactly that without touching the connection's pragmas.
 */

export const MAX_DOUBLE = 1.7976931348623157e308;

/**
 * The reference stores ±Infinity metric values as ±MAX_DOUBLE; tracklite stores real infinities. Comparing and
 * sorting through this clamp makes both behave alike (`metrics.m = 1e999` matches nothing, `< 1e999` matches +Inf).
 */
export const clampDouble = (expr: string) => `MAX(MIN(${expr}, ${MAX_DOUBLE}), -${MAX_DOUBLE})`;

/** A number as SQL: bound, except ±Infinity, which libSQL cannot bind and SQLite reads from 9e999. */
export function numberSql(n: number, args: SqlArg[]): string {
  if (n === Number.POSITIVE_INFINITY) return "9e999";
  if (n === Number.NEGATIVE_INFINITY) return "-9e999";
  args.push(n);
  return "?";
}

/** A LIKE pattern (`%`, `_`, no escape character) as the equivalent case-sensitive GLOB pattern. */
export function likeToGlob(pattern: string): string {
  let out = "";
  for (const ch of pattern) {
    if (ch === "%") out += "*";
    else if (ch === "_") out += "?";
    else if (ch === "*" || ch === "?" || ch === "[") out += `[${ch}]`;
    else out += ch;
  }
  return out;
}

/** `?, ?, ?`: one SQL parameter per value. */
export const placeholders = (values: readonly unknown[]) => values.map(() => "?").join(", ");

/** `expr <op> value` for the string comparators (=, !=, LIKE, ILIKE, IN, NOT IN). */
export function stringComparison(
  expr: string,
  comparator: Comparator,
  value: string | number | readonly (string | number)[],
  args: SqlArg[],
): string {
  if (Array.isArray(value)) {
    args.push(...value);
    return `${expr} ${comparator === "NOT IN" ? "NOT IN" : "IN"} (${placeholders(value)})`;
  }
  const v = value as string | number;
  switch (comparator) {
    case "LIKE":
      args.push(likeToGlob(String(v)));
      return `${expr} GLOB ?`;
    case "ILIKE":
      args.push(likeToGlob(String(v)));
      return `lower(${expr}) GLOB lower(?)`;
    default:
      args.push(v);
      return `${expr} ${comparator} ?`;
  }
}

/** `expr <op> value` for the numeric comparators (=, !=, <, <=, >, >=). */
export function numericComparison(expr: string, comparator: Comparator, value: number, args: SqlArg[]): string {
  return `${expr} ${comparator} ${numberSql(value, args)}`;
}

/**
 * A metric comparison on latest_metrics `m`: NaN is stored as 0 with is_nan = 1 and must only satisfy `!=`; values at
 * or beyond ±MAX_DOUBLE compare through {@link clampDouble}, other values use the plain (indexable) column.
 * @see sqlalchemy_store.py _get_sqlalchemy_filter_clauses ("NaN metrics are stored as value=0 with is_nan=True")
 */
export function metricComparison(alias: string, comparator: Comparator, value: number, args: SqlArg[]): string {
  const column = Math.abs(value) >= MAX_DOUBLE ? clampDouble(`${alias}.value`) : `${alias}.value`;
  const test = numericComparison(column, comparator, value, args);
  return comparator === "!=" ? `(${test} OR ${alias}.is_nan = 1)` : `${test} AND ${alias}.is_nan = 0`;
}
