import { invalidParameter, MlflowError } from "../errors.js";
import { resolveExperimentIdentifier } from "./identifiers.js";
import { parseOrderByString } from "./order-by.js";
import { pyList, pySet } from "./python-compat.js";

/**
 * The order_by clauses of the registry searches, resolved to columns, each at most once, with the reference's
 * tie-breakers appended (name, then version descending).
 * @see mlflow/store/model_registry/sqlalchemy_store.py _parse_search_registered_models_order_by,
 *   _parse_search_model_versions_order_by
 */

export type RegisteredModelSortField = "name" | "last_updated_time";
export type ModelVersionSortField = "name" | "version" | "creation_time" | "last_updated_time";

export interface RegistrySortTerm<F extends string> {
  field: F;
  ascending: boolean;
}

/** The reference only names its recommended keys in this message. */
const RECOMMENDED_MODEL_KEYS = ["name", "timestamp"];
const MODEL_KEYS: Readonly<Record<string, RegisteredModelSortField>> = {
  name: "name",
  timestamp: "last_updated_time",
  last_updated_timestamp: "last_updated_time",
};

const VERSION_KEYS: Readonly<Record<string, ModelVersionSortField>> = {
  name: "name",
  version_number: "version",
  creation_timestamp: "creation_time",
  last_updated_timestamp: "last_updated_time",
};

/** What versions are sorted by when the request names nothing. */
export const DEFAULT_MODEL_VERSION_ORDER_BY = ["last_updated_timestamp DESC", "name ASC", "version_number DESC"];

/** A field named twice: INTERNAL_ERROR as in the reference, answered with 400 (a 500 makes clients retry). */
const duplicate = (clauses: readonly string[]) =>
  new MlflowError(`\`order_by\` contains duplicate fields: ${pyList(clauses)}`, "INTERNAL_ERROR", 400);

function addTerm<F extends string>(terms: RegistrySortTerm<F>[], term: RegistrySortTerm<F>, all: readonly string[]) {
  if (terms.some((t) => t.field === term.field)) throw duplicate(all);
  terms.push(term);
}

/** `name`, `timestamp` or `last_updated_timestamp` (both the last update time), then name ascending. */
export function parseRegisteredModelOrderBy(
  clauses: readonly string[] | undefined,
): RegistrySortTerm<RegisteredModelSortField>[] {
  const terms: RegistrySortTerm<RegisteredModelSortField>[] = [];
  for (const clause of clauses ?? []) {
    const { identifier, ascending } = parseOrderByString(clause);
    const key = identifier.trim();
    const field = Object.hasOwn(MODEL_KEYS, key) ? MODEL_KEYS[key] : undefined;
    if (!field) {
      throw invalidParameter(
        `Invalid order by key '${key}' specified. Valid keys are '${pySet(RECOMMENDED_MODEL_KEYS)}'`,
      );
    }
    addTerm(terms, { field, ascending }, clauses ?? []);
  }
  if (!terms.some((t) => t.field === "name")) terms.push({ field: "name", ascending: true });
  return terms;
}

/** Version attributes (the reference's default when none), then name ascending and version descending. */
export function parseModelVersionOrderBy(
  clauses: readonly string[] | undefined,
): RegistrySortTerm<ModelVersionSortField>[] {
  const given = clauses && clauses.length > 0 ? clauses : DEFAULT_MODEL_VERSION_ORDER_BY;
  const keys = Object.keys(VERSION_KEYS);
  const terms: RegistrySortTerm<ModelVersionSortField>[] = [];
  for (const clause of given) {
    const { identifier, ascending } = parseOrderByString(clause);
    // A tag's key is looked up too: `tags.name` sorts by name in the reference.
    const { key } = resolveExperimentIdentifier(identifier.trim(), keys);
    const field = Object.hasOwn(VERSION_KEYS, key) ? VERSION_KEYS[key] : undefined;
    if (!field) throw invalidParameter(`Invalid order by key '${key}' specified. Valid keys are ${pySet(keys)}`);
    addTerm(terms, { field, ascending }, given);
  }
  if (!terms.some((t) => t.field === "name")) terms.push({ field: "name", ascending: true });
  if (!terms.some((t) => t.field === "version")) terms.push({ field: "version", ascending: false });
  return terms;
}
