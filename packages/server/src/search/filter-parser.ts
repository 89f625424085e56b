import { invalidParameter } from "../errors.js";
import { groupTokens, MAX_TOKENS, type Node, node } from "./grouping.js";
import { pyStr } from "./python-compat.js";
import { isKeyword, TOKEN, type Token, tokenize } from "./tokenizer.js";

/**
 * The grammar-independent half of MLflow's filter parsing: statements split at `;`, tokens grouped as sqlparse groups
 * them (see grouping.ts), IN / IS NULL joined, then the whole checked to be comparisons joined by AND. What a comparison
 * means (entities, keys, values) is up to a {@link FilterGrammar}; the runs and experiments grammars live beside this.
 * @see mlflow/utils/search_utils.py SearchUtils.parse_search_filter, _join_in_comparison_tokens
 */

/** One comparison as written: the identifier's source text, the comparator as the reference sees it, the value node. */
export interface RawComparison {
  left: Node;
  comparator: string;
  /** Absent for `IS NULL` / `IS NOT NULL`. */
  value?: Node;
}

/** How a search grammar turns raw comparisons into clauses: first all are parsed, then all are validated. */
export interface FilterGrammar<Draft, Clause> {
  /** Experiments print invalid clauses bare, runs quote each one. */
  quoteInvalidClauses: boolean;
  parse(comparison: RawComparison): Draft;
  /** The checks the reference makes when building SQL, after every clause parsed. */
  validate(draft: Draft): Clause;
}

const synthetic = (text: string, at: Node): Node => ({ kind: TOKEN.keyword, text, start: at.start, end: at.end });

/**
 * A grammar's own case of the post-pass at node `i` (with at least three nodes left): how many nodes it consumed,
 * having pushed what they become onto `out`, or 0 to leave them to the common cases.
 */
export type JoinSpecialCase = (nodes: Node[], i: number, out: Node[]) => number;

/** `x IN (...)`, `x NOT IN (...)`, `x IS NULL`, `x IS NOT NULL` become comparisons, as MLflow's post-pass does. */
export function joinInComparisons(source: string, nodes: Node[], special?: JoinSpecialCase): Node[] {
  const out: Node[] = [];
  let i = 0;
  while (i < nodes.length) {
    const first = nodes[i] as Node;
    if (nodes.length - i < 3) {
      out.push(...nodes.slice(i));
      break;
    }
    const consumed = special?.(nodes, i, out) ?? 0;
    if (consumed > 0) {
      i += consumed;
      continue;
    }
    if (first.kind !== "ident") {
      out.push(first);
      i++;
      continue;
    }
    const [second, third, fourth] = [nodes[i + 1] as Node, nodes[i + 2] as Node, nodes[i + 3]];
    if (isKeyword(second, "IN") && third.kind === "paren") {
      out.push(node(source, "comparison", first, third, [first, second, third]));
      i += 3;
    } else if (isKeyword(second, "IS") && isKeyword(third, "NULL")) {
      out.push(node(source, "comparison", first, third, [first, synthetic("IS NULL", third)]));
      i += 3;
    } else if (isKeyword(second, "IS") && third.kind === TOKEN.keyword && third.text.toUpperCase() === "NOT NULL") {
      out.push(node(source, "comparison", first, third, [first, synthetic("IS NOT NULL", third)]));
      i += 3;
    } else if (!fourth) {
      out.push(first, second, third);
      break;
    } else if (isKeyword(second, "NOT") && isKeyword(third, "IN") && fourth.kind === "paren") {
      out.push(node(source, "comparison", first, fourth, [first, synthetic("NOT IN", third), fourth]));
      i += 4;
    } else {
      out.push(first, second, third, fourth);
      i += 4;
    }
  }
  return out;
}

/** Statements separated by `;` outside parentheses; whitespace-only statements are dropped, as sqlparse does. */
export function splitStatements(tokens: Token[]): Token[][] {
  const statements: Token[][] = [];
  let current: Token[] = [];
  let depth = 0;
  let ended = false;
  for (const t of tokens) {
    if (ended && t.kind !== TOKEN.ws && !(t.kind === TOKEN.comment && !t.text.startsWith("/*"))) {
      statements.push(current);
      current = [];
      ended = false;
    }
    if (t.kind === TOKEN.punct && t.text === "(") depth++;
    if (t.kind === TOKEN.punct && t.text === ")") depth = Math.max(0, depth - 1);
    current.push(t);
    if (t.kind === TOKEN.punct && t.text === ";" && depth === 0) ended = true;
  }
  if (current.some((t) => t.kind !== TOKEN.ws)) statements.push(current);
  return statements;
}

/** Parses a filter into its comparisons, with the reference's errors for anything that is not `cmp AND cmp ...`. */
export function parseComparisons(filter: string, quoteInvalidClauses: boolean): RawComparison[] {
  const statements = splitStatements(tokenize(filter));
  if (statements.length === 0) throw invalidParameter(`Invalid filter '${filter}'. Could not be parsed.`);
  if (statements.length > 1) {
    throw invalidParameter(
      `Search filter contained multiple expression ${pyStr(filter)}. Provide AND-ed expression list.`,
    );
  }
  let nodes: Node[];
  try {
    const tokens = statements[0] as Token[];
    if (tokens.length > MAX_TOKENS) throw new RangeError("tokens");
    nodes = joinInComparisons(filter, groupTokens(filter, tokens));
  } catch (e) {
    if (e instanceof RangeError) throw invalidParameter(`Error on parsing filter '${filter}'`);
    throw e;
  }
  const invalid = nodes.filter((n) => n.kind !== "comparison" && !isKeyword(n, "AND"));
  if (invalid.length > 0) {
    const shown = invalid.map((n) => (quoteInvalidClauses ? `'${n.text}'` : n.text)).join(", ");
    throw invalidParameter(`Invalid clause(s) in filter string: ${shown}`);
  }
  return nodes
    .filter((n) => n.kind === "comparison")
    .map((n) => {
      const [left, op, value] = n.parts as [Node, Node, Node?];
      return { left, comparator: op.text, ...(value ? { value } : {}) };
    });
}

/** The first half of {@link parseFilter}: the parsed but not yet validated clauses. */
export function parseDrafts<Draft>(filter: string | undefined, grammar: FilterGrammar<Draft, unknown>): Draft[] {
  if (!filter) return [];
  return parseComparisons(filter, grammar.quoteInvalidClauses).map((c) => grammar.parse(c));
}

/** Parses a filter with a grammar: every clause is parsed before any is validated, as in the reference. */
export function parseFilter<Draft, Clause>(
  filter: string | undefined,
  grammar: FilterGrammar<Draft, Clause>,
): Clause[] {
  return parseDrafts(filter, grammar).map((d) => grammar.validate(d));
}
