import { type CompiledSearch, LIFECYCLE_STAGES, limitOf, type ViewType } from "./compiled-search.js";
import { parseExperimentFilter } from "./experiment-grammar.js";
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
import { parseExperimentOrderBy } from "./order-by.js";
import { numericComparison, stringComparison } from "./sql-compare.js";

/**
 * Compiles an experiments search into one SQL statement over `experiments e`.
 * @see mlflow/store/tracking/sqlalchemy_store.py SqlAlchemyStore._search_experiments,
 *   _get_search_experiments_filter_clauses, _get_search_experiments_order_by_clauses
 */

export interface ExperimentSearchQuery {
  filter?: string;
  orderBy?: string[];
  viewType: ViewType;
  maxResults: number;
  pageToken?: string;
  /** Only this workspace's experiments (`--enable-workspaces`); all when undefined. */
  workspace?: string | undefined;
}

const COLUMNS: Record<string, { column: string; type: "number" | "text" }> = {
  name: { column: "e.name", type: "text" },
  experiment_id: { column: "e.experiment_id", type: "number" },
  creation_time: { column: "e.creation_time", type: "number" },
  last_update_time: { column: "e.last_update_time", type: "number" },
};

function clauseSql(c: FilterClause, args: SqlArg[]): string {
  const value = c.value as string | number | readonly (string | number)[];
  if (c.type === "tag") {
    args.push(c.key);
    const exists = "EXISTS (SELECT 1 FROM experiment_tags t WHERE t.experiment_id = e.experiment_id AND t.key = ?";
    if (c.comparator === "IS NULL") return `NOT ${exists})`;
    if (c.comparator === "IS NOT NULL") return `${exists})`;
    return `${exists} AND ${stringComparison("t.value", c.comparator, value, args)})`;
  }
  const col = COLUMNS[c.key] as (typeof COLUMNS)[string];
  // experiment_id takes =, !=, IN and NOT IN, which the string comparison covers; the times are plain numbers.
  return c.key === "creation_time" || c.key === "last_update_time"
    ? numericComparison(col.column, c.comparator, value as number, args)
    : stringComparison(col.column, c.comparator, value, args);
}

/** The order_by terms (the reference's default when none), duplicates dropped, then experiment_id DESC to break ties. */
function sortKeys(orderBy: string[] | undefined): SortKey[] {
  const keys: SortKey[] = [];
  const seen = new Set<string>();
  for (const t of parseExperimentOrderBy(orderBy)) {
    if (seen.has(t.key)) continue;
    seen.add(t.key);
    const col = COLUMNS[t.key] as (typeof COLUMNS)[string];
    keys.push({ expr: col.column, descending: !t.ascending, type: col.type });
    // experiment_id is unique: nothing after it can matter.
    if (t.key === "experiment_id") return keys;
  }
  keys.push({ expr: "e.experiment_id", descending: true, type: "number" });
  return keys;
}

/** Compiles an experiments search; the rows carry all `experiments` columns plus the sort keys k0, k1, .... */
export function compileExperimentSearch(q: ExperimentSearchQuery): CompiledSearch {
  const clauses = parseExperimentFilter(q.filter);
  const keys = sortKeys(q.orderBy);
  const args: SqlArg[] = [];
  const stages = LIFECYCLE_STAGES[q.viewType];
  const where = [`e.lifecycle_stage IN (${stages.map(() => "?").join(", ")})`];
  args.push(...stages);
  if (q.workspace !== undefined) {
    where.push("e.workspace = ?");
    args.push(q.workspace);
  }
  for (const c of clauses) where.push(clauseSql(c, args));
  if (q.pageToken) {
    const after = afterRow(keys, decodePageToken(keys, q.pageToken));
    where.push(after.sql);
    args.push(...after.args);
  }
  const sql = [
    `SELECT e.*, ${selectKeys(keys)}`,
    "FROM experiments e",
    `WHERE ${where.join(" AND ")}`,
    `ORDER BY ${orderByKeys(keys)}`,
    `LIMIT ${limitOf(q.maxResults)}`,
  ].join("\n");
  return { sql, args, nextPageToken: (row) => encodePageToken(keys, row) };
}
