import { describe, expect, it } from "vitest";
import { parseIssueFilter } from "./issue-filter.js";

describe("parseIssueFilter", () => {
  it("reads comparisons of status and source_run_id joined by AND", () => {
    expect(parseIssueFilter(undefined)).toEqual([]);
    expect(parseIssueFilter(`status = 'resolved' and "source_run_id" != "r1"`)).toEqual([
      { key: "status", comparator: "=", value: "resolved" },
      { key: "source_run_id", comparator: "!=", value: "r1" },
    ]);
    // a dangling AND is ignored, as sqlparse leaves it
    expect(parseIssueFilter("status = 'a' AND")).toEqual([{ key: "status", comparator: "=", value: "a" }]);
  });

  it("refuses other fields, comparators and clauses with the reference's messages", () => {
    expect(() => parseIssueFilter("name = 'x'")).toThrow(
      "Invalid filter field 'name'. Supported fields: {'source_run_id', 'status'}",
    );
    expect(() => parseIssueFilter("`status` = 'x'")).toThrow("Invalid filter field '`status`'.");
    expect(() => parseIssueFilter("status LIKE 'x'")).toThrow(
      "Invalid comparator 'LIKE'. Supported comparators: {'=', '!='}",
    );
    expect(() => parseIssueFilter("status > 'x'")).toThrow("Invalid comparator '>'.");
    expect(() => parseIssueFilter("status = 'a' OR status = 'b'")).toThrow("Invalid clause(s) in filter string: OR");
    expect(() => parseIssueFilter("status")).toThrow("Invalid clause(s) in filter string: status");
  });
});
