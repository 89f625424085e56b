/**
 * MLflow 2.x's span dict (`traces.json` of a 2.x trace: `context.trace_id`/`span_id` in hex, `parent_id`,
 * `start_time`/`end_time`, `status_code`) as the 3.x `Span.to_dict()` form (ids base64 of their bytes,
 * `*_unix_nano`, `status.code` named as OpenTelemetry's proto), which tracklite's span conversion reads.
 * @see mlflow/entities/span.py Span.from_dict_v2, to_dict
 */

interface SpanDictV2 {
  name?: string;
  context?: { trace_id?: string; span_id?: string };
  parent_id?: string | null;
  start_time?: string | number;
  end_time?: string | number | null;
  status_code?: string;
  status_message?: string;
  attributes?: Record<string, unknown>;
  events?: { name?: string; timestamp?: string | number; attributes?: Record<string, unknown> }[];
}

/** A hex id (`0x…` or bare, as `encode_span_id`/`encode_trace_id` wrote it) as base64 of its `bytes` big-endian bytes. */
export function hexIdToBase64(hex: string, bytes: number): string {
  const digits = hex
    .replace(/^0x/i, "")
    .padStart(bytes * 2, "0")
    .slice(-bytes * 2);
  return Buffer.from(digits, "hex").toString("base64");
}

const STATUS: Record<string, string> = {
  OK: "STATUS_CODE_OK",
  ERROR: "STATUS_CODE_ERROR",
  UNSET: "STATUS_CODE_UNSET",
};

export function spanDictFromV2(raw: unknown): Record<string, unknown> {
  const span = raw as SpanDictV2;
  const code = span.status_code ?? "UNSET";
  return {
    trace_id: hexIdToBase64(span.context?.trace_id ?? "", 16),
    span_id: hexIdToBase64(span.context?.span_id ?? "", 8),
    parent_span_id: span.parent_id ? hexIdToBase64(span.parent_id, 8) : null,
    name: span.name ?? "",
    start_time_unix_nano: String(span.start_time ?? "0"),
    end_time_unix_nano: span.end_time === null || span.end_time === undefined ? null : String(span.end_time),
    status: { code: STATUS[code] ?? code, message: span.status_message ?? "" },
    attributes: span.attributes ?? {},
    events: (span.events ?? []).map((e) => ({
      name: e.name ?? "",
      time_unix_nano: String(e.timestamp ?? "0"),
      attributes: e.attributes ?? {},
    })),
  };
}
