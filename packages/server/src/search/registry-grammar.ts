import { invalidParameter } from "../errors.js";
import { listNeedsIn, METRIC_COMPARATORS, requireIdentifier } from "./comparators.js";
import { type FilterGrammar, parseFilter, type RawComparison } from "./filter-parser.js";
import type { Node } from "./grouping.js";
import { type Comparator, stripQuotes, trimBackticks } from "./identifiers.js";
import { pyFloat, pyInt, pyList, pySet, pyStr } from "./python-compat.js";
import { TOKEN } from "./tokenizer.js";
import { parseList } from "./values.js";

/**
 * The filter grammars of `registered-models/search` (`name LIKE 'fraud%' AND tags.team = 'risk'`) and
 * `model-versions/search` (`name = 'm' AND version_number > 2 AND run_id IN ('a', 'b')`). Both only know attributes
 * and tags; entity prefixes are checked verbatim, attribute keys before their quotes are removed.
 * @see mlflow/utils/search_utils.py SearchModelUtils, SearchModelVersionUtils and
 *   mlflow/store/model_registry/sqlalchemy_store.py (the comparator checks when the SQL is built)
 */

export type RegistryEntity = "attribute" | "tag";

export interface RegistryClause {
  type: RegistryEntity;
  key: string;
  comparator: Comparator;
  value: string | number | readonly string[];
}

type Value =
  | { kind: "string"; value: string }
  | { kind: "int" | "float"; value: number }
  | { kind: "list"; value: string[] };

interface Draft {
  type: RegistryEntity;
  key: string;
  comparator: string;
  value: Value;
}

interface RegistryResource {
  attributes: readonly string[];
  /** Attributes compared as integers; the reference's messages name all its numeric keys. */
  numeric: readonly string[];
  /** Whether numbers may be written unquoted (model versions only). */
  numbersAllowed: boolean;
  listKeys: readonly string[];
}

const TAG_COMPARATORS = ["=", "!=", "LIKE", "ILIKE"];
const STRING_COMPARATORS = ["=", "!=", "LIKE", "ILIKE", "IN", "NOT IN"];

export const REGISTERED_MODELS: RegistryResource = {
  attributes: ["name"],
  numeric: [],
  numbersAllowed: false,
  listKeys: ["name"],
};

export const MODEL_VERSIONS: RegistryResource = {
  attributes: ["name", "version_number", "run_id", "source_path"],
  numeric: ["version_number", "creation_timestamp", "last_updated_timestamp"],
  numbersAllowed: true,
  listKeys: ["name", "run_id"],
};

function identifier(text: string, r: RegistryResource): { type: RegistryEntity; key: string } {
  const dot = text.indexOf(".");
  let type: RegistryEntity = "attribute";
  let key = text;
  if (dot >= 0) {
    const entity = text.slice(0, dot);
    key = text.slice(dot + 1);
    if (entity !== "attribute" && entity !== "tag" && entity !== "tags") {
      throw invalidParameter(`Invalid entity type '${entity}'. Valid entity types are ('attribute', 'tag', 'tags')`);
    }
    type = entity === "attribute" ? "attribute" : "tag";
  }
  // The reference checks the key as written, so `` `name` `` is not an attribute.
  if (type === "attribute" && !r.attributes.includes(key)) {
    throw invalidParameter(`Invalid attribute key '${key}' specified. Valid keys are '${pySet(r.attributes)}'`);
  }
  return { type, key: trimBackticks(stripQuotes(key)) };
}

const isStringLike = (n: Node) => n.kind === TOKEN.string || n.kind === "ident";

function value(type: RegistryEntity, key: string, node: Node, r: RegistryResource): Value {
  if (type === "tag") {
    if (isStringLike(node)) return { kind: "string", value: stripQuotes(node.text, true) };
    throw invalidParameter(`Expected a quoted string value for tag (e.g. 'my-value'). Got value ${node.text}`);
  }
  if (isStringLike(node)) return { kind: "string", value: stripQuotes(node.text, true) };
  if (node.kind === "paren") {
    if (!r.listKeys.includes(key)) {
      throw invalidParameter(
        `Only ${pyList([...r.listKeys].sort())} attributes support comparison with a list of quoted string values.`,
      );
    }
    return { kind: "list", value: parseList(node.text) };
  }
  if (r.numbersAllowed && (node.kind === TOKEN.int || node.kind === TOKEN.float)) {
    if (!r.numeric.includes(key)) {
      throw invalidParameter(`Only the '${pySet(r.numeric)}' attributes support comparison with numeric values.`);
    }
    return { kind: node.kind === TOKEN.int ? "int" : "float", value: Number(node.text) };
  }
  throw invalidParameter(
    `Expected a quoted string value or a list of quoted string values for attributes. Got value ${node.text}`,
  );
}

/** A numeric attribute's value as the store reads it: an integer, or an integer in a string. */
function integerValue(key: string, v: Value): number {
  if (v.kind === "float") throw invalidParameter(`Invalid value for numeric attribute '${key}': ${pyFloat(v.value)}`);
  if (v.kind === "int") return v.value;
  const n = v.kind === "string" ? pyInt(v.value) : undefined;
  if (n === undefined) {
    throw invalidParameter(`Invalid value for numeric attribute '${key}': ${pyStr(String(v.value))}`);
  }
  return n;
}

function grammar(r: RegistryResource): FilterGrammar<Draft, RegistryClause> {
  return {
    quoteInvalidClauses: false,
    parse(c: RawComparison): Draft {
      requireIdentifier(c);
      if (!c.value) {
        // The reference accepts the clause and then crashes on it (HTTP 500); refuse it plainly instead.
        throw invalidParameter(
          `Invalid comparison clause '${c.left.text} ${c.comparator}': ${c.comparator} is not supported here.`,
        );
      }
      const { type, key } = identifier(c.left.text, r);
      return { type, key, comparator: c.comparator.toUpperCase(), value: value(type, key, c.value, r) };
    },
    validate(d: Draft): RegistryClause {
      const { type, key, comparator } = d;
      let out: RegistryClause["value"] = d.value.value;
      if (type === "tag") {
        if (!TAG_COMPARATORS.includes(comparator)) throw invalidParameter(`Invalid comparator for tag: ${comparator}`);
      } else if (r.numeric.includes(key)) {
        if (!(METRIC_COMPARATORS as readonly string[]).includes(comparator)) {
          throw invalidParameter(`Invalid comparator for attribute ${key}: ${comparator}`);
        }
        out = integerValue(key, d.value);
      } else if (
        !STRING_COMPARATORS.includes(comparator) ||
        ((comparator === "IN" || comparator === "NOT IN") && !r.listKeys.includes(key))
      ) {
        throw invalidParameter(`Invalid comparator for attribute: ${comparator}`);
      }
      listNeedsIn(comparator, d.value.kind === "list" ? { kind: "list", value: d.value.value } : null);
      return { type, key, comparator: comparator as Comparator, value: out };
    },
  };
}

export const REGISTERED_MODEL_GRAMMAR = grammar(REGISTERED_MODELS);
export const MODEL_VERSION_GRAMMAR = grammar(MODEL_VERSIONS);

/** Parses a `registered-models/search` filter into validated clauses. */
export function parseRegisteredModelFilter(filter: string | undefined): RegistryClause[] {
  return parseFilter(filter, REGISTERED_MODEL_GRAMMAR);
}

/** Parses a `model-versions/search` filter into validated clauses. */
export function parseModelVersionFilter(filter: string | undefined): RegistryClause[] {
  return parseFilter(filter, MODEL_VERSION_GRAMMAR);
}
