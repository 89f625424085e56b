import type { TraceInfoV3 } from "@tracklite/schemas";
import { proxiedRoot } from "../artifacts/roots.js";
import { joinArtifactPath } from "../artifacts/safe-path.js";
import type { ArtifactStore } from "../artifacts/store.js";
import { apiSpanJsonFromDict, parseKeepingTimes } from "./span-json.js";

/** The file a client writes a trace's spans to when it logs them to the artifact store. */
export const TRACE_DATA_FILE = "traces.json";
const ARTIFACT_LOCATION_TAG = "mlflow.artifactLocation";

/**
 * Where a trace's artifacts live in this server's store (below `mlflow.artifactLocation`), or undefined when that
 * location is not one this server serves.
 */
export function traceArtifactDir(info: TraceInfoV3): string | undefined {
  const location = info.tags?.[ARTIFACT_LOCATION_TAG];
  if (!location) return undefined;
  try {
    return proxiedRoot(location);
  } catch {
    return undefined;
  }
}

/** The `traces.json` of a trace as text, if the store holds one. */
export async function readTraceDataFile(artifacts: ArtifactStore, info: TraceInfoV3): Promise<string | undefined> {
  const dir = traceArtifactDir(info);
  if (dir === undefined) return undefined;
  const body = await artifacts.get(joinArtifactPath(dir, TRACE_DATA_FILE));
  return body ? new Response(body.stream).text() : undefined;
}

/**
 * The spans of a trace whose client logged them to the artifact store only (its info came first, then `traces.json`),
 * in the API's span form; undefined when there is no such file or it holds no spans list.
 */
export async function artifactSpans(artifacts: ArtifactStore, info: TraceInfoV3): Promise<string[] | undefined> {
  const text = await readTraceDataFile(artifacts, info);
  if (text === undefined) return undefined;
  let data: unknown;
  try {
    data = parseKeepingTimes(text);
  } catch {
    return undefined;
  }
  const spans = (data as { spans?: unknown }).spans;
  return Array.isArray(spans)
    ? spans.map((s) => apiSpanJsonFromDict(s as Parameters<typeof apiSpanJsonFromDict>[0]))
    : undefined;
}
