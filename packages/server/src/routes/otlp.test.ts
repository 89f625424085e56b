import { join } from "node:path";
import { createClient } from "@libsql/client";
import { describe, expect, it } from "vitest";
import { useTestApp } from "../testing.test-helpers.js";
import {
  gzip,
  jsonBody,
  mlflowTraceId,
  protobufBody,
  recordSpans,
  type SpanSpec,
} from "../traces/otlp/otlp.test-helpers.js";

const t = useTestApp();

/** 2026-12-06T07:36:11.384794533Z in nanoseconds: past 2^53, so any trip through a JS number would change it. */
const T0 = 1796542571384794533n;
const MS = 1_000_000n;

async function createExperiment(name: string): Promise<string> {
  const res = await t.call("POST", "/experiments/create", { name });
  return res.body.experiment_id as string;
}

async function exportSpans(
  body: Uint8Array,
  headers: Record<string, string>,
): Promise<{ status: number; text: string; contentType: string | null }> {
  const res = await t.app.request("http://localhost/v1/traces", {
    method: "POST",
    body: body as Uint8Array<ArrayBuffer>,
    headers,
  });
  return { status: res.status, text: await res.text(), contentType: res.headers.get("content-type") };
}

const pb = (experimentId: string) => ({
  "Content-Type": "application/x-protobuf",
  "x-mlflow-experiment-id": experimentId,
});

async function getTrace(traceId: string): Promise<{ status: number; text: string; body: any }> {
  const res = await t.app.request(`http://localhost/api/3.0/mlflow/traces/get?trace_id=${traceId}&allow_partial=true`);
  const text = await res.text();
  return { status: res.status, text, body: JSON.parse(text) };
}

async function startTrace(traceInfo: Record<string, unknown>): Promise<{ status: number; body: any }> {
  const res = await t.app.request("http://localhost/api/3.0/mlflow/traces", {
    method: "POST",
    body: JSON.stringify({ trace: { trace_info: traceInfo } }),
    headers: { "Content-Type": "application/json" },
  });
  return { status: res.status, body: await res.json() };
}

const agentTrace = (): SpanSpec[] => [
  {
    name: "agent",
    start: T0,
    end: T0 + 166n * MS + 471392n,
    attributes: {
      "mlflow.spanType": "AGENT",
      "mlflow.spanInputs": '{"q": "hello ünï", "n": 2}',
      "mlflow.spanOutputs": '{"result": "answer", "sum": 1.0}',
      "mlflow.traceTag.mytag": "v",
      "mlflow.traceTag.mlflow.traceName": "agent",
      "session.id": "s1",
      "user.id": "u1",
    },
  },
  {
    name: "llm",
    parent: "agent",
    start: T0 + 10n * MS,
    end: T0 + 100n * MS,
    attributes: {
      "mlflow.spanType": "LLM",
      "mlflow.chat.tokenUsage": '{"input_tokens": 10, "output_tokens": 5, "total_tokens": 15}',
    },
  },
  { name: "tool", parent: "agent", start: T0 + 110n * MS, end: T0 + 120n * MS, error: "boom" },
];

