import { isMlflowApiError } from "@tracklite/client";
import type { Assessment, ResponseOf, Span, TraceInfoV3, TraceSpanTree } from "@tracklite/schemas";
import { client } from "../api.js";
import { SpanStreamParser } from "./span-stream.js";

/**
 * The trace endpoints the UI calls, through the page's one client (its auth, retries and errors): MLflow 3's
 * `/ajax-api/3.0/mlflow/traces/*` routes. Search and get go through the shared route table; the assessment routes
 * are not in it yet, so they are called by path, shaped as MLflow 3.17.2 answers them.
 */

export interface TraceSearch {
  experimentId: string;
  filter?: string;
  orderBy?: string[];
  maxResults: number;
  pageToken?: string;
}

const T = "/3.0/mlflow/traces";
const enc = encodeURIComponent;

/** `POST traces/search`: one page of trace infos of an experiment. */
export function searchTraces(q: TraceSearch, signal?: AbortSignal): Promise<ResponseOf<"searchTracesV3">> {
  return client.call(
    "searchTracesV3",
    {
      locations: [{ type: "MLFLOW_EXPERIMENT", mlflow_experiment: { experiment_id: q.experimentId } }],
      filter: q.filter || undefined,
      max_results: q.maxResults,
      order_by: q.orderBy,
      page_token: q.pageToken || undefined,
    },
    undefined,
    { signal },
  );
}

/** `GET traces/get`: the trace info and all of its spans. */
export function getTrace(traceId: string, signal?: AbortSignal): Promise<ResponseOf<"getTrace">> {
  return client.call("getTrace", { trace_id: traceId }, undefined, { signal });
}

/**
 * tracklite's span tree of a trace (`/ajax-api/2.0/tracklite/traces/span-tree`): ids, parents, names, types, statuses
 * and times in columns, a few MB for 50,000 spans, every page of it. Undefined when the server does not offer the
 * call (MLflow's own answers 404 without an MLflow error code, or ENDPOINT_NOT_FOUND).
 */
export async function getSpanTree(traceId: string): Promise<TraceSpanTree[] | undefined> {
  const pages: TraceSpanTree[] = [];
  let token: string | undefined;
  do {
    let page: TraceSpanTree;
    try {
      page = await client.call("getTraceSpanTree", { trace_id: traceId, page_token: token });
    } catch (e) {
      if (isMlflowApiError(e) && e.status === 404 && !isMlflowApiError(e, "RESOURCE_DOES_NOT_EXIST")) return undefined;
      throw e;
    }
    pages.push(page);
    token = page.next_page_token || undefined;
  } while (token);
  return pages;
}

/** The whole spans (OTel form) of some spans of a trace, by hex id: what a span's details show. */
export async function getSpans(traceId: string, spanIds: string[]): Promise<Span[]> {
  return (await client.call("getTraceSpans", { trace_id: traceId, span_ids: spanIds })).spans;
}

/** Where the spans of a trace are: the server's span tables (else the artifact store's `traces.json`). */
const SPANS_LOCATION = "mlflow.trace.spansLocation";

type LoadedTrace = { trace_info: TraceInfoV3; spans: Span[] };

/** Resolves after the next frame is drawn (or 100 ms, in a background tab where frames wait). */
const nextFrame = () =>
  new Promise<void>((resolve) => {
    const done = () => resolve();
    requestAnimationFrame(() => setTimeout(done, 0));
    setTimeout(done, 100);
  });

/**
 * `traces/get`, read as it arrives: `onSpans` gets the spans so far (the same growing array) after every piece that
 * completed some, so a large trace draws before it is all here. An answer that is not plain JSON (MLflow writes NaN
 * bare) is fetched again and parsed whole by the client.
 */
