import { invalidParameter } from "../errors.js";
import { joinInComparisons, splitStatements } from "./filter-parser.js";
import { groupTokens, MAX_TOKENS, type Node, node } from "./grouping.js";
import { stripQuotes } from "./identifiers.js";
import { pySet, pyStr } from "./python-compat.js";
import { isKeyword, TOKEN, type Token, tokenize } from "./tokenizer.js";
import { checkSpanComparator } from "./trace-comparators.js";
import {
  isBuiltin,
  isNumericAttribute,
  LIST_ATTRIBUTES,
  markBuiltins,
  NUMERIC_ATTRIBUTES,
  replaceKeyAlias,
  resolveTraceIdentifier,
  SEARCH_ATTRIBUTES,
  TRACE_ENTITY,
  type TraceEntity,
} from "./trace-keys.js";
import { parseList } from "./values.js";

/**
 * The search_traces filter grammar, as the reference parses it: `cmp AND cmp ...`, each comparison an identifier
 * (`status`, `trace.timestamp_ms`, `tags.env`, `metadata.\`mlflow.sourceRun\``, `span.type`, `feedback.quality`,
 * `issue.id`, ...), a comparator and a value. Comparators are checked per entity afterwards, as the store does (see
 * trace-comparators.ts). Bare `timestamp` is a type name to sqlparse and gets the reference's special cases.
 * @see mlflow/utils/search_utils.py SearchTraceUtils._process_statement, _get_comparison, _get_value,
 *   _join_in_comparison_tokens(search_traces=True)
 */

/** One parsed comparison: aliases resolved, the comparator as written (upper-cased later), the value typed. */
export interface TraceComparison {
  type: TraceEntity;
  key: string;
  comparator: string;
  value: string | number | readonly string[] | null;
}

const NUMERIC_COMPARATORS = [">", ">=", "!=", "=", "<", "<="];
const ASSESSMENT_NUMERIC_COMPARATORS = [">", ">=", "<", "<="];

/**
 * The reference's post-pass over grouped tokens: `x IN (...)`, `x NOT IN (...)`, `x IS [NOT] NULL` and, for traces,
 * `timestamp <op> <integer>` become comparisons. A `timestamp` that does not fit is kept and, by a quirk of the
 * reference's loop, listed twice in the invalid-clause message.
 */
export function joinTraceComparisons(source: string, nodes: Node[]): Node[] {
  return joinInComparisons(source, nodes, (all, i, out) => {
    const [first, second, third] = [all[i] as Node, all[i + 1] as Node, all[i + 2] as Node];
    if (!isBuiltin(first, "timestamp", "timestamp_ms")) return 0;
    if (second.kind === TOKEN.compare && NUMERIC_COMPARATORS.includes(second.text) && third.kind === TOKEN.int) {
      out.push(node(source, "comparison", first, third, [first, second, third]));
    } else {
      out.push(first, second, third, first);
    }
    return 3;
  });
}

const isStringLike = (n: Node) => n.kind === TOKEN.string || n.kind === "ident";
const isNumber = (n: Node) => n.kind === TOKEN.int || n.kind === TOKEN.float;
const numberOf = (n: Node) => Number(n.text);

/** The reference checks a feedback/expectation value against the comparator before reading it. */
function checkAssessmentValue(type: TraceEntity, comparator: string, value: Node): void {
  if (type !== TRACE_ENTITY.feedback && type !== TRACE_ENTITY.expectation) return;
  const numeric = ASSESSMENT_NUMERIC_COMPARATORS.includes(comparator);
  const message = numeric
    ? `Expected a numeric value for ${type} when using comparator '${comparator}'. Got value ${value.text}`
    : `Expected a quoted string value for ${type} (e.g. 'my-value'). Got value ${value.text}`;
  if (isStringLike(value) ? numeric : !isNumber(value) || !numeric) throw invalidParameter(message);
}

const quotedExpected = (type: string, value: Node) =>
  invalidParameter(`Expected a quoted string value for ${type} (e.g. 'my-value'). Got value ${value.text}`);

/** The value of a comparison, read according to the identifier's entity (before aliases are resolved). */
function readTraceValue(type: TraceEntity, key: string, value: Node): TraceComparison["value"] {
  const quoted = () => stripQuotes(value.text, true);
  switch (type) {
    case TRACE_ENTITY.tag:
    case TRACE_ENTITY.span:
      if (isStringLike(value)) return quoted();
      if (value.kind === "paren") return parseList(value.text);
      throw quotedExpected(type, value);
    case TRACE_ENTITY.attribute:
      if (isStringLike(value)) return quoted();
      if (value.kind === "paren") {
        if (!(LIST_ATTRIBUTES as readonly string[]).includes(key)) {
          throw invalidParameter(
            `Only attributes in ${pySet(LIST_ATTRIBUTES)} supports comparison with a list of quoted string values.`,
          );
        }
        return parseList(value.text);
      }
      if (isNumber(value)) {
        if (!isNumericAttribute(key)) {
          throw invalidParameter(
            `Only the '${pySet(NUMERIC_ATTRIBUTES)}' attributes support comparison with numeric values.`,
          );
        }
        return numberOf(value);
      }
      throw invalidParameter(
        `Expected a quoted string value or a list of quoted string values for attributes. Got value ${value.text}`,
      );
    case TRACE_ENTITY.feedback:
    case TRACE_ENTITY.expectation:
      if (isStringLike(value)) return quoted();
      if (isNumber(value)) return numberOf(value);
      throw invalidParameter(
        `Expected a quoted string value or numeric value for ${type} (e.g. 'my-value' or 0.8). Got value ${value.text}`,
      );
    case TRACE_ENTITY.metadata:
    case TRACE_ENTITY.issue:
      if (isStringLike(value)) return quoted();
      throw quotedExpected(type, value);
  }
}

function readComparison(c: Node): TraceComparison {
  const [left, op, value] = c.parts as [Node, Node, Node?];
  const isTimestamp = value !== undefined && isBuiltin(left, "timestamp", "timestamp_ms");
  if (left.kind !== "ident" && !isTimestamp) {
    throw invalidParameter(`Invalid comparison clause. Expected 'Identifier' found '${left.text}'`);
  }
  const id = resolveTraceIdentifier(left.text, SEARCH_ATTRIBUTES);
  if (!value) return { ...replaceKeyAlias(id), comparator: op.text.toUpperCase(), value: null };
  const comparator = op.text;
  checkAssessmentValue(id.type, comparator, value);
  const parsed = readTraceValue(id.type, id.key, value);
  if (id.type === TRACE_ENTITY.span) checkSpanComparator(id.key, comparator);
  return { ...replaceKeyAlias(id), comparator, value: parsed };
}

/** Parses a search_traces filter into its comparisons, with the reference's messages for what it refuses. */
export function parseTraceComparisons(filter: string | undefined): TraceComparison[] {
  if (!filter) return [];
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
    nodes = joinTraceComparisons(filter, groupTokens(filter, markBuiltins(filter, tokens)));
  } catch (e) {
    if (e instanceof RangeError) throw invalidParameter(`Error on parsing filter '${filter}'`);
    throw e;
  }
  const invalid = nodes.filter((n) => n.kind !== "comparison" && !isKeyword(n, "AND"));
  if (invalid.length > 0) {
    throw invalidParameter(`Invalid clause(s) in filter string: ${invalid.map((n) => `'${n.text}'`).join(", ")}`);
  }
  return nodes.filter((n) => n.kind === "comparison").map(readComparison);
}
