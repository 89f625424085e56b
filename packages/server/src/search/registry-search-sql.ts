import { IS_PROMPT_TAG } from "@tracklite/schemas";
import { parseDrafts } from "./filter-parser.js";
import type { SqlArg } from "./keyset.js";
import { parseModelVersionFilter, REGISTERED_MODEL_GRAMMAR, type RegistryClause } from "./registry-grammar.js";
import { parseModelVersionOrderBy, parseRegisteredModelOrderBy, type RegistrySortTerm } from "./registry-order-by.js";
import { decodeRegistryPageToken } from "./registry-page-token.js";
import { numericComparison, stringComparison } from "./sql-compare.js";

/**
 * Compiles the registry searches to one SQL statement each, paged by offset like the reference (one row more than the
 * page is selected; its presence means there is a next page).
 * @see mlflow/store/model_registry/sqlalchemy_store.py search_registered_models, search_model_versions
 */

export interface RegistrySearchQuery {
  filter?: string | undefined;
  orderBy?: readonly string[] | undefined;
  maxResults: number;
  pageToken?: string | undefined;
  /** Only this workspace's models (`--enable-workspaces`); all when undefined. */
  workspace?: string | undefined;
}

export interface RegistrySql {
  sql: string;
  args: SqlArg[];
  /** Where the page starts: the next page's token is this plus the page size. */
  offset: number;
}

/**
 * Prompts are registered models tagged `mlflow.prompt.is_prompt = 'true'`. A search hides them unless its first clause
 * on that tag asks for them (`= 'true'` or `!= 'false'`); when hidden, every clause on the tag is dropped, so that
 * `!= 'true'` and `= 'false'` match models without the tag.
 * @see sqlalchemy_store.py _is_querying_prompt, _update_query_to_exclude_prompts
 */
export function splitPromptClauses(clauses: RegistryClause[]): { clauses: RegistryClause[]; hidePrompts: boolean } {
  const first = clauses.find((c) => c.type === "tag" && c.key === IS_PROMPT_TAG);
  const value = String(first?.value ?? "").toLowerCase();
  const wantsPrompts =
    (first?.comparator === "=" && value === "true") || (first?.comparator === "!=" && value === "false");
  if (wantsPrompts) return { clauses, hidePrompts: false };
  return { clauses: clauses.filter((c) => !(c.type === "tag" && c.key === IS_PROMPT_TAG)), hidePrompts: true };
}

/** A tag clause: a row `t` of the tag table, tied to its owner by `link`, with the clause's key and value. */
function tagMatch(table: string, link: string, c: RegistryClause, args: SqlArg[]): string {
  args.push(c.key);
  const value = stringComparison("t.value", c.comparator, c.value, args);
  return `EXISTS (SELECT 1 FROM ${table} t WHERE ${link} AND t.key = ? AND ${value})`;
}

const page = (q: RegistrySearchQuery, offset: number, args: SqlArg[]) => {
  args.push(q.maxResults + 1, Math.max(0, offset));
  return "LIMIT ? OFFSET ?";
};

function orderBy<F extends string>(terms: RegistrySortTerm<F>[], columns: Record<F, string>): string {
  return terms.map((t) => `${columns[t.field]}${t.ascending ? "" : " DESC"}`).join(", ");
}

/** `m.workspace = ?` when the search is confined to a workspace. */
function workspaceClause(q: RegistrySearchQuery, where: string[], args: SqlArg[]): void {
  if (q.workspace === undefined) return;
  where.push("m.workspace = ?");
  args.push(q.workspace);
}

const MODEL_SORT = { name: "m.name", last_updated_time: "m.last_updated_time" } as const;

/**
 * Registered models `m` (all columns), filtered, ordered and paged. Checked in the reference's order: the filter is
 * parsed, then order_by and the page token, and only then are the filter's comparators checked.
 */
export function compileRegisteredModelSearch(q: RegistrySearchQuery): RegistrySql {
  const drafts = parseDrafts(q.filter, REGISTERED_MODEL_GRAMMAR);
  const terms = parseRegisteredModelOrderBy(q.orderBy);
  const offset = decodeRegistryPageToken(q.pageToken);
  const { clauses, hidePrompts } = splitPromptClauses(drafts.map((d) => REGISTERED_MODEL_GRAMMAR.validate(d)));
  const args: SqlArg[] = [];
  const where = ["1 = 1"];
  workspaceClause(q, where, args);
  for (const c of clauses) {
    if (c.type === "attribute") {
      where.push(stringComparison("m.name", c.comparator, c.value, args));
    } else {
      where.push(tagMatch("registered_model_tags", "t.model_id = m.id", c, args));
    }
  }
  if (hidePrompts) {
    args.push(IS_PROMPT_TAG);
    where.push(
      "NOT EXISTS (SELECT 1 FROM registered_model_tags p WHERE p.model_id = m.id AND p.key = ? AND p.value = 'true')",
    );
  }
  const sql = `SELECT m.* FROM registered_models m WHERE ${where.join(" AND ")} ORDER BY ${orderBy(terms, MODEL_SORT)} ${page(q, offset, args)}`;
  return { sql, args, offset };
}

const VERSION_COLUMNS: Readonly<Record<string, string>> = {
  name: "m.name",
  version_number: "v.version",
  run_id: "v.run_id",
  source_path: "v.source",
};
const VERSION_SORT = {
  name: "m.name",
  version: "v.version",
  creation_time: "v.creation_time",
  last_updated_time: "v.last_updated_time",
} as const;

/**
 * Model versions `v` (all columns) with their model's `name`, deleted ones left out, filtered, ordered and paged;
 * the filter is checked whole before order_by and the page token, as in the reference.
 */
export function compileModelVersionSearch(q: RegistrySearchQuery): RegistrySql {
  const { clauses, hidePrompts } = splitPromptClauses(parseModelVersionFilter(q.filter));
  const terms = parseModelVersionOrderBy(q.orderBy);
  const offset = decodeRegistryPageToken(q.pageToken);
  const args: SqlArg[] = [];
  const where = ["v.current_stage != 'Deleted_Internal'"];
  workspaceClause(q, where, args);
  for (const c of clauses) {
    if (c.type === "attribute") {
      const column = VERSION_COLUMNS[c.key] as string;
      where.push(
        c.key === "version_number"
          ? numericComparison(column, c.comparator, c.value as number, args)
          : stringComparison(column, c.comparator, c.value, args),
      );
    } else {
      where.push(tagMatch("model_version_tags", "t.version_id = v.id", c, args));
    }
  }
  if (hidePrompts) {
    // As in the reference: a model with any version tagged as a prompt hides all its versions (deleted ones count).
    args.push(IS_PROMPT_TAG);
    where.push(
      `NOT EXISTS (SELECT 1 FROM model_versions pv JOIN model_version_tags pt ON pt.version_id = pv.id
         WHERE pv.model_id = v.model_id AND pt.key = ? AND pt.value = 'true')`,
    );
  }
  const sql = `SELECT v.*, m.name FROM model_versions v JOIN registered_models m ON m.id = v.model_id
    WHERE ${where.join(" AND ")} ORDER BY ${orderBy(terms, VERSION_SORT)} ${page(q, offset, args)}`;
  return { sql, args, offset };
}
