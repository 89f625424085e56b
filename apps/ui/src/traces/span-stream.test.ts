import { describe, expect, it } from "vitest";
import { bigTrace } from "./big-trace.test-helpers.js";
import errTrace from "./fixtures/get-trace-error.json" with { type: "json" };
import okTrace from "./fixtures/get-trace-ok.json" with { type: "json" };
import { SpanStreamParser } from "./span-stream.js";

/** Feeds `text` in pieces cut at `cuts` and returns what the parser made of it, and what each push returned. */
function feed(text: string, cuts: number[]) {
  const p = new SpanStreamParser();
  const pushed: number[] = [];
  let at = 0;
  for (const c of [...cuts, text.length]) {
    pushed.push(p.push(text.slice(at, c)).length);
    at = c;
  }
  return { ...p.finish(), pushed };
}

describe("streamed traces/get answers", () => {
  // The recorded answers, as the reference server writes them (compact, trace_info first).
  const texts = [JSON.stringify(okTrace), JSON.stringify(errTrace), JSON.stringify(okTrace, null, 2)];

  it("gives the same trace as JSON.parse, whatever two pieces the text comes in", { timeout: 60_000 }, () => {
    const wrong: number[] = [];
    for (const text of texts) {
      const whole = JSON.stringify(JSON.parse(text).trace);
      for (let cut = 0; cut <= text.length; cut++) {
        const got = feed(text, [cut]);
        if (JSON.stringify({ trace_info: got.trace_info, spans: got.spans }) !== whole) wrong.push(cut);
      }
    }
    expect(wrong).toEqual([]);
  });

  it("hands out spans as their text completes, in many small pieces", () => {
    const text = JSON.stringify(okTrace);
    const cuts = Array.from({ length: Math.floor(text.length / 7) }, (_, i) => (i + 1) * 7);
    const got = feed(text, cuts);
    expect(got.spans.map((s) => s.name)).toEqual(["answer", "retrieve", "llm"]);
    expect(got.pushed.reduce((a, b) => a + b, 0)).toBe(3);
    // Spans come out before the end of the text.
    const firstOut = got.pushed.findIndex((n) => n > 0);
    expect(firstOut).toBeLessThan(got.pushed.length - 1);
  });

  it("parses other layouts at the end (spans before the info, strings with brackets and escapes)", () => {
    const spans = okTrace.trace.spans.map((s) => ({ ...s, name: 'a "quoted" [name] {x} \\ end' }));
    const text = JSON.stringify({ trace: { spans, trace_info: okTrace.trace.trace_info } });
    for (const cut of [1, 50, 500, text.length - 3]) {
      const got = feed(text, [cut]);
      expect(got.spans.map((s) => s.name)).toEqual(spans.map((s) => s.name));
      expect(got.trace_info.trace_id).toBe(okTrace.trace.trace_info.trace_id);
    }
    expect(feed(JSON.stringify({ trace: { trace_info: okTrace.trace.trace_info } }), [10]).spans).toEqual([]);
    expect(() => feed('{"trace": {"spans": [{"a": 1}', [5])).toThrow(SyntaxError);
  });

  it("streams a 50,000-span answer in 64 KiB pieces", { timeout: 60_000 }, () => {
    const spans = bigTrace(50_000);
    const text = JSON.stringify({ trace: { trace_info: okTrace.trace.trace_info, spans } });
    const cuts = Array.from({ length: Math.floor(text.length / 65536) }, (_, i) => (i + 1) * 65536);
    const got = feed(text, cuts);
    expect(got.spans.length).toBe(50_000);
    expect(got.spans[49_999]).toEqual(spans[49_999]);
    expect(got.pushed[0]).toBeGreaterThan(0);
  });
});
