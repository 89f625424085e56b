import { describe, expect, it } from "vitest";
import { positional } from "./read-replica-statements.js";

describe("positional", () => {
  it("rewrites :name, @name and $name to ? with the values in order, repeated names repeated", () => {
    expect(positional({ sql: "INSERT INTO t VALUES (:a, @b, $c, :a)", args: { a: 1, b: "x", c: null } })).toEqual({
      sql: "INSERT INTO t VALUES (?, ?, ?, ?)",
      args: [1, "x", null, 1],
    });
    // Keys may carry the prefix too, as libSQL accepts them.
    expect(positional({ sql: "SELECT :k", args: { ":k": 2 } })).toEqual({ sql: "SELECT ?", args: [2] });
  });

  it("leaves strings, quoted names and comments alone", () => {
    const sql = `SELECT ':no', "@no", [$no], \`:no\` -- :no\n, /* @no */ json_extract(v, '$.a'), :yes`;
    expect(positional({ sql, args: { yes: 1 } })).toEqual({
      sql: `SELECT ':no', "@no", [$no], \`:no\` -- :no\n, /* @no */ json_extract(v, '$.a'), ?`,
      args: [1],
    });
  });

  it("passes positional statements through unchanged and refuses a missing value", () => {
    const stmt = { sql: "SELECT ?", args: [1] };
    expect(positional(stmt)).toBe(stmt);
    expect(positional("SELECT 1")).toBe("SELECT 1");
    expect(() => positional({ sql: "SELECT :gone", args: {} })).toThrow(/:gone/);
  });
});
