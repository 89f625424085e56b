// @vitest-environment happy-dom
import type { TraceInfoV3 } from "@tracklite/schemas";
import { describe, expect, it } from "vitest";
import page1 from "./fixtures/search-page-1.json" with { type: "json" };
import page2 from "./fixtures/search-page-2.json" with { type: "json" };
import { effectiveFilter, mergeFirstPage } from "./traces-data.js";

const [newest, middle] = page1.traces as TraceInfoV3[];
const [oldest] = page2.traces as TraceInfoV3[];

describe("traces data", () => {
  it("joins a run's clause and the user's filter", () => {
    expect(effectiveFilter({ filter: "", runId: undefined })).toBe("");
    expect(effectiveFilter({ filter: " trace.status = 'OK' ", runId: undefined })).toBe("trace.status = 'OK'");
    expect(effectiveFilter({ filter: "", runId: "abc" })).toBe("trace.run_id = 'abc'");
    expect(effectiveFilter({ filter: "tags.env = 'x'", runId: "abc" })).toBe("trace.run_id = 'abc' and tags.env = 'x'");
  });

  it("puts traces newer than the loaded ones on top and updates loaded ones in place", () => {
    const rows = [middle, oldest] as TraceInfoV3[];
    const reviewed = { ...(middle as TraceInfoV3), tags: { ...middle?.tags, reviewed: "yes" } };
    const merged = mergeFirstPage(rows, [newest as TraceInfoV3, reviewed], "timestamp_ms DESC");
    expect(merged.added.map((t) => t.trace_id)).toEqual([newest?.trace_id]);
    expect(merged.rows.map((t) => t.trace_id)).toEqual([newest, middle, oldest].map((t) => t?.trace_id));
    expect(merged.rows[1]?.tags?.reviewed).toBe("yes");
  });

  it("keeps the same rows when nothing changed, and adds nothing in another order", () => {
    const rows = [middle, oldest] as TraceInfoV3[];
    expect(mergeFirstPage(rows, [middle as TraceInfoV3], "timestamp_ms DESC").rows).toBe(rows);
    const slow = mergeFirstPage(rows, [newest as TraceInfoV3], "execution_time_ms DESC");
    expect(slow.added).toEqual([]);
    expect(slow.rows).toBe(rows);
  });
});
