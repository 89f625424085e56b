import type { Client } from "@libsql/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { npmiFromCounts } from "../store/trace-correlation.js";
import { useTestApp } from "../testing.test-helpers.js";
import { rawClient, seedTraces } from "../traces/trace-rows.test-helpers.js";

const t = useTestApp();
let client: Client;
const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 0, 1, 10); // 10:00 UTC
const EXP = "0";

async function post(path: string, body: unknown) {
  const res = await t.app.request(`http://localhost/api/3.0/mlflow/traces/${path}`, {
    method: "POST",
    body: JSON.stringify(body),
    headers: { "Content-Type": "application/json" },
  });
  return { status: res.status, body: await res.json() };
}

const metrics = (body: Record<string, unknown>) =>
  post("metrics", { experiment_ids: [EXP], view_type: "TRACES", ...body });

beforeAll(async () => {
  client = rawClient(t);
  const cost = JSON.stringify({ input_cost: 0.5, output_cost: 1.5, total_cost: 2 });
  await seedTraces(client, [
    {
      requestId: "tr-1",
      timestampMs: T0 + 60_000,
      executionTimeMs: 100,
      status: "OK",
      traceName: "chat",
      totalTokens: 10,
      tags: { team: "a" },
      metadata: { "mlflow.trace.tokenUsage": JSON.stringify({ cache_read_input_tokens: 4 }) },
      spans: [
        // Small nanosecond times: a JS number holds them exactly (real ones go through the span store as text).
        { spanId: "s1", name: "llm", type: "LLM", startNs: 1_000_000_000, endNs: 1_050_000_000 },
        { spanId: "s2", name: "tool", type: "TOOL", startNs: 1_000_000_000, endNs: 1_010_000_000 },
      ],
    },
    {
      requestId: "tr-2",
      timestampMs: T0 + 120_000,
      executionTimeMs: 200,
      status: "ERROR",
      traceName: "chat",
      totalTokens: 30,
      sessionId: "s-1",
    },
    {
      requestId: "tr-3",
      timestampMs: T0 + HOUR + 5,
      executionTimeMs: 400,
      status: "OK",
      traceName: "rag",
      sessionId: "s-1",
    },
    {
      requestId: "tr-4",
      timestampMs: T0 + HOUR + 6,
      executionTimeMs: 1000,
      status: "OK",
      sessionId: "s-2",
      tags: { team: "b" },
    },
    { requestId: "tr-other", experimentId: 42, timestampMs: T0, executionTimeMs: 5, status: "OK" },
  ]);
  // A span carrying MLflow's cost attribute, in the OTLP JSON the span store keeps.
  await client.execute({
    sql: "UPDATE spans SET content = ? WHERE span_id = 's1'",
    args: [
      JSON.stringify({
        attributes: [
          { key: "mlflow.llm.cost", value: { string_value: cost } },
          { key: "mlflow.llm.model", value: { string_value: '"gpt-4o"' } },
        ],
      }),
    ],
  });
});
afterAll(() => client.close());

