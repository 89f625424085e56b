import { parse as parseLossless } from "lossless-json";
import protobuf from "protobufjs";

/**
 * The OTLP trace messages tracklite reads (opentelemetry/proto/collector/trace/v1 ExportTraceServiceRequest and what
 * it holds), declared for protobufjs with their field numbers and snake_case names. Fields tracklite has no use for
 * (schema_url, dropped counts, trace_state) are declared anyway so a strict reader would still see a valid message.
 * @see opentelemetry/proto/trace/v1/trace.proto, common/v1/common.proto, resource/v1/resource.proto
 */
const DESCRIPTOR = {
  nested: {
    otlp: {
      nested: {
        ExportTraceServiceRequest: { fields: { resource_spans: { rule: "repeated", type: "ResourceSpans", id: 1 } } },
        ResourceSpans: {
          fields: {
            resource: { type: "Resource", id: 1 },
            scope_spans: { rule: "repeated", type: "ScopeSpans", id: 2 },
            schema_url: { type: "string", id: 3 },
          },
        },
        Resource: {
          fields: {
            attributes: { rule: "repeated", type: "KeyValue", id: 1 },
            dropped_attributes_count: { type: "uint32", id: 2 },
          },
        },
        ScopeSpans: {
          fields: {
            scope: { type: "InstrumentationScope", id: 1 },
            spans: { rule: "repeated", type: "Span", id: 2 },
            schema_url: { type: "string", id: 3 },
          },
        },
        InstrumentationScope: {
          fields: {
            name: { type: "string", id: 1 },
            version: { type: "string", id: 2 },
            attributes: { rule: "repeated", type: "KeyValue", id: 3 },
            dropped_attributes_count: { type: "uint32", id: 4 },
          },
        },
        Span: {
          fields: {
            trace_id: { type: "bytes", id: 1 },
            span_id: { type: "bytes", id: 2 },
            trace_state: { type: "string", id: 3 },
            parent_span_id: { type: "bytes", id: 4 },
            flags: { type: "fixed32", id: 16 },
            name: { type: "string", id: 5 },
            kind: { type: "SpanKind", id: 6 },
            start_time_unix_nano: { type: "fixed64", id: 7 },
            end_time_unix_nano: { type: "fixed64", id: 8 },
            attributes: { rule: "repeated", type: "KeyValue", id: 9 },
            dropped_attributes_count: { type: "uint32", id: 10 },
            events: { rule: "repeated", type: "Event", id: 11 },
            dropped_events_count: { type: "uint32", id: 12 },
            links: { rule: "repeated", type: "Link", id: 13 },
            dropped_links_count: { type: "uint32", id: 14 },
            status: { type: "Status", id: 15 },
          },
        },
        Event: {
          fields: {
            time_unix_nano: { type: "fixed64", id: 1 },
            name: { type: "string", id: 2 },
            attributes: { rule: "repeated", type: "KeyValue", id: 3 },
            dropped_attributes_count: { type: "uint32", id: 4 },
          },
        },
        Link: {
          fields: {
            trace_id: { type: "bytes", id: 1 },
            span_id: { type: "bytes", id: 2 },
            trace_state: { type: "string", id: 3 },
            attributes: { rule: "repeated", type: "KeyValue", id: 4 },
            dropped_attributes_count: { type: "uint32", id: 5 },
            flags: { type: "fixed32", id: 6 },
          },
        },
        Status: { fields: { message: { type: "string", id: 2 }, code: { type: "StatusCode", id: 3 } } },
        StatusCode: { values: { STATUS_CODE_UNSET: 0, STATUS_CODE_OK: 1, STATUS_CODE_ERROR: 2 } },
        SpanKind: {
          values: {
            SPAN_KIND_UNSPECIFIED: 0,
            SPAN_KIND_INTERNAL: 1,
            SPAN_KIND_SERVER: 2,
            SPAN_KIND_CLIENT: 3,
            SPAN_KIND_PRODUCER: 4,
            SPAN_KIND_CONSUMER: 5,
          },
        },
        AnyValue: {
          oneofs: {
            value: {
              oneof: [
                "string_value",
                "bool_value",
                "int_value",
                "double_value",
                "array_value",
                "kvlist_value",
                "bytes_value",
              ],
            },
          },
          fields: {
            string_value: { type: "string", id: 1 },
            bool_value: { type: "bool", id: 2 },
            int_value: { type: "int64", id: 3 },
            double_value: { type: "double", id: 4 },
            array_value: { type: "ArrayValue", id: 5 },
            kvlist_value: { type: "KeyValueList", id: 6 },
            bytes_value: { type: "bytes", id: 7 },
          },
        },
        ArrayValue: { fields: { values: { rule: "repeated", type: "AnyValue", id: 1 } } },
        KeyValueList: { fields: { values: { rule: "repeated", type: "KeyValue", id: 1 } } },
        KeyValue: { fields: { key: { type: "string", id: 1 }, value: { type: "AnyValue", id: 2 } } },
      },
    },
  },
};

