import type { AnyValue } from "@tracklite/schemas";

/**
 * MLflow's two span forms. A client that logs a trace's data to the artifact store writes `traces.json`:
 * `{"spans": [Span.to_dict()]}`, attributes as a map of JSON strings. The API (`traces/get`) sends OpenTelemetry's
 * Span as protobuf JSON, attributes as AnyValues. Nanosecond times exceed 2^53 in both: they are carried as digit
 * strings here and written back as bare digits.
 * @see mlflow/entities/span.py Span.to_dict, to_otel_proto; mlflow/tracing/utils/otlp.py _set_otel_proto_anyvalue
 */

/** The time fields of either form, whose values must keep every digit. */
const TIME_FIELD = /"(start_time_unix_nano|end_time_unix_nano|time_unix_nano|timestamp)"\s*:\s*(-?\d+)/g;

/** JSON.parse with the nanosecond times kept as digit strings. */
export function parseKeepingTimes(text: string): unknown {
  return JSON.parse(text.replace(TIME_FIELD, '"$1":"$2"'));
}

/** Marks a digit string so that `writeWithTimes` writes it as a bare number. */
const NS_MARK = "\u0000ns:";
const NS_MARKED = /"\\u0000ns:(-?\d+)"/g;
const asNumber = (digits: unknown) =>
  typeof digits === "string" && /^-?\d+$/.test(digits) ? NS_MARK + digits : digits;

/** JSON.stringify, writing the values marked with `asNumber` as bare digits. */
function writeWithTimes(value: unknown): string {
  return JSON.stringify(value).replace(NS_MARKED, "$1");
}

/** A JSON value as OTel's AnyValue, as MLflow's `_set_otel_proto_anyvalue` converts a decoded attribute. */
export function toAnyValue(value: unknown): AnyValue {
  if (value === null || value === undefined) return {};
  if (typeof value === "boolean") return { bool_value: value };
  if (typeof value === "string") return { string_value: value };
  if (typeof value === "number") return Number.isInteger(value) ? { int_value: value } : { double_value: value };
  if (Array.isArray(value)) return { array_value: { values: value.map(toAnyValue) } };
  if (typeof value === "object") {
    return {
      kvlist_value: {
        values: Object.entries(value as Record<string, unknown>).map(([key, v]) => ({ key, value: toAnyValue(v) })),
      },
    };
  }
  return { string_value: String(value) };
}

/** An AnyValue back to the JSON value it holds (`_decode_otel_proto_anyvalue`). */
export function fromAnyValue(v: AnyValue | undefined): unknown {
  if (!v) return null;
  if (v.string_value !== undefined) return v.string_value;
  if (v.bool_value !== undefined) return v.bool_value;
  if (v.int_value !== undefined) return Number(v.int_value);
  if (v.double_value !== undefined) return v.double_value;
  if (v.array_value !== undefined) return (v.array_value.values ?? []).map(fromAnyValue);
  if (v.kvlist_value !== undefined) {
    return Object.fromEntries((v.kvlist_value.values ?? []).map((kv) => [kv.key, fromAnyValue(kv.value)]));
  }
  if (v.bytes_value !== undefined) return v.bytes_value;
  return null;
}

interface MlflowSpanDict {
  trace_id?: string;
  span_id?: string;
  parent_span_id?: string | null;
  name?: string;
  start_time_unix_nano?: string;
  end_time_unix_nano?: string | null;
  /** `time_unix_nano` in `Span.to_dict()`; `timestamp` in files older clients wrote. */
  events?: { name?: string; time_unix_nano?: string; timestamp?: string; attributes?: Record<string, unknown> }[];
  status?: { code?: string; message?: string };
  attributes?: Record<string, string>;
}

