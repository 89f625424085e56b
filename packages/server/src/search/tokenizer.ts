/**
 * The lexer for MLflow search strings. MLflow tokenizes filters and order_by clauses with sqlparse; this reproduces
 * the part of sqlparse's lexer that decides what those strings mean (which words are names, what counts as a number,
 * how quotes nest), so that the grouping in `filter-parser.ts` accepts and rejects the same strings.
 * @see sqlparse/keywords.py SQL_REGEX (sqlparse 0.6, as pinned by MLflow 3.x)
 */

export const TOKEN = {
  ws: "ws",
  comment: "comment",
  /** A bare word, a `backticked` word or a [bracketed] word: sqlparse's Name. */
  name: "name",
  /** A "double-quoted" string: sqlparse's String.Symbol, which groups into an identifier like a name. */
  symbol: "symbol",
  /** A 'single-quoted' string literal. */
  string: "string",
  int: "int",
  float: "float",
  /** 0x1F: a number to sqlparse, but not one a comparison accepts. */
  hex: "hex",
  keyword: "keyword",
  /** ASC / DESC (sqlparse's Keyword.Order). */
  order: "order",
  /** `=`, `!=`, `<>`, `LIKE`, `NOT ILIKE`, ...: any sqlparse Operator.Comparison. */
  compare: "compare",
  /** Arithmetic and other operators (`-`, `/`, `||`, ...) and the `*` wildcard. */
  operator: "operator",
  wildcard: "wildcard",
  punct: "punct",
  /** Anything else sqlparse lexes into a token no rule here cares about (hex numbers, placeholders, ...). */
  other: "other",
} as const;
export type TokenKind = (typeof TOKEN)[keyof typeof TOKEN];

export interface Token {
  kind: TokenKind;
  /** The source text of the token. */
  text: string;
  start: number;
  end: number;
}

/**
 * Words sqlparse treats as keywords rather than names. Only a handful matter to the grammar (AND, IN, IS, NULL, NOT);
 * the rest are listed so that common SQL words are rejected as stray clauses, as the reference does.
 */
const KEYWORDS = new Set([
  "AND",
  "OR",
  "NOT",
  "IS",
  "NULL",
  "ISNULL",
  "NOTNULL",
  "TRUE",
  "FALSE",
  "BETWEEN",
  "EXISTS",
  "SELECT",
  "WHERE",
  "LIMIT",
  "BY",
  "HAVING",
  "UNION",
  "ALL",
  "DISTINCT",
  "WHEN",
  "THEN",
  "ELSE",
  "END",
  "ANY",
  "SOME",
  "ESCAPE",
  // Words of the registry's domain that sqlparse reads as keywords (so `source = 'x'` is a stray clause there).
  "SOURCE",
  "VERSION",
  "KEY",
  "ALIAS",
]);

const L = "A-Za-zÀ-Üà-ü"; // sqlparse's [A-ZÀ-Ü] under re.IGNORECASE
const W = "\\p{L}\\p{N}_"; // Python's Unicode \w

type Rule = [RegExp, TokenKind | "word"];

/** sqlparse's rules in sqlparse's order; the first that matches at the current position wins. */
const RULES: Rule[] = [
  [/(--|# ).*?(\r\n|\r|\n|$)/y, TOKEN.comment],
  [/\/\*[\s\S]*?\*\//y, TOKEN.comment],
  [/\s+/y, TOKEN.ws],
  [/:=|::/y, TOKEN.other],
  [/\*/y, TOKEN.wildcard],
  [/`(``|[^`])*`/y, TOKEN.name],
  [/´(´´|[^´])*´/y, TOKEN.name],
  [/\?|%(\(\w+\))?s/y, TOKEN.other],
  [new RegExp(`(?<![${W}])[$:?][${W}]+`, "uy"), TOKEN.other],
  [new RegExp(`\\\\[${W}]+`, "uy"), TOKEN.other],
  [/(CASE|IN|VALUES|USING|FROM|AS)\b/iy, TOKEN.keyword],
  [new RegExp(`(@|##|#)[${L}][${W}]+`, "uy"), TOKEN.name],
  [new RegExp(`[${L}][${W}]*(?=\\s*\\.(?!\\d))`, "uy"), TOKEN.name],
  [new RegExp(`(?<=\\.)[${L}][${W}]*`, "uy"), TOKEN.name],
  [new RegExp(`[${L}][${W}]*(?=\\()`, "uy"), TOKEN.name],
  [/-?0x[\dA-F]+/iy, TOKEN.hex],
  [/-?\d+(\.\d+)?E-?\d+/iy, TOKEN.float],
  [new RegExp(`-?(\\d+(\\.\\d*)|\\.\\d+)(?![_${L}])`, "uy"), TOKEN.float],
  [new RegExp(`-?\\d+(?![_${L}])`, "uy"), TOKEN.int],
  [/'(''|\\'|[^'])*'/y, TOKEN.string],
  [/"(""|\\"|[^"])*"/y, TOKEN.symbol],
  [new RegExp(`(?<![${W}\\])])(\\[[^\\]\\[]+\\])`, "uy"), TOKEN.name],
  [/NOT\s+NULL\b/iy, TOKEN.keyword],
  [/(ASC|DESC)(\s+NULLS\s+(FIRST|LAST))?\b/iy, TOKEN.order],
  [/NULLS\s+(FIRST|LAST)\b/iy, TOKEN.order],
  [/(NOT\s+)?(LIKE|ILIKE|RLIKE)\b/iy, TOKEN.compare],
  [/(NOT\s+)?(REGEXP)(\s+(BINARY))?\b/iy, TOKEN.compare],
  [new RegExp(`[${W}][$#${W}]*`, "uy"), "word"],
  [/[;:()[\],.]/y, TOKEN.punct],
  [/->>?|#>>?|@>|<@|\?\|?|\?&|-|#-/y, TOKEN.operator],
  [/[<>=~!]+/y, TOKEN.compare],
  [/[+/@#%^&|-]+/y, TOKEN.operator],
];

/** Splits `text` into tokens covering it completely (whitespace and comments included). */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  outer: while (pos < text.length) {
    for (const [re, kind] of RULES) {
      re.lastIndex = pos;
      const m = re.exec(text);
      if (!m || m[0].length === 0) continue;
      const word = m[0];
      const resolved: TokenKind =
        kind === "word" ? (KEYWORDS.has(word.toUpperCase()) ? TOKEN.keyword : TOKEN.name) : kind;
      tokens.push({ kind: resolved, text: word, start: pos, end: pos + word.length });
      pos += word.length;
      continue outer;
    }
    // sqlparse emits an Error token for a character no rule matches; for the grammar it is just a stray token.
    const ch = String.fromCodePoint(text.codePointAt(pos) ?? 0);
    tokens.push({ kind: TOKEN.other, text: ch, start: pos, end: pos + ch.length });
    pos += ch.length;
  }
  return tokens;
}

/** Whether `t` is the keyword `word` (case-insensitive, as sqlparse's `token.match` on keywords). */
export function isKeyword(t: { kind: string; text: string } | undefined, word: string): boolean {
  return t?.kind === TOKEN.keyword && t.text.toUpperCase() === word;
}
