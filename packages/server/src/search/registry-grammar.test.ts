import { describe, expect, it } from "vitest";
import { MlflowError } from "../errors.js";
import { parseModelVersionFilter, parseRegisteredModelFilter } from "./registry-grammar.js";
import { parseModelVersionOrderBy, parseRegisteredModelOrderBy } from "./registry-order-by.js";
import { decodeRegistryPageToken, encodeOffsetToken } from "./registry-page-token.js";
import { compileModelVersionSearch, compileRegisteredModelSearch, splitPromptClauses } from "./registry-search-sql.js";

const messageOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    if (e instanceof MlflowError) return `${e.code} ${e.status}: ${e.message}`;
    throw e;
  }
  throw new Error("no error");
};

describe("registered model filters", () => {
  it("reads names, tags and lists, upper-casing comparators", () => {
    expect(parseRegisteredModelFilter("name like 'a%' AND tags.`team` = \"x\" AND name IN ('a', 'b')")).toEqual([
      { type: "attribute", key: "name", comparator: "LIKE", value: "a%" },
      { type: "tag", key: "team", comparator: "=", value: "x" },
      { type: "attribute", key: "name", comparator: "IN", value: ["a", "b"] },
    ]);
    expect(parseRegisteredModelFilter("attribute.name != 'x' AND tag.t ILIKE 'y'")).toHaveLength(2);
  });

  it("refuses what the reference refuses, with its messages", () => {
    expect(messageOf(() => parseRegisteredModelFilter("`name` = 'x'"))).toBe(
      "INVALID_PARAMETER_VALUE 400: Invalid attribute key '`name`' specified. Valid keys are '{'name'}'",
    );
    expect(messageOf(() => parseRegisteredModelFilter("metrics.a > 1"))).toBe(
      "INVALID_PARAMETER_VALUE 400: Invalid entity type 'metrics'. Valid entity types are ('attribute', 'tag', 'tags')",
    );
    expect(messageOf(() => parseRegisteredModelFilter("name = 5"))).toMatch(
      /Expected a quoted string value or a list of quoted string values for attributes. Got value 5$/,
    );
    expect(messageOf(() => parseRegisteredModelFilter("name > 'a'"))).toMatch(/Invalid comparator for attribute: >$/);
    expect(messageOf(() => parseRegisteredModelFilter("tags.t IN ('a')"))).toMatch(
      /Expected a quoted string value for tag \(e.g. 'my-value'\). Got value \('a'\)$/,
    );
    expect(messageOf(() => parseRegisteredModelFilter("tags.t > 'a'"))).toMatch(/Invalid comparator for tag: >$/);
    expect(messageOf(() => parseRegisteredModelFilter("name = 'a' OR name = 'b'"))).toMatch(
      /Invalid clause\(s\) in filter string: OR$/,
    );
    expect(messageOf(() => parseRegisteredModelFilter("tags.t IS NULL"))).toMatch(/^INVALID_PARAMETER_VALUE 400/);
  });
});

describe("model version filters", () => {
  it("compares version_number as an integer, quoted or not", () => {
    expect(parseModelVersionFilter("version_number >= 2 AND version_number != '3'")).toEqual([
      { type: "attribute", key: "version_number", comparator: ">=", value: 2 },
      { type: "attribute", key: "version_number", comparator: "!=", value: 3 },
    ]);
    expect(parseModelVersionFilter("run_id IN ('a') AND source_path LIKE 's3://%'")).toHaveLength(2);
  });

  it("refuses floats, lists and patterns on version_number, and lists on source_path", () => {
    expect(messageOf(() => parseModelVersionFilter("version_number = 2.0"))).toMatch(
      /Invalid value for numeric attribute 'version_number': 2.0$/,
    );
    expect(messageOf(() => parseModelVersionFilter("version_number = 'x'"))).toMatch(
      /Invalid value for numeric attribute 'version_number': 'x'$/,
    );
    expect(messageOf(() => parseModelVersionFilter("version_number LIKE '1'"))).toMatch(
      /Invalid comparator for attribute version_number: LIKE$/,
    );
    expect(messageOf(() => parseModelVersionFilter("source_path IN ('x')"))).toMatch(
      /Only \['name', 'run_id'\] attributes support comparison with a list of quoted string values.$/,
    );
    expect(messageOf(() => parseModelVersionFilter("name = 5"))).toMatch(/support comparison with numeric values.$/);
    expect(messageOf(() => parseModelVersionFilter("source = 'x'"))).toMatch(
      /Invalid clause\(s\) in filter string: source, =, 'x'$/,
    );
  });

  it("hides prompts unless the first clause on the prompt tag asks for them", () => {
    const tag = (comparator: "=" | "!=" | "LIKE", value: string) =>
      ({ type: "tag", key: "mlflow.prompt.is_prompt", comparator, value }) as const;
    expect(splitPromptClauses([tag("=", "TRUE")]).hidePrompts).toBe(false);
    expect(splitPromptClauses([tag("!=", "false")]).hidePrompts).toBe(false);
    expect(splitPromptClauses([tag("!=", "true"), tag("=", "true")])).toEqual({ clauses: [], hidePrompts: true });
    expect(splitPromptClauses([tag("LIKE", "t%")])).toEqual({ clauses: [], hidePrompts: true });
  });
});

