import type { Client } from "@libsql/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assessmentInserts, loadAssessments } from "../store/assessments.js";
import { useTestApp } from "../testing.test-helpers.js";
import { rawClient, seedTraces } from "../traces/trace-rows.test-helpers.js";

const t = useTestApp();
let client: Client;
const TRACE = "tr-0123456789abcdef0123456789abcdef";
const OTHER = "tr-ffffffffffffffffffffffffffffffff";
let rows: number[] = [];

beforeAll(async () => {
  client = rawClient(t);
  rows = await seedTraces(client, [{ requestId: TRACE }, { requestId: OTHER }]);
});
afterAll(() => client.close());

async function call(method: string, path: string, body?: unknown, prefix = "/api/3.0") {
  const init: RequestInit = { method };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers = { "Content-Type": "application/json" };
  }
  const res = await t.app.request(`http://localhost${prefix}/mlflow${path}`, init);
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

const base = `/traces/${TRACE}/assessments`;

/** The body the Python client sends for `mlflow.log_feedback(..., value=0.5, rationale="ok", metadata=...)`. */
const feedbackBody = {
  assessment: {
    assessment_name: "quality",
    trace_id: TRACE,
    source: { source_type: "HUMAN", source_id: "bob" },
    create_time: "2026-12-06T07:37:58.169Z",
    last_update_time: "2026-12-06T07:37:58.169Z",
    feedback: { value: 0.5 },
    rationale: "ok",
    metadata: { k: "v" },
    valid: true,
  },
};

async function create(assessment: Record<string, unknown>) {
  const r = await call("POST", base, { assessment });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body.assessment;
}

describe("create and get", () => {
  it("answers the assessment in the reference's wire form", async () => {
    const r = await call("POST", base, feedbackBody);
    expect(r.status).toBe(200);
    const a = r.body.assessment;
    expect(a.assessment_id).toMatch(/^a-[0-9a-f]{32}$/);
    expect(a).toEqual({
      assessment_id: a.assessment_id,
      assessment_name: "quality",
      trace_id: TRACE,
      source: { source_type: "HUMAN", source_id: "bob" },
      create_time: "2026-12-06T07:37:58.169Z",
      last_update_time: "2026-12-06T07:37:58.169Z",
      feedback: { value: 0.5 },
      rationale: "ok",
      metadata: { k: "v" },
      valid: true,
    });
    expect(Object.keys(a)).toEqual(Object.keys(a).sort((x, y) => ORDER.indexOf(x) - ORDER.indexOf(y)));
    const g = await call("GET", `${base}/${a.assessment_id}`);
    expect(g).toEqual({ status: 200, body: { assessment: a } });
    const ajax = await call("GET", `${base}/${a.assessment_id}`, undefined, "/ajax-api/3.0");
    expect(ajax.body).toEqual({ assessment: a });
  });

  it("is served under the 3.0 prefixes only", async () => {
    expect((await call("POST", base, feedbackBody, "/api/2.0")).status).toBe(404);
  });

  it("writes structured expectations as Python's json.dumps and keeps scalars as values", async () => {
    const structured = await create({
      assessment_name: "exp",
      span_id: "3a85026f2e827b5e",
      expectation: { serialized_value: { serialization_format: "JSON_FORMAT", value: '{"x":[1,2.5],"y":"é"}' } },
    });
    expect(structured.expectation).toEqual({
      serialized_value: { serialization_format: "JSON_FORMAT", value: '{"x": [1, 2.5], "y": "\\u00e9"}' },
    });
    expect(structured.span_id).toBe("3a85026f2e827b5e");
    expect(structured.source).toEqual({ source_type: "SOURCE_TYPE_UNSPECIFIED" });
    expect(structured.rationale).toBeUndefined();
    // A Value's numbers are floats in the reference: a dict from `value` serializes with `1.0`.
    const fromValue = await create({ assessment_name: "e2", expectation: { value: { a: 1 } } });
    expect(fromValue.expectation.serialized_value.value).toBe('{"a": 1.0}');
    const scalar = await create({ assessment_name: "e3", expectation: { value: "Paris" } });
    expect(scalar.expectation).toEqual({ value: "Paris" });
  });

  it("keeps feedback errors, null values and client-chosen ids and times", async () => {
    const a = await create({
      assessment_id: "a-mine",
      assessment_name: "judge",
      source: { source_type: "LLM_JUDGE", source_id: "gpt" },
      create_time: "2024-01-02T03:04:05.123456Z",
      feedback: { error: { error_code: "ValueError", error_message: "boom", stack_trace: "trace" } },
      valid: false,
      run_id: "ignored",
    });
    expect(a.assessment_id).toBe("a-mine");
    expect(a.create_time).toBe("2024-01-02T03:04:05.123Z");
    expect(a.feedback).toEqual({
      value: null,
      error: { error_code: "ValueError", error_message: "boom", stack_trace: "trace" },
    });
    expect(a.valid).toBe(true);
    const dup = await call("POST", base, { assessment: { assessment_id: "a-mine", feedback: { value: 1 } } });
    expect(dup.status).toBe(400);
    expect(dup.body.message).toBe(`Failed to create assessment for trace '${TRACE}' due to a constraint violation.`);
  });

  it("writes whole-second times without a fraction, as protobuf does", async () => {
    const a = await create({ feedback: { value: true }, create_time: "2024-01-02T03:04:05+01:00" });
    expect(a.create_time).toBe("2024-01-02T02:04:05Z");
    expect(a.assessment_name).toBe("");
  });

  it("refuses what the reference refuses, with its messages", async () => {
    const cases: [unknown, number, string][] = [
      [{}, 400, "Missing value for required parameter 'assessment'."],
      [{ assessment: {} }, 400, "Unknown assessment type: None"],
      [{ assessment: "str" }, 400, "Unknown assessment type: None"],
      [{ assessment: { assessment_name: 5, feedback: { value: 1 } } }, 400, "Unknown assessment type: None"],
      [{ assessment: { expectation: {} } }, 400, "The `value` field must be specified."],
      [
        { assessment: { expectation: { serialized_value: { serialization_format: "YAML", value: "a" } } } },
        400,
        "Unknown serialization format: YAML. Only JSON_FORMAT is supported.",
      ],
      [
        { assessment: { feedback: { value: 1 }, overrides: "a-missing" } },
        404,
        `Assessment with ID 'a-missing' not found for trace '${TRACE}'`,
      ],
    ];
    for (const [body, status, message] of cases) {
      const r = await call("POST", base, body);
      expect(r.status, JSON.stringify(body)).toBe(status);
      expect(r.body.message).toContain(message);
    }
    const noTrace = await call("POST", "/traces/tr-nope/assessments", feedbackBody);
    expect(noTrace.status).toBe(404);
    expect(noTrace.body).toMatchObject({
      error_code: "RESOURCE_DOES_NOT_EXIST",
      message: "Trace with ID 'tr-nope' not found.",
    });
  });

  it("reads a half-parsable body as the reference's ParseDict does: up to the bad field", async () => {
    // The oneof's second member fails the parse; `source`, after it, stays unset.
    const a = await create({
      assessment_name: "x",
      feedback: { value: 1 },
      issue: { issue_name: "i" },
      source: { source_type: "CODE" },
    });
    expect(a.source).toEqual({ source_type: "SOURCE_TYPE_UNSPECIFIED" });
    expect(a.feedback).toEqual({ value: 1 });
    // An unknown enum name is skipped.
    const b = await create({ feedback: { value: 1 }, source: { source_type: "BAD", source_id: "s" } });
    expect(b.source).toEqual({ source_type: "SOURCE_TYPE_UNSPECIFIED", source_id: "s" });
  });

  it("answers unknown traces and assessments with the reference's 404s", async () => {
    const noTrace = await call("GET", "/traces/tr-nope/assessments/a-nope");
    expect(noTrace.status).toBe(404);
    expect(noTrace.body.message).toBe("Trace with request_id 'tr-nope' not found");
    const noAssessment = await call("GET", `${base}/a-nope`);
    expect(noAssessment.body.message).toBe(`Assessment with ID 'a-nope' not found for trace '${TRACE}'`);
    // An assessment of another trace is not found under this one.
    const other = await call("POST", `/traces/${OTHER}/assessments`, feedbackBody);
    const cross = await call("GET", `${base}/${other.body.assessment.assessment_id}`);
    expect(cross.status).toBe(404);
  });
});

