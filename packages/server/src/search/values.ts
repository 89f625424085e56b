import { invalidParameter } from "../errors.js";
import type { Node } from "./grouping.js";
import { ENTITY, type EntityType, stripQuotes } from "./identifiers.js";
import { LiteralSyntaxError, literalEval, type PyValue, pyList, pyRepr } from "./python-compat.js";
import { TOKEN } from "./tokenizer.js";

/**
 * The right-hand side of a comparison, checked against what the entity expects: numbers for metrics and numeric
 * attributes, quoted strings for the rest, a parenthesised list of strings where lists are allowed.
 * @see mlflow/utils/search_utils.py SearchUtils._get_value, _parse_list_from_sql_token
 */

/** A parsed value; `float` remembers whether a number was written as a float (experiments reject those). */
export type DraftValue =
  | { kind: "string"; value: string }
  | { kind: "number"; value: number; float: boolean }
  | { kind: "list"; value: string[] };

export interface ValueRules {
  numericAttributes: ReadonlySet<string>;
  /** Attribute keys that accept `IN (...)`. */
  listKeys: readonly string[];
}

const isNumber = (n: Node) => n.kind === TOKEN.int || n.kind === TOKEN.float;
const isStringLike = (n: Node) => n.kind === TOKEN.string || n.kind === "ident";
const number = (n: Node): DraftValue => ({ kind: "number", value: Number(n.text), float: n.kind === TOKEN.float });
const quoted = (n: Node): DraftValue => ({ kind: "string", value: stripQuotes(n.text, true) });

/** `('a', "b")` as a list of strings, with the reference's complaints about empty, ill-formed or non-string lists. */
export function parseList(text: string): string[] {
  let parsed: PyValue;
  try {
    parsed = literalEval(text);
  } catch (e) {
    if (!(e instanceof LiteralSyntaxError)) throw e;
    throw invalidParameter(
      "While parsing a list in the query, expected a non-empty list of string values, but got ill-formed list.",
    );
  }
  const items = typeof parsed === "object" && "items" in parsed && parsed.py === "tuple" ? parsed.items : [parsed];
  if (items.length === 0) {
    throw invalidParameter(
      "While parsing a list in the query, expected a non-empty list of string values, but got empty list",
    );
  }
  if (!items.every((i): i is string => typeof i === "string")) {
    throw invalidParameter(
      "While parsing a list in the query, expected string value, punctuation, or whitespace, but got different type " +
        `in list: ${pyRepr({ py: "tuple", items })}`,
    );
  }
  return items;
}

/** The value of `<type>.<key> <op> <node>`, as the reference's parser reads it. */
export function readValue(type: EntityType, key: string, node: Node, rules: ValueRules): DraftValue {
  switch (type) {
    case ENTITY.metric:
      if (!isNumber(node)) throw invalidParameter(`Expected numeric value type for metric. Found ${node.text}`);
      return number(node);
    case ENTITY.parameter:
    case ENTITY.tag:
      if (isStringLike(node)) return quoted(node);
      throw invalidParameter(`Expected a quoted string value for ${type} (e.g. 'my-value'). Got value ${node.text}`);
    case ENTITY.attribute:
      if (rules.numericAttributes.has(key)) {
        if (!isNumber(node)) {
          throw invalidParameter(`Expected numeric value type for numeric attribute: ${key}. Found ${node.text}`);
        }
        return number(node);
      }
      if (isStringLike(node)) return quoted(node);
      if (node.kind === "paren") {
        if (!rules.listKeys.includes(key)) {
          throw invalidParameter(
            `Only ${pyList([...rules.listKeys].sort())} attributes support comparison with a list of quoted string values.`,
          );
        }
        return { kind: "list", value: parseList(node.text) };
      }
      throw invalidParameter(`Expected a quoted string value for attributes. Got value ${node.text}`);
    case ENTITY.dataset:
      if (isStringLike(node)) return quoted(node);
      if (node.kind === "paren") return { kind: "list", value: parseList(node.text) };
      throw invalidParameter(`Expected a quoted string value for dataset attributes. Got value ${node.text}`);
  }
}
