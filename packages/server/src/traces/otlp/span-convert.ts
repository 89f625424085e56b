import { PY_NULL, type PyValue, pyBytesRepr, pyFloatRepr, pyJsonDumps, pyJsonLoads, pyStr } from "./any-value.js";
import type { Int64, OtlpAnyValue, OtlpExportRequest, OtlpKeyValue, OtlpSpan } from "./otlp-proto.js";

/** MLflow's span attribute keys that the server reads. @see mlflow/tracing/constant.py SpanAttributeKey */
export const SPAN_ATTR = {
  REQUEST_ID: "mlflow.traceRequestId",
  INPUTS: "mlflow.spanInputs",
  OUTPUTS: "mlflow.spanOutputs",
  SPAN_TYPE: "mlflow.spanType",
  CHAT_USAGE: "mlflow.chat.tokenUsage",
  LLM_COST: "mlflow.llm.cost",
  SESSION_ID: "session.id",
  CONVERSATION_ID: "gen_ai.conversation.id",
  USER_ID: "user.id",
  TRACE_TAG_PREFIX: "mlflow.traceTag.",
} as const;

/**
 * OTel clients whose `service.name` the reference copies onto root spans; other names are untrusted free text.
 * @see mlflow/server/otel_api.py _KNOWN_SERVICE_NAMES
 */
const KNOWN_SERVICE_NAMES = new Set(["claude-code", "codex_cli_rs", "codex_vscode", "gemini-cli", "qwen-code"]);

export type SpanStatusCode = "UNSET" | "OK" | "ERROR";
const STATUS_BY_CODE: Record<number, SpanStatusCode> = { 0: "UNSET", 1: "OK", 2: "ERROR" };
const PROTO_STATUS_NAME: Record<SpanStatusCode, string> = {
  UNSET: "STATUS_CODE_UNSET",
  OK: "STATUS_CODE_OK",
  ERROR: "STATUS_CODE_ERROR",
};

/** One OTLP span as MLflow's server stores it. */
export interface IngestSpan {
  /** MLflow's trace id, `tr-` and the OTel trace id's 32 hex digits. */
  traceId: string;
  /** 16 hex digits, as MLflow writes span ids outside the OTLP JSON. */
  spanId: string;
  parentId: string | null;
  name: string;
  startNs: bigint;
  /** 0 when the span has no end time (the reference reads the proto's default). */
  endNs: bigint;
  status: SpanStatusCode;
  /** `mlflow.spanType` as sent. */
  type: string | null;
  /**
   * The attributes as the reference's store keeps them (JSON text, one layer of double encoding removed), which its
   * trace-level bookkeeping reads: inputs/outputs for previews, token usage, session, user, trace tags.
   */
  stored: ReadonlyMap<string, string>;
  /** The attributes' values as the API answers them (the stored text, loaded). */
  values: ReadonlyMap<string, PyValue>;
  /** The span as `GET /api/3.0/mlflow/traces/get` sends it (OpenTelemetry Span, protobuf JSON, snake_case). */
  content: string;
  /** The OTel resource's attributes (decoded), which become trace tags. */
  resource: readonly (readonly [string, PyValue])[];
}

/** Thrown where the reference's `Span.from_otel_proto` fails (422 "Cannot convert OpenTelemetry span …"). */
export class SpanConversionError extends Error {}

function int64Text(v: Int64 | undefined | null): string {
  return int64(v).toString();
}

/** A 64-bit integer field as a BigInt, from a Long's two halves (Long.toString divides, which was slow). */
function int64(v: Int64 | undefined | null): bigint {
  if (v === undefined || v === null) return 0n;
  if (typeof v === "number") return BigInt(v);
  const long = v as { low?: number; high?: number; unsigned?: boolean };
  if (typeof long.low !== "number" || typeof long.high !== "number") return BigInt(v.toString());
  const bits = (BigInt(long.high >>> 0) << 32n) | BigInt(long.low >>> 0);
  return long.unsigned ? bits : BigInt.asIntN(64, bits);
}

/** An AnyValue decoded as `_decode_otel_proto_anyvalue` decodes it (bytes as MLflow's JSON encoder writes them). */
export function decodeAnyValue(v: OtlpAnyValue | undefined | null): PyValue {
  if (!v) return PY_NULL;
  switch (v.value) {
    case "string_value":
      return pyStr(v.string_value ?? "");
    case "bool_value":
      return { t: "bool", v: v.bool_value ?? false };
    case "int_value":
      return { t: "int", v: int64Text(v.int_value) };
    case "double_value":
      return { t: "float", v: v.double_value ?? 0 };
    case "array_value":
      return { t: "list", v: (v.array_value?.values ?? []).map(decodeAnyValue) };
    case "kvlist_value":
      return { t: "dict", v: [...decodeKeyValues(v.kvlist_value?.values).entries()] };
    case "bytes_value":
      return pyStr(pyBytesRepr(v.bytes_value ?? new Uint8Array()));
    default:
      return PY_NULL;
  }
}

