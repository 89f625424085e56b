import type { AnyValue, Span } from "@tracklite/schemas";

/**
 * Reading spans as `GET traces/get` answers them (OTel protobuf JSON): ids in base64, int64 nanoseconds as numbers
 * or strings, attributes as `{key, value: AnyValue}` lists. MLflow's own attributes (`mlflow.spanInputs`, …) may
 * also arrive JSON-encoded in a string (the trace-artifact form), and are decoded either way. Pure functions.
 */

export const SPAN_TYPE = "mlflow.spanType";
export const SPAN_INPUTS = "mlflow.spanInputs";
export const SPAN_OUTPUTS = "mlflow.spanOutputs";

/** Nanoseconds (a number, or a decimal string kept exact) → milliseconds since the epoch. */
export function nanosToMs(v: number | string | undefined): number {
  if (v === undefined || v === "") return Number.NaN;
  if (typeof v === "number") return v / 1e6;
  if (v.length > 6 && /^\d+$/.test(v)) return Number(v.slice(0, -6)) + Number(v.slice(-6)) / 1e6;
  return Number(v) / 1e6;
}

const HEX = /^[0-9a-f]+$/i;

/** A span or trace id as hex: base64 bytes decoded, hex kept (with a `0x` prefix dropped). */
export function idHex(id: string | undefined): string {
  if (!id) return "";
  const s = id.startsWith("0x") ? id.slice(2) : id;
  if ((s.length === 16 || s.length === 32) && HEX.test(s)) return s.toLowerCase();
  try {
    const bin = atob(s);
    let out = "";
    for (let i = 0; i < bin.length; i++) out += bin.charCodeAt(i).toString(16).padStart(2, "0");
    return out;
  } catch {
    return s;
  }
}

/** An OTel AnyValue as a plain JS value. */
export function anyValue(v: AnyValue | undefined): unknown {
  if (!v) return null;
  if (v.string_value !== undefined) return v.string_value;
  if (v.bool_value !== undefined) return v.bool_value;
  if (v.int_value !== undefined) return Number(v.int_value);
  if (v.double_value !== undefined) return Number(v.double_value);
  if (v.array_value) return (v.array_value.values ?? []).map(anyValue);
  if (v.kvlist_value) {
    const o: Record<string, unknown> = {};
    for (const kv of v.kvlist_value.values ?? []) o[kv.key] = anyValue(kv.value);
    return o;
  }
  if (v.bytes_value !== undefined) return v.bytes_value;
  return null;
}

/**
 * In OTel's list form MLflow's own attribute values may arrive JSON-encoded (as tracklite stores them): decode those
 * strings, leave other attributes' strings alone.
 */
function decodeMlflow(key: string, v: unknown): unknown {
  if (typeof v !== "string" || !key.startsWith("mlflow.")) return v;
  const c = v.charAt(0);
  if (c !== '"' && c !== "{" && c !== "[") return v;
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}

type KeyValue = NonNullable<Span["attributes"]>[number];
/** OTel's list form, or the object of JSON strings of MLflow's trace-artifact form. */
type RawAttributes = KeyValue[] | Record<string, unknown> | undefined;

/** Every attribute of a span, decoded, in the order sent. */
export function spanAttributes(span: Span): Record<string, unknown> {
  const raw = span.attributes as RawAttributes;
  const out: Record<string, unknown> = {};
  if (Array.isArray(raw)) for (const kv of raw) out[kv.key] = decodeMlflow(kv.key, anyValue(kv.value));
  else if (raw) for (const [k, v] of Object.entries(raw)) out[k] = decodeJson(v);
  return out;
}

/** The artifact form JSON-encodes every attribute value. */
function decodeJson(v: unknown): unknown {
  if (typeof v !== "string") return v;
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}

/** One attribute, decoded, without decoding the others (the tree reads the span type of every span). */
export function spanAttribute(span: Span, key: string): unknown {
  const raw = span.attributes as RawAttributes;
  if (Array.isArray(raw)) {
    for (const kv of raw) if (kv.key === key) return decodeMlflow(key, anyValue(kv.value));
    return undefined;
  }
  return raw ? decodeJson(raw[key]) : undefined;
}

/** `STATUS_CODE_ERROR` / `ERROR` → `ERROR`; unset → `UNSET`. */
export function spanStatus(span: Span): "OK" | "ERROR" | "UNSET" {
  // The enum by name or by number (OTel: 0 unset, 1 ok, 2 error).
  const c = span.status?.code;
  if (c === "STATUS_CODE_ERROR" || c === "ERROR" || c === 2) return "ERROR";
  return c === "STATUS_CODE_OK" || c === "OK" || c === 1 ? "OK" : "UNSET";
}

export interface SpanEventView {
  name: string;
  timeMs: number;
  attributes: Record<string, unknown>;
}

/** The span's events with decoded attributes. */
export function spanEvents(span: Span): SpanEventView[] {
  return (span.events ?? []).map((e) => {
    const attributes: Record<string, unknown> = {};
    const raw = e.attributes as RawAttributes;
    if (Array.isArray(raw)) for (const kv of raw) attributes[kv.key] = anyValue(kv.value);
    else if (raw) Object.assign(attributes, raw);
    return { name: e.name ?? "", timeMs: nanosToMs(e.time_unix_nano), attributes };
  });
}

/** An `exception` event as the OTel semantic conventions name its parts. */
export interface SpanException {
  type: string;
  message: string;
  stacktrace: string;
}

export function exceptionOf(e: SpanEventView): SpanException | undefined {
  if (e.name !== "exception") return undefined;
  const s = (k: string) => (e.attributes[k] === undefined ? "" : String(e.attributes[k]));
  return { type: s("exception.type"), message: s("exception.message"), stacktrace: s("exception.stacktrace") };
}
