import type { ResponseOf, TraceInfoV3 } from "@tracklite/schemas";
import { describe, expect, it } from "vitest";
import got from "./fixtures/get-trace-ok.json" with { type: "json" };
import page1 from "./fixtures/search-page-1.json" with { type: "json" };
import {
  assessmentValue,
  durationMs,
  formatLatency,
  keysSeen,
  previewText,
  requestTimeMs,
  sourceRun,
  tokenUsage,
  traceName,
  userTags,
} from "./trace-info.js";

// Recorded from MLflow 3.17.2's server (see fixtures/): what the UI really receives.
const traces = (page1 as ResponseOf<"searchTracesV3">).traces ?? [];
const ok = got.trace.trace_info as TraceInfoV3;
/** A minimal trace info with `patch` over it. */
const info = (patch: Partial<TraceInfoV3>): TraceInfoV3 => ({
  trace_id: "tr-1",
  trace_location: { type: "MLFLOW_EXPERIMENT", mlflow_experiment: { experiment_id: "1" } },
  request_time: "",
  state: "OK",
  ...patch,
});

describe("trace info", () => {
  it("reads request_time (RFC 3339) and execution_duration (a Duration)", () => {
    expect(requestTimeMs(ok)).toBe(Date.parse("2026-12-06T07:31:02.709Z"));
    expect(requestTimeMs(info({ request_time: "1700000000000" }))).toBe(1700000000000);
    expect(requestTimeMs(info({}))).toBeUndefined();
    expect(durationMs(ok.execution_duration)).toBeCloseTo(324);
    expect(durationMs("12s")).toBe(12000);
    expect(durationMs("nope")).toBeUndefined();
  });

  it("reads token usage, name, source run and user tags", () => {
    expect(tokenUsage(ok)).toEqual({ input: 12, output: 7, total: 19 });
    expect(tokenUsage(info({ trace_metadata: { "mlflow.trace.tokenUsage": "not json" } }))).toBeUndefined();
    expect(tokenUsage(info({ trace_metadata: { "mlflow.trace.tokenUsage": '{"input_tokens": 3}' } }))).toEqual({
      input: 3,
      output: undefined,
      total: 3,
    });
    expect(traceName(ok)).toBe("answer");
    expect(sourceRun(ok)).toBe("a9edac8e7067490b8176c85efd4071fa");
    expect(Object.fromEntries(userTags(ok))).toEqual({ team: "qa", env: "test" });
  });

  it("previews requests and responses as one line of text", () => {
    expect(previewText(ok.request_preview)).toBe("What is the capital of France?");
    expect(previewText(ok.response_preview)).toBe("Paris.");
    expect(previewText('{"x": 3}')).toBe('{"x":3}');
    expect(previewText('{"messages": [{"role": "user", "content": "hi\\nthere"}]}')).toBe("hi there");
    expect(previewText("not json at all")).toBe("not json at all");
    expect(previewText(`"${"a".repeat(400)}"`, 10)).toBe(`${"a".repeat(9)}…`);
  });

  it("shows assessment values of feedback and expectations", () => {
    const [fb, ex] = ok.assessments ?? [];
    expect(fb && assessmentValue(fb)).toBe("true");
    expect(ex && assessmentValue(ex)).toBe("Paris");
    expect(assessmentValue({ assessment_id: "a", assessment_name: "n", feedback: { value: { k: 1 } } })).toBe(
      '{"k":1}',
    );
    expect(
      assessmentValue({ assessment_id: "a", assessment_name: "n", feedback: { error: { error_message: "boom" } } }),
    ).toBe("error: boom");
  });

  it("collects the keys the filter box offers", () => {
    const keys = keysSeen([...traces, ok]);
    expect(keys.tags).toContain("env");
    expect(keys.metadata).toContain("mlflow.sourceRun");
    expect(keys.feedback).toEqual(["correct", "score"]);
    expect(keys.expectation).toEqual(["expected_answer"]);
    expect(keys.names).toEqual(["answer", "broken"]);
  });

  it("formats latencies below a millisecond", () => {
    expect(formatLatency(0.331)).toBe("0.33ms");
    expect(formatLatency(4.26)).toBe("4.3ms");
    expect(formatLatency(324)).toBe("324ms");
    expect(formatLatency(1500)).toBe("1.5s");
    expect(formatLatency(undefined)).toBe("");
  });
});