describe("registry order_by", () => {
  it("maps timestamp to the update time and appends the tie-breakers", () => {
    expect(parseRegisteredModelOrderBy(["timestamp DESC"])).toEqual([
      { field: "last_updated_time", ascending: false },
      { field: "name", ascending: true },
    ]);
    expect(parseModelVersionOrderBy(undefined)).toEqual([
      { field: "last_updated_time", ascending: false },
      { field: "name", ascending: true },
      { field: "version", ascending: false },
    ]);
    expect(parseModelVersionOrderBy(["`version_number` ASC"])).toEqual([
      { field: "version", ascending: true },
      { field: "name", ascending: true },
    ]);
  });

  it("refuses unknown and repeated fields (duplicates with 400, not the reference's 500)", () => {
    expect(messageOf(() => parseRegisteredModelOrderBy(["creation_timestamp"]))).toMatch(
      /Invalid order by key 'creation_timestamp' specified. Valid keys are '\{'name', 'timestamp'\}'$/,
    );
    expect(messageOf(() => parseRegisteredModelOrderBy(["timestamp", "last_updated_timestamp"]))).toBe(
      "INTERNAL_ERROR 400: `order_by` contains duplicate fields: ['timestamp', 'last_updated_timestamp']",
    );
    expect(messageOf(() => parseModelVersionOrderBy(["tags.x"]))).toMatch(/Invalid order by key 'x' specified./);
    expect(messageOf(() => parseModelVersionOrderBy(["run_id"]))).toMatch(/Invalid attribute key 'run_id'/);
  });
});

describe("registry page tokens", () => {
  it("are the reference's base64 offsets", () => {
    expect(encodeOffsetToken(100)).toBe("eyJvZmZzZXQiOiAxMDB9");
    expect(decodeRegistryPageToken(encodeOffsetToken(7))).toBe(7);
    expect(decodeRegistryPageToken(btoa('{"offset": "3"}'))).toBe(3);
    expect(decodeRegistryPageToken(undefined)).toBe(0);
  });

  it("refuse bad tokens with the reference's messages", () => {
    expect(messageOf(() => decodeRegistryPageToken("garbage"))).toMatch(/could not base64-decode$/);
    expect(messageOf(() => decodeRegistryPageToken(btoa("notjson")))).toMatch(/decoded value=b'notjson'$/);
    expect(messageOf(() => decodeRegistryPageToken(btoa('{"offset": 0}')))).toMatch(/parsed value=\{'offset': 0\}$/);
    expect(messageOf(() => decodeRegistryPageToken(btoa('{"offset": "x"}')))).toMatch(/not stringable x$/);
  });
});

describe("registry SQL", () => {
  it("binds every value and pages by offset", () => {
    const q = compileRegisteredModelSearch({
      filter: "name LIKE 'a%' AND tags.t = 'x'",
      maxResults: 10,
      pageToken: encodeOffsetToken(20),
    });
    expect(q.offset).toBe(20);
    expect(q.args).toEqual(["a*", "t", "x", "mlflow.prompt.is_prompt", 11, 20]);
    expect(q.sql).toMatch(/ORDER BY m\.name LIMIT \? OFFSET \?$/);
    const v = compileModelVersionSearch({ filter: "version_number > 1", maxResults: 5 });
    expect(v.sql).toMatch(/v\.current_stage != 'Deleted_Internal' AND v\.version > \?/);
    expect(v.sql).toMatch(/ORDER BY v\.last_updated_time DESC, m\.name, v\.version DESC/);
  });
});