/** Key/values as a Python dict comprehension builds them: a repeated key keeps its first place and its last value. */
function decodeKeyValues(kvs: readonly OtlpKeyValue[] | undefined): Map<string, PyValue> {
  const out = new Map<string, PyValue>();
  for (const kv of kvs ?? []) out.set(kv.key ?? "", decodeAnyValue(kv.value));
  return out;
}

/** AnyValue in the protobuf JSON form MLflow's API writes (`message_to_json`: snake_case, int64 as numbers). */
function anyValueJson(v: PyValue): string {
  switch (v.t) {
    case "null":
      return "{}";
    case "str":
      return `{"string_value":${JSON.stringify(v.v)}}`;
    case "bool":
      return `{"bool_value":${v.v}}`;
    case "int":
      return `{"int_value":${v.v}}`;
    case "float": {
      const repr = pyFloatRepr(v.v);
      return `{"double_value":${Number.isFinite(v.v) ? repr : JSON.stringify(repr)}}`;
    }
    case "list":
      return v.v.length === 0
        ? `{"array_value":{}}`
        : `{"array_value":{"values":[${v.v.map(anyValueJson).join(",")}]}}`;
    case "dict":
      return v.v.length === 0 ? `{"kvlist_value":{}}` : `{"kvlist_value":{"values":[${keyValuesJson(v.v)}]}}`;
  }
}

function keyValuesJson(entries: Iterable<readonly [string, PyValue]>): string {
  let out = "";
  for (const [k, v] of entries) {
    if (out) out += ",";
    // An unset AnyValue is an unset field: the reference writes `{"key": "k"}` for a None attribute.
    const value = v.t === "null" ? "" : `"value":${anyValueJson(v)}`;
    out += k === "" ? `{${value}}` : `{"key":${JSON.stringify(k)}${value ? `,${value}` : ""}}`;
  }
  return out;
}

function idBigInt(bytes: Uint8Array | undefined | null): bigint {
  if (!bytes || bytes.length === 0) return 0n;
  return BigInt(`0x${Buffer.from(bytes).toString("hex")}`);
}

/**
 * An id's hex (MLflow's form) and base64 (the API's) at its OTLP width, as the reference derives both from the id's
 * integer value: a shorter id is zero-padded, a wider one refused.
 */
function idForms(bytes: Uint8Array, width: number): { hex: string; base64: string } {
  if (bytes.length === width) {
    const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
    return { hex: b.toString("hex"), base64: b.toString("base64") };
  }
  const n = idBigInt(bytes);
  return { hex: n.toString(16).padStart(width * 2, "0"), base64: fixedBase64(n, width) };
}

function fixedBase64(n: bigint, width: number): string {
  const hex = n.toString(16).padStart(width * 2, "0");
  if (hex.length > width * 2) throw new SpanConversionError("id too large");
  return Buffer.from(hex, "hex").toString("base64");
}

/**
 * The value a span attribute ends up with. The reference JSON-dumps every decoded value, and its store then strips a
 * layer where a string held JSON text of a string, object or array: such a string comes back as that JSON value.
 * @see mlflow/tracing/otel/translation/__init__.py sanitize_attributes
 */
