/**
 * MLflow's search grammars (filters and order_by clauses of runs, experiments, logged models and the registry) and
 * their compilation to SQL with keyset (or, for the registry, offset) paging. The store runs the SQL; nothing here
 * touches a database.
 */

export type { CompiledSearch, ViewType } from "./compiled-search.js";
export { parseExperimentFilter } from "./experiment-grammar.js";
export { compileExperimentSearch, type ExperimentSearchQuery } from "./experiment-search-sql.js";
export { type FilterGrammar, parseComparisons, parseFilter, type RawComparison } from "./filter-parser.js";
export { type Comparator, ENTITY, type EntityType, type FilterClause } from "./identifiers.js";
export { readTokenJson } from "./keyset.js";
export { parseLoggedModelFilter } from "./logged-model-grammar.js";
export {
  decodeModelPageToken,
  encodeModelPageToken,
  type ModelSearchIdentity,
} from "./logged-model-page-token.js";
export {
  compileLoggedModelSearch,
  type LoggedModelSearchQuery,
  type ModelDatasetFilter,
  type ModelOrderBy,
} from "./logged-model-search-sql.js";
export { type OrderByTerm, parseExperimentOrderBy, parseOrderByString, parseRunOrderBy } from "./order-by.js";
export { parseModelVersionFilter, parseRegisteredModelFilter, type RegistryClause } from "./registry-grammar.js";
export { decodeRegistryPageToken, encodeOffsetToken } from "./registry-page-token.js";
export {
  compileModelVersionSearch,
  compileRegisteredModelSearch,
  type RegistrySearchQuery,
  type RegistrySql,
} from "./registry-search-sql.js";
export { parseRunFilter } from "./run-grammar.js";
export { compileRunSearch, type RunSearchQuery } from "./run-search-sql.js";
