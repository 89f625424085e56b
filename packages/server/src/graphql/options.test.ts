import { describe, expect, it } from "vitest";
import { DEFAULT_GRAPHQL_OPTIONS, GraphqlOptionsError, graphqlOptionsFromEnv } from "./options.js";

describe("graphqlOptionsFromEnv", () => {
  it("takes the reference's defaults: 10 root fields, 10 aliases, checks on", () => {
    expect(graphqlOptionsFromEnv({})).toEqual({ maxRootFields: 10, maxAliases: 10, authorization: true });
    expect(DEFAULT_GRAPHQL_OPTIONS).toEqual(graphqlOptionsFromEnv({}));
  });

  it("reads MLflow's variables as Python's int() and its boolean variables do", () => {
    const options = graphqlOptionsFromEnv({
      MLFLOW_SERVER_GRAPHQL_MAX_ROOT_FIELDS: " 25 ",
      MLFLOW_SERVER_GRAPHQL_MAX_ALIASES: "+3",
      MLFLOW_SERVER_ENABLE_GRAPHQL_AUTH: "False",
    });
    expect(options).toEqual({ maxRootFields: 25, maxAliases: 3, authorization: false });
    expect(graphqlOptionsFromEnv({ MLFLOW_SERVER_ENABLE_GRAPHQL_AUTH: "1" }).authorization).toBe(true);
  });

  it("refuses values the reference cannot read", () => {
    expect(() => graphqlOptionsFromEnv({ MLFLOW_SERVER_GRAPHQL_MAX_ALIASES: "ten" })).toThrow(
      new GraphqlOptionsError("MLFLOW_SERVER_GRAPHQL_MAX_ALIASES must be an integer, got 'ten'."),
    );
    expect(() => graphqlOptionsFromEnv({ MLFLOW_SERVER_ENABLE_GRAPHQL_AUTH: "yes" })).toThrow(
      "MLFLOW_SERVER_ENABLE_GRAPHQL_AUTH value must be one of ['true', 'false', '1', '0'] (case-insensitive), but got yes",
    );
  });
});