/** A JSON string attribute decoded, as MLflow decodes them (a value that is no JSON stays the string it is). */
function decodeAttribute(raw: unknown): unknown {
  if (typeof raw !== "string") return raw;
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

/** One span of a `traces.json` (parsed with `parseKeepingTimes`) as the API's span JSON text. */
export function apiSpanJsonFromDict(span: MlflowSpanDict): string {
  const status: { code: string; message?: string } = { code: span.status?.code ?? "STATUS_CODE_UNSET" };
  if (span.status?.message) status.message = span.status.message;
  const out: Record<string, unknown> = { trace_id: span.trace_id ?? "", span_id: span.span_id ?? "" };
  if (span.parent_span_id) out.parent_span_id = span.parent_span_id;
  out.name = span.name ?? "";
  out.start_time_unix_nano = asNumber(span.start_time_unix_nano ?? "0");
  if (span.end_time_unix_nano) out.end_time_unix_nano = asNumber(span.end_time_unix_nano);
  const attributes = Object.entries(span.attributes ?? {}).map(([key, raw]) => ({
    key,
    value: toAnyValue(decodeAttribute(raw)),
  }));
  if (attributes.length > 0) out.attributes = attributes;
  const events = (span.events ?? []).map((e) => {
    const event: Record<string, unknown> = {
      time_unix_nano: asNumber(e.time_unix_nano ?? e.timestamp ?? "0"),
      name: e.name ?? "",
    };
    const attrs = Object.entries(e.attributes ?? {}).map(([key, v]) => ({ key, value: toAnyValue(v) }));
    if (attrs.length > 0) event.attributes = attrs;
    return event;
  });
  if (events.length > 0) out.events = events;
  out.status = status;
  return writeWithTimes(out);
}

interface ApiSpan {
  trace_id?: string;
  span_id?: string;
  parent_span_id?: string;
  name?: string;
  start_time_unix_nano?: string;
  end_time_unix_nano?: string;
  attributes?: { key: string; value?: AnyValue }[];
  events?: { time_unix_nano?: string; name?: string; attributes?: { key: string; value?: AnyValue }[] }[];
  status?: { code?: string | number; message?: string };
}

const STATUS_CODES = ["STATUS_CODE_UNSET", "STATUS_CODE_OK", "STATUS_CODE_ERROR"];

/** Python's `json.dumps` (", " and ": " separators, non-ASCII escaped) of a decoded attribute. */
function pyDumps(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (Array.isArray(value)) return `[${value.map(pyDumps).join(", ")}]`;
  if (typeof value === "object") {
    return `{${Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${pyDumps(k)}: ${pyDumps(v)}`)
      .join(", ")}}`;
  }
  if (typeof value === "string") {
    return JSON.stringify(value).replace(
      /[\u007f-\uffff]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
    );
  }
  return JSON.stringify(value);
}

/** A stored (API form) span as the `Span.to_dict()` form `traces.json` and get-trace-artifact carry. */
export function dictSpanJsonFromApi(content: string): string {
  const span = parseKeepingTimes(content) as ApiSpan;
  const code = span.status?.code;
  const out: Record<string, unknown> = {
    trace_id: span.trace_id ?? "",
    span_id: span.span_id ?? "",
    parent_span_id: span.parent_span_id ?? null,
    name: span.name ?? "",
    start_time_unix_nano: asNumber(span.start_time_unix_nano ?? "0"),
    end_time_unix_nano: span.end_time_unix_nano ? asNumber(span.end_time_unix_nano) : null,
    events: (span.events ?? []).map((e) => ({
      name: e.name ?? "",
      time_unix_nano: asNumber(e.time_unix_nano ?? "0"),
      attributes: Object.fromEntries((e.attributes ?? []).map((a) => [a.key, fromAnyValue(a.value)])),
    })),
    status: {
      code: typeof code === "number" ? (STATUS_CODES[code] ?? "STATUS_CODE_UNSET") : (code ?? "STATUS_CODE_UNSET"),
      message: span.status?.message ?? "",
    },
    attributes: Object.fromEntries((span.attributes ?? []).map((a) => [a.key, pyDumps(fromAnyValue(a.value))])),
    links: [],
  };
  return writeWithTimes(out);
}
