// @vitest-environment happy-dom
import { describe, expect, it } from "vitest";
import page1 from "./fixtures/search-page-1.json" with { type: "json" };
import page2 from "./fixtures/search-page-2.json" with { type: "json" };
import { effectiveFilter, mergeFirstPage } from "./traces-data.js";
import type { TraceInfo } from "./wire.js";

const [newest, middle] = page1.traces as TraceInfo[];
const [oldest] = page2.traces as TraceInfo[];

describe("traces data", () => {
  it("joins a run's clause and the user's filter", () => {
    expect(effectiveFilter({ filter: "", runId: undefined })).toBe("");
    expect(effectiveFilter({ filter: " trace.status = 'OK' ", runId: undefined })).toBe("trace.status = 'OK'");
    expect(effectiveFilter({ filter: "", runId: "abc" })).toBe("trace.run_id = 'abc'");
    expect(effectiveFilter({ filter: "tags.env = 'x'", runId: "abc" })).toBe("trace.run_id = 'abc' and tags.env = 'x'");
  });

  it("puts traces newer than the loaded ones on top and updates loaded ones in place", () => {
    const rows = [middle, oldest] as TraceInfo[];
    const reviewed = { ...(middle as TraceInfo), tags: { ...middle?.tags, reviewed: "yes" } };
    const merged = mergeFirstPage(rows, [newest as TraceInfo, reviewed], "timestamp_ms DESC");
    expect(merged.added.map((t) => t.trace_id)).toEqual([newest?.trace_id]);
    expect(merged.rows.map((t) => t.trace_id)).toEqual([newest, middle, oldest].map((t) => t?.trace_id));
    expect(merged.rows[1]?.tags?.reviewed).toBe("yes");
  });

  it("keeps the same rows when nothing changed, and adds nothing in another order", () => {
    const rows = [middle, oldest] as TraceInfo[];
    expect(mergeFirstPage(rows, [middle as TraceInfo], "timestamp_ms DESC").rows).toBe(rows);
    const slow = mergeFirstPage(rows, [newest as TraceInfo], "execution_time_ms DESC");
    expect(slow.added).toEqual([]);
    expect(slow.rows).toBe(rows);
  });
});
