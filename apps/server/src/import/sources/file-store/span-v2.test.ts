import { describe, expect, it } from "vitest";
import { hexIdToBase64, normalizeSpanDict } from "./span-v2.js";

const TRACE_HEX = "b8a14246b8f0d3115ec95e92401768e7";
const SPAN_HEX = "8ecb5f0143d4f8eb";

describe("normalizeSpanDict", () => {
  it("turns MLflow 2.x's span dict into the 3.x form", () => {
    expect(
      normalizeSpanDict({
        name: "root",
        context: { trace_id: `0x${TRACE_HEX}`, span_id: `0x${SPAN_HEX}` },
        parent_id: null,
        start_time: "1796586248475097280",
        end_time: "1796586248491881786",
        status_code: "ERROR",
        status_message: "boom",
        attributes: { "mlflow.spanType": '"LLM"' },
        events: [{ name: "e", timestamp: "1796586248475097281", attributes: { a: 1 } }],
      }),
    ).toEqual({
      trace_id: hexIdToBase64(TRACE_HEX, 16),
      span_id: hexIdToBase64(SPAN_HEX, 8),
      parent_span_id: null,
      name: "root",
      start_time_unix_nano: "1796586248475097280",
      end_time_unix_nano: "1796586248491881786",
      status: { code: "STATUS_CODE_ERROR", message: "boom" },
      attributes: { "mlflow.spanType": '"LLM"' },
      events: [{ name: "e", time_unix_nano: "1796586248475097281", attributes: { a: 1 } }],
    });
  });

  it("gives MLflow 3.5.0's hex ids and short status codes the to_dict form", () => {
    expect(
      normalizeSpanDict({
        trace_id: `tr-${TRACE_HEX}`,
        span_id: SPAN_HEX,
        parent_span_id: SPAN_HEX,
        status: { code: "OK" },
      }),
    ).toEqual({
      trace_id: Buffer.from(TRACE_HEX, "hex").toString("base64"),
      span_id: Buffer.from(SPAN_HEX, "hex").toString("base64"),
      parent_span_id: Buffer.from(SPAN_HEX, "hex").toString("base64"),
      status: { code: "STATUS_CODE_OK" },
    });
  });

  it("leaves a 3.x span dict as it is", () => {
    const span = { trace_id: "w2B3aDFHWeeSnB5KuydJ/g==", span_id: "5PnkGsDXt3Y=", status: { code: "STATUS_CODE_OK" } };
    expect(normalizeSpanDict(span)).toEqual(span);
  });
});
