import { ASSESSMENT_SOURCE_TYPES } from "@tracklite/schemas";

/**
 * An `mlflow.assessments.Assessment` read from proto JSON the way the reference's `ParseDict(…,
 * ignore_unknown_fields=True)` reads it: fields in the body's order, lowerCamelCase names accepted, unknown fields and
 * unknown enum names skipped, and the first value it cannot parse ends the parse, leaving that field and every later
 * one unset (the handler then works on what was read).
 */
export interface ProtoAssessment {
  assessment_id?: string;
  assessment_name?: string;
  trace_id?: string;
  span_id?: string;
  source?: { source_type?: string; source_id?: string };
  /** Timestamps in epoch milliseconds (protobuf's `ToMilliseconds`). */
  create_time?: number;
  last_update_time?: number;
  /** `value` is the JSON of a google.protobuf.Value, `null` for an explicit null, absent when unset. */
  feedback?: { value?: unknown; error?: ProtoError };
  expectation?: { value?: unknown; serialized_value?: { serialization_format?: string; value?: string } };
  issue?: { issue_name?: string };
  rationale?: string;
  metadata?: Record<string, string>;
  overrides?: string;
  valid?: boolean;
}

export interface ProtoError {
  error_code?: string;
  error_message?: string;
  stack_trace?: string;
}

/** Thrown inside the parse: the reference's ParseError, after which the handler goes on with the partial message. */
class ParseError extends Error {}

type Obj = Record<string, unknown>;

const camel = (name: string) => name.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());

/** Iterates a JSON object's known fields in its own order, under either spelling; unknown ones are skipped. */
function* fields(raw: unknown, names: readonly string[]): Generator<[string, unknown]> {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) throw new ParseError();
  const byJsonName = new Map<string, string>();
  for (const n of names) {
    byJsonName.set(n, n);
    byJsonName.set(camel(n), n);
  }
  for (const [key, value] of Object.entries(raw as Obj)) {
    const name = byJsonName.get(key);
    // ParseDict skips a null for any field but a google.protobuf.Value.
    if (name !== undefined && value !== null) yield [name, value];
  }
}

function str(v: unknown): string {
  if (typeof v !== "string") throw new ParseError();
  return v;
}

/** A Timestamp in RFC 3339 (`2024-01-02T03:04:05.123456Z`, or an offset) as epoch milliseconds, nanos floored. */
export function parseTimestamp(v: unknown): number {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/i.exec(str(v));
  if (!m) throw new ParseError();
  const seconds = Date.parse(`${m[1]}Z`);
  if (Number.isNaN(seconds)) throw new ParseError();
  let offsetMs = 0;
  if (m[3] && m[3].toUpperCase() !== "Z") {
    const sign = m[3].startsWith("-") ? -1 : 1;
    offsetMs = sign * (Number(m[3].slice(1, 3)) * 60 + Number(m[3].slice(4, 6))) * 60_000;
  }
  const ms = Number((m[2] ?? "").padEnd(3, "0").slice(0, 3) || "0");
  return seconds - offsetMs + ms;
}

function parseError(raw: unknown): ProtoError {
  const out: ProtoError = {};
  for (const [name, v] of fields(raw, ["error_code", "error_message", "stack_trace"]))
    out[name as keyof ProtoError] = str(v);
  return out;
}

function parseSource(raw: unknown): NonNullable<ProtoAssessment["source"]> {
  const out: NonNullable<ProtoAssessment["source"]> = {};
  for (const [name, v] of fields(raw, ["source_type", "source_id"])) {
    if (name === "source_id") out.source_id = str(v);
    else if (typeof v === "number" && Number.isInteger(v)) {
      const known = ASSESSMENT_SOURCE_TYPES[v];
      if (known) out.source_type = known;
    } else if (typeof v === "string") {
      if ((ASSESSMENT_SOURCE_TYPES as readonly string[]).includes(v)) out.source_type = v;
    } else throw new ParseError();
  }
  return out;
}

function parseMetadata(raw: unknown): Record<string, string> {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) throw new ParseError();
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw as Obj)) out[k] = str(v);
  return out;
}

/** Reads `raw` into `out` field by field; returns false when a field could not be parsed (the rest stays unset). */
export function parseAssessment(raw: unknown, out: ProtoAssessment = {}): boolean {
  try {
    for (const [name, v] of fields(raw, ASSESSMENT_FIELDS)) {
      switch (name) {
        case "source":
          out.source = parseSource(v);
          break;
        case "create_time":
        case "last_update_time":
          out[name] = parseTimestamp(v);
          break;
        case "feedback":
        case "expectation":
        case "issue":
          // One of the `value` oneof only: a second member is a ParseError.
          for (const other of ["feedback", "expectation", "issue"] as const)
            if (other !== name && out[other] !== undefined) throw new ParseError();
          if (name === "feedback") {
            out.feedback = {};
            parseFeedback(v, out.feedback);
          } else if (name === "expectation") {
            out.expectation = {};
            parseExpectation(v, out.expectation);
          } else {
            const issue: NonNullable<ProtoAssessment["issue"]> = {};
            out.issue = issue;
            for (const [, x] of fields(v, ["issue_name"])) issue.issue_name = str(x);
          }
          break;
        case "metadata":
          out.metadata = parseMetadata(v);
          break;
        case "valid":
          if (typeof v !== "boolean") throw new ParseError();
          out.valid = v;
          break;
        case "error":
          // Read and dropped: the reference's entities ignore the top-level (deprecated) error.
          parseError(v);
          break;
        default:
          out[name as "assessment_id"] = str(v);
      }
    }
    return true;
  } catch (e) {
    if (e instanceof ParseError) return false;
    throw e;
  }
}

const ASSESSMENT_FIELDS = [
  "assessment_id",
  "assessment_name",
  "trace_id",
  "span_id",
  "source",
  "create_time",
  "last_update_time",
  "feedback",
  "expectation",
  "issue",
  "rationale",
  "error",
  "metadata",
  "overrides",
  "valid",
] as const;

function parseFeedback(raw: unknown, out: NonNullable<ProtoAssessment["feedback"]>) {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) throw new ParseError();
  for (const [key, v] of Object.entries(raw as Obj)) {
    if (key === "value") out.value = v;
    else if (key === "error" && v !== null) out.error = parseError(v);
  }
  return out;
}

function parseExpectation(raw: unknown, out: NonNullable<ProtoAssessment["expectation"]>) {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) throw new ParseError();
  for (const [key, v] of Object.entries(raw as Obj)) {
    if (key === "value") out.value = v;
    else if ((key === "serialized_value" || key === "serializedValue") && v !== null) {
      const sv: { serialization_format?: string; value?: string } = {};
      for (const [name, x] of fields(v, ["serialization_format", "value"]))
        sv[name as "value" | "serialization_format"] = str(x);
      out.serialized_value = sv;
    }
  }
  return out;
}

/**
 * protobuf's FieldMask in JSON, `"assessmentName,feedback"`, as snake_case paths. Anything but a string fails its
 * parse (the mask stays empty).
 */
export function parseFieldMask(raw: unknown): string[] | undefined {
  if (typeof raw !== "string") return undefined;
  return raw
    .split(",")
    .filter((p) => p !== "")
    .map((p) => p.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`));
}