export async function streamTrace(
  traceId: string,
  onSpans: (spans: Span[]) => void,
  signal?: AbortSignal,
): Promise<LoadedTrace> {
  const res = await client.transport.request("GET", "/3.0/mlflow/traces/get", { query: { trace_id: traceId }, signal });
  const parser = new SpanStreamParser();
  try {
    if (!res.body) parser.push(await res.text());
    else {
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      let first = true;
      let worked = performance.now();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        if (parser.push(value).length > 0) {
          onSpans(parser.spans);
          // Let the first rows be drawn now: buffered pieces would otherwise keep the page busy until the end.
          if (first) {
            first = false;
            await nextFrame();
            worked = performance.now();
          }
        }
        if (performance.now() - worked > 50) {
          await new Promise((r) => setTimeout(r, 0));
          worked = performance.now();
        }
      }
    }
    return parser.finish();
  } catch (e) {
    if (!(e instanceof SyntaxError)) throw e;
    const whole = await getTrace(traceId, signal);
    return { trace_info: whole.trace.trace_info, spans: whole.trace.spans ?? [] };
  }
}

/**
 * A trace with its spans, reported as it arrives. `traces/get` starts at once, streamed; beside it the info
 * (`traces/{id}`, small) goes to `onInfo` and says where the spans are. When they were uploaded to the artifact store
 * (an older client, or one whose span upload failed), MLflow's `traces/get` cannot serve them ("Trace data not stored
 * in tracking store", a 500 the client would retry), so they are read as MLflow's own UI reads them, from
 * `get-trace-artifact` (Span.to_dict form: attributes as an object of JSON strings), and `traces/get` is dropped.
 */
export async function loadTrace(
  traceId: string,
  on: { info?: (info: TraceInfoV3) => void; spans?: (spans: Span[]) => void } = {},
): Promise<LoadedTrace> {
  const abort = new AbortController();
  let dropped = false;
  const full = streamTrace(traceId, (spans) => !dropped && on.spans?.(spans), abort.signal);
  full.catch(() => {}); // awaited below, or dropped
  let info: TraceInfoV3;
  try {
    info = (await client.call("getTraceInfoV3", {}, { trace_id: traceId })).trace.trace_info;
  } catch {
    return full;
  }
  on.info?.(info);
  if (info.tags?.[SPANS_LOCATION] === "TRACKING_STORE") return full;
  try {
    const artifact = await client.transport.json<{ spans?: Span[] }>("GET", "/2.0/mlflow/get-trace-artifact", {
      query: { request_id: traceId },
    });
    dropped = true;
    abort.abort();
    return { trace_info: info, spans: artifact.spans ?? [] };
  } catch {
    return full;
  }
}

/** The assessment routes' answer (`CreateAssessment`, `UpdateAssessment`). */
interface AssessmentResponse {
  assessment: Assessment;
}

/** What a new assessment carries (the server fills id and times). */
export type NewAssessment = Pick<Assessment, "assessment_name" | "source" | "feedback" | "expectation" | "rationale">;

/** `POST traces/{id}/assessments`. */
export async function createAssessment(traceId: string, a: NewAssessment): Promise<Assessment> {
  const res = await client.transport.json<AssessmentResponse>("POST", `${T}/${enc(traceId)}/assessments`, {
    json: { assessment: { ...a, trace_id: traceId } },
  });
  return res.assessment;
}

/** `PATCH traces/{id}/assessments/{assessment_id}` with an update mask naming the changed fields. */
export async function updateAssessment(
  traceId: string,
  assessmentId: string,
  changes: Partial<Pick<Assessment, "feedback" | "expectation" | "rationale">>,
): Promise<Assessment> {
  const mask = Object.keys(changes).join(",");
  const res = await client.transport.json<AssessmentResponse>(
    "PATCH",
    `${T}/${enc(traceId)}/assessments/${enc(assessmentId)}`,
    { json: { assessment: { ...changes, trace_id: traceId, assessment_id: assessmentId }, update_mask: mask } },
  );
  return res.assessment;
}

/** `DELETE traces/{id}/assessments/{assessment_id}`. */
export async function deleteAssessment(traceId: string, assessmentId: string): Promise<void> {
  await client.transport.json("DELETE", `${T}/${enc(traceId)}/assessments/${enc(assessmentId)}`);
}
