/**
 * MLflow's search grammars (runs and experiments filters and order_by clauses) and their compilation to SQL with
 * keyset paging. The store runs the SQL; nothing here touches a database.
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
export { parseRunFilter } from "./run-grammar.js";
export { compileRunSearch, type RunSearchQuery } from "./run-search-sql.js";
