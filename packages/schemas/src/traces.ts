import * as z from "zod";
import { idString, int64 } from "./wire.js";

/**
 * MLflow Tracing's wire format: trace infos (v3 and the v2 form older clients use), spans, assessments and the
 * requests of the trace endpoints.
 * @see mlflow/protos/service.proto TraceInfoV3, Trace, StartTraceV3, SearchTracesV3, … and assessments.proto
 */

export const TRACE_STATES = ["STATE_UNSPECIFIED", "OK", "ERROR", "IN_PROGRESS"] as const;
export type TraceState = (typeof TRACE_STATES)[number];

/** The v2 TraceStatus enum (`TraceInfo.status`). */
export const TRACE_STATUSES = ["TRACE_STATUS_UNSPECIFIED", "OK", "ERROR", "IN_PROGRESS"] as const;
export type TraceStatus = (typeof TRACE_STATUSES)[number];

const stringMap = z.record(z.string(), z.string());

export const TraceLocation = z.object({
  type: z.string().optional(),
  mlflow_experiment: z.object({ experiment_id: idString.optional() }).optional(),
  inference_table: z.object({ full_table_name: z.string().optional() }).optional(),
});
export type TraceLocation = z.infer<typeof TraceLocation>;

export const AssessmentSource = z.object({
  source_type: z.string().optional(),
  source_id: z.string().optional(),
});

export const AssessmentError = z.object({
  error_code: z.string().optional(),
  error_message: z.string().optional(),
  stack_trace: z.string().optional(),
});

/** An assessment as the API sends it: `feedback` or `expectation`, times as RFC 3339 strings. */
export const Assessment = z.object({
  assessment_id: z.string().optional(),
  assessment_name: z.string().optional(),
  trace_id: z.string().optional(),
  span_id: z.string().optional(),
  source: AssessmentSource.optional(),
  create_time: z.string().optional(),
  last_update_time: z.string().optional(),
  feedback: z.object({ value: z.unknown().optional(), error: AssessmentError.optional() }).optional(),
  expectation: z
    .object({
      value: z.unknown().optional(),
      serialized_value: z
        .object({ serialization_format: z.string().optional(), value: z.string().optional() })
        .optional(),
    })
    .optional(),
  rationale: z.string().optional(),
  error: AssessmentError.optional(),
  metadata: stringMap.optional(),
  overrides: z.string().optional(),
  valid: z.boolean().optional(),
});
export type Assessment = z.infer<typeof Assessment>;

/** A v3 trace info as the API sends it. `request_time` is RFC 3339, `execution_duration` a proto Duration ("1.5s"). */
export const TraceInfoV3 = z.object({
  trace_id: z.string(),
  client_request_id: z.string().optional(),
  trace_location: TraceLocation,
  request_preview: z.string().optional(),
  response_preview: z.string().optional(),
  request_time: z.string(),
  execution_duration: z.string().optional(),
  state: z.enum(TRACE_STATES),
  trace_metadata: stringMap.optional(),
  assessments: z.array(Assessment).optional(),
  tags: stringMap.optional(),
});
export type TraceInfoV3 = z.infer<typeof TraceInfoV3>;

/** A trace info as a client sends it in StartTraceV3: protobuf's JSON parser is lenient about what it leaves out. */
export const TraceInfoV3Input = z.object({
  trace_id: z.string().optional(),
  client_request_id: z.string().optional(),
  trace_location: TraceLocation.optional(),
  request: z.string().optional(),
  response: z.string().optional(),
  request_preview: z.string().optional(),
  response_preview: z.string().optional(),
  request_time: z.string().optional(),
  execution_duration: z.string().optional(),
  state: z.union([z.enum(TRACE_STATES), z.number().int()]).optional(),
  trace_metadata: stringMap.optional(),
  assessments: z.array(Assessment).optional(),
  tags: stringMap.optional(),
});
export type TraceInfoV3Input = z.infer<typeof TraceInfoV3Input>;

