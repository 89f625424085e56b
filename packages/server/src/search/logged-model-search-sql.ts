import { clientCrash, invalidParameter, MlflowError } from "../errors.js";
import { sqlList } from "../sql/in-list.js";
import type { Comparator } from "./identifiers.js";
import type { SqlArg } from "./keyset.js";
import {
  MODEL_ATTRIBUTE_ALIASES,
  type ModelComparator,
  type ModelComparison,
  type ModelFilterValue,
  parseLoggedModelFilter,
} from "./logged-model-grammar.js";
import { type PyValue, pyInt, pyRepr } from "./python-compat.js";
import { clampDouble, MAX_DOUBLE, numberSql, stringComparison } from "./sql-compare.js";

/**
 * Compiles a logged-models search into one SQL statement over `logged_models m`, paged by offset (the reference's
 * tokens carry an offset; see logged-model-page-token.ts).
 * @see mlflow/store/tracking/sqlalchemy_store.py SqlAlchemyStore.search_logged_models,
 *   _apply_filter_string_datasets_search_logged_models, _apply_order_by_search_logged_models
 */

/** An order_by entry as the reference's handler hands it on (unset dataset fields are None). */
export interface ModelOrderBy {
  field_name: string;
  ascending: boolean;
  dataset_name: string | null;
  dataset_digest: string | null;
}

export interface ModelDatasetFilter {
  dataset_name: string;
  /** null matches metrics logged without a digest, as the reference's `dataset_digest == None` does. */
  dataset_digest: string | null;
}

export interface LoggedModelSearchQuery {
  experimentIds: readonly string[];
  filter?: string | undefined;
  datasets?: readonly ModelDatasetFilter[] | undefined;
  orderBy?: readonly ModelOrderBy[] | undefined;
  maxResults: number;
  offset: number;
}

/** The columns of `logged_models` that filters and order_by may name (SqlLoggedModel's). */
export const MODEL_COLUMNS: ReadonlySet<string> = new Set([
  "model_id",
  "experiment_id",
  "name",
  "artifact_location",
  "creation_timestamp_ms",
  "last_updated_timestamp_ms",
  "status",
  "lifecycle_stage",
  "model_type",
  "source_run_id",
  "status_message",
]);

/** A bound SQL value; null binds as NULL. */
type Bindable = SqlArg | null;

/** A literal from `(...)` as SQL values; what SQLAlchemy cannot bind crashes the reference. */
function bindable(v: PyValue): Bindable {
  if (typeof v === "string") return v;
  if ("value" in v) return v.value;
  if (v.py === "const" && v.text === "None") return null;
  if (v.py === "const") return v.text === "True" ? 1 : 0;
  throw clientCrash(`Error binding parameter: unsupported type in ${pyRepr(v)}`);
}

function valueSql(expr: string, op: ModelComparator, value: ModelFilterValue, args: Bindable[]): string {
  const sqlArgs = args as SqlArg[];
  if (value.kind === "number") {
    if (Number.isNaN(value.value)) return `${expr} ${op} NULL`;
    const column = Math.abs(value.value) >= MAX_DOUBLE ? clampDouble(expr) : expr;
    return `${column} ${op} ${numberSql(value.value, sqlArgs)}`;
  }
  if (value.kind === "text") return stringComparison(expr, op, value.value, sqlArgs);
  const literal = value.value;
  const isList = typeof literal === "object" && "items" in literal;
  if (op === "IN" || op === "NOT IN") {
    if (!isList) {
      throw clientCrash(
        `IN expression list, SELECT construct, or bound parameter object expected, got ${pyRepr(literal)}.`,
      );
    }
    return stringComparison(expr, op, literal.items.map(bindable) as SqlArg[], sqlArgs);
  }
  if (isList) throw clientCrash(`Error binding parameter: a list compared with '${op}'`);
  const scalar = bindable(literal);
  // SQLAlchemy writes `== None` as IS NULL.
  if (scalar === null && (op === "=" || op === "!=")) return `${expr} ${op === "=" ? "IS NULL" : "IS NOT NULL"}`;
  return stringComparison(expr, op as Comparator, scalar as SqlArg, sqlArgs);
}

function datasetSql(datasets: readonly ModelDatasetFilter[], alias: string, args: Bindable[]): string {
  const any = datasets.map((d) => {
    args.push(d.dataset_name, d.dataset_digest);
    return `(${alias}.dataset_name = ? AND ${alias}.dataset_digest IS ?)`;
  });
  return `(${any.join(" OR ")})`;
}

function comparisonSql(c: ModelComparison, datasets: readonly ModelDatasetFilter[], args: Bindable[]): string {
  if (c.entity === "attributes") return valueSql(`m.${c.key}`, c.op, c.value, args);
  const table = { metrics: "logged_model_metrics", params: "logged_model_params", tags: "logged_model_tags" }[c.entity];
  args.push(c.key);
  let sql = `EXISTS (SELECT 1 FROM ${table} f WHERE f.model_id = m.id AND f.key = ? AND ${valueSql("f.value", c.op, c.value, args)}`;
  if (c.entity === "metrics" && datasets.length > 0) sql += ` AND ${datasetSql(datasets, "f", args)}`;
  return `${sql})`;
}

