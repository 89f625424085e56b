import { beforeAll, describe, expect, it } from "vitest";
import { MlflowClient } from "./client.js";
import { MlflowApiError } from "./errors.js";
import { collect } from "./paging.js";
import { TARGETS, useServer } from "./testing/servers.test-helpers.js";
import { exportOtlpJson, spanHex, startTraceV3, traceIds } from "./testing/traces.test-helpers.js";
import { assessmentUpdate, parseExactJson, spanDurationNs } from "./traces.js";

/** The error a promise rejects with. */
async function failure(p: Promise<unknown>): Promise<MlflowApiError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof MlflowApiError) return e;
    throw e;
  }
  throw new Error("expected an MlflowApiError");
}

/** Nanosecond times beyond 2^53: JSON.parse would read 1733000000123456789 as 1733000000123456768. */
const T0 = 1_733_000_000_123_456_789n;
const ns = (offset: bigint) => String(T0 + offset);

describe("parseExactJson", () => {
  it("keeps span times exact, as numbers or strings, and leaves look-alikes inside strings alone", () => {
    const text = `{"spans":[{"name":"a \\"start_time_unix_nano\\": 5","start_time_unix_nano":1733000000123456789,
      "end_time_unix_nano" : "1733000000123456999", "events":[{"time_unix_nano":1733000000123456790}],
      "attributes":[{"key":"k","value":{"int_value":9007199254740993}},{"key":"d","value":{"double_value":NaN}}]}],
      "note":"{\\"end_time_unix_nano\\":1}","n":9007199254740993}`;
    const parsed = parseExactJson(text) as {
      spans: {
        name: string;
        start_time_unix_nano: string;
        end_time_unix_nano: string;
        events: { time_unix_nano: string }[];
        attributes: { value: { int_value?: string; double_value?: number } }[];
      }[];
      note: string;
    };
    const [span] = parsed.spans;
    expect(span?.start_time_unix_nano).toBe("1733000000123456789");
    expect(span?.end_time_unix_nano).toBe("1733000000123456999");
    expect(span?.events[0]?.time_unix_nano).toBe("1733000000123456790");
    expect(span?.attributes[0]?.value.int_value).toBe("9007199254740993");
    expect(span?.attributes[1]?.value.double_value).toBeNaN();
    expect(span?.name).toBe('a "start_time_unix_nano": 5');
    expect(parsed.note).toBe('{"end_time_unix_nano":1}');
    expect(spanDurationNs(span as never)).toBe(210n);
  });

  it("writes updates with MLflow's field mask and refuses feedback and expectation together", () => {
    expect(assessmentUpdate("tr-1", "a-1", { name: "n", rationale: "r", metadata: { k: 1 } })).toEqual({
      assessment: {
        trace_id: "tr-1",
        assessment_id: "a-1",
        assessment_name: "n",
        rationale: "r",
        metadata: { k: "1" },
      },
      update_mask: "assessmentName,rationale,metadata",
    });
    expect(() => assessmentUpdate("tr-1", "a-1", { feedback: { value: 1 }, expectation: { value: 2 } })).toThrow(
      TypeError,
    );
  });
});