/** OpenTelemetry's AnyValue in protobuf JSON form. */
export type AnyValue = {
  string_value?: string;
  bool_value?: boolean;
  int_value?: number | string;
  double_value?: number;
  array_value?: { values?: AnyValue[] };
  kvlist_value?: { values?: { key: string; value?: AnyValue }[] };
  bytes_value?: string;
};
/** An AnyValue on the wire: its one set field (the schema stays flat, so the OpenAPI document needs no recursion). */
export const AnyValue = z.record(z.string(), z.unknown()) as unknown as z.ZodType<AnyValue>;
export const KeyValue = z.object({ key: z.string(), value: AnyValue.optional() });

/**
 * A span as the API sends it: OpenTelemetry's Span in protobuf JSON form (ids base64, times as integers of
 * nanoseconds, which exceed 2^53: tracklite writes them as exact digits; a JS client reads them rounded unless it
 * parses them itself). MLflow keeps its own data in attributes whose values are JSON strings
 * (`mlflow.spanType`, `mlflow.spanInputs`, `mlflow.spanOutputs`, …).
 * @see opentelemetry/proto/trace/v1/trace.proto Span
 */
export const Span = z.object({
  trace_id: z.string(),
  span_id: z.string(),
  trace_state: z.string().optional(),
  parent_span_id: z.string().optional(),
  flags: z.number().optional(),
  name: z.string(),
  kind: z.union([z.string(), z.number()]).optional(),
  start_time_unix_nano: z.union([z.number(), z.string()]),
  end_time_unix_nano: z.union([z.number(), z.string()]).optional(),
  attributes: z.array(KeyValue).optional(),
  dropped_attributes_count: z.number().optional(),
  events: z
    .array(
      z.object({
        time_unix_nano: z.union([z.number(), z.string()]).optional(),
        name: z.string().optional(),
        attributes: z.array(KeyValue).optional(),
        dropped_attributes_count: z.number().optional(),
      }),
    )
    .optional(),
  dropped_events_count: z.number().optional(),
  links: z.array(z.unknown()).optional(),
  dropped_links_count: z.number().optional(),
  status: z.object({ code: z.union([z.string(), z.number()]).optional(), message: z.string().optional() }).optional(),
});
export type Span = z.infer<typeof Span>;

export const Trace = z.object({ trace_info: TraceInfoV3, spans: z.array(Span).optional() });
export type Trace = z.infer<typeof Trace>;

// ---- v3 requests and responses ----

/** Protobuf's parser leaves a message field that is no JSON object unset (`{"trace": "x"}` is an empty trace). */
const messageOrEmpty = (v: unknown) => (typeof v === "object" && v !== null && !Array.isArray(v) ? v : {});

export const StartTraceV3 = z.object({
  trace: z
    .preprocess(
      messageOrEmpty,
      z.object({ trace_info: TraceInfoV3Input.optional(), spans: z.array(z.unknown()).optional() }),
    )
    .optional(),
});
export const TraceResponse = z.object({ trace: Trace });
export const TracePathOnly = z.object({});

/** `allow_partial` arrives as a query string ("true" / "false", any case) from GET, or a JSON boolean. */
export const GetTrace = z.object({
  trace_id: z.string().optional(),
  allow_partial: z.union([z.boolean(), z.string()]).optional(),
});
export const BatchGetTraces = z.object({
  trace_ids: z.array(z.string()).optional(),
  experiment_ids: z.array(z.string()).optional(),
});
export const BatchGetTracesResponse = z.object({ traces: z.array(Trace).optional() });
export const BatchGetTraceInfosResponse = z.object({ trace_infos: z.array(TraceInfoV3).optional() });

export const SearchTracesV3 = z.object({
  locations: z.array(TraceLocation).optional(),
  filter: z.string().optional(),
  max_results: int64.optional(),
  order_by: z.array(z.string()).optional(),
  page_token: z.string().optional(),
});
export type SearchTracesV3 = z.infer<typeof SearchTracesV3>;
export const SearchTracesV3Response = z.object({
  traces: z.array(TraceInfoV3).optional(),
  next_page_token: z.string().optional(),
});

