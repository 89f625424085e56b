import type { Span } from "@tracklite/schemas";
import { describe, expect, it } from "vitest";
import { bigTrace, spanId } from "./big-trace.test-helpers.js";
import okTrace from "./fixtures/get-trace-ok.json" with { type: "json" };
import { ancestors, spanTreeOf, visibleRows } from "./span-tree.js";

const span = (id: number, parent: number | undefined, start: number, end = start + 10): Span => ({
  trace_id: "t",
  span_id: spanId(id),
  ...(parent === undefined ? {} : { parent_span_id: spanId(parent) }),
  name: `s${id}`,
  start_time_unix_nano: start * 1e6,
  end_time_unix_nano: end * 1e6,
});

describe("span tree", () => {
  it("builds the recorded trace: one root, children in start order, types and extent", () => {
    const t = spanTreeOf(okTrace.trace.spans as Span[]);
    expect(t.roots).toEqual([0]);
    expect([...visibleRows(t, new Set())].map((i) => t.names[i])).toEqual(["answer", "retrieve", "llm"]);
    expect(t.types).toEqual(["AGENT", "RETRIEVER", "CHAT_MODEL"]);
    expect(t.t1 - t.t0).toBeCloseTo(324.3, 0);
    expect([...t.depth]).toEqual([0, 1, 1]);
  });

  it("orders children by start time when the server does not", () => {
    const t = spanTreeOf([span(2, 0, 30), span(0, undefined, 0, 100), span(1, 0, 10)]);
    expect([...visibleRows(t, new Set())].map((i) => t.names[i])).toEqual(["s0", "s1", "s2"]);
  });

  it("makes spans with a missing parent roots, and breaks parent cycles", () => {
    const t = spanTreeOf([span(0, 99, 0), span(1, 2, 1), span(2, 1, 2), span(3, 0, 3)]);
    const rows = [...visibleRows(t, new Set())].map((i) => t.names[i]);
    expect(rows.sort()).toEqual(["s0", "s1", "s2", "s3"]);
    expect(t.roots.map((i) => t.names[i])).toContain("s0");
    expect(t.depth[3]).toBe(1);
  });

  it("hides the descendants of collapsed spans and finds ancestors", () => {
    const t = spanTreeOf(bigTrace(21));
    expect(visibleRows(t, new Set()).length).toBe(21);
    // Span 1's children are 5..8 (theirs would start at 21): collapsing 1 hides 4 rows.
    expect(visibleRows(t, new Set([1])).length).toBe(21 - 4);
    expect(visibleRows(t, new Set([0]))).toEqual(new Int32Array([0]));
    expect(ancestors(t, 20)).toEqual([4, 0]);
  });

  // No time is asserted (the machine is shared); bench/ui-trace-open.mjs measures the whole open in Chromium.
  it("indexes a 50,000-span trace", () => {
    const spans = bigTrace(50_000);
    const t = spanTreeOf(spans);
    const rows = visibleRows(t, new Set());
    expect(t.n).toBe(50_000);
    expect(rows.length).toBe(50_000);
    expect(t.roots).toEqual([0]);
    expect(t.error.reduce((s, x) => s + x, 0)).toBe(Math.floor((50_000 - 6) / 97) + 1);
    expect(t.depth[49_999]).toBe(8);
    expect(ancestors(t, 49_999).length).toBe(8);
  });
});