describe("POST /v1/traces", () => {
  it("stores a trace sent as OTLP protobuf and serves it with exact nanosecond times", async () => {
    const exp = await createExperiment("otlp-protobuf");
    const spans = recordSpans(agentTrace());
    const res = await exportSpans(protobufBody(spans), pb(exp));
    expect(res).toEqual({ status: 200, text: "", contentType: "application/x-protobuf" });

    const traceId = mlflowTraceId(spans[0] as (typeof spans)[number]);
    const got = await getTrace(traceId);
    expect(got.status).toBe(200);
    // The exact digits are in the text: a JS number would have rounded them.
    expect(got.text).toContain(`"start_time_unix_nano":${T0}`);
    const info = got.body.trace.trace_info;
    expect(info).toMatchObject({
      trace_id: traceId,
      trace_location: { type: "MLFLOW_EXPERIMENT", mlflow_experiment: { experiment_id: exp } },
      request_time: "2026-12-06T07:36:11.384Z",
      execution_duration: "0.167s",
      state: "OK",
      request_preview: '{"q": "hello ünï", "n": 2}',
      response_preview: '{"result": "answer", "sum": 1.0}',
    });
    expect(info.tags).toEqual({
      "mlflow.artifactLocation": `mlflow-artifacts:/${exp}/traces/${traceId}/artifacts`,
      "mlflow.trace.spansLocation": "TRACKING_STORE",
      "mlflow.traceName": "agent",
      mytag: "v",
      "service.name": "otlp-test",
    });
    expect(info.trace_metadata).toEqual({
      "mlflow.trace.session": "s1",
      "mlflow.trace.user": "u1",
      "mlflow.trace.tokenUsage": '{"input_tokens": 10, "output_tokens": 5, "total_tokens": 15}',
    });

    const root = got.body.trace.spans.find((s: any) => s.name === "agent");
    expect(root.parent_span_id).toBeUndefined();
    expect(root.status).toEqual({ code: "STATUS_CODE_OK" });
    const attr = (s: any, key: string) => s.attributes.find((a: any) => a.key === key)?.value;
    // A JSON string attribute comes back as the JSON value, as the reference's store strips the double encoding.
    expect(attr(root, "mlflow.spanInputs")).toEqual({
      kvlist_value: {
        values: [
          { key: "q", value: { string_value: "hello ünï" } },
          { key: "n", value: { int_value: 2 } },
        ],
      },
    });
    expect(got.text).toContain('{"key":"sum","value":{"double_value":1.0}}');
    expect(attr(root, "mlflow.traceRequestId")).toEqual({ string_value: traceId });
    // The span columns hold the exact integers (read as text: they are past what a JS number holds).
    const db = createClient({ url: `file:${join(t.dir, "test.db")}` });
    const cols = await db.execute({
      sql: `SELECT span_id, parent_span_id, type, status, CAST(start_time_unix_nano AS TEXT) AS start,
              CAST(duration_ns AS TEXT) AS duration, typeof(start_time_unix_nano) AS kind
            FROM spans WHERE name = 'agent' AND trace_row = (SELECT id FROM trace_info WHERE request_id = ?)`,
      args: [traceId],
    });
    db.close();
    expect({ ...cols.rows[0] }).toEqual({
      span_id: (spans[0] as (typeof spans)[number]).spanContext().spanId,
      parent_span_id: null,
      type: "AGENT",
      status: "OK",
      start: String(T0),
      duration: "166471392",
      kind: "integer",
    });
    const tool = got.body.trace.spans.find((s: any) => s.name === "tool");
    expect(tool.status).toEqual({ message: "boom", code: "STATUS_CODE_ERROR" });
    expect(tool.parent_span_id).toBe(root.span_id);
  });

  it("takes OTLP/JSON (hex ids), gzip and deflate", async () => {
    const exp = await createExperiment("otlp-json");
    const spans = recordSpans([{ name: "root", start: T0, end: T0 + 5n * MS, attributes: { n: 3 } }]);
    const res = await exportSpans(gzip(jsonBody(spans)), {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Encoding": "GZIP",
      "x-mlflow-experiment-id": exp,
    });
    expect(res.status).toBe(200);
    const got = await getTrace(mlflowTraceId(spans[0] as (typeof spans)[number]));
    expect(got.body.trace.spans[0].span_id).toBe(
      Buffer.from((spans[0] as (typeof spans)[number]).spanContext().spanId, "hex").toString("base64"),
    );
    expect(got.body.trace.spans[0].attributes).toContainEqual({ key: "n", value: { int_value: 3 } });

    const { deflateRawSync, deflateSync } = await import("node:zlib");
    for (const deflate of [deflateSync, deflateRawSync]) {
      const more = recordSpans([{ name: "r", start: T0, end: T0 + MS }]);
      const r = await exportSpans(new Uint8Array(deflate(protobufBody(more))), {
        ...pb(exp),
        "Content-Encoding": "deflate",
      });
      expect(r.status).toBe(200);
    }
  });

  it("merges a trace's spans sent in several requests, the root last", async () => {
    const exp = await createExperiment("otlp-several");
    const spans = recordSpans(agentTrace());
    const [root, llm, tool] = spans as [(typeof spans)[0], (typeof spans)[0], (typeof spans)[0]];
    const traceId = mlflowTraceId(root);

    expect((await exportSpans(protobufBody([llm]), pb(exp))).status).toBe(200);
    let info = (await getTrace(traceId)).body.trace.trace_info;
    // No root yet: in progress, its time range that of the child.
    expect(info).toMatchObject({ state: "IN_PROGRESS", request_time: "2026-12-06T07:36:11.394Z" });
    expect(info.request_preview).toBeUndefined();

    expect((await exportSpans(protobufBody([tool]), pb(exp))).status).toBe(200);
    expect((await exportSpans(protobufBody([root]), pb(exp))).status).toBe(200);
    const got = await getTrace(traceId);
    info = got.body.trace.trace_info;
    expect(info).toMatchObject({ state: "OK", request_time: "2026-12-06T07:36:11.384Z", execution_duration: "0.167s" });
    expect(info.request_preview).toBe('{"q": "hello ünï", "n": 2}');
    expect(info.trace_metadata["mlflow.trace.tokenUsage"]).toBe(
      '{"input_tokens": 10, "output_tokens": 5, "total_tokens": 15}',
    );
    expect(got.body.trace.spans.map((s: any) => s.name)).toEqual(["agent", "llm", "tool"]);

    // A span sent again replaces the stored one (no duplicate, usage not counted twice).
    expect((await exportSpans(protobufBody([llm]), pb(exp))).status).toBe(200);
    const again = await getTrace(traceId);
    expect(again.body.trace.spans).toHaveLength(3);
    expect(again.body.trace.trace_info.trace_metadata["mlflow.trace.tokenUsage"]).toBe(
      '{"input_tokens": 10, "output_tokens": 5, "total_tokens": 15}',
    );
  });

  it("rolls token usage up the span tree across requests without double counting", async () => {
    const exp = await createExperiment("otlp-usage");
    const usage = (n: number) => ({
      "mlflow.chat.tokenUsage": JSON.stringify({ input_tokens: n, output_tokens: n, total_tokens: 2 * n }),
    });
    const spans = recordSpans([
      { name: "root", start: T0, end: T0 + 10n * MS },
      { name: "agent", parent: "root", start: T0, end: T0 + 9n * MS, attributes: usage(7) },
      { name: "a", parent: "agent", start: T0, end: T0 + MS, attributes: usage(3) },
      { name: "b", parent: "root", start: T0, end: T0 + MS, attributes: usage(1) },
    ]);
    const traceId = mlflowTraceId(spans[0] as (typeof spans)[number]);
    // Children first, then the roll-up parent that already counts `a`.
    await exportSpans(protobufBody([spans[2], spans[3]] as typeof spans), pb(exp));
    expect((await getTrace(traceId)).body.trace.trace_info.trace_metadata["mlflow.trace.tokenUsage"]).toBe(
      '{"input_tokens": 4, "output_tokens": 4, "total_tokens": 8}',
    );
    await exportSpans(protobufBody([spans[1], spans[0]] as typeof spans), pb(exp));
    expect((await getTrace(traceId)).body.trace.trace_info.trace_metadata["mlflow.trace.tokenUsage"]).toBe(
      '{"input_tokens": 8, "output_tokens": 8, "total_tokens": 16}',
    );
  });

  it("handles concurrent exporters in one group commit", async () => {
    const exp = await createExperiment("otlp-concurrent");
    const specs: SpanSpec[] = [{ name: "root", start: T0, end: T0 + 100n * MS }];
    for (let i = 0; i < 40; i++) {
      specs.push({
        name: `child-${i}`,
        parent: "root",
        start: T0 + BigInt(i) * MS,
        end: T0 + BigInt(i + 1) * MS,
        attributes: { "mlflow.chat.tokenUsage": '{"input_tokens": 1, "output_tokens": 1, "total_tokens": 2}' },
      });
    }
    const spans = recordSpans(specs);
    const others = Array.from({ length: 4 }, () => recordSpans([{ name: "solo", start: T0, end: T0 + MS }]));
    const requests = [
      ...Array.from({ length: 8 }, (_, i) => spans.slice(1 + i * 5, 6 + i * 5)),
      [spans[0] as (typeof spans)[number]],
      ...others,
    ];
    const results = await Promise.all(requests.map((r) => exportSpans(protobufBody(r), pb(exp))));
    expect(results.map((r) => r.status)).toEqual(requests.map(() => 200));
    const got = await getTrace(mlflowTraceId(spans[0] as (typeof spans)[number]));
    expect(got.body.trace.spans).toHaveLength(41);
    expect(got.body.trace.trace_info.state).toBe("OK");
    expect(got.body.trace.trace_info.trace_metadata["mlflow.trace.tokenUsage"]).toBe(
      '{"input_tokens": 40, "output_tokens": 40, "total_tokens": 80}',
    );
    for (const o of others) expect((await getTrace(mlflowTraceId(o[0] as (typeof o)[number]))).status).toBe(200);
  });

  it("links the traces whose root it received to the run of x-mlflow-run-id", async () => {
    const exp = await createExperiment("otlp-run-link");
    const run = (await t.call("POST", "/runs/create", { experiment_id: exp })).body.run.info.run_id as string;
    const spans = recordSpans(agentTrace());
    const [root, llm] = spans as [(typeof spans)[0], (typeof spans)[0]];
    expect((await exportSpans(protobufBody([llm]), { ...pb(exp), "x-mlflow-run-id": run })).status).toBe(200);
    const db = createClient({ url: `file:${join(t.dir, "test.db")}` });
    const links = async () =>
      (
        await db.execute({
          sql: "SELECT source_id FROM entity_associations WHERE destination_id = ? AND destination_type = 'RUN'",
          args: [run],
        })
      ).rows.map((r) => r.source_id);
    expect(await links()).toEqual([]);
    expect((await exportSpans(protobufBody([root]), { ...pb(exp), "x-mlflow-run-id": run })).status).toBe(200);
    expect(await links()).toEqual([mlflowTraceId(root)]);
    db.close();
  });

  describe("refuses what the reference refuses, with its bodies", () => {
    const spans = () => recordSpans([{ name: "r", start: T0, end: T0 + MS }]);
    it("a missing experiment header: FastAPI's 422", async () => {
      const res = await exportSpans(protobufBody(spans()), { "Content-Type": "application/x-protobuf" });
      expect(res.status).toBe(422);
      expect(JSON.parse(res.text)).toEqual({
        detail: [{ type: "missing", loc: ["header", "x-mlflow-experiment-id"], msg: "Field required", input: null }],
      });
    });
    it.each([
      [
        { "Content-Type": "text/plain" },
        new Uint8Array([1]),
        400,
        "Invalid Content-Type: text/plain. Expected: application/x-protobuf or application/json",
      ],
      [
        {},
        new Uint8Array([1]),
        400,
        "Invalid Content-Type: None. Expected: application/x-protobuf or application/json",
      ],
      [
        { "Content-Type": "application/x-protobuf" },
        new Uint8Array([0xff, 0xff, 0xff]),
        400,
        "Invalid OpenTelemetry format",
      ],
      [
        { "Content-Type": "application/x-protobuf" },
        new Uint8Array(0),
        400,
        "Invalid OpenTelemetry format - no spans found",
      ],
      [{ "Content-Type": "application/json" }, new TextEncoder().encode("{x"), 400, "Invalid OpenTelemetry format"],
      [
        { "Content-Type": "application/json" },
        new TextEncoder().encode('{"resourceSpans": 5}'),
        400,
        "Invalid OpenTelemetry format",
      ],
      [
        { "Content-Type": "application/json" },
        new TextEncoder().encode("{}"),
        400,
        "Invalid OpenTelemetry format - no spans found",
      ],
      [
        { "Content-Type": "application/json", "Content-Encoding": "gzip" },
        new Uint8Array([1, 2]),
        400,
        "Failed to decompress gzip payload",
      ],
      [
        { "Content-Type": "application/json", "Content-Encoding": "deflate" },
        new Uint8Array([1, 2]),
        400,
        "Failed to decompress deflate payload",
      ],
      [
        { "Content-Type": "application/json", "Content-Encoding": "br" },
        new Uint8Array([1, 2]),
        400,
        "Unsupported Content-Encoding: br",
      ],
      [
        { "Content-Type": "application/json" },
        new TextEncoder().encode(
          '{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"00000000000000000000000000000abd","name":"r"}]}]}]}',
        ),
        422,
        "Cannot convert OpenTelemetry span to MLflow span",
      ],
    ])("%j → %i %s", async (headers, body, status, detail) => {
      const res = await exportSpans(body, { ...headers, "x-mlflow-experiment-id": "0" });
      expect(res.status).toBe(status);
      expect(JSON.parse(res.text)).toEqual({ detail });
    });
    it("an unknown or malformed experiment id: MLflow's error", async () => {
      const unknown = await exportSpans(protobufBody(spans()), pb("999"));
      expect(unknown.status).toBe(404);
      expect(JSON.parse(unknown.text)).toMatchObject({
        error_code: "RESOURCE_DOES_NOT_EXIST",
        message: "No Experiment with id=999 exists",
      });
      const bad = await exportSpans(protobufBody(spans()), pb("abc"));
      expect(bad.status).toBe(400);
      expect(JSON.parse(bad.text)).toMatchObject({
        error_code: "INVALID_PARAMETER_VALUE",
        message: "Invalid experiment ID 'abc'. Experiment ID must be a valid integer.",
      });
    });
  });
});

