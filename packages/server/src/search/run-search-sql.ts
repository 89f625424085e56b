import { sqlList } from "../sql/in-list.js";
import { type CompiledSearch, LIFECYCLE_STAGES, limitOf, type ViewType } from "./compiled-search.js";
import { parseDrafts } from "./filter-parser.js";
import type { FilterClause } from "./identifiers.js";
import {
  afterRow,
  decodePageToken,
  encodePageToken,
  orderByKeys,
  type SortKey,
  type SqlArg,
  selectKeys,
} from "./keyset.js";
import { type OrderByTerm, parseRunOrderBy } from "./order-by.js";
import { RUN_FILTER_GRAMMAR } from "./run-grammar.js";
import { clampDouble, metricComparison, numericComparison, stringComparison } from "./sql-compare.js";

/**
 * Compiles a runs search (filter, order_by, view type, page) into one SQL statement over `runs r`.
 * @see mlflow/store/tracking/sqlalchemy_store.py SqlAlchemyStore._search_runs, _get_sqlalchemy_filter_clauses,
 *   _get_orderby_clauses
 */

export interface RunSearchQuery {
  experimentIds: number[];
  filter?: string;
  orderBy?: string[];
  viewType: ViewType;
  maxResults: number;
  pageToken?: string;
}

/** Runs attributes as columns of `runs r`; run_name filters go through the mlflow.runName tag instead. */
const COLUMNS: Record<string, { column: string; type: "number" | "text"; nullable?: true }> = {
  run_id: { column: "r.run_uuid", type: "text" },
  run_name: { column: "r.name", type: "text" },
  status: { column: "r.status", type: "text" },
  user_id: { column: "r.user_id", type: "text" },
  artifact_uri: { column: "r.artifact_uri", type: "text" },
  start_time: { column: "r.start_time", type: "number" },
  end_time: { column: "r.end_time", type: "number", nullable: true },
};

const TABLES = { metric: "latest_metrics", parameter: "params", tag: "tags" } as const;
const RUN_NAME_TAG = "mlflow.runName";
const DATASET_CONTEXT_TAG = "mlflow.data.context";

/** The SQL condition for one clause; `IS NULL`, `!=` and the rest are false when the run lacks the key. */
function clauseSql(c: FilterClause, args: SqlArg[]): string {
  const exists = (table: string, key: string, test?: (alias: string) => string) => {
    args.push(key);
    const cond = test ? ` AND ${test("f")}` : "";
    return `EXISTS (SELECT 1 FROM ${table} f WHERE f.run_id = r.id AND f.key = ?${cond})`;
  };
  const value = c.value as string | number | readonly string[];
  switch (c.type) {
    case "attribute": {
      if (c.key === "run_name")
        return exists("tags", RUN_NAME_TAG, (f) => stringComparison(`${f}.value`, c.comparator, value, args));
      const col = COLUMNS[c.key] as (typeof COLUMNS)[string];
      return col.type === "number"
        ? numericComparison(col.column, c.comparator, value as number, args)
        : stringComparison(col.column, c.comparator, value, args);
    }
    case "metric":
      return exists(TABLES.metric, c.key, (f) => metricComparison(f, c.comparator, value as number, args));
    case "parameter":
    case "tag":
      if (c.comparator === "IS NULL") return `NOT ${exists(TABLES[c.type], c.key)}`;
      if (c.comparator === "IS NOT NULL") return exists(TABLES[c.type], c.key);
      return exists(TABLES[c.type], c.key, (f) => stringComparison(`${f}.value`, c.comparator, value, args));
    case "dataset":
      if (c.key === "context") {
        args.push(DATASET_CONTEXT_TAG);
        const test = stringComparison("t.value", c.comparator, value, args);
        return `EXISTS (SELECT 1 FROM run_dataset_input_tags t JOIN run_dataset_inputs i ON i.run_id = t.run_id AND i.dataset_id = t.dataset_id WHERE t.run_id = r.id AND t.key = ? AND ${test})`;
      }
      return `EXISTS (SELECT 1 FROM run_dataset_inputs i JOIN datasets d ON d.id = i.dataset_id WHERE i.run_id = r.id AND ${stringComparison(`d.${c.key}`, c.comparator, value, args)})`;
  }
}

