import { gzipSync } from "node:zlib";
import { type Attributes, context, type HrTime, SpanStatusCode, trace } from "@opentelemetry/api";
import { JsonTraceSerializer, ProtobufTraceSerializer } from "@opentelemetry/otlp-transformer";
import { resourceFromAttributes } from "@opentelemetry/resources";
import {
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
  type Span,
  TracerProvider,
} from "@opentelemetry/sdk-trace";

/** A span to record with the real OpenTelemetry SDK: times in exact nanoseconds (BigInt). */
export interface SpanSpec {
  name: string;
  /** The spec's key of the parent span, recorded earlier in the same call. */
  parent?: string;
  key?: string;
  start: bigint;
  end: bigint;
  attributes?: Attributes;
  error?: string;
}

const hr = (ns: bigint): HrTime => [Number(ns / 1_000_000_000n), Number(ns % 1_000_000_000n)];

/**
 * Records spans of one trace with the OpenTelemetry JS SDK (a TracerProvider and an in-memory exporter) and returns
 * them in the order they were given; `traceOf` continues a trace recorded earlier.
 */
export function recordSpans(
  specs: SpanSpec[],
  opts: { resource?: Attributes; traceOf?: ReadableSpan } = {},
): ReadableSpan[] {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({
    spanProcessors: [new SimpleSpanProcessor({ exporter })],
    resource: resourceFromAttributes(opts.resource ?? { "service.name": "otlp-test" }),
  });
  const tracer = provider.getTracer("tracklite-test");
  const live = new Map<string, Span>();
  let ctx = context.active();
  if (opts.traceOf) ctx = trace.setSpanContext(ctx, opts.traceOf.spanContext());
  const ended: Span[] = [];
  for (const spec of specs) {
    const parent = spec.parent ? live.get(spec.parent) : undefined;
    const parentCtx = parent ? trace.setSpan(context.active(), parent) : ctx;
    const span = tracer.startSpan(
      spec.name,
      { startTime: hr(spec.start), attributes: spec.attributes ?? {} },
      parentCtx,
    ) as Span;
    if (spec.error) span.setStatus({ code: SpanStatusCode.ERROR, message: spec.error });
    else span.setStatus({ code: SpanStatusCode.OK });
    live.set(spec.key ?? spec.name, span);
    ended.push(span);
  }
  for (const [i, span] of ended.entries()) span.end(hr(specs[i]?.end ?? 0n));
  // The SDK's ended spans are the ReadableSpans its exporters receive.
  return ended as unknown as ReadableSpan[];
}

/** The OTLP/HTTP protobuf body of the spans, as the OpenTelemetry JS exporter sends it. */
export const protobufBody = (spans: ReadableSpan[]) => ProtobufTraceSerializer.serializeRequest(spans) as Uint8Array;
/** The OTLP/HTTP JSON body (hex ids) of the spans. */
export const jsonBody = (spans: ReadableSpan[]) => JsonTraceSerializer.serializeRequest(spans) as Uint8Array;
export const gzip = (b: Uint8Array) => new Uint8Array(gzipSync(b));

/** MLflow's trace id for a recorded span. */
export const mlflowTraceId = (span: ReadableSpan) => `tr-${span.spanContext().traceId}`;
