import type { AssessmentWire } from "@tracklite/schemas";
import { invalidParameter } from "../errors.js";
import type { ProtoAssessment, ProtoError } from "./assessment-proto.js";
import { fromProtoValue, isPyScalar, type PyJson, pyJsonDumps, pyJsonLoads, toWireJson } from "./py-json.js";

/**
 * Assessments between the wire and their table row, as the reference's entities convert them: `Feedback` /
 * `Expectation` / `IssueReference.from_proto`, `SqlAssessments.from_mlflow_entity` and `to_mlflow_entity`, `to_proto`.
 * @see mlflow/entities/assessment.py, mlflow/store/tracking/dbmodels/models.py SqlAssessments
 */

export const ASSESSMENT_KINDS = ["feedback", "expectation", "issue"] as const;
export type AssessmentKind = (typeof ASSESSMENT_KINDS)[number];

/** The columns an assessment is written with (the `assessments` table, less `trace_row` and `valid`). */
export interface AssessmentValues {
  assessment_id: string;
  name: string;
  assessment_type: AssessmentKind;
  /** `json.dumps(value)`, Python's text (floats keep their `.0`). */
  value: string;
  /** `json.dumps(AssessmentError.to_dictionary())`, feedback only. */
  error: string | null;
  created_timestamp: number;
  last_updated_timestamp: number;
  source_type: string;
  source_id: string | null;
  run_id: string | null;
  span_id: string | null;
  rationale: string | null;
  overrides: string | null;
  assessment_metadata: string | null;
}

/** A stored assessment with its trace's MLflow id. */
export interface AssessmentRow extends AssessmentValues {
  trace_id: string;
  valid: number;
}

/** The metadata key whose value the reference copies into the assessment's `run_id`. */
const SOURCE_RUN_ID = "mlflow.assessment.sourceRunId";
const JSON_FORMAT = "JSON_FORMAT";
const STACK_TRACE_LIMIT = 10000;
const STACK_TRACE_PREFIX = "[Stack trace is truncated]\n...\n";

/** MLflow's `generate_assessment_id`: `a-` and a uuid4 in hex. */
export function newAssessmentId(): string {
  return `a-${crypto.randomUUID().replaceAll("-", "")}`;
}

/** `json.dumps(AssessmentError.from_proto(e).to_dictionary())`. */
export function errorJson(e: ProtoError): string {
  return pyJsonDumps({
    error_code: e.error_code ?? "",
    error_message: e.error_message || null,
    stack_trace: e.stack_trace || null,
  });
}

/** `ExpectationValue.from_proto`: the serialized JSON, or the Value; a missing value is refused. */
export function expectationValue(e: ProtoAssessment["expectation"] | undefined): PyJson {
  let value: PyJson;
  const serialized = e?.serialized_value;
  if (serialized !== undefined) {
    const format = serialized.serialization_format ?? "";
    if (format !== JSON_FORMAT)
      throw invalidParameter(`Unknown serialization format: ${format}. Only JSON_FORMAT is supported.`);
    try {
      value = pyJsonLoads(serialized.value ?? "");
    } catch {
      // The reference crashes (HTTP 500) on text json.loads refuses.
      throw invalidParameter(`The serialized expectation value is not valid JSON: ${serialized.value ?? ""}`);
    }
  } else value = fromProtoValue(e?.value);
  if (value === null) throw invalidParameter("The `value` field must be specified.");
  return value;
}

function metadataOf(p: ProtoAssessment): Record<string, string> | null {
  return p.metadata && Object.keys(p.metadata).length > 0 ? p.metadata : null;
}