// Traces are made the way SDKs make them (v3 start-trace, OTLP/HTTP JSON spans), then read through the client.
describe.each(TARGETS)(
  "MlflowClient traces against %s",
  (kind) => {
    const server = useServer(kind);
    let client: MlflowClient;
    let experimentId: string;
    const main = traceIds(1);

    beforeAll(async () => {
      client = new MlflowClient({ trackingUri: server.url, maxRetries: 0 });
      experimentId = await client.createExperiment(`traces-${kind}`);
      await startTraceV3(server.url, experimentId, main.mlflow, {
        requestTime: "2024-11-30T20:53:20.123Z",
        executionDuration: "1s",
        tags: { team: "ts" },
        metadata: { "mlflow.user": "tester" },
      });
      await exportOtlpJson(server.url, experimentId, [
        {
          traceId: main.hex,
          spanId: spanHex(1),
          name: "root",
          startTimeUnixNano: ns(0n),
          endTimeUnixNano: ns(1_000_000_007n),
          attributes: { "mlflow.spanType": '"CHAIN"' },
          status: { code: 1 },
        },
        {
          traceId: main.hex,
          spanId: spanHex(2),
          parentSpanId: spanHex(1),
          name: "child",
          startTimeUnixNano: ns(1n),
          endTimeUnixNano: ns(500_000_003n),
          events: [{ name: "tick", timeUnixNano: ns(3n) }],
        },
      ]);
      // Twelve more traces, one span each, tagged through the root-span attributes OTLP exporters use.
      await exportOtlpJson(
        server.url,
        experimentId,
        Array.from({ length: 12 }, (_, i) => ({
          traceId: traceIds(100 + i).hex,
          spanId: spanHex(1),
          name: `t${i}`,
          startTimeUnixNano: ns(BigInt(i + 1) * 1_000_000_000n),
          endTimeUnixNano: ns(BigInt(i + 1) * 1_000_000_000n + 1000n),
          attributes: { "mlflow.traceTag.parity": i % 2 === 0 ? "even" : "odd" },
          status: { code: 1 as const },
        })),
      );
    }, 60_000);

    it("reads a trace with its spans, nanosecond times exact", async () => {
      const trace = await client.getTrace(main.mlflow);
      expect(trace.trace_info).toMatchObject({ trace_id: main.mlflow, state: "OK", tags: { team: "ts" } });
      const byName = Object.fromEntries(trace.spans.map((s) => [s.name, s]));
      expect(Object.keys(byName).sort()).toEqual(["child", "root"]);
      expect(byName.root?.start_time_unix_nano).toBe("1733000000123456789");
      expect(byName.root?.end_time_unix_nano).toBe("1733000001123456796");
      expect(byName.child?.start_time_unix_nano).toBe("1733000000123456790");
      expect(byName.child?.events?.[0]?.time_unix_nano).toBe("1733000000123456792");
      expect(spanDurationNs(byName.child as never)).toBe(500_000_002n);
      expect(byName.child?.parent_span_id).toBe(byName.root?.span_id);
    });

    it("reads a trace's info without spans", async () => {
      const info = await client.getTraceInfo(main.mlflow);
      expect(info).toMatchObject({
        trace_id: main.mlflow,
        trace_location: { mlflow_experiment: { experiment_id: experimentId } },
        request_time: "2024-11-30T20:53:20.123Z",
        trace_metadata: { "mlflow.user": "tester" },
      });
      expect(await failure(client.getTraceInfo(traceIds(999).mlflow))).toMatchObject({
        errorCode: "RESOURCE_DOES_NOT_EXIST",
        status: 404,
      });
    });

    it("searches with a tag filter, an order and page tokens", async () => {
      const first = await client.searchTraces([experimentId], { filterString: "tags.parity = 'even'", maxResults: 4 });
      expect(first.items).toHaveLength(4);
      expect(first.nextPageToken).toBeTruthy();
      const all = await collect(
        client.iterateTraces([experimentId], {
          filterString: "tags.parity = 'even'",
          orderBy: ["timestamp_ms ASC"],
          maxResults: 4,
        }),
      );
      expect(all.map((t) => t.trace_id)).toEqual([0, 2, 4, 6, 8, 10].map((i) => traceIds(100 + i).mlflow));
      expect(all.every((t) => t.tags?.parity === "even")).toBe(true);
    });

    it("sets and deletes a trace tag", async () => {
      await client.setTraceTag(main.mlflow, "stage", "dev");
      expect((await client.getTraceInfo(main.mlflow)).tags).toMatchObject({ stage: "dev", team: "ts" });
      await client.deleteTraceTag(main.mlflow, "stage");
      expect((await client.getTraceInfo(main.mlflow)).tags?.stage).toBeUndefined();
    });

    it("logs, reads, updates and deletes feedback and expectations", async () => {
      const feedback = await client.logFeedback(main.mlflow, {
        name: "relevance",
        value: 0.75,
        rationale: "mostly on topic",
        source: { sourceType: "LLM_JUDGE", sourceId: "judge-1" },
        metadata: { round: 1 },
      });
      expect(feedback).toMatchObject({
        assessment_name: "relevance",
        trace_id: main.mlflow,
        feedback: { value: 0.75 },
        rationale: "mostly on topic",
        source: { source_type: "LLM_JUDGE", source_id: "judge-1" },
        metadata: { round: "1" },
      });
      const id = feedback.assessment_id ?? "";
      expect(id).toMatch(/^a-/);
      expect(await client.getAssessment(main.mlflow, id)).toMatchObject({
        assessment_id: id,
        feedback: { value: 0.75 },
      });

      const updated = await client.updateAssessment(main.mlflow, id, { feedback: { value: 1 }, rationale: "on topic" });
      expect(updated).toMatchObject({ assessment_id: id, feedback: { value: 1 }, rationale: "on topic" });
      expect(updated.assessment_name).toBe("relevance");

      const expectation = await client.logExpectation(main.mlflow, { name: "facts", value: { answer: [1, 2] } });
      expect(expectation.source).toEqual({ source_type: "HUMAN", source_id: "default" });
      const stored = await client.getAssessment(main.mlflow, expectation.assessment_id ?? "");
      // Lists and objects travel as JSON text (the reference re-dumps it with Python's separators).
      expect(stored.expectation?.serialized_value?.serialization_format).toBe("JSON_FORMAT");
      expect(JSON.parse(stored.expectation?.serialized_value?.value ?? "")).toEqual({ answer: [1, 2] });
      const info = await client.getTraceInfo(main.mlflow);
      expect(info.assessments?.map((a) => a.assessment_name).sort()).toEqual(["facts", "relevance"]);

      await client.deleteAssessment(main.mlflow, id);
      expect(await failure(client.getAssessment(main.mlflow, id))).toMatchObject({
        errorCode: "RESOURCE_DOES_NOT_EXIST",
      });
    });

    it("deletes traces by id in batches of 100 and by age", async () => {
      const exp = await client.createExperiment(`traces-delete-${kind}`);
      const ids = Array.from({ length: 130 }, (_, i) => traceIds(1000 + i, 0xcd));
      await exportOtlpJson(
        server.url,
        exp,
        ids.map((t, i) => ({
          traceId: t.hex,
          spanId: spanHex(1),
          name: "s",
          startTimeUnixNano: ns(BigInt(i) * 1_000_000n),
          endTimeUnixNano: ns(BigInt(i) * 1_000_000n + 10n),
        })),
      );
      expect(await client.deleteTraces(exp, { traceIds: ids.slice(0, 120).map((t) => t.mlflow) })).toBe(120);
      const left = await collect(client.iterateTraces([exp], { maxResults: 100 }));
      expect(left.map((t) => t.trace_id).sort()).toEqual(ids.slice(120).map((t) => t.mlflow));
      const cutoff = Number((T0 + 125_000_000n) / 1_000_000n);
      expect(await client.deleteTraces(exp, { maxTimestampMillis: cutoff, maxTraces: 100 })).toBe(6);
      expect((await client.searchTraces([exp])).items).toHaveLength(4);
    });
  },
  180_000,
);
