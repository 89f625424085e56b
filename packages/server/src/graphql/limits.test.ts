import { parse } from "graphql";
import { describe, expect, it } from "vitest";
import { checkQuerySafety, scanQuery } from "./limits.js";
import { DEFAULT_GRAPHQL_OPTIONS } from "./options.js";

const check = (query: string, limits = DEFAULT_GRAPHQL_OPTIONS) => checkQuerySafety(parse(query), limits);
const aliases = (n: number, prefix = "e") =>
  Array.from({ length: n }, (_, i) => `${prefix}${i}: experiment { name }`).join(" ");

describe("scanQuery", () => {
  it("counts root fields over every operation, and the most aliases on one level", () => {
    const info = scanQuery(parse(`query A { a: x { b: y c: y } z } query B { w { d: v } }`));
    expect(info).toEqual({ rootFields: 3, maxAliases: 2 });
  });

  it("counts a fragment's fields where they are spread, and aliases over sibling fragments together", () => {
    const info = scanQuery(
      parse(`{ r { ...A ...B ... on T { c: f } } } fragment A on T { a: f a2: f } fragment B on T { b: f }`),
    );
    expect(info).toEqual({ rootFields: 1, maxAliases: 4 });
  });

  it("does not count fragments that are defined but never spread as root fields", () => {
    expect(scanQuery(parse(`{ a } fragment F on T { b c d }`))).toEqual({ rootFields: 1, maxAliases: 0 });
  });
});

describe("checkQuerySafety, with the reference's messages", () => {
  it("lets a query within the limits through", () => {
    expect(check(`{ x { ${aliases(10)} } }`)).toBeUndefined();
  });

  it("refuses more root fields than MLFLOW_SERVER_GRAPHQL_MAX_ROOT_FIELDS (batching many calls)", () => {
    const roots = Array.from({ length: 12 }, (_, i) => `key_${i}: test(inputString: "abc") { output }`).join(" ");
    expect(check(`query testQuery {${roots}}`)).toBe(
      "GraphQL queries should have at most 10 root fields, got 12 root fields. To increase the limit, set the MLFLOW_SERVER_GRAPHQL_MAX_ROOT_FIELDS environment variable.",
    );
    expect(check(`query testQuery {${roots}}`, { ...DEFAULT_GRAPHQL_OPTIONS, maxRootFields: 12 })).toContain("aliases");
    const limits = { ...DEFAULT_GRAPHQL_OPTIONS, maxRootFields: 12, maxAliases: 12 };
    expect(check(`query testQuery {${roots}}`, limits)).toBeUndefined();
  });

  it("refuses more aliases on one level than MLFLOW_SERVER_GRAPHQL_MAX_ALIASES (batching one call)", () => {
    expect(check(`{ mlflowGetExperiment(input: {experimentId: "123"}) { ${aliases(12)} } }`)).toBe(
      "GraphQL queries should have at most 10 aliases, got 12 aliases. To increase the limit, set the MLFLOW_SERVER_GRAPHQL_MAX_ALIASES environment variable.",
    );
    expect(check(`{ x { ${aliases(3)} } }`, { ...DEFAULT_GRAPHQL_OPTIONS, maxAliases: 2 })).toContain("at most 2");
  });

  it("adds up aliases spread over sibling fragments", () => {
    const query = `{ x { ...A ...B } } fragment A on T { ${aliases(6)} } fragment B on T { ${aliases(6, "b")} }`;
    expect(check(query)).toContain("got 12 aliases");
  });

  it("checks root fields before aliases", () => {
    const roots = Array.from({ length: 12 }, (_, i) => `k${i}: test { output }`).join(" ");
    expect(check(`{ ${roots} }`)).toContain("root fields");
  });

  it("refuses a query nested deeper than 10 levels", () => {
    let inner = "name";
    for (let i = 0; i < 12; i++) inner = `name { ${inner} }`;
    expect(check(`query { mlflowGetExperiment(input: {experimentId: "123"}) { experiment { ${inner} } } }`)).toBe(
      "Query exceeds maximum depth of 10",
    );
    let ten = "a";
    for (let i = 0; i < 9; i++) ten = `a { ${ten} }`;
    expect(check(`{ ${ten} }`)).toBeUndefined();
  });

  it("refuses a fragment that spreads itself, at the depth limit", () => {
    expect(check(`{ x { ...F } } fragment F on T { y { ...F } }`)).toBe("Query exceeds maximum depth of 10");
  });

  it("refuses more than 1000 selections in all", () => {
    const fields = Array.from({ length: 1002 }, (_, i) => `field_${i} { name }`).join(" ");
    expect(check(`query { mlflowGetExperiment(input: {experimentId: "123"}) { experiment { ${fields} } } }`)).toBe(
      "Query exceeds maximum total selections of 1000",
    );
  });
});
