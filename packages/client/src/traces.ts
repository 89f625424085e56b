import type { AssessmentInput, AssessmentSourceType, Span, Trace } from "@tracklite/schemas";
import { parseJson } from "./transport.js";

/**
 * MLflow Tracing for the client: reading traces with exact span times, and building assessments (feedback and
 * expectations) as MLflow's Python client does. The HTTP calls are methods of `MlflowClient`.
 * @see mlflow/store/tracking/rest_store.py (the endpoints), mlflow/entities/assessment.py (the wire forms)
 */

/** The int64 fields of a span that hold nanoseconds since the epoch, and OpenTelemetry's int64 attribute value. */
const EXACT_INT_KEYS = ["start_time_unix_nano", "end_time_unix_nano", "time_unix_nano", "int_value"] as const;

/**
 * Matches one of those keys followed by a bare JSON integer. The lookbehind (`{` or `,`, spaces, the quote) only lets
 * a key that opens a member match: inside a JSON string every quote is escaped, so a quote there follows a backslash.
 * It sits after the opening quote so the engine tries it only at quotes (a third faster on a 50,000-span trace).
 */
const EXACT_INT_MEMBER = new RegExp(
  `"(?<=[{,]\\s*")(${EXACT_INT_KEYS.join("|")})"(\\s*:\\s*)(-?\\d+)(?=\\s*[,}])`,
  "g",
);

/**
 * A span whose nanosecond times are decimal strings, exact. The API sends them as JSON integers (about 1.7e18, beyond
 * 2^53: `JSON.parse` would round them to the nearest 256 ns) or as strings (protobuf JSON's int64 form); the client
 * reads both into strings. Strings, not bigint: they survive `JSON.stringify`, `structuredClone` and `postMessage`
 * unchanged and are the int64 form the wire schema already accepts; `BigInt(span.start_time_unix_nano)` (or
 * {@link spanDurationNs}) gives exact arithmetic when it is needed.
 */
export type ExactSpan = Omit<Span, "start_time_unix_nano" | "end_time_unix_nano" | "events"> & {
  start_time_unix_nano: string;
  end_time_unix_nano?: string;
  events?: (Omit<NonNullable<Span["events"]>[number], "time_unix_nano"> & { time_unix_nano?: string })[];
};

/** A trace as `getTrace` returns it: its info and its spans with exact times. */
export type ExactTrace = Omit<Trace, "spans"> & { spans: ExactSpan[] };

/**
 * Parses a JSON answer that holds spans, turning every span time (and int64 attribute value) into an exact decimal
 * string, whether the server wrote it as a number or a string.
 */
export function parseExactJson(text: string): unknown {
  return parseJson(text.replace(EXACT_INT_MEMBER, '"$1"$2"$3"'));
}

/** A span's duration in nanoseconds, exact; undefined while it has no end. */
export function spanDurationNs(
  span: Pick<ExactSpan, "start_time_unix_nano" | "end_time_unix_nano">,
): bigint | undefined {
  return span.end_time_unix_nano === undefined
    ? undefined
    : BigInt(span.end_time_unix_nano) - BigInt(span.start_time_unix_nano);
}

type Source = { sourceType: AssessmentSourceType; sourceId?: string };

/** What feedback and expectations share. */
interface AssessmentOptions {
  name?: string;
  /** Default: CODE for feedback, HUMAN for expectations, id "default" (as MLflow's Python client). */
  source?: Source;
  /** Values are sent as strings, as Python's client does with `str(value)`. */
  metadata?: Record<string, unknown>;
  /** The span the assessment is about; the whole trace when absent. */
  spanId?: string;
}

/** Feedback: a judgement of a trace (a score, a label, a pass/fail), or the error that kept a judge from giving one. */
export interface FeedbackOptions extends AssessmentOptions {
  /** Any JSON value; MLflow's UI expects a number, string, boolean, or a list or object of them. */
  value?: unknown;
  rationale?: string;
  error?: { errorCode?: string; errorMessage?: string; stackTrace?: string };
}

/** An expectation: the ground truth a trace should have produced. */
export interface ExpectationOptions extends AssessmentOptions {
  value: unknown;
}