describe("QueryTraceMetrics", () => {
  it("counts traces, by status and hour bucket, in the reference's shape", async () => {
    const all = await metrics({ metric_name: "trace_count", aggregations: [{ aggregation_type: "COUNT" }] });
    expect(all).toEqual({ status: 200, body: { data_points: [{ metric_name: "trace_count", values: { COUNT: 4 } }] } });
    const bucketed = await metrics({
      metric_name: "trace_count",
      aggregations: [{ aggregation_type: "COUNT" }],
      dimensions: ["trace_status"],
      time_interval_seconds: 3600,
      start_time_ms: 0,
      end_time_ms: T0 + 10 * HOUR,
    });
    expect(bucketed.body.data_points).toEqual([
      {
        metric_name: "trace_count",
        dimensions: { time_bucket: "2026-01-01T10:00:00+00:00", trace_status: "ERROR" },
        values: { COUNT: 1 },
      },
      {
        metric_name: "trace_count",
        dimensions: { time_bucket: "2026-01-01T10:00:00+00:00", trace_status: "OK" },
        values: { COUNT: 1 },
      },
      {
        metric_name: "trace_count",
        dimensions: { time_bucket: "2026-01-01T11:00:00+00:00", trace_status: "OK" },
        values: { COUNT: 2 },
      },
    ]);
  });

  it("aggregates latency with numpy's linear percentiles, labelled as the reference labels them", async () => {
    const r = await metrics({
      metric_name: "latency",
      aggregations: [
        { aggregation_type: "AVG" },
        { aggregation_type: "PERCENTILE", percentile_value: 50 },
        { aggregation_type: "PERCENTILE", percentile_value: 99.5 },
        { aggregation_type: "MIN" },
        { aggregation_type: "MAX" },
      ],
    });
    // numpy.quantile([100, 200, 400, 1000], 0.5) = 300; 0.995 → 400 + 0.985 * 600, in floating point as Python has it.
    expect(r.body.data_points).toEqual([
      { metric_name: "latency", values: { AVG: 425, "P50.0": 300, "P99.5": 990.9999999999999, MIN: 100, MAX: 1000 } },
    ]);
  });

  it("groups by trace name, leaving out traces without one, and reads filters", async () => {
    const r = await metrics({
      metric_name: "total_tokens",
      aggregations: [{ aggregation_type: "SUM" }],
      dimensions: ["trace_name"],
    });
    expect(r.body.data_points).toEqual([
      { metric_name: "total_tokens", dimensions: { trace_name: "chat" }, values: { SUM: 40 } },
    ]);
    const filtered = await metrics({
      metric_name: "trace_count",
      aggregations: [{ aggregation_type: "COUNT" }],
      filters: ["trace.status = 'OK'", "trace.tag.team = 'b'"],
    });
    expect(filtered.body.data_points[0].values).toEqual({ COUNT: 1 });
    const sessions = await metrics({ metric_name: "session_count", aggregations: [{ aggregation_type: "COUNT" }] });
    expect(sessions.body.data_points[0].values).toEqual({ COUNT: 2 });
    const cache = await metrics({
      metric_name: "cache_read_input_tokens",
      aggregations: [{ aggregation_type: "MAX" }],
    });
    expect(cache.body.data_points[0].values).toEqual({ MAX: 4 });
  });

  it("answers no data points when every value is missing", async () => {
    const r = await metrics({
      metric_name: "input_tokens",
      aggregations: [{ aggregation_type: "SUM" }],
    });
    expect(r).toEqual({ status: 200, body: {} });
  });

  it("measures spans: count by name, latency in ms, cost and model from MLflow's attributes", async () => {
    const count = await metrics({
      view_type: "SPANS",
      metric_name: "span_count",
      aggregations: [{ aggregation_type: "COUNT" }],
      dimensions: ["span_name", "span_status"],
    });
    expect(count.body.data_points.map((p: { dimensions: unknown }) => p.dimensions)).toEqual([
      { span_name: "llm", span_status: "OK" },
      { span_name: "tool", span_status: "OK" },
    ]);
    // Bucketed by the span's own start (here 1 s after the epoch), the range still on the trace's time.
    const bucketed = await metrics({
      view_type: "SPANS",
      metric_name: "span_count",
      aggregations: [{ aggregation_type: "COUNT" }],
      time_interval_seconds: 60,
      start_time_ms: T0,
      end_time_ms: T0 + HOUR,
    });
    expect(bucketed.body.data_points).toEqual([
      { metric_name: "span_count", dimensions: { time_bucket: "1970-01-01T00:00:00+00:00" }, values: { COUNT: 2 } },
    ]);
    const latency = await metrics({
      view_type: "SPANS",
      metric_name: "latency",
      aggregations: [{ aggregation_type: "MAX" }],
      filters: ["span.type = 'LLM'"],
    });
    expect(latency.body.data_points[0].values).toEqual({ MAX: 50 });
    const cost = await metrics({
      view_type: "SPANS",
      metric_name: "total_cost",
      aggregations: [{ aggregation_type: "SUM" }],
      dimensions: ["span_model_name"],
    });
    expect(cost.body.data_points).toEqual([
      { metric_name: "total_cost", dimensions: { span_model_name: "gpt-4o" }, values: { SUM: 2 } },
    ]);
  });

  it("counts valid assessments and averages their numeric values", async () => {
    const create = (assessment: Record<string, unknown>) =>
      t.app.request("http://localhost/api/3.0/mlflow/traces/tr-1/assessments", {
        method: "POST",
        body: JSON.stringify({ assessment }),
        headers: { "Content-Type": "application/json" },
      });
    const first = await (await create({ assessment_name: "correct", feedback: { value: false } })).json();
    await create({ assessment_name: "correct", feedback: { value: true }, overrides: first.assessment.assessment_id });
    await create({ assessment_name: "score", feedback: { value: 0.25 } });
    await create({ assessment_name: "score", feedback: { value: "yes" } });
    const count = await metrics({
      view_type: "ASSESSMENTS",
      metric_name: "assessment_count",
      aggregations: [{ aggregation_type: "COUNT" }],
      dimensions: ["assessment_name", "assessment_value"],
    });
    expect(count.body.data_points).toEqual([
      {
        metric_name: "assessment_count",
        dimensions: { assessment_name: "correct", assessment_value: "true" },
        values: { COUNT: 1 },
      },
      {
        metric_name: "assessment_count",
        dimensions: { assessment_name: "score", assessment_value: '"yes"' },
        values: { COUNT: 1 },
      },
      {
        metric_name: "assessment_count",
        dimensions: { assessment_name: "score", assessment_value: "0.25" },
        values: { COUNT: 1 },
      },
    ]);
    const avg = await metrics({
      view_type: "ASSESSMENTS",
      metric_name: "assessment_value",
      aggregations: [{ aggregation_type: "AVG" }],
      dimensions: ["assessment_name"],
    });
    expect(avg.body.data_points.map((p: { values: unknown }) => p.values)).toEqual([{ AVG: 1 }, { AVG: 0.625 }]);
  });

  it("refuses what the reference refuses, with its messages", async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ experiment_ids: undefined }, "Missing value for required parameter 'experiment_ids'."],
      [{ metric_name: "trace_count" }, "Missing value for required parameter 'aggregations'."],
      [
        { metric_name: "latency", aggregations: [{ aggregation_type: "COUNT" }] },
        "Found invalid aggregation_type(s): ['COUNT']. Supported aggregation types: ['AVG', 'MAX', 'MIN', 'PERCENTILE']",
      ],
      [
        { metric_name: "nope", aggregations: [{ aggregation_type: "COUNT" }] },
        "metric_name must be one of ['trace_count', 'session_count', 'latency', 'input_tokens', 'output_tokens', 'total_tokens', 'cache_read_input_tokens', 'cache_creation_input_tokens'], got 'nope'",
      ],
      [
        { metric_name: "trace_count", aggregations: [{ aggregation_type: "COUNT" }], dimensions: ["span_name", "x"] },
        "Found invalid dimension(s): ['span_name', 'x']. Supported dimensions: ['trace_name', 'trace_status']",
      ],
      [
        { metric_name: "trace_count", aggregations: [{ aggregation_type: "COUNT" }], time_interval_seconds: 60 },
        "start_time_ms and end_time_ms are required if time_interval_seconds is set",
      ],
      [
        {
          metric_name: "trace_count",
          aggregations: [{ aggregation_type: "COUNT" }],
          filters: ["trace.status = 'OK' AND trace.status = 'OK'"],
        },
        "Invalid clause(s) in filter string: AND",
      ],
      [
        { metric_name: "trace_count", aggregations: [{ aggregation_type: "COUNT" }], filters: ["span.name = 'x'"] },
        "Filtering by span is only supported for SPANS view type, got TRACES",
      ],
      [
        { metric_name: "trace_count", aggregations: [{ aggregation_type: "COUNT" }], filters: ["trace.tag = 'x'"] },
        "Filtering by tag requires a key, e.g. 'trace.tag.<key> = <value>'",
      ],
      [
        { metric_name: "trace_count", aggregations: [{ aggregation_type: "COUNT" }], filters: ["trace.status != 'x'"] },
        "Invalid comparator: '!=', only '=' operator is supported",
      ],
      [
        { metric_name: "trace_count", aggregations: [{ aggregation_type: "COUNT" }], filters: ["trace.status = 5"] },
        "Expected a quoted string value for status value (e.g. 'my-value'). Got value 5",
      ],
      [
        { metric_name: "trace_count", aggregations: [{ aggregation_type: "COUNT" }], filters: ["foo.status = 'x'"] },
        "Invalid view type 'foo'. Valid values are dict_keys(['trace', 'span', 'assessment'])",
      ],
      [
        { metric_name: "trace_count", aggregations: [{ aggregation_type: "COUNT" }], filters: ["trace.foo = 'x'"] },
        "Invalid entity 'foo' specified for view type 'trace'. Valid entities are ['status', 'tag', 'metadata']",
      ],
      [
        { experiment_ids: ["abc"], metric_name: "trace_count", aggregations: [{ aggregation_type: "COUNT" }] },
        "Invalid experiment ID 'abc'. Experiment ID must be a valid integer.",
      ],
      [
        { metric_name: "latency", aggregations: [{ aggregation_type: "PERCENTILE", percentile_value: 101 }] },
        "Percentile value must be between 0 and 100, got 101",
      ],
    ];
    for (const [body, message] of cases) {
      const r = await metrics(body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.message).toContain(message);
    }
  });

  it("reads an unknown view type as TRACES, as protobuf's parse leaves it unset", async () => {
    const r = await metrics({
      view_type: "BOGUS",
      metric_name: "trace_count",
      aggregations: [{ aggregation_type: "COUNT" }],
    });
    expect(r.body.data_points[0].values).toEqual({ COUNT: 4 });
  });
});