describe("overrides", () => {
  it("marks the overridden feedback invalid, and valid again when the override is deleted", async () => {
    const original = await create({ assessment_name: "q", feedback: { value: 0.5 } });
    const override = await create({
      assessment_name: "q",
      feedback: { value: 0.9 },
      overrides: original.assessment_id,
    });
    expect(override.overrides).toBe(original.assessment_id);
    expect((await call("GET", `${base}/${original.assessment_id}`)).body.assessment.valid).toBe(false);
    expect((await call("DELETE", `${base}/${override.assessment_id}`)).body).toEqual({});
    expect((await call("GET", `${base}/${original.assessment_id}`)).body.assessment.valid).toBe(true);
    expect((await call("GET", `${base}/${override.assessment_id}`)).status).toBe(404);
  });

  it("deletes idempotently, also on unknown traces", async () => {
    expect(await call("DELETE", `${base}/a-nope`)).toEqual({ status: 200, body: {} });
    expect(await call("DELETE", "/traces/tr-nope/assessments/a-nope")).toEqual({ status: 200, body: {} });
  });
});

describe("update", () => {
  it("changes what the mask names, merges metadata and keeps source and creation time", async () => {
    const fb = await create({
      assessment_name: "quality",
      source: { source_type: "HUMAN", source_id: "bob" },
      create_time: "2026-01-01T00:00:00.500Z",
      feedback: { value: 0.5 },
      rationale: "ok",
      metadata: { k: "v" },
    });
    const r = await call("PATCH", `${base}/${fb.assessment_id}`, {
      assessment: {
        assessment_name: "renamed",
        feedback: { value: "z", error: { error_code: "E2", error_message: "m" } },
        metadata: { m: "1" },
        rationale: "ignored: not in the mask",
      },
      update_mask: "assessmentName,feedback,metadata,bogus",
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const a = r.body.assessment;
    expect(a).toMatchObject({
      assessment_name: "renamed",
      source: { source_type: "HUMAN", source_id: "bob" },
      create_time: "2026-01-01T00:00:00.500Z",
      feedback: { value: "z", error: { error_code: "E2", error_message: "m" } },
      rationale: "ok",
      metadata: { k: "v", m: "1" },
      valid: true,
    });
    expect(a.last_update_time).not.toBe(fb.last_update_time);
    expect((await call("GET", `${base}/${fb.assessment_id}`)).body.assessment).toEqual(a);
  });

  it("updates an expectation's value", async () => {
    const ex = await create({ assessment_name: "exp", expectation: { value: "a" } });
    const r = await call("PATCH", `${base}/${ex.assessment_id}`, {
      assessment: { expectation: { serialized_value: { serialization_format: "JSON_FORMAT", value: "[1, 2]" } } },
      update_mask: "expectation",
    });
    expect(r.body.assessment.expectation).toEqual({
      serialized_value: { serialization_format: "JSON_FORMAT", value: "[1, 2]" },
    });
  });

  it("refuses what the reference refuses", async () => {
    const ex = await create({ assessment_name: "exp", expectation: { value: "a" } });
    const fb = await create({ assessment_name: "fb", feedback: { value: 1 } });
    const cases: [string, unknown, number, string][] = [
      [ex.assessment_id, { assessment: { assessment_name: "n" } }, 400, "'update_mask'"],
      [ex.assessment_id, { update_mask: "assessmentName" }, 400, "'assessment'"],
      [
        ex.assessment_id,
        { assessment: { feedback: { value: 1 } }, update_mask: "feedback" },
        400,
        "Cannot update feedback value on an Expectation assessment.",
      ],
      [
        fb.assessment_id,
        { assessment: { expectation: { value: 1 } }, update_mask: "expectation" },
        400,
        "Cannot update expectation value on a Feedback assessment.",
      ],
      [fb.assessment_id, { assessment: { valid: false }, update_mask: "valid" }, 400, "unexpected keyword argument"],
      ["a-nope", { assessment: {}, update_mask: "assessmentName" }, 404, "Assessment with ID 'a-nope' not found"],
    ];
    for (const [id, body, status, message] of cases) {
      const r = await call("PATCH", `${base}/${id}`, body);
      expect(r.status, JSON.stringify(body)).toBe(status);
      expect(r.body.message).toContain(message);
    }
    // A mask that is no string leaves the mask empty: only the update time changes.
    const r = await call("PATCH", `${base}/${fb.assessment_id}`, {
      assessment: { assessment_name: "q" },
      update_mask: { paths: ["assessment_name"] },
    });
    expect(r.status).toBe(200);
    expect(r.body.assessment.assessment_name).toBe("fb");
  });
});

describe("assessmentInserts", () => {
  it("writes the assessments a started trace carries, valid, in the API's form", async () => {
    const [row] = await seedTraces(client, [{ requestId: "tr-started" }]);
    const stmts = assessmentInserts(
      row ?? -1,
      [
        { assessment_name: "a", feedback: { value: true }, overrides: "a-other", create_time: "2026-01-01T00:00:00Z" },
        { assessment_name: "b", expectation: { value: [1] } },
      ],
      Date.UTC(2026, 0, 2),
    );
    await client.batch(stmts, "write");
    const list = (await loadAssessments({ client }, [row ?? -1])).get(row ?? -1) ?? [];
    expect(list.map((a) => [a.assessment_name, a.valid, a.create_time])).toEqual([
      ["a", true, "2026-01-01T00:00:00Z"],
      ["b", true, "2026-01-02T00:00:00Z"],
    ]);
    expect(list[0]?.overrides).toBe("a-other");
    expect(list[1]?.expectation).toEqual({ serialized_value: { serialization_format: "JSON_FORMAT", value: "[1.0]" } });
    expect(() => assessmentInserts(1, [{ assessment_name: "x" }], 0)).toThrow("Unknown assessment type: None");
  });
});

describe("loadAssessments", () => {
  it("groups many traces' assessments in one query, oldest first", async () => {
    const byTrace = await loadAssessments({ client }, [...rows, 999_999]);
    const mine = byTrace.get(rows[0] ?? -1) ?? [];
    expect(mine.length).toBeGreaterThan(5);
    expect(mine.every((a) => a.trace_id === TRACE)).toBe(true);
    const times = mine.map((a) => Date.parse(a.create_time ?? ""));
    expect(times).toEqual([...times].sort((x, y) => x - y));
    expect(byTrace.get(rows[1] ?? -1)?.length).toBe(1);
    expect(byTrace.has(999_999)).toBe(false);
  });
});

const ORDER = [
  "assessment_id",
  "assessment_name",
  "trace_id",
  "span_id",
  "source",
  "create_time",
  "last_update_time",
  "feedback",
  "expectation",
  "rationale",
  "metadata",
  "overrides",
  "valid",
  "issue",
];
