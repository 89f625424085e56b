/**
 * The trace messages as MLflow 3.17.2's server answers them (recorded in `fixtures/`): TraceInfo v3, Assessment, and
 * spans in OTel's protobuf JSON (`attributes` as `{key, value: AnyValue}` lists, ids base64, int64 nanos as numbers).
 * Temporary: replaced by the shared zod types of `@tracklite/schemas` once `packages/schemas/src/traces.ts` lands.
 */

export type TraceState = "STATE_UNSPECIFIED" | "OK" | "ERROR" | "IN_PROGRESS";

export interface TraceLocation {
  type: string;
  mlflow_experiment?: { experiment_id: string };
}

export interface AssessmentSource {
  source_type: string;
  source_id?: string;
}

export interface AssessmentError {
  error_code?: string;
  error_message?: string;
}

export interface Assessment {
  assessment_id: string;
  assessment_name: string;
  trace_id?: string;
  span_id?: string;
  source?: AssessmentSource;
  create_time?: string;
  last_update_time?: string;
  feedback?: { value?: unknown; error?: AssessmentError };
  expectation?: { value?: unknown; serialized_value?: { serialization_format?: string; value?: string } };
  rationale?: string;
  metadata?: Record<string, string>;
  overrides?: string;
  valid?: boolean;
}

export interface TraceInfo {
  trace_id: string;
  client_request_id?: string;
  trace_location?: TraceLocation;
  request_preview?: string;
  response_preview?: string;
  /** RFC 3339, e.g. `2026-12-06T07:31:03.370Z`. */
  request_time?: string;
  /** A protobuf Duration, e.g. `0.057s`. */
  execution_duration?: string;
  state?: TraceState;
  trace_metadata?: Record<string, string>;
  assessments?: Assessment[];
  tags?: Record<string, string>;
}

/** OTel's AnyValue in protobuf JSON. */
export interface AnyValue {
  string_value?: string;
  bool_value?: boolean;
  int_value?: number | string;
  double_value?: number | string;
  array_value?: { values?: AnyValue[] };
  kvlist_value?: { values?: KeyValue[] };
  bytes_value?: string;
}

export interface KeyValue {
  key: string;
  value?: AnyValue;
}

export interface SpanEvent {
  time_unix_nano?: number | string;
  name?: string;
  attributes?: KeyValue[];
}

/** One span of `GET /traces/get`. Ids are base64 bytes; times int64 nanoseconds (numbers or strings). */
export interface WireSpan {
  trace_id?: string;
  span_id: string;
  parent_span_id?: string;
  name?: string;
  kind?: string;
  start_time_unix_nano?: number | string;
  end_time_unix_nano?: number | string;
  attributes?: KeyValue[];
  events?: SpanEvent[];
  status?: { code?: string; message?: string };
}

export interface SearchTracesResponse {
  traces?: TraceInfo[];
  next_page_token?: string;
}

export interface GetTraceResponse {
  trace?: { trace_info?: TraceInfo; spans?: WireSpan[] };
}

export interface AssessmentResponse {
  assessment: Assessment;
}