const root = protobuf.Root.fromJSON(DESCRIPTOR);
const ExportRequestType = root.lookupType("otlp.ExportTraceServiceRequest");

/** A 64-bit integer as protobufjs decodes it (a Long, with the `long` package protobufjs depends on). */
export type Int64 = { toString(): string } | number;

export interface OtlpAnyValue {
  /** Which member of the `value` oneof is set; undefined for an empty AnyValue. */
  value?: "string_value" | "bool_value" | "int_value" | "double_value" | "array_value" | "kvlist_value" | "bytes_value";
  string_value?: string;
  bool_value?: boolean;
  int_value?: Int64;
  double_value?: number;
  array_value?: { values?: OtlpAnyValue[] };
  kvlist_value?: { values?: OtlpKeyValue[] };
  bytes_value?: Uint8Array;
}
export interface OtlpKeyValue {
  key?: string;
  value?: OtlpAnyValue;
}
export interface OtlpEvent {
  time_unix_nano?: Int64;
  name?: string;
  attributes?: OtlpKeyValue[];
}
export interface OtlpLink {
  trace_id?: Uint8Array;
  span_id?: Uint8Array;
  attributes?: OtlpKeyValue[];
}
export interface OtlpSpan {
  trace_id?: Uint8Array;
  span_id?: Uint8Array;
  parent_span_id?: Uint8Array;
  name?: string;
  start_time_unix_nano?: Int64;
  end_time_unix_nano?: Int64;
  attributes?: OtlpKeyValue[];
  events?: OtlpEvent[];
  links?: OtlpLink[];
  status?: { message?: string; code?: number };
}
export interface OtlpResourceSpans {
  resource?: { attributes?: OtlpKeyValue[] };
  scope_spans?: { spans?: OtlpSpan[] }[];
}
export interface OtlpExportRequest {
  resource_spans?: OtlpResourceSpans[];
}

/** Thrown for a body that is not an ExportTraceServiceRequest (the reference's "Invalid OpenTelemetry format"). */
export class OtlpFormatError extends Error {}

/** Decodes a protobuf ExportTraceServiceRequest. */
export function decodeProtobuf(body: Uint8Array): OtlpExportRequest {
  try {
    // The decoded message itself: fields by their proto names, defaults from its prototype, 64-bit integers as Longs.
    return ExportRequestType.decode(body) as unknown as OtlpExportRequest;
  } catch (e) {
    throw new OtlpFormatError(String(e));
  }
}

const HEX_ID_FIELDS = ["traceId", "spanId", "parentSpanId"] as const;

/**
 * OTLP/JSON writes span and trace ids as hex where protobuf's JSON mapping has base64; the reference turns the hex of
 * `resourceSpans[].scopeSpans[].spans[]` (camelCase keys only) into base64 before parsing, and so does this.
 * @see mlflow/server/otel_api.py _convert_otlp_json_ids_to_base64
 */
function hexIdsToBase64(data: unknown): void {
  const list = (o: unknown, key: string): unknown[] => {
    const v = o && typeof o === "object" ? (o as Record<string, unknown>)[key] : undefined;
    return Array.isArray(v) ? v : [];
  };
  for (const rs of list(data, "resourceSpans"))
    for (const ss of list(rs, "scopeSpans"))
      for (const span of list(ss, "spans")) {
        if (!span || typeof span !== "object") continue;
        const s = span as Record<string, unknown>;
        for (const field of HEX_ID_FIELDS) {
          const hex = s[field];
          if (!hex) continue;
          if (typeof hex !== "string" || !/^(?:[0-9a-fA-F]{2})*$/.test(hex.replace(/\s/g, ""))) {
            throw new OtlpFormatError(`bad hex id in ${field}`);
          }
          s[field] = Buffer.from(hex.replace(/\s/g, ""), "hex").toString("base64");
        }
      }
}

/** protobuf's JSON parser takes a field's lowerCamelCase name and its proto name alike. */
const snake = (k: string) => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

function toProtoNames(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(toProtoNames);
  if (v && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[snake(k)] = toProtoNames(x);
    return out;
  }
  return v;
}

/** Integers past 2^53 stay exact as strings (protobufjs reads 64-bit fields from strings); others become numbers. */
function parseNumber(text: string): number | string {
  const n = Number(text);
  return Number.isSafeInteger(n) || !/^-?\d+$/.test(text) ? n : text;
}

/** Decodes an OTLP/JSON ExportTraceServiceRequest, as protobuf's JSON parser with unknown fields ignored. */
export function decodeJson(body: Uint8Array): OtlpExportRequest {
  let data: unknown;
  try {
    data = parseLossless(new TextDecoder("utf-8", { fatal: true }).decode(body), null, parseNumber);
  } catch (e) {
    throw new OtlpFormatError(String(e));
  }
  hexIdsToBase64(data);
  try {
    return ExportRequestType.fromObject(toProtoNames(data) as Record<string, unknown>) as unknown as OtlpExportRequest;
  } catch (e) {
    throw new OtlpFormatError(String(e));
  }
}