/** The fields `updateAssessment` can change (the others stay as they are). */
export interface AssessmentChanges {
  name?: string;
  feedback?: Pick<FeedbackOptions, "value" | "error">;
  expectation?: Pick<ExpectationOptions, "value">;
  rationale?: string;
  metadata?: Record<string, unknown>;
}

const DEFAULT_SOURCE_ID = "default";

const toSource = (source: Source | undefined, fallback: AssessmentSourceType): AssessmentInput["source"] => ({
  source_type: source?.sourceType ?? fallback,
  source_id: source?.sourceId ?? DEFAULT_SOURCE_ID,
});

const toMetadata = (metadata: Record<string, unknown> | undefined) =>
  metadata ? Object.fromEntries(Object.entries(metadata).map(([k, v]) => [k, String(v)])) : undefined;

const toFeedback = (f: Pick<FeedbackOptions, "value" | "error">): NonNullable<AssessmentInput["feedback"]> => ({
  value: f.value,
  error: f.error && {
    error_code: f.error.errorCode,
    error_message: f.error.errorMessage,
    stack_trace: f.error.stackTrace,
  },
});

/**
 * An expectation's wire form: scalars go in `value`; lists, objects and null as a JSON string in `serialized_value`,
 * as MLflow's ExpectationValue.to_proto does.
 */
const toExpectation = (value: unknown): NonNullable<AssessmentInput["expectation"]> =>
  value !== null && ["string", "number", "boolean"].includes(typeof value)
    ? { value }
    : { serialized_value: { serialization_format: "JSON_FORMAT", value: JSON.stringify(value) } };

/** The CreateAssessment body of a feedback. Name "feedback" by default, as in `mlflow.log_feedback`. */
export function feedbackAssessment(traceId: string, opts: FeedbackOptions): AssessmentInput {
  return {
    trace_id: traceId,
    assessment_name: opts.name ?? "feedback",
    span_id: opts.spanId,
    source: toSource(opts.source, "CODE"),
    feedback: toFeedback(opts),
    rationale: opts.rationale,
    metadata: toMetadata(opts.metadata),
  };
}

/** The CreateAssessment body of an expectation. Name "expectation" by default. */
export function expectationAssessment(traceId: string, opts: ExpectationOptions): AssessmentInput {
  return {
    trace_id: traceId,
    assessment_name: opts.name ?? "expectation",
    span_id: opts.spanId,
    source: toSource(opts.source, "HUMAN"),
    expectation: toExpectation(opts.value),
    metadata: toMetadata(opts.metadata),
  };
}

/**
 * The UpdateAssessment body: the changed fields and their field mask. A FieldMask in protobuf JSON is one string of
 * lowerCamelCase paths joined by commas (`"assessmentName,feedback"`), which is what MLflow's Python client sends.
 */
export function assessmentUpdate(
  traceId: string,
  assessmentId: string,
  changes: AssessmentChanges,
): { assessment: AssessmentInput; update_mask: string } {
  if (changes.feedback && changes.expectation) {
    throw new TypeError("Exactly one of `expectation` or `feedback` should be specified.");
  }
  const assessment: AssessmentInput = { trace_id: traceId, assessment_id: assessmentId };
  const mask: string[] = [];
  if (changes.name !== undefined) {
    assessment.assessment_name = changes.name;
    mask.push("assessmentName");
  }
  if (changes.expectation) {
    assessment.expectation = toExpectation(changes.expectation.value);
    mask.push("expectation");
  }
  if (changes.feedback) {
    assessment.feedback = toFeedback(changes.feedback);
    mask.push("feedback");
  }
  if (changes.rationale !== undefined) {
    assessment.rationale = changes.rationale;
    mask.push("rationale");
  }
  if (changes.metadata !== undefined) {
    assessment.metadata = toMetadata(changes.metadata);
    mask.push("metadata");
  }
  return { assessment, update_mask: mask.join(",") };
}

/** How many trace ids one delete-traces call carries; MLflow's client splits longer lists. @see MLFLOW_DELETE_TRACES_MAX_BATCH_SIZE */
export const DELETE_TRACES_BATCH = 100;
