/**
 * Makes traces on a real server the way tracing SDKs do, without the client under test: a v3 start-trace call (what
 * MLflow's Python SDK sends first) and OTLP/HTTP JSON exports to `/v1/traces` (what any OpenTelemetry exporter sends).
 */

/** An OTLP span in the JSON encoding: ids in hex, times as decimal strings of nanoseconds. */
export interface OtlpJsonSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes?: Record<string, string | number | boolean>;
  events?: { name: string; timeUnixNano: string }[];
  status?: { code: 0 | 1 | 2; message?: string };
}

/** A 32-hex-digit OpenTelemetry trace id from a number, and the MLflow trace id (`tr-` + hex) the servers give it. */
export function traceIds(n: number, salt = 0xab): { hex: string; mlflow: string } {
  const hex = salt.toString(16).padStart(2, "0") + n.toString(16).padStart(30, "0");
  return { hex, mlflow: `tr-${hex}` };
}

/** A 16-hex-digit span id. */
export const spanHex = (n: number) => n.toString(16).padStart(16, "0");

const anyValue = (v: string | number | boolean) =>
  typeof v === "string"
    ? { stringValue: v }
    : typeof v === "boolean"
      ? { boolValue: v }
      : Number.isInteger(v)
        ? { intValue: String(v) }
        : { doubleValue: v };

async function expectOk(res: Response, what: string): Promise<unknown> {
  const text = await res.text();
  if (!res.ok) throw new Error(`${what} → ${res.status}: ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : {};
}

/** Exports spans to `/v1/traces` as OTLP JSON into an experiment (the `x-mlflow-experiment-id` header). */
export async function exportOtlpJson(url: string, experimentId: string, spans: OtlpJsonSpan[]): Promise<void> {
  const body = {
    resourceSpans: [
      {
        resource: { attributes: [{ key: "service.name", value: { stringValue: "client-tests" } }] },
        scopeSpans: [
          {
            scope: { name: "client-tests" },
            spans: spans.map((s) => ({
              traceId: s.traceId,
              spanId: s.spanId,
              ...(s.parentSpanId ? { parentSpanId: s.parentSpanId } : {}),
              name: s.name,
              kind: 1,
              startTimeUnixNano: s.startTimeUnixNano,
              endTimeUnixNano: s.endTimeUnixNano,
              attributes: Object.entries(s.attributes ?? {}).map(([key, v]) => ({ key, value: anyValue(v) })),
              events: (s.events ?? []).map((e) => ({ name: e.name, timeUnixNano: e.timeUnixNano })),
              status: s.status ?? { code: 0 },
            })),
          },
        ],
      },
    ],
  };
  const res = await fetch(`${url}/v1/traces`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-mlflow-experiment-id": experimentId },
    body: JSON.stringify(body),
  });
  await expectOk(res, "POST /v1/traces");
}

/** Starts a trace with the v3 API, as MLflow's Python SDK does before it exports the spans. */
export async function startTraceV3(
  url: string,
  experimentId: string,
  traceId: string,
  info: {
    requestTime: string;
    executionDuration?: string;
    tags?: Record<string, string>;
    metadata?: Record<string, string>;
  },
): Promise<void> {
  const res = await fetch(`${url}/api/3.0/mlflow/traces`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      trace: {
        trace_info: {
          trace_id: traceId,
          trace_location: { type: "MLFLOW_EXPERIMENT", mlflow_experiment: { experiment_id: experimentId } },
          request_time: info.requestTime,
          execution_duration: info.executionDuration,
          state: "OK",
          trace_metadata: info.metadata,
          tags: info.tags,
        },
      },
    }),
  });
  await expectOk(res, "POST /api/3.0/mlflow/traces");
}
