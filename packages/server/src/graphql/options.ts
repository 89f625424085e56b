/** The reference's limits against batching; its defaults. @see graphql_no_batching.py check_query_safety */
export interface GraphqlLimits {
  /** `MLFLOW_SERVER_GRAPHQL_MAX_ROOT_FIELDS`: fields at a query's top level (over all its operations). */
  maxRootFields: number;
  /** `MLFLOW_SERVER_GRAPHQL_MAX_ALIASES`: aliases on any one level of a query. */
  maxAliases: number;
}

/** `/graphql`'s settings. Nothing here imports the GraphQL library, which loads on the first query only. */
export interface GraphqlOptions extends GraphqlLimits {
  /**
   * `MLFLOW_SERVER_ENABLE_GRAPHQL_AUTH`: with basic auth on, each call is checked against the user's permissions as
   * its REST twin is (the default). Off, any signed-in user reads everything through `/graphql`.
   */
  authorization: boolean;
}

export const DEFAULT_GRAPHQL_OPTIONS: GraphqlOptions = { maxRootFields: 10, maxAliases: 10, authorization: true };

/** A setting of `/graphql` the server cannot start with. */
export class GraphqlOptionsError extends Error {}

function intVariable(env: Record<string, string | undefined>, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined) return fallback;
  // What Python's int() reads: digits with an optional sign, blanks around.
  if (!/^\s*[+-]?\d+\s*$/.test(raw)) throw new GraphqlOptionsError(`${name} must be an integer, got '${raw}'.`);
  return Number.parseInt(raw, 10);
}

/** @see mlflow/environment_variables.py `_BooleanEnvironmentVariable.get` */
function boolVariable(env: Record<string, string | undefined>, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined) return fallback;
  const value = raw.toLowerCase();
  if (!["true", "false", "1", "0"].includes(value)) {
    throw new GraphqlOptionsError(
      `${name} value must be one of ['true', 'false', '1', '0'] (case-insensitive), but got ${raw}`,
    );
  }
  return value === "true" || value === "1";
}

/** The settings from MLflow's environment variables. */
export function graphqlOptionsFromEnv(env: Record<string, string | undefined>): GraphqlOptions {
  return {
    maxRootFields: intVariable(env, "MLFLOW_SERVER_GRAPHQL_MAX_ROOT_FIELDS", DEFAULT_GRAPHQL_OPTIONS.maxRootFields),
    maxAliases: intVariable(env, "MLFLOW_SERVER_GRAPHQL_MAX_ALIASES", DEFAULT_GRAPHQL_OPTIONS.maxAliases),
    authorization: boolVariable(env, "MLFLOW_SERVER_ENABLE_GRAPHQL_AUTH", DEFAULT_GRAPHQL_OPTIONS.authorization),
  };
}
