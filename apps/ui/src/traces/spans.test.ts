import type { Span } from "@tracklite/schemas";
import { describe, expect, it } from "vitest";
import errTrace from "./fixtures/get-trace-error.json" with { type: "json" };
import okTrace from "./fixtures/get-trace-ok.json" with { type: "json" };
import {
  anyValue,
  exceptionOf,
  idHex,
  nanosToMs,
  spanAttribute,
  spanAttributes,
  spanEvents,
  spanStatus,
} from "./spans.js";

const [root, retrieve, llm] = okTrace.trace.spans as Span[];
const [broken] = errTrace.trace.spans as Span[];

describe("spans as traces/get sends them", () => {
  it("decodes base64 ids and keeps hex ones", () => {
    expect(idHex(root?.span_id)).toBe("cadc79f91fabffda");
    expect(idHex(root?.trace_id)).toBe("c75728 56b4152be6fbda57d55fba9827".replace(" ", ""));
    expect(idHex("0xCADC79F91FABFFDA")).toBe("cadc79f91fabffda");
    expect(idHex(undefined)).toBe("");
  });

  it("reads int64 nanoseconds given as numbers or exact strings", () => {
    // As JSON.parse reads the reference's int64 numbers: already rounded to a double.
    expect(nanosToMs(1796542262709803000)).toBeCloseTo(1796542262709.803, 2);
    expect(nanosToMs("1796542262709803098")).toBe(1796542262709 + 0.803098);
    expect(nanosToMs(undefined)).toBeNaN();
  });

  it("decodes AnyValue attributes: strings, ints, kvlists, arrays", () => {
    expect(anyValue({ array_value: { values: [{ int_value: "3" }, { bool_value: false }] } })).toEqual([3, false]);
    const a = spanAttributes(root as Span);
    expect(a["mlflow.spanType"]).toBe("AGENT");
    expect(a["mlflow.spanInputs"]).toEqual({ question: "What is the capital of France?" });
    expect(a["mlflow.spanOutputs"]).toBe("Paris.");
    expect(spanAttribute(llm as Span, "mlflow.chat.tokenUsage")).toEqual({
      input_tokens: 12,
      output_tokens: 7,
      total_tokens: 19,
    });
    expect(spanAttribute(retrieve as Span, "mlflow.spanType")).toBe("RETRIEVER");
  });

  it("decodes the artifact form (every value JSON) and JSON-encoded MLflow strings of the list form", () => {
    const span: Span = {
      trace_id: "t",
      span_id: "aa",
      name: "n",
      start_time_unix_nano: 0,
      attributes: {
        "mlflow.spanType": '"LLM"',
        "mlflow.spanInputs": '{"messages": []}',
        "mlflow.spanLogLevel": "20",
        "user.note": '"text"',
      } as unknown as Span["attributes"],
    };
    expect(spanAttributes(span)).toEqual({
      "mlflow.spanType": "LLM",
      "mlflow.spanInputs": { messages: [] },
      "mlflow.spanLogLevel": 20,
      "user.note": "text",
    });
    const listed: Span = {
      ...span,
      attributes: [
        { key: "mlflow.spanType", value: { string_value: '"TOOL"' } },
        { key: "user.json", value: { string_value: '{"kept": "as text"}' } },
      ],
    };
    expect(spanAttributes(listed)).toEqual({ "mlflow.spanType": "TOOL", "user.json": '{"kept": "as text"}' });
  });

  it("reads status and the exception event", () => {
    expect(spanStatus(root as Span)).toBe("OK");
    expect(spanStatus(broken as Span)).toBe("ERROR");
    expect(spanStatus({ trace_id: "t", span_id: "x", name: "n", start_time_unix_nano: 0 })).toBe("UNSET");
    expect(spanStatus({ trace_id: "t", span_id: "x", name: "n", start_time_unix_nano: 0, status: { code: 2 } })).toBe(
      "ERROR",
    );
    const [event] = spanEvents(broken as Span);
    const ex = event && exceptionOf(event);
    expect(ex?.type).toBe("ValueError");
    expect(ex?.message).toBe("cannot handle 3");
    expect(ex?.stacktrace).toContain("Traceback (most recent call last)");
  });
});
