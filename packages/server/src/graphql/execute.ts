import { execute, GraphQLError, type GraphQLSchema, parse, validate } from "graphql";
import { invalidParameter, MlflowError } from "../errors.js";
import { logError } from "../log.js";
import type { GraphqlContext } from "./context.js";
import { checkQuerySafety } from "./limits.js";
import type { GraphqlLimits } from "./options.js";
import { protoFieldResolver } from "./proto-fields.js";
import { makeSchema } from "./schema.js";

/** One GraphQL request: the query and, optionally, its variables and the operation to run. */
export interface GraphqlRequest {
  query: string;
  variables?: Record<string, unknown> | undefined;
  operationName?: string | undefined;
}

/** The answer as the reference writes it: errors as their messages, null (not left out) when there are none. */
export interface GraphqlAnswer {
  data: Record<string, unknown> | null;
  errors: string[] | null;
}

/**
 * Tokens a query may have. The reference has no such limit; a query over the others' limits (1000 selections) has
 * far fewer, and without one, a body of 32 MiB of tokens would be parsed in full before any limit is looked at.
 */
export const MAX_TOKENS = 50_000;

let schema: GraphQLSchema | undefined;

/**
 * A message of GraphQL's own in graphql-core's wording, which the reference runs: names in single quotes where
 * graphql-js writes double ones (`Cannot query field 'x' on type 'Query'.`).
 */
export const coreQuotes = (message: string) => message.replace(/"([^"]*)"/g, "'$1'");

/**
 * An error's message for the answer. Errors of tracklite's own (a bug, a lost database) are logged and reported
 * without their internals; MLflow errors and GraphQL's own errors say what they say.
 */
function messageOf(error: GraphQLError): string {
  const cause = error.originalError;
  if (cause instanceof MlflowError) return error.message;
  if (cause === undefined || cause instanceof GraphQLError) return coreQuotes(error.message);
  // Variables that fail a scalar's parser (LongString's TypeError) are GraphQL errors without a path.
  if (cause instanceof TypeError && error.path === undefined) return coreQuotes(error.message);
  logError(cause);
  return "An internal error occurred.";
}

/**
 * Runs one GraphQL request as the reference's `/graphql` does: parse, refuse a query over the limits before it is
 * validated, then validate and run it. Every field without a resolver of its own reads its MLflow message field.
 * @see mlflow/server/handlers.py _graphql
 */
export async function runGraphql(
  request: GraphqlRequest,
  context: GraphqlContext,
  limits: GraphqlLimits,
): Promise<GraphqlAnswer> {
  let document: ReturnType<typeof parse>;
  try {
    document = parse(request.query, { maxTokens: MAX_TOKENS });
  } catch (e) {
    // The reference answers a syntax error with its 500 page (its parse runs outside the error handling): the
    // client's mistake, so 400 here, as for a body that is no GraphQL request at all.
    if (e instanceof GraphQLError) throw invalidParameter(coreQuotes(e.message));
    throw e;
  }
  const refusal = checkQuerySafety(document, limits);
  if (refusal) return { data: null, errors: [refusal] };
  schema ??= makeSchema();
  const invalid = validate(schema, document);
  if (invalid.length > 0) return { data: null, errors: invalid.map((e) => coreQuotes(e.message)) };
  const result = await execute({
    schema,
    document,
    variableValues: request.variables,
    operationName: request.operationName,
    contextValue: context,
    fieldResolver: protoFieldResolver,
  });
  return {
    data: (result.data as Record<string, unknown> | null | undefined) ?? null,
    errors: result.errors?.length ? result.errors.map(messageOf) : null,
  };
}
