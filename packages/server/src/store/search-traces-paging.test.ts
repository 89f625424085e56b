import { describe, expect, it } from "vitest";
import type { FixtureTrace } from "../search/trace-search-golden.test-helpers.js";
import { type SearchTracesArgs, searchTraces } from "./search-traces.js";
import { insertTraces, useTraceDb } from "./search-traces-db.test-helpers.js";

/**
 * Keyset paging: walking the pages of a search gives every matching trace once, in the order of a single page, even
 * where the sort keys tie or are missing; tokens only continue the search (order) they came from.
 */

// 60 traces over 6 timestamps, 3 statuses, some without a name, tag or execution time.
const TRACES: FixtureTrace[] = Array.from({ length: 60 }, (_, i) => ({
  id: `tr-${String((i * 37) % 60).padStart(3, "0")}`,
  exp: i % 7 === 0 ? 2 : 1,
  ts: 1000 * (i % 6),
  exec: i % 5 === 0 ? null : i % 4,
  state: ["OK", "ERROR", "IN_PROGRESS"][i % 3] as string,
  ...(i % 4 === 0 ? {} : { name: `n${i % 3}` }),
  tags: (i % 3 === 0 ? {} : { env: i % 2 ? "prod" : "dev" }) as Record<string, string>,
  metadata: (i % 5 === 1 ? {} : { user: `u${i % 4}` }) as Record<string, string>,
}));

const db = useTraceDb((h) => insertTraces(h, TRACES));

async function pages(args: Omit<SearchTracesArgs, "pageToken">, size: number): Promise<string[][]> {
  const out: string[][] = [];
  let token: string | undefined;
  do {
    const page = await searchTraces(db.h, { ...args, maxResults: size, ...(token ? { pageToken: token } : {}) });
    out.push(page.traces.map((t) => t.requestId));
    token = page.nextPageToken;
  } while (token && out.length < 100);
  return out;
}

const ORDERS: (string[] | undefined)[] = [
  undefined,
  ["timestamp_ms ASC"],
  ["status"],
  ["status DESC", "execution_time_ms"],
  ["execution_time_ms DESC"],
  ["name"],
  ["name DESC", "timestamp_ms"],
  ["tags.env DESC"],
  ["metadata.user"],
  ["request_id DESC"],
  ["experiment_id DESC"],
];

describe("searchTraces paging", () => {
  it.each(ORDERS.map((o) => [JSON.stringify(o ?? null), o] as const))(
    "pages %s completely and stably",
    async (_, orderBy) => {
      for (const filter of [undefined, "tags.env = 'prod'", "status != 'OK'"]) {
        const base = { experimentIds: ["1", "2"], filter, orderBy };
        const all = (await searchTraces(db.h, { ...base, maxResults: 1000 })).traces.map((t) => t.requestId);
        expect(new Set(all).size).toBe(all.length);
        for (const size of [1, 4, 7]) {
          // Listing a selective filter's matches from its index, and walking the experiment.
          for (const driverMaxRows of [undefined, 0]) {
            const walked = await pages({ ...base, driverMaxRows }, size);
            expect(walked.flat()).toEqual(all);
            expect(walked.slice(0, -1).every((p) => p.length === size)).toBe(true);
          }
        }
      }
    },
  );

  it("gives no token after the last row", async () => {
    const page = await searchTraces(db.h, { experimentIds: ["1", "2"], maxResults: 60 });
    expect(page.traces).toHaveLength(60);
    expect(page.nextPageToken).toBeUndefined();
  });

  it("accepts the reference's offset tokens", async () => {
    const all = (await searchTraces(db.h, { experimentIds: ["1"], maxResults: 1000 })).traces.map((t) => t.requestId);
    const token = Buffer.from(JSON.stringify({ offset: 5 })).toString("base64");
    const page = await searchTraces(db.h, { experimentIds: ["1"], maxResults: 3, pageToken: token });
    expect(page.traces.map((t) => t.requestId)).toEqual(all.slice(5, 8));
  });

  it("refuses a token from another order with the reference's message", async () => {
    const first = await searchTraces(db.h, { experimentIds: ["1"], maxResults: 2 });
    const token = first.nextPageToken as string;
    const decoded = Buffer.from(token, "base64").toString();
    await expect(
      searchTraces(db.h, { experimentIds: ["1"], maxResults: 2, orderBy: ["status"], pageToken: token }),
    ).rejects.toThrow(
      `Invalid page token, parsed value=${decoded.replaceAll('"', "'").replaceAll(",", ", ").replaceAll(":", ": ")}`,
    );
  });
});
