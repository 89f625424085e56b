/**
 * A minimal protobuf writer for OTLP `ExportTraceServiceRequest` bodies, the binary format OpenTelemetry exporters
 * send to `/v1/traces` (`application/x-protobuf`). Only the fields the benches need: resource attributes, one scope,
 * spans with ids, parent, name, kind, times, string/int attributes and a status. Hand-written (about a hundred lines)
 * rather than a protobufjs dependency, so the bench adds nothing to the lockfile; the reference server's decoder
 * (Python protobuf) checks it on every run.
 * @see opentelemetry/proto/trace/v1/trace.proto, opentelemetry/proto/common/v1/common.proto
 */

const utf8 = new TextEncoder();

/** A growable byte buffer with protobuf's wire primitives. */
class Writer {
  len = 0;

  constructor(size = 256) {
    this.buf = new Uint8Array(size);
  }

  ensure(n) {
    if (this.len + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  varint(v) {
    this.ensure(10);
    let n = v;
    while (n > 127) {
      this.buf[this.len++] = (n & 127) | 128;
      n = Math.floor(n / 128);
    }
    this.buf[this.len++] = n;
  }

  tag(field, wireType) {
    this.varint(field * 8 + wireType);
  }

  bytes(field, data) {
    this.tag(field, 2);
    this.varint(data.length);
    this.ensure(data.length);
    this.buf.set(data, this.len);
    this.len += data.length;
  }

  string(field, s) {
    this.bytes(field, utf8.encode(s));
  }

  /** fixed64 from a bigint (span times in nanoseconds exceed 2^53). */
  fixed64(field, v) {
    this.tag(field, 1);
    this.ensure(8);
    new DataView(this.buf.buffer, this.buf.byteOffset + this.len, 8).setBigUint64(0, BigInt(v), true);
    this.len += 8;
  }

  /** A nested message written by `fill` into its own writer, then copied length-prefixed. */
  message(field, fill) {
    const inner = new Writer();
    fill(inner);
    this.bytes(field, inner.buf.subarray(0, inner.len));
  }

  finish() {
    return this.buf.slice(0, this.len);
  }
}

/** AnyValue: strings, booleans, integers (int64 varint) and doubles. */
function anyValue(w, v) {
  if (typeof v === "string") w.string(1, v);
  else if (typeof v === "boolean") {
    w.tag(2, 0);
    w.varint(v ? 1 : 0);
  } else if (typeof v === "bigint" || Number.isInteger(v)) {
    w.tag(3, 0);
    w.varint(Number(v));
  } else {
    w.tag(4, 1);
    w.ensure(8);
    new DataView(w.buf.buffer, w.buf.byteOffset + w.len, 8).setFloat64(0, v, true);
    w.len += 8;
  }
}

function attributes(w, field, attrs) {
  for (const [key, value] of Object.entries(attrs ?? {})) {
    w.message(field, (kv) => {
      kv.string(1, key);
      kv.message(2, (av) => anyValue(av, value));
    });
  }
}

/**
 * @typedef {object} OtlpSpan
 * @property {Uint8Array} traceId 16 bytes
 * @property {Uint8Array} spanId 8 bytes
 * @property {Uint8Array} [parentSpanId] 8 bytes; absent on a root span
 * @property {string} name
 * @property {number} [kind] SpanKind (1 = INTERNAL)
 * @property {bigint} startNs
 * @property {bigint} endNs
 * @property {Record<string, string | number | boolean>} [attributes]
 * @property {number} [statusCode] 0 unset, 1 OK, 2 ERROR
 */

/**
 * Encodes one ExportTraceServiceRequest with one resource and one scope holding `spans`.
 * @param {OtlpSpan[]} spans
 * @param {Record<string, string>} [resource] resource attributes (service.name, …)
 * @returns {Uint8Array}
 */
export function encodeExportRequest(spans, resource = { "service.name": "tracklite-bench" }) {
  const w = new Writer(1 << 16);
  w.message(1, (rs) => {
    rs.message(1, (r) => attributes(r, 1, resource));
    rs.message(2, (ss) => {
      ss.message(1, (scope) => scope.string(1, "tracklite-bench"));
      for (const s of spans) {
        ss.message(2, (sp) => {
          sp.bytes(1, s.traceId);
          sp.bytes(2, s.spanId);
          if (s.parentSpanId) sp.bytes(4, s.parentSpanId);
          sp.string(5, s.name);
          sp.tag(6, 0);
          sp.varint(s.kind ?? 1);
          sp.fixed64(7, s.startNs);
          sp.fixed64(8, s.endNs);
          attributes(sp, 9, s.attributes);
          if (s.statusCode) {
            sp.message(15, (st) => {
              st.tag(3, 0);
              st.varint(s.statusCode);
            });
          }
        });
      }
    });
  });
  return w.finish();
}

/** `n` bytes from a counter, big-endian, so ids are unique and reproducible: `id(16, 7)` is trace number 7. */
export function id(n, counter, salt = 0) {
  const out = new Uint8Array(n);
  let c = BigInt(counter);
  for (let i = n - 1; i >= 0 && c > 0n; i--) {
    out[i] = Number(c & 255n);
    c >>= 8n;
  }
  out[0] = salt & 255;
  if (out.every((b) => b === 0)) out[n - 1] = 1;
  return out;
}

export const hex = (bytes) => Buffer.from(bytes).toString("hex");