describe("POST /api/3.0/mlflow/traces (StartTraceV3)", () => {
  const infoFor = (traceId: string, exp: string, extra: Record<string, unknown> = {}) => ({
    trace_id: traceId,
    trace_location: { type: "MLFLOW_EXPERIMENT", mlflow_experiment: { experiment_id: exp } },
    request_time: "2026-12-06T07:36:11.384Z",
    execution_duration: "0.166s",
    state: "OK",
    trace_metadata: {
      "mlflow.trace_schema.version": "3",
      "mlflow.trace.session": "s1",
      "mlflow.trace.tokenUsage": '{"input_tokens": 10, "output_tokens": 5, "total_tokens": 15}',
    },
    tags: { "mlflow.traceName": "agent", mytag: "v" },
    request_preview: '{"q": "hi"}',
    ...extra,
  });

  it("creates the trace info when it comes first; later spans add the spans location", async () => {
    const exp = await createExperiment("start-first");
    const spans = recordSpans(agentTrace());
    const traceId = mlflowTraceId(spans[0] as (typeof spans)[number]);
    const res = await startTrace(infoFor(traceId, exp));
    expect(res.status).toBe(200);
    const info = res.body.trace.trace_info;
    expect(info).toMatchObject({
      trace_id: traceId,
      request_time: "2026-12-06T07:36:11.384Z",
      execution_duration: "0.166s",
      state: "OK",
      request_preview: '{"q": "hi"}',
    });
    expect(info.tags).toEqual({
      "mlflow.traceName": "agent",
      mytag: "v",
      "mlflow.artifactLocation": `mlflow-artifacts:/${exp}/traces/${traceId}/artifacts`,
    });
    expect(info.trace_metadata).toEqual({
      "mlflow.trace_schema.version": "3",
      "mlflow.trace.session": "s1",
      "mlflow.trace.tokenUsage": '{"input_tokens": 10, "output_tokens": 5, "total_tokens": 15}',
      "mlflow.trace.infoFinalized": "true",
    });

    expect((await exportSpans(protobufBody(spans), pb(exp))).status).toBe(200);
    const after = (await getTrace(traceId)).body.trace.trace_info;
    // The finalized trace keeps its duration and preview; the spans add their location tag.
    expect(after).toMatchObject({ execution_duration: "0.166s", request_preview: '{"q": "hi"}', state: "OK" });
    expect(after.tags["mlflow.trace.spansLocation"]).toBe("TRACKING_STORE");
  });

  it("merges into the trace its spans created, and answers with the spans location", async () => {
    const exp = await createExperiment("spans-first");
    const spans = recordSpans(agentTrace());
    const traceId = mlflowTraceId(spans[0] as (typeof spans)[number]);
    expect((await exportSpans(protobufBody(spans), pb(exp))).status).toBe(200);
    const res = await startTrace(infoFor(traceId, exp, { state: "ERROR", request_preview: undefined }));
    expect(res.status).toBe(200);
    const info = res.body.trace.trace_info;
    expect(info.state).toBe("ERROR");
    expect(info.execution_duration).toBe("0.166s");
    // Kept from the spans: the request gave no preview.
    expect(info.request_preview).toBe('{"q": "hello ünï", "n": 2}');
    expect(info.tags["mlflow.trace.spansLocation"]).toBe("TRACKING_STORE");
    expect(info.tags.mytag).toBe("v");
    expect(info.trace_metadata["mlflow.trace.infoFinalized"]).toBe("true");
    expect(info.trace_metadata["mlflow.trace.user"]).toBe("u1");

    // Spans after finalization no longer move the time range.
    const late = recordSpans(
      [{ name: "late", start: T0 - 1000n * MS, end: T0 + 5000n * MS, attributes: { "session.id": "x" } }],
      {
        traceOf: spans[0],
      },
    );
    expect((await exportSpans(protobufBody(late), pb(exp))).status).toBe(200);
    const final = (await getTrace(traceId)).body.trace;
    expect(final.trace_info).toMatchObject({ request_time: "2026-12-06T07:36:11.384Z", execution_duration: "0.166s" });
    expect(final.spans).toHaveLength(4);
  });

  it("refuses a deleted experiment", async () => {
    const exp = await createExperiment("start-deleted");
    await t.call("POST", "/experiments/delete", { experiment_id: exp });
    const res = await startTrace(infoFor("tr-00000000000000000000000000000001", exp));
    expect(res.status).toBe(400);
    expect(res.body.message).toBe(`The experiment ${exp} must be in the 'active' state. Current state is deleted.`);
  });
});
