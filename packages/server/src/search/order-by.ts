import { invalidParameter, MlflowError } from "../errors.js";
import { groupTokens, MAX_TOKENS, type Node } from "./grouping.js";
import {
  ENTITY,
  EXPERIMENT_ATTRIBUTES,
  type Identifier,
  RUN_ORDER_BY_ATTRIBUTES,
  resolveExperimentIdentifier,
  resolveRunIdentifier,
  translateRunKeyAlias,
} from "./identifiers.js";
import { pyList } from "./python-compat.js";
import { TOKEN, tokenize } from "./tokenizer.js";

/**
 * `order_by` clauses: one identifier, optionally followed by ASC or DESC (`metrics.\`val loss\` DESC`).
 * @see mlflow/utils/search_utils.py SearchUtils._parse_order_by_string and
 *   mlflow/store/tracking/sqlalchemy_store.py _get_orderby_clauses, _get_search_experiments_order_by_clauses
 */

export interface OrderByTerm extends Identifier {
  ascending: boolean;
}

/** Python's `shlex.split` (POSIX mode); undefined where it raises (an unclosed quote, a trailing backslash). */
export function shlexSplit(s: string): string[] | undefined {
  const out: string[] = [];
  let token = "";
  let inToken = false;
  let quote: string | undefined;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i] as string;
    if (quote === "'") {
      if (ch === "'") quote = undefined;
      else token += ch;
    } else if (quote === '"') {
      if (ch === '"') quote = undefined;
      else if (ch === "\\" && (s[i + 1] === '"' || s[i + 1] === "\\")) token += s[++i];
      else token += ch;
    } else if (/\s/.test(ch)) {
      if (inToken) out.push(token);
      token = "";
      inToken = false;
    } else if (ch === "\\") {
      if (i + 1 >= s.length) return undefined;
      token += s[++i];
      inToken = true;
    } else {
      if (ch === "'" || ch === '"') quote = ch;
      else token += ch;
      inToken = true;
    }
  }
  if (quote) return undefined;
  if (inToken) out.push(token);
  return out;
}

/** Splits one clause into the identifier text and the direction, with the reference's parse errors. */
export function parseOrderByString(clause: string): { identifier: string; ascending: boolean } {
  const unparsable = () => invalidParameter(`Invalid order_by clause '${clause}'. Could not be parsed.`);
  const tokens = tokenize(clause);
  // sqlparse must see exactly one identifier, with nothing (not even whitespace) around it.
  if (tokens.length === 0 || tokens[0]?.kind === TOKEN.ws || tokens.at(-1)?.kind === TOKEN.ws) throw unparsable();
  let nodes: Node[];
  try {
    if (tokens.length > MAX_TOKENS) throw new RangeError("tokens");
    nodes = groupTokens(clause, tokens);
  } catch (e) {
    if (e instanceof RangeError) throw invalidParameter(`Error on parsing order_by clause '${clause}'`);
    throw e;
  }
  if (nodes.length !== 1 || nodes[0]?.kind !== "ident") throw unparsable();
  const words = shlexSplit(clause.replaceAll("`", '"'));
  if (!words || words.length > 2) throw unparsable();
  if (words.length === 1) return { identifier: clause.trim(), ascending: true };
  const direction = (words[1] as string).toLowerCase();
  if (direction !== "asc" && direction !== "desc") {
    throw invalidParameter(`Invalid ordering key in order_by clause '${clause}'.`);
  }
  return { identifier: (words[0] as string).trim(), ascending: direction === "asc" };
}

/**
 * Runs' order_by terms, aliases resolved (`created` is start_time). Datasets cannot be sorted on; a field given twice
 * is an error: INTERNAL_ERROR as in the reference, but answered with 400, since a 500 would make clients retry.
 */
export function parseRunOrderBy(clauses: readonly string[] | undefined): OrderByTerm[] {
  const terms: OrderByTerm[] = [];
  for (const clause of clauses ?? []) {
    const { identifier, ascending } = parseOrderByString(clause);
    const { type, key } = resolveRunIdentifier(identifier, RUN_ORDER_BY_ATTRIBUTES);
    if (type === ENTITY.dataset) throw invalidParameter(`Invalid identifier type '${type}'`);
    const term = { type, key: translateRunKeyAlias(key), ascending };
    if (terms.some((t) => t.type === term.type && t.key === term.key)) {
      throw new MlflowError(`\`order_by\` contains duplicate fields: ${pyList(clauses ?? [])}`, "INTERNAL_ERROR", 400);
    }
    terms.push(term);
  }
  return terms;
}

/** The experiments default order when none is given. */
export const DEFAULT_EXPERIMENT_ORDER_BY = ["creation_time DESC", "experiment_id ASC"] as const;

/** Experiments' order_by terms (attributes only); the reference's default order when there are none. */
export function parseExperimentOrderBy(clauses: readonly string[] | undefined): OrderByTerm[] {
  const given = clauses && clauses.length > 0 ? clauses : DEFAULT_EXPERIMENT_ORDER_BY;
  return given.map((clause) => {
    const { identifier, ascending } = parseOrderByString(clause);
    const { type, key } = resolveExperimentIdentifier(identifier, EXPERIMENT_ATTRIBUTES);
    if (type !== ENTITY.attribute) throw invalidParameter(`Invalid order_by entity: ${type}`);
    return { type, key, ascending };
  });
}
