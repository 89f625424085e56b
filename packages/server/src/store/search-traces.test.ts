import { describe, expect, it } from "vitest";
import type { MlflowError } from "../errors.js";
import { sortSets } from "../search/trace-grammar-golden.test-helpers.js";
import { type GoldenQuery, TRACE_FIXTURE, TRACE_SEARCH_GOLDEN } from "../search/trace-search-golden.test-helpers.js";
import { searchTraces } from "./search-traces.js";
import { FIXTURE_RUN_ID, insertTraces, useTraceDb } from "./search-traces-db.test-helpers.js";

/**
 * search_traces over a libSQL file holding the fixture, against what the reference returned for the same data: the
 * same traces in the same order, or the same error message.
 */

/**
 * Where tracklite answers differently on purpose: the reference hands the tuple to the SQLite driver and answers with
 * the driver's error and the whole SQL statement (a 500); tracklite says what is wrong (a 400).
 */
const DELIBERATE: Record<string, { error: string }> = {
  "tags.env = ('prod')": {
    error: "Error binding parameter: a list of values can only be compared with IN or NOT IN, not '='",
  },
};

const db = useTraceDb((h) => insertTraces(h, TRACE_FIXTURE));

async function run(q: GoldenQuery, driverMaxRows?: number) {
  try {
    const page = await searchTraces(db.h, {
      experimentIds: (q.exp ?? [1]).map(String),
      filter: q.filter?.replaceAll("'RUN'", `'${FIXTURE_RUN_ID}'`),
      orderBy: q.order_by,
      maxResults: q.max ?? 100,
      pageToken: q.token,
      driverMaxRows,
    });
    return page.traces.map((t) => t.requestId);
  } catch (e) {
    return { error: sortSets((e as MlflowError).message) };
  }
}

describe("searchTraces against the reference", () => {
  it.each(TRACE_SEARCH_GOLDEN.map(([q, r]) => [JSON.stringify(q), q, r] as const))("%s", async (_, q, expected) => {
    const deliberate = q.filter === undefined ? undefined : DELIBERATE[q.filter];
    const want = Array.isArray(expected) ? expected : { error: sortSets((deliberate ?? expected).error) };
    // Listing selective filters from their index (the default here) and walking the experiment agree.
    expect(await run(q)).toEqual(want);
    expect(await run(q, 0)).toEqual(want);
  });
});

describe("searchTraces checks in the reference's order", () => {
  // Recorded from the reference's store with several mistakes in one call: the first check made is reported.
  const CASES: [GoldenQuery, RegExp][] = [
    [{ exp: ["x"], max: 0 }, /^Invalid value 0 for parameter 'max_results' supplied/],
    [{ exp: ["x"], order_by: ["foo"] }, /^invalid literal for int\(\) with base 10: 'x'$/],
    [{ order_by: ["foo"], filter: "bar = 'x'" }, /^Invalid attribute key 'foo' specified/],
    [{ filter: "bar = 'x'", token: "abc" }, /^Invalid attribute key 'bar' specified/],
    [{ exp: ["1.5", "x"], max: 0 }, /^Locations must be a list of experiment IDs. Found invalid experiment IDs: 1.5.$/],
  ];
  it.each(CASES.map(([q, m]) => [JSON.stringify(q), q, m] as const))("%s", async (_, q, message) => {
    const r = await run(q);
    expect(Array.isArray(r) ? r : r.error).toMatch(message);
  });
});