/** The row a CreateAssessment writes: `Assessment.from_proto` then `SqlAssessments.from_mlflow_entity`. */
export function valuesFromProto(p: ProtoAssessment, now: number): AssessmentValues {
  const kind: AssessmentKind | undefined = p.feedback
    ? "feedback"
    : p.expectation
      ? "expectation"
      : p.issue
        ? "issue"
        : undefined;
  if (!kind) throw invalidParameter("Unknown assessment type: None");
  const metadata = metadataOf(p);
  let value: PyJson;
  let error: string | null = null;
  if (kind === "feedback") {
    value = fromProtoValue(p.feedback?.value);
    if (p.feedback?.error) error = errorJson(p.feedback.error);
  } else if (kind === "expectation") value = expectationValue(p.expectation);
  else value = { issue_name: p.issue?.issue_name ?? "" };
  return {
    assessment_id: p.assessment_id || newAssessmentId(),
    name: p.assessment_name ?? "",
    assessment_type: kind,
    value: pyJsonDumps(value),
    error,
    // An unset Timestamp reads as 0 ms, which the store replaces by the current time.
    created_timestamp: p.create_time || now,
    last_updated_timestamp: p.last_update_time || now,
    source_type: p.source?.source_type ?? "SOURCE_TYPE_UNSPECIFIED",
    source_id: p.source?.source_id || null,
    run_id: metadata?.[SOURCE_RUN_ID] ?? null,
    span_id: p.span_id || null,
    // Expectations carry neither a rationale nor `overrides`; issue references no `overrides`.
    rationale: kind === "expectation" ? null : p.rationale || null,
    overrides: kind === "feedback" ? p.overrides || null : null,
    assessment_metadata: metadata ? pyJsonDumps(metadata) : null,
  };
}

/** A Timestamp in protobuf's JSON: UTC, the fraction left out when zero, else in milliseconds. */
export function timestampJson(ms: number): string {
  const iso = new Date(ms).toISOString();
  return iso.endsWith(".000Z") ? `${iso.slice(0, 19)}Z` : iso;
}

function errorWire(text: string): NonNullable<NonNullable<AssessmentWire["feedback"]>["error"]> {
  const e = JSON.parse(text) as { error_code?: string; error_message?: string | null; stack_trace?: string | null };
  let stack = e.stack_trace ?? undefined;
  if (stack && stack.length > STACK_TRACE_LIMIT)
    stack = STACK_TRACE_PREFIX + stack.slice(-(STACK_TRACE_LIMIT - STACK_TRACE_PREFIX.length));
  return {
    error_code: e.error_code ?? "",
    ...(e.error_message ? { error_message: e.error_message } : {}),
    ...(stack ? { stack_trace: stack } : {}),
  };
}

/** A stored assessment as the API sends it (`Assessment.to_proto`, in protobuf's field-number order). */
export function assessmentToWire(row: AssessmentRow): AssessmentWire {
  const value = pyJsonLoads(row.value);
  const out: AssessmentWire & Record<string, unknown> = {
    assessment_id: row.assessment_id,
    assessment_name: row.name,
    trace_id: row.trace_id,
  };
  if (row.span_id !== null) out.span_id = row.span_id;
  out.source = { source_type: row.source_type, ...(row.source_id !== null ? { source_id: row.source_id } : {}) };
  out.create_time = timestampJson(row.created_timestamp);
  out.last_update_time = timestampJson(row.last_updated_timestamp);
  if (row.assessment_type === "feedback") {
    out.feedback = { value: toWireJson(value), ...(row.error !== null ? { error: errorWire(row.error) } : {}) };
  } else if (row.assessment_type === "expectation") {
    out.expectation = isPyScalar(value)
      ? { value: toWireJson(value) }
      : { serialized_value: { serialization_format: JSON_FORMAT, value: pyJsonDumps(value) } };
  }
  if (row.rationale !== null && row.assessment_type !== "expectation") out.rationale = row.rationale;
  if (row.assessment_metadata !== null) {
    const metadata = JSON.parse(row.assessment_metadata) as Record<string, unknown>;
    if (Object.keys(metadata).length > 0)
      out.metadata = Object.fromEntries(Object.entries(metadata).map(([k, v]) => [k, String(v)]));
  }
  if (row.overrides) out.overrides = row.overrides;
  out.valid = row.valid !== 0;
  if (row.assessment_type === "issue") {
    const issue = value as { issue_name?: unknown } | null;
    out.issue = { issue_name: String(issue?.issue_name ?? "") };
  }
  return out;
}