describe("CalculateTraceFilterCorrelation", () => {
  const corr = (body: Record<string, unknown>) =>
    post("calculate-filter-correlation", { experiment_ids: [EXP], ...body });

  it("counts both filters and computes the NPMI", async () => {
    const same = await corr({ filter_string1: "trace.status = 'OK'", filter_string2: "status = 'OK'" });
    expect(same.body).toMatchObject({ filter1_count: 3, filter2_count: 3, joint_count: 3, total_count: 4 });
    // Python's answer for these counts: 1.0 and 0.5045185174931336 (to the last bits of its `log`).
    expect(same.body.npmi).toBeCloseTo(1, 12);
    expect(same.body.npmi_smoothed).toBeCloseTo(0.5045185174931336, 12);
    const none = await corr({ filter_string1: "trace.status = 'OK'", filter_string2: "trace.status = 'NOPE'" });
    expect(none.body).toEqual({ filter1_count: 3, filter2_count: 0, joint_count: 0, total_count: 4 });
    const based = await corr({
      filter_string1: "tags.team = 'a'",
      filter_string2: "execution_time_ms < 150",
      base_filter: `timestamp_ms < ${T0 + HOUR}`,
    });
    expect(based.body).toMatchObject({ filter1_count: 1, filter2_count: 1, joint_count: 1, total_count: 2 });
    // search_traces' whole grammar: spans, names, assessments.
    const spans = await corr({ filter_string1: "span.name = 'llm'", filter_string2: "trace.name = 'chat'" });
    expect(spans.body).toMatchObject({ filter1_count: 1, filter2_count: 2, joint_count: 1, total_count: 4 });
  });

  it("refuses a filter the grammar refuses and missing fields", async () => {
    const bad = await corr({ filter_string1: "bad filter", filter_string2: "trace.status = 'OK'" });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toBe("Invalid clause(s) in filter string: 'bad filter'");
    const missing = await corr({});
    expect(missing.body.message).toContain("Missing value for required parameter 'filter_string1'.");
  });

  it("follows the reference's NPMI policy", () => {
    expect(npmiFromCounts(0, 5, 5, 20)[0]).toBe(-1);
    expect(npmiFromCounts(3, 3, 3, 3)).toEqual([1, 1]);
    expect(npmiFromCounts(0, 0, 5, 20).every(Number.isNaN)).toBe(true);
    // 10 of 100 both, 20 and 15 each: log(10*100/(20*15)) / -log(10/100).
    expect(npmiFromCounts(10, 20, 15, 100)[0]).toBeCloseTo(Math.log(1000 / 300) / Math.log(10), 12);
  });
});