export const DeleteTraces = z.object({
  // A string field: a number fails the proto parse, and the handler's string check then speaks.
  experiment_id: z.string().optional(),
  max_timestamp_millis: int64.optional(),
  max_traces: int64.optional(),
  request_ids: z.array(z.string()).optional(),
});
export const DeleteTracesResponse = z.object({ traces_deleted: z.number().optional() });

export const SetTraceTag = z.object({ key: z.string().optional(), value: z.string().optional() });
export const DeleteTraceTag = z.object({ key: z.string().optional() });

export const LinkTracesToRun = z.object({ trace_ids: z.array(z.string()).optional(), run_id: z.string().optional() });
export const LinkPromptsToTrace = z.object({
  trace_id: z.string().optional(),
  prompt_versions: z
    .array(z.object({ name: z.string().optional(), version: z.union([z.string(), z.number()]).optional() }))
    .optional(),
});

// ---- v2 (MLflow 2.x and early 3.x clients) ----

const keyValue = z.object({ key: z.string().optional(), value: z.string().optional() });

/** A v2 trace info: `request_id`, millisecond times, tags and metadata as key/value lists. */
export const TraceInfoV2 = z.object({
  request_id: z.string(),
  experiment_id: z.string(),
  timestamp_ms: z.number(),
  execution_time_ms: z.number().optional(),
  status: z.enum(TRACE_STATUSES),
  request_metadata: z.array(z.object({ key: z.string(), value: z.string() })).optional(),
  tags: z.array(z.object({ key: z.string(), value: z.string() })).optional(),
});
export type TraceInfoV2 = z.infer<typeof TraceInfoV2>;

export const StartTraceV2 = z.object({
  experiment_id: idString.optional(),
  timestamp_ms: int64.optional(),
  request_metadata: z.array(keyValue).optional(),
  tags: z.array(keyValue).optional(),
});
export const EndTraceV2 = z.object({
  timestamp_ms: int64.optional(),
  /** A name or number; anything else protobuf's parser leaves unset (UNSPECIFIED), which the handler then refuses. */
  status: z.unknown().optional(),
  request_metadata: z.array(keyValue).optional(),
  tags: z.array(keyValue).optional(),
});
export const TraceInfoV2Response = z.object({ trace_info: TraceInfoV2 });
export const SearchTracesV2 = z.object({
  experiment_ids: z.array(z.string()).optional(),
  filter: z.string().optional(),
  max_results: int64.optional(),
  order_by: z.array(z.string()).optional(),
  page_token: z.string().optional(),
});
export const SearchTracesV2Response = z.object({
  traces: z.array(TraceInfoV2).optional(),
  next_page_token: z.string().optional(),
});

// ---- tracklite's own UI calls: a large trace's span tree first, span contents on demand ----

/** One page of a trace's span tree, in columns (a 50,000-span trace's tree is a few MB this way). */
export const GetTraceSpanTree = z.object({
  trace_id: z.string().optional(),
  max_results: int64.optional(),
  page_token: z.string().optional(),
});
export const TraceSpanTree = z.object({
  /** Span ids in hex, as MLflow writes them outside OTLP. */
  span_ids: z.array(z.string()),
  parent_ids: z.array(z.string().nullable()),
  names: z.array(z.string().nullable()),
  /** `mlflow.spanType` of each span. */
  types: z.array(z.string().nullable()),
  /** OK, ERROR or UNSET. */
  statuses: z.array(z.string()),
  /** Start and end in microseconds since the epoch (exact in a JS number, unlike nanoseconds). */
  start_us: z.array(z.number()),
  end_us: z.array(z.number().nullable()),
  next_page_token: z.string().optional(),
});
export type TraceSpanTree = z.infer<typeof TraceSpanTree>;

export const GetTraceSpans = z.object({ trace_id: z.string().optional(), span_ids: z.array(z.string()).optional() });
export const TraceSpansResponse = z.object({ spans: z.array(Span) });
