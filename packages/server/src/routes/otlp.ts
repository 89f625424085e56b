import type { Context, Hono } from "hono";
import { MlflowError } from "../errors.js";
import { logError } from "../log.js";
import type { Store } from "../store/index.js";
import { decompressBody, OtlpHttpError } from "../traces/otlp/decompress.js";
import type { OtlpExportRequest } from "../traces/otlp/otlp-proto.js";
import { convertRequest, type IngestSpan, SpanConversionError } from "../traces/otlp/span-convert.js";
import { storeIn } from "../workspaces/middleware.js";

/** The OTLP/HTTP traces path, outside the API prefixes. @see mlflow/tracing/utils/otlp.py OTLP_TRACES_PATH */
export const OTLP_TRACES_PATH = "/v1/traces";
export const EXPERIMENT_ID_HEADER = "x-mlflow-experiment-id";
export const RUN_ID_HEADER = "x-mlflow-run-id";

/** FastAPI's answer to a request without a required header. */
const missingHeader = {
  detail: [{ type: "missing", loc: ["header", EXPERIMENT_ID_HEADER], msg: "Field required", input: null }],
};

/** The spans of the request body, or the reference's 400/422 for a body it cannot read. */
async function readSpans(c: Context): Promise<IngestSpan[]> {
  const contentType = c.req.header("content-type");
  const mediaType = contentType?.split(";")[0]?.trim();
  if (mediaType !== "application/x-protobuf" && mediaType !== "application/json") {
    throw new OtlpHttpError(
      400,
      `Invalid Content-Type: ${contentType ?? "None"}. Expected: application/x-protobuf or application/json`,
    );
  }
  let body: Uint8Array = new Uint8Array(await c.req.arrayBuffer());
  const encoding = c.req.header("content-encoding");
  if (encoding) body = await decompressBody(body, encoding.toLowerCase());
  // protobufjs and the OTLP message types load with the first export, not with every server start.
  const { decodeJson, decodeProtobuf, OtlpFormatError } = await import("../traces/otlp/otlp-proto.js");
  let request: OtlpExportRequest;
  try {
    request = mediaType === "application/json" ? decodeJson(body) : decodeProtobuf(body);
  } catch (e) {
    if (e instanceof OtlpFormatError) throw new OtlpHttpError(400, "Invalid OpenTelemetry format");
    throw e;
  }
  if (!request.resource_spans || request.resource_spans.length === 0) {
    throw new OtlpHttpError(400, "Invalid OpenTelemetry format - no spans found");
  }
  try {
    return convertRequest(request);
  } catch (e) {
    if (e instanceof SpanConversionError)
      throw new OtlpHttpError(422, "Cannot convert OpenTelemetry span to MLflow span");
    throw e;
  }
}

/**
 * `POST /v1/traces`: OTLP/HTTP span export (protobuf or JSON, optionally gzip/deflate) into the experiment named by
 * the `x-mlflow-experiment-id` header (and, with `x-mlflow-run-id`, finished traces linked to that run); all spans of a request are stored together or not at all. Answers an empty
 * ExportTraceServiceResponse (zero bytes of protobuf). Malformed requests get FastAPI's `{"detail": …}` bodies, store
 * errors MLflow's `{error_code, message}`, as the reference's FastAPI route does.
 * @see mlflow/server/otel_api.py export_traces
 */
export function otlpRoutes(app: Hono, store: Store): void {
  const at = storeIn(store);
  app.post(OTLP_TRACES_PATH, async (c) => {
    const experimentId = c.req.header(EXPERIMENT_ID_HEADER);
    if (!experimentId) return c.json(missingHeader, 422);
    let spans: IngestSpan[];
    try {
      spans = await readSpans(c);
    } catch (e) {
      if (e instanceof OtlpHttpError) return c.json({ detail: e.detail }, e.status);
      throw e;
    }
    try {
      await at(c).traceSpans.logSpans(experimentId, spans);
    } catch (e) {
      if (e instanceof MlflowError) throw e;
      logError(e);
      // The reference answers an unexpected store failure with 422 and this detail.
      return c.json({ detail: "Failed to log OpenTelemetry spans" }, 422);
    }
    // Traces whose root span came in this request are linked to the run the header names; a failure is only logged.
    const runId = c.req.header(RUN_ID_HEADER);
    const completed = [...new Set(spans.filter((s) => s.parentId === null).map((s) => s.traceId))];
    if (runId && completed.length > 0) {
      await at(c)
        .traces.linkToRun(completed, runId)
        .catch((e: unknown) => logError("Failed to link OpenTelemetry traces to MLflow run", e));
    }
    return c.body(new Uint8Array(0), 200, { "Content-Type": "application/x-protobuf" });
  });
}
