import {
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  Kind,
  type SelectionNode,
  type SelectionSetNode,
} from "graphql";
import type { GraphqlLimits } from "./options.js";

/** Levels of nested selections a query may have. */
export const MAX_DEPTH = 10;
/** Fields a query may select in all. */
export const MAX_SELECTIONS = 1000;

/** What the scan learns of a query: its root fields (over all its operations), and the most aliases on one level. */
export interface QueryInfo {
  rootFields: number;
  maxAliases: number;
}

/** A query over a limit; its message is the reference's. */
export class QueryLimitError extends Error {}

/**
 * The fields of one level of a selection set, with those of its inline fragments and fragment spreads (which merge
 * into the same level), and the aliases among them: aliases spread over sibling fragments count together.
 */
function collectLevel(
  set: SelectionSetNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  visited: ReadonlySet<string>,
): { fields: FieldNode[]; aliases: number } {
  const fields: FieldNode[] = [];
  let aliases = 0;
  const queue: SelectionNode[] = [...set.selections];
  const seen = new Set(visited);
  for (let i = 0; i < queue.length; i++) {
    const selection = queue[i] as SelectionNode;
    if (selection.kind === Kind.FIELD) {
      fields.push(selection);
      if (selection.alias) aliases++;
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      queue.push(...selection.selectionSet.selections);
    } else {
      const name = selection.name.value;
      if (seen.has(name)) continue;
      seen.add(name);
      const fragment = fragments.get(name);
      if (fragment) queue.push(...fragment.selectionSet.selections);
    }
  }
  return { fields, aliases };
}

/**
 * Walks a parsed query as the reference does, before it is validated or run: depth-first over selection sets,
 * refusing one nested deeper than {@link MAX_DEPTH} or a query selecting more than {@link MAX_SELECTIONS} fields in
 * all, whichever the walk meets first. A fragment spread's fields count where they are spread.
 * @see mlflow/server/graphql/graphql_no_batching.py scan_query
 */
export function scanQuery(document: DocumentNode): QueryInfo {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  let rootFields = 0;
  let maxAliases = 0;
  let selections = 0;
  const none: ReadonlySet<string> = new Set();
  for (const d of document.definitions) {
    if (d.kind !== Kind.OPERATION_DEFINITION) continue;
    const stack: { set: SelectionSetNode; depth: number }[] = [{ set: d.selectionSet, depth: 1 }];
    for (let top = stack.pop(); top; top = stack.pop()) {
      if (top.depth > MAX_DEPTH) throw new QueryLimitError(`Query exceeds maximum depth of ${MAX_DEPTH}`);
      const { fields, aliases } = collectLevel(top.set, fragments, none);
      for (const field of fields) {
        if (top.depth === 1) rootFields++;
        if (field.selectionSet) stack.push({ set: field.selectionSet, depth: top.depth + 1 });
        selections++;
        if (selections > MAX_SELECTIONS) {
          throw new QueryLimitError(`Query exceeds maximum total selections of ${MAX_SELECTIONS}`);
        }
      }
      maxAliases = Math.max(maxAliases, aliases);
    }
  }
  return { rootFields, maxAliases };
}

/**
 * Why a query is refused before it runs, or undefined: too deep, too many selections, too many root fields (the
 * batching of many calls in one request), too many aliases on one level (the batching of one call many times).
 * @see mlflow/server/graphql/graphql_no_batching.py check_query_safety
 */
export function checkQuerySafety(document: DocumentNode, limits: GraphqlLimits): string | undefined {
  let info: QueryInfo;
  try {
    info = scanQuery(document);
  } catch (e) {
    if (e instanceof QueryLimitError) return e.message;
    throw e;
  }
  const over = (what: string, max: number, got: number, variable: string) =>
    `GraphQL queries should have at most ${max} ${what}, got ${got} ${what}. To increase the limit, set the ${variable} environment variable.`;
  if (info.rootFields > limits.maxRootFields) {
    return over("root fields", limits.maxRootFields, info.rootFields, "MLFLOW_SERVER_GRAPHQL_MAX_ROOT_FIELDS");
  }
  if (info.maxAliases > limits.maxAliases) {
    return over("aliases", limits.maxAliases, info.maxAliases, "MLFLOW_SERVER_GRAPHQL_MAX_ALIASES");
  }
  return undefined;
}
