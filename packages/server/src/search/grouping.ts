import { isKeyword, TOKEN, type Token, type TokenKind } from "./tokenizer.js";

/**
 * sqlparse's grouping, reduced to the constructs search strings use: parentheses, function calls, dotted identifiers,
 * ASC/DESC, arithmetic operations, comparisons and aliases, applied in sqlparse's order. Which tokens end up grouped
 * decides what the reference accepts (a `-` in an unquoted key makes an operation, not an identifier) and what its
 * errors quote, so the quirks are kept.
 * @see sqlparse/engine/grouping.py group()
 */

export type NodeKind = TokenKind | "paren" | "function" | "ident" | "operation" | "comparison" | "list";

/** A token or a group of tokens; `text` is the source it spans, whitespace inside included. */
export interface Node {
  kind: NodeKind;
  text: string;
  start: number;
  end: number;
  /** For a comparison: left, operator and (unless IS [NOT] NULL) right. */
  parts?: Node[];
}

/**
 * sqlparse refuses input nested deeper than MAX_GROUPING_DEPTH or longer than MAX_GROUPING_TOKENS; grouping throws a
 * RangeError for the first, callers check the second, and both report it as a parse error.
 */
const MAX_DEPTH = 100;
export const MAX_TOKENS = 10_000;

const OPERANDS = new Set<NodeKind>(["paren", "function", "ident", "operation", TOKEN.int, TOKEN.float, TOKEN.string]);

/** A group of nodes (or tokens) from `first` to `last`, spanning their source text. */
export const node = (
  source: string,
  kind: NodeKind,
  first: { start: number },
  last: { end: number },
  parts?: Node[],
): Node => ({
  kind,
  text: source.slice(first.start, last.end),
  start: first.start,
  end: last.end,
  ...(parts ? { parts } : {}),
});

/** Collapses matched parentheses into single nodes; unmatched ones stay as punctuation, as in sqlparse. */
function groupParentheses(source: string, tokens: Token[]): Node[] {
  const out: Node[] = [];
  const opens: number[] = [];
  for (const t of tokens) {
    if (t.kind === TOKEN.punct && t.text === ")" && opens.length > 0) {
      const at = opens.pop() as number;
      const first = out[at] as Node;
      out.splice(at, out.length - at, node(source, "paren", first, t));
      continue;
    }
    if (t.kind === TOKEN.punct && t.text === "(") {
      opens.push(out.length);
      if (opens.length > MAX_DEPTH) throw new RangeError("nesting");
    }
    out.push({ ...t });
  }
  return out;
}

/** sqlparse's group_functions: a name followed by parentheses is a function call, e.g. `lower('x')`. */
function groupFunctions(source: string, nodes: Node[]): Node[] {
  const out: Node[] = [];
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i] as Node;
    const next = nodes[i + 1];
    if (n.kind === TOKEN.name && next?.kind === "paren") {
      out.push(node(source, "function", n, next));
      i++;
    } else out.push(n);
  }
  return out;
}

const PERIOD_NEXT = new Set<NodeKind>([TOKEN.name, TOKEN.symbol, TOKEN.wildcard, TOKEN.string, "function"]);

/** Joins `a.b.c` (names, "symbols", `backticks`, a trailing 'string' or *) into identifiers, then lone names too. */
function groupIdentifiers(source: string, nodes: Node[]): Node[] {
  const out: Node[] = [];
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i] as Node;
    const prev = out.at(-1);
    const isDot = n.kind === TOKEN.punct && n.text === ".";
    if (isDot && prev && (prev.kind === TOKEN.name || prev.kind === TOKEN.symbol || prev.kind === "ident")) {
      const next = nodes[i + 1];
      const joinsNext = next !== undefined && PERIOD_NEXT.has(next.kind);
      out[out.length - 1] = node(source, "ident", prev, joinsNext ? next : n);
      if (joinsNext) i++;
      continue;
    }
    out.push(n.kind === TOKEN.name || n.kind === TOKEN.symbol ? { ...n, kind: "ident" } : n);
  }
  // sqlparse's group_order: `x DESC` is one identifier.
  const ordered: Node[] = [];
  for (const n of out) {
    const prev = ordered.at(-1);
    if (
      n.kind === TOKEN.order &&
      prev &&
      [TOKEN.int, TOKEN.float, TOKEN.hex, "ident"].includes(prev.kind as typeof TOKEN.int)
    ) {
      ordered[ordered.length - 1] = node(source, "ident", prev, n);
    } else ordered.push(n);
  }
  return ordered;
}

/** Groups `prev op next` left to right; a group just formed is a valid left operand for the next operator. */
function groupBinary(
  source: string,
  nodes: Node[],
  isOp: (n: Node) => boolean,
  kind: NodeKind,
  valid: (n: Node) => boolean,
) {
  const out: Node[] = [];
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i] as Node;
    const prev = out.at(-1);
    const next = nodes[i + 1];
    if (isOp(n) && prev && next && (valid(prev) || prev.kind === kind) && valid(next)) {
      out[out.length - 1] = node(source, kind, prev, next, [prev, n, next]);
      i++;
      continue;
    }
    out.push(n);
  }
  return out;
}

const ALIASABLE = new Set<NodeKind>([
  "paren",
  "function",
  "ident",
  "operation",
  "comparison",
  TOKEN.int,
  TOKEN.float,
  TOKEN.hex,
]);

/**
 * sqlparse's group_aliased: anything followed by an identifier swallows it (`x AS alias` without the AS), so
 * `tags.my tag` is one identifier and `metrics.m FOO` an order_by term with a bad direction.
 */
function groupAliases(source: string, nodes: Node[]): Node[] {
  const out: Node[] = [];
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i] as Node;
    const next = nodes[i + 1];
    if (ALIASABLE.has(n.kind) && next?.kind === "ident") {
      out.push(node(source, "ident", n, next));
      i++;
    } else out.push(n);
  }
  return out;
}

const LIST_ITEMS = new Set<NodeKind>([
  "function",
  "ident",
  "comparison",
  "operation",
  "list",
  TOKEN.int,
  TOKEN.float,
  TOKEN.string,
  TOKEN.keyword,
  TOKEN.wildcard,
]);

/** sqlparse's group_identifier_list: `a, b = 1, c` is one (invalid) clause; it only shapes error messages. */
function groupLists(source: string, nodes: Node[]): Node[] {
  const isComma = (n: Node) => n.kind === TOKEN.punct && n.text === ",";
  return groupBinary(source, nodes, isComma, "list", (n) => LIST_ITEMS.has(n.kind));
}

/** Groups a token list the way sqlparse's `group()` does for the constructs filters and order_by clauses use. */
export function groupTokens(source: string, tokens: Token[]): Node[] {
  const solid = groupParentheses(source, tokens).filter((n) => n.kind !== TOKEN.ws);
  const idents = groupIdentifiers(source, groupFunctions(source, solid));
  const isOperand = (n: Node) => OPERANDS.has(n.kind);
  const isArithmetic = (n: Node) => n.kind === TOKEN.operator || n.kind === TOKEN.wildcard;
  const ops = groupBinary(source, idents, isArithmetic, "operation", isOperand);
  const isNullOrOperand = (n: Node) => isOperand(n) || isKeyword(n, "NULL");
  const comparisons = groupBinary(source, ops, (n) => n.kind === TOKEN.compare, "comparison", isNullOrOperand);
  return groupLists(source, groupAliases(source, comparisons));
}
