import { invalidParameter } from "../errors.js";
import type { IssueCondition } from "../store/issues.js";

/**
 * The filter of an issue search: comparisons of `status` or `source_run_id` with `=` or `!=`, joined by AND.
 * Python prints the supported sets in a per-process order; tracklite prints them in one fixed order.
 * @see mlflow/utils/search_utils.py SearchIssuesUtils
 */

const TOKEN = /\s*(?:(`[^`]*`|"[^"]*"|'[^']*')|(!=|<>|<=|>=|=|<|>)|([A-Za-z_][\w.]*)|(\S))/y;
const KEYS = new Set(["status", "source_run_id"]);

interface Token {
  kind: "quoted" | "op" | "word" | "other";
  text: string;
}

function tokenize(filter: string): Token[] {
  const out: Token[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < filter.length) {
    const m = TOKEN.exec(filter);
    if (!m) break;
    if (m[1] !== undefined) out.push({ kind: "quoted", text: m[1] });
    else if (m[2] !== undefined) out.push({ kind: "op", text: m[2] });
    else if (m[3] !== undefined) out.push({ kind: "word", text: m[3] });
    else if (m[4] !== undefined) out.push({ kind: "other", text: m[4] });
  }
  return out;
}

/** The reference strips single and double quotes (a backquoted key keeps its backquotes, and is then unknown). */
const unquote = (s: string) => (/^(["']).*\1$/s.test(s) && s.length >= 2 ? s.slice(1, -1) : s);

/** Parses the filter into conditions, refusing what the reference refuses with its messages. */
export function parseIssueFilter(filter: string | undefined): IssueCondition[] {
  if (!filter) return [];
  const tokens = tokenize(filter);
  const out: IssueCondition[] = [];
  let i = 0;
  while (i < tokens.length) {
    const t = tokens[i] as Token;
    if (t.kind === "word" && t.text.toUpperCase() === "AND") {
      i++;
      continue;
    }
    const op = tokens[i + 1];
    const right = tokens[i + 2];
    const isComparison =
      (t.kind === "word" || t.kind === "quoted") &&
      ((op?.kind === "op" && right !== undefined) || (op?.kind === "word" && /^(LIKE|ILIKE|IN)$/i.test(op.text)));
    if (!isComparison) throw invalidParameter(`Invalid clause(s) in filter string: ${t.text}`);
    const key = unquote(t.text).trim();
    if (!KEYS.has(key))
      throw invalidParameter(`Invalid filter field '${key}'. Supported fields: {'source_run_id', 'status'}`);
    const comparator = (op as Token).text.toUpperCase();
    if (comparator !== "=" && comparator !== "!=")
      throw invalidParameter(`Invalid comparator '${comparator}'. Supported comparators: {'=', '!='}`);
    out.push({ key: key as IssueCondition["key"], comparator, value: unquote((right as Token).text).trim() });
    i += 3;
  }
  return out;
}