/** ORDER BY terms with the reference's tie-breakers, and the joins the metric terms need. */
function orderSql(orderBy: readonly ModelOrderBy[], joins: string[], args: Bindable[]): string[] {
  const terms: string[] = [];
  let hasCreation = false;
  let hasModelId = false;
  orderBy.forEach((ob, i) => {
    const direction = ob.ascending ? "ASC" : "DESC";
    const field = ob.field_name;
    if (!field.includes(".")) {
      const name = MODEL_ATTRIBUTE_ALIASES[field] ?? field;
      if (!MODEL_COLUMNS.has(name)) {
        throw new MlflowError(`Invalid order by field name: ${field}`, "INVALID_PARAMETER_VALUE", undefined, [
          "KAM04",
          "ATTRIBUTE_NOT_FOUND",
        ]);
      }
      hasCreation ||= name === "creation_timestamp_ms";
      hasModelId ||= name === "model_id";
      terms.push(`(m.${name} IS NULL) ASC`, `m.${name} ${direction}`);
      return;
    }
    const dot = field.indexOf(".");
    if (field.slice(0, dot) !== "metrics") {
      throw invalidParameter(`Invalid order by field name: ${field}. Only metrics are supported.`);
    }
    // The latest value of the metric per model (by timestamp, step, then run id), among the named dataset's points.
    const filters = ["lm.key = ?"];
    args.push(field.slice(dot + 1));
    if (ob.dataset_name) {
      filters.push("lm.dataset_name = ?");
      args.push(ob.dataset_name);
    }
    if (ob.dataset_digest) {
      filters.push("lm.dataset_digest = ?");
      args.push(ob.dataset_digest);
    }
    const alias = `o${i}`;
    joins.push(
      `LEFT JOIN (SELECT model_id, value FROM (SELECT lm.model_id, lm.value, row_number() OVER (PARTITION BY lm.model_id ORDER BY lm.timestamp DESC, lm.step DESC, r.run_uuid ASC) AS rn
         FROM logged_model_metrics lm JOIN runs r ON r.id = lm.run_id WHERE ${filters.join(" AND ")}) WHERE rn = 1) ${alias} ON ${alias}.model_id = m.id`,
    );
    terms.push(`(${alias}.value IS NULL) ASC`, `${clampDouble(`${alias}.value`)} ${direction}`);
  });
  if (!hasCreation) terms.push("m.creation_timestamp_ms DESC");
  if (!hasModelId) terms.push("m.model_id ASC");
  return terms;
}

/** The reference's `int(experiment_id)` for each id. */
function experimentIdsOf(ids: readonly string[]): number[] {
  return ids.map((id) => {
    const n = pyInt(id);
    if (n === undefined)
      throw invalidParameter(`Invalid experiment ID '${id}'. Experiment ID must be a valid integer.`);
    return n;
  });
}

/**
 * Compiles a search; throws the reference's errors in its order: the filter, its attribute names, the experiment ids,
 * then order_by. The rows are whole `logged_models` rows; one more than a page is asked for.
 */
export function compileLoggedModelSearch(q: LoggedModelSearchQuery): { sql: string; args: Bindable[] } {
  const comparisons = parseLoggedModelFilter(q.filter);
  for (const c of comparisons) {
    if (c.entity === "attributes" && !MODEL_COLUMNS.has(c.key)) {
      throw clientCrash(`type object 'SqlLoggedModel' has no attribute '${c.key}'`);
    }
  }
  const experimentIds = experimentIdsOf(q.experimentIds);
  const experimentList = sqlList(experimentIds);
  const joins: string[] = [];
  const joinArgs: Bindable[] = [];
  const order = orderSql(q.orderBy ?? [], joins, joinArgs);

  const datasets = q.datasets ?? [];
  const args: Bindable[] = [];
  const where = [
    "m.lifecycle_stage != 'deleted'",
    experimentIds.length > 0 ? `m.experiment_id IN ${experimentList.sql}` : "0",
  ];
  args.push(...experimentList.args);
  for (const c of comparisons) where.push(comparisonSql(c, datasets, args));
  if (datasets.length > 0 && !comparisons.some((c) => c.entity === "metrics")) {
    where.push(
      `EXISTS (SELECT 1 FROM logged_model_metrics f WHERE f.model_id = m.id AND ${datasetSql(datasets, "f", args)})`,
    );
  }
  if (!Number.isSafeInteger(q.maxResults) || q.maxResults < 1 || !Number.isSafeInteger(q.offset) || q.offset < 0) {
    throw new RangeError(`bad page: maxResults ${q.maxResults}, offset ${q.offset}`);
  }
  const sql = [
    "SELECT m.* FROM logged_models m",
    ...joins,
    `WHERE ${where.join(" AND ")}`,
    `ORDER BY ${order.join(", ")}`,
    `LIMIT ${q.maxResults + 1} OFFSET ${q.offset}`,
  ].join("\n");
  return { sql, args: [...joinArgs, ...args] };
}
