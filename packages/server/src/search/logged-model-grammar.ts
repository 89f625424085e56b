import { clientCrash, invalidParameter } from "../errors.js";
import { joinInComparisons, splitStatements } from "./filter-parser.js";
import { groupTokens, MAX_TOKENS, type Node } from "./grouping.js";
import { LiteralSyntaxError, literalEval, type PyValue, pyRepr, pyStr } from "./python-compat.js";
import { tokenize } from "./tokenizer.js";

/**
 * The logged-models filter grammar (`metrics.acc > 0.9 AND params.lr = '0.01' AND name LIKE 'cnn%'`). It is looser
 * than the runs grammar: one comparison after another, each `<identifier> <op> <value>`, the value read from its text
 * (a float for numeric fields, a Python literal inside parentheses, else the text without its single quotes).
 * Attribute names are the table's columns, checked only when the SQL is built (see logged-model-search-sql.ts).
 * @see mlflow/utils/search_logged_model_utils.py parse_filter_string, Entity
 */

export const MODEL_ENTITIES = ["attributes", "metrics", "params", "tags"] as const;
export type ModelEntity = (typeof MODEL_ENTITIES)[number];

/** Aliases of attribute names; note `last_updated_time` is not one. @see SqlLoggedModel.ALIASES */
export const MODEL_ATTRIBUTE_ALIASES: Readonly<Record<string, string>> = {
  creation_time: "creation_timestamp_ms",
  creation_timestamp: "creation_timestamp_ms",
  last_updated_timestamp: "last_updated_timestamp_ms",
};
const NUMERIC_ATTRIBUTES: ReadonlySet<string> = new Set(["creation_timestamp_ms", "last_updated_timestamp_ms"]);

const NUMERIC_OPS = ["<", "<=", ">", ">=", "=", "!="] as const;
const STRING_OPS = ["=", "!=", "LIKE", "ILIKE", "IN", "NOT IN"] as const;
export type ModelComparator = (typeof NUMERIC_OPS)[number] | (typeof STRING_OPS)[number];

/** A comparison's value: a float for numeric fields, a Python literal for `(...)`, else text. */
export type ModelFilterValue =
  | { kind: "number"; value: number }
  | { kind: "text"; value: string }
  | { kind: "literal"; value: PyValue };

export interface ModelComparison {
  entity: ModelEntity;
  key: string;
  op: ModelComparator;
  value: ModelFilterValue;
}

const stripAll = (s: string, ch: string) => {
  let start = 0;
  let end = s.length;
  while (start < end && s[start] === ch) start++;
  while (end > start && s[end - 1] === ch) end--;
  return s.slice(start, end);
};

/** `metrics.acc` is (metrics, acc); a bare name is an attribute, aliases resolved. @see Entity.from_str */
export function modelEntityOf(text: string): { entity: ModelEntity; key: string } {
  const m = /^([a-z]+)\.(.+)$/.exec(text);
  if (m) {
    const entity = m[1] as string;
    if (!(MODEL_ENTITIES as readonly string[]).includes(entity)) {
      throw invalidParameter(
        `Invalid entity type: ${pyStr(entity)}. Expected one of ['attributes', 'metrics', 'params', 'tags'].`,
      );
    }
    return { entity: entity as ModelEntity, key: stripAll(m[2] as string, "`") };
  }
  return { entity: "attributes", key: stripAll(MODEL_ATTRIBUTE_ALIASES[text] ?? text, "`") };
}

const isNumeric = (entity: ModelEntity, key: string) =>
  entity === "metrics" || (entity === "attributes" && NUMERIC_ATTRIBUTES.has(MODEL_ATTRIBUTE_ALIASES[key] ?? key));

const FLOAT = /^[+-]?(?:(?:\d(?:_?\d)*)(?:\.(?:\d(?:_?\d)*)?)?|\.\d(?:_?\d)*)(?:[eE][+-]?\d(?:_?\d)*)?$/;
const SPECIAL_FLOAT = /^([+-]?)(inf|infinity|nan)$/i;

/** Python's `float(text)`; its ValueError is a crash in the reference (INTERNAL_ERROR). */
export function pyFloatOf(text: string): number {
  const t = text.trim();
  const special = SPECIAL_FLOAT.exec(t);
  if (special) {
    if ((special[2] as string).toLowerCase() === "nan") return Number.NaN;
    return special[1] === "-" ? -Infinity : Infinity;
  }
  if (FLOAT.test(t)) return Number(t.replaceAll("_", ""));
  throw clientCrash(`could not convert string to float: ${pyStr(text)}`);
}

function readValue(entity: ModelEntity, key: string, text: string): ModelFilterValue {
  if (isNumeric(entity, key)) return { kind: "number", value: pyFloatOf(text) };
  if (text.startsWith("(") && text.endsWith(")")) {
    let value: PyValue;
    try {
      value = literalEval(text);
    } catch (e) {
      if (e instanceof LiteralSyntaxError) throw clientCrash(`malformed node or string: ${text}`);
      throw e;
    }
    return { kind: "literal", value: typeof value === "string" ? { py: "tuple", items: [value] } : value };
  }
  return { kind: "text", value: stripAll(text, "'") };
}

function readComparison(parts: Node[]): ModelComparison {
  if (parts.length !== 3) {
    throw invalidParameter(
      `Invalid comparison: ${parts.map((p) => p.text).join("")}. Expected a comparison with 3 tokens.`,
    );
  }
  const [identifier, opNode, valueNode] = parts as [Node, Node, Node];
  const op = opNode.text.toUpperCase();
  const { entity, key } = modelEntityOf(identifier.text);
  const ops: readonly string[] = isNumeric(entity, key) ? NUMERIC_OPS : STRING_OPS;
  if (!ops.includes(op)) {
    throw invalidParameter(
      `Invalid comparison operator for ${entity}.${key}: ${pyStr(op)}. Expected one of ${pyRepr({ py: "tuple", items: [...ops] })}.`,
    );
  }
  return { entity, key, op: op as ModelComparator, value: readValue(entity, key, valueNode.text) };
}

/** The comparisons of a filter, in order, each checked as the reference checks it (the first bad one fails). */
export function parseLoggedModelFilter(filter: string | undefined): ModelComparison[] {
  if (!filter) return [];
  const statements = splitStatements(tokenize(filter));
  if (statements.length !== 1) {
    throw invalidParameter(`Invalid filter string: ${pyStr(filter)}. Expected a single SQL expression.`);
  }
  const tokens = statements[0] as NonNullable<(typeof statements)[0]>;
  let nodes: Node[];
  try {
    if (tokens.length > MAX_TOKENS) throw new RangeError("tokens");
    nodes = joinInComparisons(filter, groupTokens(filter, tokens));
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    const what =
      e.message === "tokens"
        ? `Maximum number of tokens exceeded (${MAX_TOKENS}).`
        : "Maximum grouping depth exceeded (100).";
    throw invalidParameter(`Invalid filter string: ${pyStr(filter)}. SQLParseError('${what}')`);
  }
  const comparisons: ModelComparison[] = [];
  for (const n of nodes) {
    if (n.kind === "comparison") comparisons.push(readComparison(n.parts ?? []));
    else if (n.text.trim().toUpperCase() !== "AND") {
      throw invalidParameter(
        `Invalid filter string: ${pyStr(filter)}. Expected a list of comparisons separated by 'AND' (e.g. 'metrics.loss > 0.1 AND params.lr = 0.01').`,
      );
    }
  }
  return comparisons;
}
