import { describe, expect, it } from "vitest";
import { parseDatasetFilter, parseDatasetOrderBy } from "./dataset-grammar.js";

describe("datasets filter grammar", () => {
  it("reads attributes, tags and lists", () => {
    expect(parseDatasetFilter("name = 'a' AND tags.team LIKE 'm%' AND created_time > 5")).toEqual([
      { type: "attribute", key: "name", comparator: "=", value: "a" },
      { type: "tag", key: "team", comparator: "LIKE", value: "m%" },
      { type: "attribute", key: "created_time", comparator: ">", value: 5 },
    ]);
    expect(parseDatasetFilter("name IN ('a', 'b')")[0]?.value).toEqual(["a", "b"]);
    expect(parseDatasetFilter('name = "x"')[0]?.value).toBe("x");
    // not one of the string comparators the reference checks: it compares as text
    expect(parseDatasetFilter("name > 'a'")[0]?.comparator).toBe(">");
  });

  it.each([
    ["foo = 1", "Invalid attribute key 'foo' specified. Valid keys are: {"],
    ["x.y = 'a'", "Invalid identifier token 'x' specified"],
    ["created_time > 5.5", "Invalid value for numeric attribute 'created_time': '5.5'"],
    ["created_time LIKE 5", "Invalid comparator for numeric attribute: LIKE"],
    ["name = ('a')", "List values for 'name' are only supported with the IN comparator."],
    ["created_by IN ('a')", "Only ['name'] attributes support comparison with a list of quoted string values."],
    ["tags.i > '1'", "Invalid comparator for tag: >"],
    ["tags.i IS NULL", "Invalid comparator for tag: IS NULL"],
    ["name IS NULL", "IS NULL / IS NOT NULL is only supported for tags and params, not for 'attribute' 'name'"],
    ["name = 'a' OR name = 'b'", "Invalid clause(s) in filter string: OR"],
  ])("refuses %s", (filter, message) => {
    expect(() => parseDatasetFilter(filter)).toThrow(message);
  });

  it("orders by created_time DESC by default, dataset_id breaking ties", () => {
    expect(parseDatasetOrderBy(undefined)).toEqual([
      { column: "created_time", ascending: false },
      { column: "dataset_id", ascending: false },
    ]);
    expect(parseDatasetOrderBy(["name"])[0]).toEqual({ column: "name", ascending: true });
    expect(() => parseDatasetOrderBy(["tags.a"])).toThrow("Invalid order_by entity: tag");
    expect(() => parseDatasetOrderBy(["created_by"])).toThrow("Invalid attribute key 'created_by' specified");
  });
});