function storedAttribute(decoded: PyValue): { stored: string; value: PyValue } {
  // Only text starting (after JSON whitespace) with {, [ or " can hold a JSON object, array or string.
  if (decoded.t === "str" && /^[ \t\n\r]*[[{"]/.test(decoded.v)) {
    const parsed = pyJsonLoads(decoded.v);
    if (parsed && (parsed.t === "str" || parsed.t === "dict" || parsed.t === "list")) {
      return { stored: decoded.v, value: parsed };
    }
  }
  return { stored: pyJsonDumps(decoded, false), value: decoded };
}

interface ConvertContext {
  resource: readonly (readonly [string, PyValue])[];
  serviceName: string | undefined;
}

function convertSpan(span: OtlpSpan, ctx: ConvertContext): IngestSpan {
  if (!span.trace_id || span.trace_id.length === 0) throw new SpanConversionError("trace_id is required but was empty");
  if (!span.span_id || span.span_id.length === 0) throw new SpanConversionError("span_id is required but was empty");
  const trace = idForms(span.trace_id, 16);
  const own = idForms(span.span_id, 8);
  const parent = span.parent_span_id && span.parent_span_id.length > 0 ? idForms(span.parent_span_id, 8) : null;
  const traceId = `tr-${trace.hex}`;
  const spanId = own.hex;
  const parentId = parent === null ? null : parent.hex;

  const attrs = decodeKeyValues(span.attributes);
  // The server derives the request id from the OTel trace id and never trusts a client-sent one.
  attrs.set(SPAN_ATTR.REQUEST_ID, pyStr(traceId));
  if (parentId === null && ctx.serviceName) attrs.set("service.name", pyStr(ctx.serviceName));
  const typeValue = attrs.get(SPAN_ATTR.SPAN_TYPE);

  const stored = new Map<string, string>();
  const values = new Map<string, PyValue>();
  for (const [k, decoded] of attrs) {
    const s = storedAttribute(decoded);
    stored.set(k, s.stored);
    values.set(k, s.value);
  }

  const code = STATUS_BY_CODE[span.status?.code ?? 0] ?? "UNSET";
  // OpenTelemetry's Status drops a description unless the status is ERROR.
  const message = code === "ERROR" ? (span.status?.message ?? "") : "";
  const start = int64(span.start_time_unix_nano);
  const end = int64(span.end_time_unix_nano);

  const fields: string[] = [`"trace_id":"${trace.base64}"`, `"span_id":"${own.base64}"`];
  if (parent !== null) fields.push(`"parent_span_id":"${parent.base64}"`);
  if (span.name) fields.push(`"name":${JSON.stringify(span.name)}`);
  if (start !== 0n) fields.push(`"start_time_unix_nano":${start}`);
  if (end !== 0n) fields.push(`"end_time_unix_nano":${end}`);
  if (values.size > 0) fields.push(`"attributes":[${keyValuesJson(values)}]`);
  const events = (span.events ?? []).map((e) => {
    const ef: string[] = [];
    const t = int64Text(e.time_unix_nano);
    if (t !== "0") ef.push(`"time_unix_nano":${t}`);
    if (e.name) ef.push(`"name":${JSON.stringify(e.name)}`);
    const ea = decodeKeyValues(e.attributes);
    if (ea.size > 0) ef.push(`"attributes":[${keyValuesJson(ea)}]`);
    return `{${ef.join(",")}}`;
  });
  if (events.length > 0) fields.push(`"events":[${events.join(",")}]`);
  const links: string[] = [];
  for (const l of span.links ?? []) {
    const lt = idBigInt(l.trace_id);
    const ls = idBigInt(l.span_id);
    // The reference drops links whose ids are wider than OTLP allows.
    if (lt >= 1n << 128n || ls >= 1n << 64n) continue;
    const lf = [`"trace_id":${JSON.stringify(fixedBase64(lt, 16))}`, `"span_id":${JSON.stringify(fixedBase64(ls, 8))}`];
    const la = decodeKeyValues(l.attributes);
    if (la.size > 0) lf.push(`"attributes":[${keyValuesJson(la)}]`);
    links.push(`{${lf.join(",")}}`);
  }
  if (links.length > 0) fields.push(`"links":[${links.join(",")}]`);
  const statusFields: string[] = [];
  if (message) statusFields.push(`"message":${JSON.stringify(message)}`);
  if (code !== "UNSET") statusFields.push(`"code":"${PROTO_STATUS_NAME[code]}"`);
  fields.push(`"status":{${statusFields.join(",")}}`);

  return {
    traceId,
    spanId,
    parentId,
    name: span.name ?? "",
    startNs: start,
    endNs: end,
    status: code,
    type: typeValue?.t === "str" ? typeValue.v : null,
    stored,
    values,
    content: `{${fields.join(",")}}`,
    resource: ctx.resource,
  };
}

/** The request's spans in order, each converted as the reference's `Span.from_otel_proto` converts it. */
export function convertRequest(request: OtlpExportRequest): IngestSpan[] {
  const out: IngestSpan[] = [];
  for (const rs of request.resource_spans ?? []) {
    const resource = [...decodeKeyValues(rs.resource?.attributes).entries()];
    const service = resource.find(([k]) => k === "service.name")?.[1];
    const serviceText =
      service && service.t !== "null" ? (service.t === "str" ? service.v : pyJsonDumps(service, false)) : undefined;
    const ctx: ConvertContext = {
      resource,
      serviceName: serviceText && KNOWN_SERVICE_NAMES.has(serviceText) ? serviceText : undefined,
    };
    for (const ss of rs.scope_spans ?? []) for (const span of ss.spans ?? []) out.push(convertSpan(span, ctx));
  }
  return out;
}
