/**
 * Traces of a FileStore experiment: `<exp>/traces/<id>/trace_info.yaml` (MLflow 3's TraceInfo.to_dict, or MLflow
 * 2.x's v2 form with request_id/timestamp_ms/status), `request_metadata/<key>`, `tags/<key>`,
 * `assessments/<id>.yaml` (Assessment.to_dictionary: already the API's JSON), and the spans in the trace's artifacts
 * (`traces.json`, at its `mlflow.artifactLocation` tag). Built as TraceInfoV3 JSON and OpenTelemetry span JSON.
 * @see mlflow/store/tracking/file_store.py _get_trace_info_from_dir; mlflow/entities/trace_info.py from_dict, to_proto;
 *   mlflow/entities/span.py from_dict, from_dict_v2
 */
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import type { Assessment, Span, TraceInfoV3, TraceState } from "@tracklite/schemas";
import {
  type ArtifactReader,
  apiSpanJsonFromDict,
  type ImportTrace,
  parseKeepingTimes,
} from "@tracklite/server/import";
import { num, readKeyValueFolder, readYaml, type Skips, str, subdirs } from "./layout.js";
import { durationJson, timestampJson } from "./proto-time.js";
import { spanDictFromV2 } from "./span-v2.js";

const ARTIFACT_LOCATION_TAG = "mlflow.artifactLocation";
const STATES: readonly string[] = ["STATE_UNSPECIFIED", "OK", "ERROR", "IN_PROGRESS"];

/** A v2 TraceStatus as the v3 state it becomes (TraceStatus.to_state). */
function traceState(value: unknown): TraceState {
  const s = str(value) ?? "";
  if (STATES.includes(s)) return s as TraceState;
  return "STATE_UNSPECIFIED";
}

/** Every trace of the experiment in `experimentDir`, with its spans when its `traces.json` is readable. */
export async function* readTraces(
  experimentId: string,
  experimentDir: string,
  artifacts: ArtifactReader,
  skipped: Skips,
): AsyncGenerator<ImportTrace> {
  const tracesDir = join(experimentDir, "traces");
  for (const name of await subdirs(tracesDir)) {
    const traceDir = join(tracesDir, name);
    const meta = await readYaml(traceDir, "trace_info.yaml");
    if (meta === undefined) continue;
    const info = await readTraceInfo(experimentId, traceDir, meta);
    const spans = await readSpans(info, traceDir, artifacts, skipped);
    yield { trace: { trace_info: info, spans } };
  }
}

async function readTraceInfo(
  experimentId: string,
  traceDir: string,
  meta: Record<string, unknown>,
): Promise<TraceInfoV3> {
  const v2 = "request_id" in meta;
  const traceId = str(v2 ? meta.request_id : meta.trace_id) ?? "";
  const location = (meta.trace_location as TraceInfoV3["trace_location"] | undefined) ?? {
    type: "MLFLOW_EXPERIMENT",
    mlflow_experiment: { experiment_id: str(meta.experiment_id) ?? experimentId },
  };
  const requestTime =
    typeof meta.request_time === "string" ? meta.request_time : timestampJson(num(meta.timestamp_ms) ?? 0);
  const info: TraceInfoV3 = {
    trace_id: traceId,
    trace_location: location,
    request_time: requestTime,
    state: traceState(v2 ? meta.status : meta.state),
  };
  const clientRequestId = str(meta.client_request_id);
  if (clientRequestId !== undefined) info.client_request_id = clientRequestId;
  const requestPreview = str(meta.request_preview);
  if (requestPreview !== undefined) info.request_preview = requestPreview;
  const responsePreview = str(meta.response_preview);
  if (responsePreview !== undefined) info.response_preview = responsePreview;
  const duration = num(v2 ? meta.execution_time_ms : meta.execution_duration_ms);
  if (duration !== undefined) info.execution_duration = durationJson(duration);
  const metadata = await readKeyValueFolder(join(traceDir, "request_metadata"));
  if (metadata.length > 0) info.trace_metadata = Object.fromEntries(metadata.map((m) => [m.key, m.value]));
  const tags = await readKeyValueFolder(join(traceDir, "tags"));
  if (tags.length > 0) info.tags = Object.fromEntries(tags.map((t) => [t.key, t.value]));
  const assessments = await readAssessments(join(traceDir, "assessments"));
  if (assessments.length > 0) info.assessments = assessments;
  return info;
}

async function readAssessments(dir: string): Promise<Assessment[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith(".yaml")).sort();
  } catch {
    return [];
  }
  const out: Assessment[] = [];
  for (const name of names) {
    const data = await readYaml(dir, name);
    if (data !== undefined) out.push(data as Assessment);
  }
  return out;
}

/** The trace's spans from its `traces.json`; none (reported) when the file is missing or unreadable. */
async function readSpans(
  info: TraceInfoV3,
  traceDir: string,
  artifacts: ArtifactReader,
  skipped: Skips,
): Promise<Span[]> {
  const location = info.tags?.[ARTIFACT_LOCATION_TAG] ?? `file://${join(traceDir, "artifacts")}`;
  let text: string;
  try {
    text = await new Response(await artifacts.open(location, "traces.json")).text();
  } catch {
    skipped.push({ what: `spans of trace ${info.trace_id}`, reason: `no readable traces.json at ${location}` });
    return [];
  }
  let spans: unknown;
  try {
    // MLflow 2.x's span dicts hold their nanosecond times in start_time/end_time; keep every digit of those too.
    const data = parseKeepingTimes(text.replace(/"(start_time|end_time)"\s*:\s*(-?\d+)/g, '"$1":"$2"'));
    spans = (data as { spans?: unknown }).spans;
  } catch {
    spans = undefined;
  }
  if (!Array.isArray(spans)) {
    skipped.push({ what: `spans of trace ${info.trace_id}`, reason: `${location}/traces.json holds no spans list` });
    return [];
  }
  return spans.map((raw) => {
    const dict = (raw as { context?: unknown }).context !== undefined ? spanDictFromV2(raw) : raw;
    return parseKeepingTimes(apiSpanJsonFromDict(dict as Parameters<typeof apiSpanJsonFromDict>[0])) as Span;
  });
}