/**
 * The sort keys for the order_by terms followed by the reference's tie-breakers (start_time DESC unless sorted on,
 * then run_uuid), each term as (missing-or-NaN flag ascending, value): missing values last in both directions, and
 * NaN metrics after all numbers but before missing ones, as the reference's CASE expressions put them.
 */
function sortKeys(terms: OrderByTerm[], joins: string[], joinArgs: SqlArg[]): SortKey[] {
  const keys: SortKey[] = [];
  terms.forEach((t, i) => {
    const descending = !t.ascending;
    if (t.type === "attribute") {
      const col = COLUMNS[t.key] as (typeof COLUMNS)[string];
      if (col.nullable) {
        keys.push({ expr: `(${col.column} IS NULL)`, descending: false, type: "number" });
        keys.push({ expr: `COALESCE(${col.column}, 0)`, descending, type: col.type });
      } else keys.push({ expr: col.column, descending, type: col.type });
      return;
    }
    const alias = `o${i}`;
    joins.push(
      `LEFT JOIN ${TABLES[t.type as keyof typeof TABLES]} ${alias} ON ${alias}.run_id = r.id AND ${alias}.key = ?`,
    );
    joinArgs.push(t.key);
    if (t.type === "metric") {
      const flag = `(CASE WHEN ${alias}.is_nan = 1 THEN 1 WHEN ${alias}.value IS NULL THEN 2 ELSE 0 END)`;
      keys.push({ expr: flag, descending: false, type: "number" });
      keys.push({ expr: `COALESCE(${clampDouble(`${alias}.value`)}, 0)`, descending, type: "number" });
    } else {
      keys.push({ expr: `(${alias}.value IS NULL)`, descending: false, type: "number" });
      keys.push({ expr: `COALESCE(${alias}.value, '')`, descending, type: "text" });
    }
  });
  const sortsOn = (key: string) => terms.some((t) => t.type === "attribute" && t.key === key);
  // run_uuid is unique: once it is a key, later keys never decide anything.
  if (!sortsOn("run_id")) {
    if (!sortsOn("start_time")) keys.push({ expr: "r.start_time", descending: true, type: "number" });
    keys.push({ expr: "r.run_uuid", descending: false, type: "text" });
  }
  return keys;
}

/** Compiles a runs search; throws the reference's INVALID_PARAMETER_VALUE errors for bad filters, orders and tokens. */
export function compileRunSearch(q: RunSearchQuery): CompiledSearch {
  // The reference's order of checks: parse the filter, then order_by, then the filter's comparators, then the token.
  const drafts = parseDrafts(q.filter, RUN_FILTER_GRAMMAR);
  const joins: string[] = [];
  const joinArgs: SqlArg[] = [];
  const keys = sortKeys(parseRunOrderBy(q.orderBy), joins, joinArgs);
  const clauses = drafts.map((d) => RUN_FILTER_GRAMMAR.validate(d));

  const whereArgs: SqlArg[] = [];
  const where: string[] = [];
  const experimentList = sqlList(q.experimentIds);
  where.push(q.experimentIds.length > 0 ? `r.experiment_id IN ${experimentList.sql}` : "0");
  whereArgs.push(...experimentList.args);
  const stages = LIFECYCLE_STAGES[q.viewType];
  where.push(`r.lifecycle_stage IN (${stages.map(() => "?").join(", ")})`);
  whereArgs.push(...stages);
  for (const c of clauses) where.push(clauseSql(c, whereArgs));
  if (q.pageToken) {
    const after = afterRow(keys, decodePageToken(keys, q.pageToken));
    where.push(after.sql);
    whereArgs.push(...after.args);
  }

  const sql = [
    `SELECT r.id, r.run_uuid, ${selectKeys(keys)}`,
    "FROM runs r",
    ...joins,
    `WHERE ${where.join(" AND ")}`,
    `ORDER BY ${orderByKeys(keys)}`,
    `LIMIT ${limitOf(q.maxResults)}`,
  ].join("\n");
  return { sql, args: [...joinArgs, ...whereArgs], nextPageToken: (row) => encodePageToken(keys, row) };
}
