import { describe, expect, it } from "vitest";
import { MlflowError } from "../errors.js";
import { compileRunSearch, type RunSearchQuery } from "./run-search-sql.js";
import { useSearchDb } from "./search-db.test-helpers.js";
import { RUN_GOLDEN } from "./search-golden.test-helpers.js";

const db = useSearchDb();

const base: RunSearchQuery = { experimentIds: [1], viewType: "ACTIVE_ONLY", maxResults: 10 };

function errorOf(q: Partial<RunSearchQuery>): [string, string] {
  try {
    compileRunSearch({ ...base, ...q });
  } catch (e) {
    if (e instanceof MlflowError) return [e.code, e.message];
    throw e;
  }
  throw new Error("compiled");
}

describe("compileRunSearch against the reference's results", () => {
  it.each(RUN_GOLDEN)("%j", async (q, expected) => {
    expect((await db.runs(q)).names).toEqual(expected);
  });
});

describe("keyset paging", () => {
  it.each([1, 2, 3, 4, 7])("pages of %i concatenate to the full result, for every recorded query", async (size) => {
    for (const [q, expected] of RUN_GOLDEN) {
      const pages = await db.allRuns(q, size);
      expect(pages.flat(), JSON.stringify(q)).toEqual(expected);
      // Every page but the last is full, and an empty last page only happens for an empty result.
      for (const p of pages.slice(0, -1)) expect(p).toHaveLength(size);
      if (expected.length > 0) expect(pages.at(-1)?.length).toBeGreaterThan(0);
    }
  });

  it("returns no token when the page holds the last row", async () => {
    // Experiment 1 has ten active runs.
    expect((await db.runs({ maxResults: 9 })).token).toBeDefined();
    expect((await db.runs({ maxResults: 10 })).token).toBeUndefined();
    expect((await db.runs({ filter: "params.p = 'a'", maxResults: 1 })).token).toBeUndefined();
  });

  it("never uses OFFSET, and seeks the experiment/start_time index on later pages of the default order", async () => {
    const first = await db.runs({ maxResults: 3 });
    const compiled = compileRunSearch({ ...base, maxResults: 3, pageToken: first.token as string });
    expect(compiled.sql).not.toMatch(/offset/i);
    const plan = await db.client.execute({ sql: `EXPLAIN QUERY PLAN ${compiled.sql}`, args: compiled.args });
    expect(plan.rows.map((r) => String(r.detail)).join("\n")).toMatch(
      /USING INDEX runs_experiment_start \(experiment_id=\? AND start_time<\?\)/,
    );
  });

  it("carries base64url JSON tokens that are refused by a different ordering", async () => {
    const { token } = await db.runs({ orderBy: ["metrics.m DESC"], maxResults: 2 });
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(errorOf({ orderBy: ["params.p"], pageToken: token as string })[1]).toMatch(
      /^Invalid page token, parsed value=/,
    );
    expect(() => compileRunSearch({ ...base, orderBy: ["metrics.m DESC"], pageToken: token as string })).not.toThrow();
  });

  it.each([
    ["!!!", "Invalid page token, could not base64-decode"],
    ["a", "Invalid page token, could not base64-decode"],
    [btoa("not json"), "Invalid page token, decoded value=not json"],
    [btoa('{"offset": 10}'), 'Invalid page token, parsed value={"offset": 10}'],
    [btoa('{"s":"n-t+","v":["x","y"]}'), 'Invalid page token, parsed value={"s":"n-t+","v":["x","y"]}'],
    [btoa('{"s":"n-t+","v":[1]}'), 'Invalid page token, parsed value={"s":"n-t+","v":[1]}'],
  ])("refuses the token %s", (token, message) => {
    expect(errorOf({ pageToken: token })).toEqual(["INVALID_PARAMETER_VALUE", message]);
  });

  it("pages through ties on every sort key by run_uuid", async () => {
    const pages = await db.allRuns({ orderBy: ["attributes.status", "tags.t DESC"], viewType: "ALL" }, 1);
    const once = await db.runs({ orderBy: ["attributes.status", "tags.t DESC"], viewType: "ALL" });
    expect(pages.flat()).toEqual(once.names);
    expect(new Set(pages.flat()).size).toBe(11);
  });
});

describe("compiled SQL", () => {
  it("binds every user value and never writes one into the SQL", () => {
    const evil = "x'); DROP TABLE runs; --";
    const q = compileRunSearch({
      ...base,
      filter: `params.\`${evil}\` = '${evil.replaceAll("'", "")}' AND tags.t LIKE 'a%' AND datasets.context IN ('c')`,
      orderBy: [`tags.\`${evil}\` DESC`],
    });
    expect(q.sql).not.toContain("DROP");
    expect(q.args).toContain(evil);
    expect(q.args).toContain("a*");
  });

  it("writes infinities as literals, since libSQL cannot bind them", () => {
    const q = compileRunSearch({ ...base, filter: "metrics.m < 1e999 AND attributes.end_time > -1e999" });
    expect(q.sql).toContain("9e999");
    expect(q.args.every((a) => typeof a === "string" || Number.isFinite(a))).toBe(true);
  });

  it("selects r.id, r.run_uuid and the sort keys k0.. and asks for one row more than a page", () => {
    const q = compileRunSearch({ ...base, orderBy: ["metrics.m"], maxResults: 5 });
    expect(q.sql).toMatch(/^SELECT r\.id, r\.run_uuid, .* AS k0, .* AS k1, r\.start_time AS k2, r\.run_uuid AS k3\n/);
    expect(q.sql).toMatch(/LIMIT 6$/);
  });

  it("checks the filter, then order_by, then comparators, then the token, as the reference does", () => {
    expect(errorOf({ filter: "params.p = a", orderBy: ["bad key"] })[1]).toMatch(
      /^Parameter value is either not quoted/,
    );
    expect(errorOf({ filter: "params.p > 'a'", orderBy: ["foo.bar"] })[1]).toMatch(/^Invalid entity type 'foo'/);
    expect(errorOf({ filter: "params.p > 'a'", pageToken: "!!!" })[1]).toMatch(/^Invalid comparator '>'/);
  });

  it("returns nothing for no experiment ids", async () => {
    expect((await db.runs({ experimentIds: [] })).names).toEqual([]);
  });
});
